// Runs the GitHub Action's steps as the Actions runner runs them: `node <runs.main>` (then `<runs.post>`) of
// action.yml, with each declared input as an INPUT_<NAME> variable (upper case, spaces to underscores, hyphens
// kept; a default when not given), GITHUB_OUTPUT and GITHUB_STATE files, RUNNER_TEMP, and the state the main
// step saved as STATE_<name> variables of the post step.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliEnv } from "./cli";

export const REPOSITORY = join(import.meta.dirname, "..", "..");

export interface ActionYml {
  using: string;
  main: string;
  post: string;
  /** Each input's default, undefined when it has none. */
  inputs: Record<string, string | undefined>;
  outputs: string[];
}

/** action.yml, read for what the runner takes from it (a reader for this file's plain layout, not for any YAML). */
export function actionYml(text = readFileSync(join(REPOSITORY, "action.yml"), "utf8")): ActionYml {
  const block = (name: string) => [...text.matchAll(/^(\w+):\n((?: {2}.*\n|\n)*)/gm)].find((m) => m[1] === name)?.[2] ?? "";
  const entries = (body: string) => [...body.matchAll(/^ {2}([\w-]+):\n((?: {4}.*\n)*)/gm)].map((m) => [m[1]!, m[2]!] as const);
  const runs = Object.fromEntries([...block("runs").matchAll(/^ {2}(\w+): (.*)$/gm)].map((m) => [m[1]!, m[2]!.trim()]));
  return {
    using: runs.using!,
    main: runs.main!,
    post: runs.post!,
    inputs: Object.fromEntries(entries(block("inputs")).map(([name, body]) => [name, /^ {4}default: "(.*)"$/m.exec(body)?.[1]])),
    outputs: entries(block("outputs")).map(([name]) => name),
  };
}

/** The name/value pairs of a GITHUB_OUTPUT or GITHUB_STATE file (both forms: `name=value` and `name<<DELIMITER`). */
export function fileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]!);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      if (end < 0) throw new Error(`no closing ${heredoc[2]} for ${heredoc[1]}`);
      values[heredoc[1]!] = lines.slice(i + 1, end).join("\n");
      i = end;
    } else if (lines[i]!.includes("=")) {
      const at = lines[i]!.indexOf("=");
      values[lines[i]!.slice(0, at)] = lines[i]!.slice(at + 1);
    }
  }
  return values;
}

export interface Step {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The log as the runner reads it: stdout and stderr. */
  log: string;
}

/** A job: its runner's temp folder and command files, in a scratch home; `main` then `post` run its steps. */
export interface Job {
  home: string;
  runnerTemp: string;
  main(inputs: Record<string, string>, env?: Record<string, string>): Promise<Step & { outputs: Record<string, string> }>;
  post(env?: Record<string, string>): Promise<Step>;
  state(): Record<string, string>;
}

function node(script: string, cwd: string, env: Record<string, string>): Promise<Step> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, log: stdout + stderr }));
  });
}

/** The runner's name for an input's variable. */
export const inputVariable = (name: string): string => `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;

/**
 * A job in `home` (the workspace is `cwd`, else the home) using the Action in `root` (else this repository);
 * each run gets CI's variables and Maven's user.home pinned to the home.
 */
export function job(home: string, { cwd = home, root = REPOSITORY }: { cwd?: string; root?: string } = {}): Job {
  const yml = actionYml(readFileSync(join(root, "action.yml"), "utf8"));
  const runner = mkdtempSync(join(home, "runner-"));
  const runnerTemp = join(runner, "temp");
  mkdirSync(runnerTemp);
  const output = join(runner, "output");
  const state = join(runner, "state");
  writeFileSync(output, "");
  writeFileSync(state, "");
  const base = (env: Record<string, string>) => cliEnv(home, { CI: "true", GITHUB_ACTIONS: "true", RUNNER_TEMP: runnerTemp, ...env });
  return {
    home,
    runnerTemp,
    async main(inputs, env = {}) {
      const undeclared = Object.keys(inputs).filter((name) => !(name in yml.inputs));
      if (undeclared.length > 0) throw new Error(`action.yml declares no input ${undeclared.join(", ")}`);
      const variables: Record<string, string> = {};
      for (const [name, fallback] of Object.entries(yml.inputs)) {
        const value = inputs[name] ?? fallback;
        if (value !== undefined) variables[inputVariable(name)] = value;
      }
      writeFileSync(output, "");
      const step = await node(join(root, yml.main), cwd, base({ ...variables, GITHUB_OUTPUT: output, GITHUB_STATE: state, ...env }));
      return { ...step, outputs: fileCommands(readFileSync(output, "utf8")) };
    },
    post(env = {}) {
      const saved = Object.fromEntries(Object.entries(fileCommands(readFileSync(state, "utf8"))).map(([name, value]) => [`STATE_${name}`, value]));
      return node(join(root, yml.post), cwd, base({ ...saved, ...env }));
    },
    state: () => fileCommands(readFileSync(state, "utf8")),
  };
}

/** The log without the add-mask commands (the only lines where a secret may be written). */
export const withoutMasks = (log: string): string =>
  log
    .split("\n")
    .filter((line) => !line.startsWith("::add-mask::"))
    .join("\n");
