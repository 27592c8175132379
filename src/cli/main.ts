/**
 * The command line: parses arguments, runs a command, prints errors. The only place that turns errors
 * into exit codes. Modules a command does not need (yargs, network, prompts) are imported on demand.
 */
import { Exit, M2Error } from "../errors";
import type { Io } from "../commands/io";
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

async function run({ command, args }: Invocation, io: Io): Promise<void> {
  switch (command) {
    case "setup":
      return (await import("../commands/setup")).setup(args as never, io);
    case "list":
      return (await import("../commands/list")).list(args as never, io);
    case "remove":
      return (await import("../commands/remove")).remove(args as never, io);
  }
}

export async function main(argv: string[], io: Io, columns?: number): Promise<number> {
  try {
    const invocation = fastParse(argv) ?? (await (await import("./yargs")).yargsParse(argv, columns));
    if (invocation) await run(invocation, io);
    return io.exitCode ?? Exit.ok;
  } catch (error) {
    if (error instanceof M2Error) {
      io.stderr(describe(error));
      return error.exitCode;
    }
    io.stderr(`anypoint-m2: unexpected failure: ${(error as Error)?.message ?? String(error)}`);
    if (io.env.DEBUG) io.stderr(String((error as Error)?.stack));
    return Exit.unexpected;
  }
}
