/**
 * The command line: parses arguments, runs a command, prints errors. The only place that turns errors
 * into exit codes. Modules a command does not need (yargs, network, prompts) are imported on demand.
 */
import { Exit, M2Error } from "../errors";
import type { Io } from "../commands/io";
import { list } from "../commands/list";
import { remove } from "../commands/remove";
import { setup } from "../commands/setup";
import { verify } from "../commands/verify";
import { fastParse, type Invocation } from "./fast";

function describe(error: M2Error): string {
  const { file, line, column, hint } = error.details;
  const position = line ? `${line}${column ? `:${column}` : ""}` : "";
  const where = file ? `${file}${position ? `:${position}` : ""}: ` : position ? `line ${position}: ` : "";
  let text = `anypoint-m2: ${where}${error.message}`;
  if (hint) text += `\n  ${hint}`;
  if (error.exitCode === Exit.unsafe) text += "\n  Nothing was written.";
  return text;
}

// The commands are bundled into the entry file: one module to load is faster than several small ones.
async function run({ command, args }: Invocation, io: Io): Promise<void> {
  io.verbose = Boolean(args.verbose) || Boolean(io.env.DEBUG);
  switch (command) {
    case "setup":
      return setup(args as never, io);
    case "verify":
      return verify(args as never, io);
    case "list":
      return list(args as never, io);
    case "remove":
      return remove(args as never, io);
  }
}

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    // No command in a terminal: the setup wizard.
    const wizard = argv.length === 0 && io.terminal && !io.env.CI;
    const invocation = fastParse(wizard ? ["setup"] : argv) ?? (await (await import("./yargs")).yargsParse(argv, process.stdout.columns));
    if (invocation) await run(invocation, io);
    return io.exitCode ?? Exit.ok;
  } catch (caught) {
    const error = caught instanceof M2Error ? caught : new M2Error(Exit.unexpected, `unexpected failure: ${(caught as Error)?.message ?? String(caught)}`);
    io.stderr(describe(error));
    if (!(caught instanceof M2Error) && io.env.DEBUG) io.stderr(String((caught as Error)?.stack));
    // A script that asked for JSON gets its one object on stdout, failures included.
    if (argv.includes("--json")) io.stdout(JSON.stringify({ error: { exitCode: error.exitCode, message: error.message, ...error.details } }));
    return error.exitCode;
  }
}
