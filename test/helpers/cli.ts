// Runs the built CLI (dist/cli.cjs) as a user would, in a temporary HOME.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { expect } from "vitest";
import { corpusFile } from "./corpus";

export const CLI = join(import.meta.dirname, "..", "..", "dist", "cli.cjs");

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** A fresh scratch home, under the run's scratch folder (removed when the run ends) when there is one. */
export function tempHome(): string {
  return mkdtempSync(join(process.env.ANYPOINT_M2_TEST_SCRATCH ?? tmpdir(), "anypoint-m2-home-"));
}

/**
 * The only environment a run of the CLI gets: node on the PATH, HOME, and what the test gives. Maven (and so
 * anypoint-m2) takes the home folder from the account, not from HOME: MAVEN_OPTS pins user.home to the same
 * folder, so that no run reaches the real ~/.m2.
 */
export function cliEnv(home: string, env: Record<string, string> = {}): Record<string, string> {
  return { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? "/usr/bin:/bin"}`, HOME: home, MAVEN_OPTS: `-Duser.home=${home}`, ...env };
}

/** Runs `anypoint-m2 args` with only the environment given (plus PATH), stdin closed unless given. */
export function run(args: string[], { home, env = {}, input, cwd }: { home: string; env?: Record<string, string>; input?: string | Uint8Array; cwd?: string }): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // The executable itself, through its #! line, as npx and a shell run it.
    const child = spawn(CLI, args, {
      cwd: cwd ?? home,
      env: cliEnv(home, env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

/** `run`, keeping every result, so that a test can check all output a file's scenarios printed. */
export function recorder(): { m2: typeof run; outputs: Run[] } {
  const outputs: Run[] = [];
  return {
    outputs,
    m2: async (args, options) => {
      const r = await run(args, options);
      outputs.push(r);
      return r;
    },
  };
}

/** A temporary HOME whose ~/.m2/settings.xml is a copy of a corpus file (the test is skipped without the corpus). */
export function homeWith(name: string): { home: string; settings: string; original: Buffer } {
  const original = corpusFile(name);
  const home = tempHome();
  mkdirSync(join(home, ".m2"));
  const settings = join(home, ".m2", "settings.xml");
  writeFileSync(settings, original);
  return { home, settings, original };
}

/**
 * That none of `secrets` appears in the stdout or stderr of any recorded run, and that there were more than
 * `atLeast` runs (so that the check cannot pass on nothing).
 */
export function expectNoSecret(outputs: readonly Run[], secrets: readonly string[], atLeast: number): void {
  expect(outputs.length).toBeGreaterThan(atLeast);
  for (const r of outputs) {
    for (const secret of secrets) {
      expect(r.stdout).not.toContain(secret);
      expect(r.stderr).not.toContain(secret);
    }
  }
}
