/**
 * The Actions runner's side of a JavaScript action, as @actions/core speaks it (without the dependency):
 * inputs come as INPUT_<NAME> variables, workflow commands go out as `::name::data` lines on stdout, and
 * outputs and state are appended to the files GITHUB_OUTPUT and GITHUB_STATE name (state comes back to the
 * post step as STATE_<name> variables).
 */
import { randomUUID } from "node:crypto";
import { appendFileSync, writeSync } from "node:fs";
import { Exit, M2Error } from "../errors";

type Env = Record<string, string | undefined>;

/** The runner's name for an input: upper case, spaces to underscores, hyphens kept (INPUT_CLIENT-ID). */
export const inputVariable = (name: string): string => `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;

/** An input, trimmed ("" when not given: the runner passes action.yml's default, if any). */
export function input(env: Env, name: string): string {
  return (env[inputVariable(name)] ?? "").trim();
}

/** An input that lists one value a line: each line trimmed, blank lines dropped. */
export function inputLines(env: Env, name: string): string[] {
  return (env[inputVariable(name)] ?? "")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/** A boolean input, as YAML 1.2's core schema writes one (as @actions/core reads it); "" when not given. */
export function booleanInput(env: Env, name: string): boolean | undefined {
  const value = input(env, name);
  if (value === "") return undefined;
  if (["true", "True", "TRUE"].includes(value)) return true;
  if (["false", "False", "FALSE"].includes(value)) return false;
  throw new M2Error(Exit.usage, `the input ${name} is "${value}"; it takes true or false`);
}

/** A workflow command's message, which ends at the line's end: the runner decodes these escapes. */
const escapeData = (text: string): string => text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");

/** A workflow command on stdout: `::name::message`. Written synchronously, so that it keeps its place among the lines around it. */
export function command(name: string, message = ""): void {
  writeSync(1, `::${name}::${escapeData(message)}\n`);
}

/** A line of the log, written synchronously, in order with the workflow commands around it. */
export function say(text: string, fd: 1 | 2 = 1): void {
  writeSync(fd, `${text}\n`);
}

/** Hides `value` wherever it would appear in the log from now on (the runner prints *** instead). */
export function mask(value: string): void {
  if (value !== "") command("add-mask", value);
}

/**
 * Runs `work` with workflow commands off, so that nothing it prints (a line of a file, an id from a pom) is
 * taken for one: the runner ignores every `::` line until the random token that turns them back on.
 */
export async function withoutCommands<T>(work: () => Promise<T>): Promise<T> {
  const token = randomUUID();
  command("stop-commands", token);
  try {
    return await work();
  } finally {
    writeSync(1, `::${token}::\n`);
  }
}

/**
 * `name` = `value`, appended to the file the runner named in `variable` (GITHUB_OUTPUT, GITHUB_STATE), in the
 * heredoc form that takes any value: `name<<DELIMITER`, the value, the delimiter.
 */
export function appendFileCommand(env: Env, variable: "GITHUB_OUTPUT" | "GITHUB_STATE", name: string, value: string): void {
  const file = env[variable];
  if (!file) throw new Error(`${variable} is not set: this runs as a step of a GitHub Actions job`);
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error(`the value of ${name} holds its own delimiter`);
  appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`, "utf8");
}
