/** Printing a command's result: one JSON object for --json, short sentences otherwise; warnings on stderr. */
import type { Environment } from "../io/envfile";
import type { Io } from "../world";

export interface OutputArgs {
  json: boolean;
  quiet?: boolean;
}

export function report(io: Io, args: OutputArgs, result: Record<string, unknown>, human: string[]): void {
  if (!args.quiet) for (const w of (result.warnings as string[] | undefined) ?? []) io.stderr(`warning: ${w}`);
  if (args.json) io.stdout(JSON.stringify(result));
  else if (!args.quiet) for (const line of human) io.stdout(line);
}

/** A diagnostic for --verbose / DEBUG. Callers never pass secrets. */
export function debug(io: Io, message: string): void {
  if (io.verbose) io.stderr(`debug: ${message}`);
}

/** A line that says something succeeded, with a green tick on a colour terminal. */
export function done(io: Io, text: string): string {
  return io.color ? `\x1b[32m✔\x1b[0m ${text}` : text;
}

/** Says which variables an env file supplied (names only) and its warnings, on stderr, unless --quiet. */
export function announceEnvFile(io: Io, args: OutputArgs, loaded: Environment): void {
  if (args.quiet) return;
  for (const w of loaded.warnings ?? []) io.stderr(`warning: ${w}`);
  if (loaded.file && loaded.supplied?.length) io.stderr(`Read ${loaded.supplied.join(", ")} from ${loaded.file}.`);
}

/**
 * The result of a command that edits: a dry run's stdout is the patch alone (so that it can be saved),
 * its prose and warnings on stderr; otherwise as `report` prints.
 */
export function reportEdit(io: Io, args: OutputArgs & { dryRun?: boolean }, result: Record<string, unknown> & { warnings: string[] }, human: string[], diff: string): void {
  if (args.dryRun && !args.json) {
    if (!args.quiet) for (const w of result.warnings) io.stderr(`warning: ${w}`);
    if (diff) io.stdout(diff);
    if (!args.quiet) for (const line of human) io.stderr(line);
    return;
  }
  report(io, args, result, human);
}
