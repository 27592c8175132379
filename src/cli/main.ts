/**
 * The command line: reads the arguments, runs a command, prints errors. The only place that turns errors
 * into exit codes. Modules a command does not need (help, network, prompts) are imported on demand.
 */
import { version } from "../../package.json";
import { Exit, M2Error } from "../errors";
import type { Io } from "../world";
import { list } from "../commands/list";
import { remove } from "../commands/remove";
import { rotate } from "../commands/rotate";
import { exec } from "../commands/exec";
import { setup } from "../commands/setup";
import { verify } from "../commands/verify";
import { completions, completionScript, COMPLETION_REQUEST } from "./completion";
import { noCommand, read, type Invocation } from "./read";
import { COMMANDS } from "./spec";

/** The error as the user reads it; `edits`: the command writes settings.xml (and so wrote nothing). */
export function describe(error: M2Error, edits: boolean): string {
  const { file, line, column, hint } = error.details;
  const position = line ? `${line}${column ? `:${column}` : ""}` : "";
  const where = file ? `${file}${position ? `:${position}` : ""}: ` : position ? `line ${position}: ` : "";
  let text = `anypoint-m2: ${where}${error.message}`;
  if (hint) text += `\n  ${hint}`;
  if (error.exitCode === Exit.unsafe && edits) text += "\n  Nothing was written.";
  return text;
}

// The commands are bundled into the entry file: one module to load is faster than several small ones.
async function run({ command, args }: Invocation, io: Io): Promise<void> {
  io.verbose = Boolean(args.verbose) || Boolean(io.env.DEBUG);
  switch (command) {
    case "setup":
      return void (await setup(args as never, io));
    case "verify":
      return verify(args as never, io);
    case "list":
      return list(args as never, io);
    case "remove":
      return remove(args as never, io);
    case "doctor":
      // Rarely run, and it reads more than the others (poms, mirrors, encrypted passwords): a bundle of its own.
      return (await import("../commands/doctor")).doctor(args as never, io);
    case "rotate":
      return rotate(args as never, io);
    case "exec":
      return exec(args as never, io);
    case "completion":
      // Without a name, the shell the user logs in with.
      return io.stdout(completionScript((args.shell as "bash" | "zsh" | undefined) ?? (io.env.SHELL?.endsWith("/zsh") ? "zsh" : "bash")));
  }
}

export async function main(argv: string[], io: Io): Promise<number> {
  let invocation: Invocation | undefined;
  try {
    if (argv[0] === COMPLETION_REQUEST) {
      for (const candidate of completions(argv.slice(1))) io.stdout(candidate);
      return Exit.ok;
    }
    // No command in a terminal (nothing, or only options such as --base-url): the setup wizard.
    let reading = read(argv);
    if (!reading && io.terminal && !io.env.CI) reading = read(["setup", ...argv]);
    if (!reading) throw noCommand();
    if ("version" in reading) {
      io.stdout(version);
      return Exit.ok;
    }
    if ("help" in reading) {
      // yargs reads the current folder as it loads: one that is gone is said as every command says it.
      void io.cwd;
      io.stdout(await (await import("./help")).help(reading.help, process.stdout.columns));
      return Exit.ok;
    }
    invocation = reading;
    await run(invocation, io);
    return io.exitCode ?? Exit.ok;
  } catch (caught) {
    // One line: Node's own messages go on (a require stack, say); DEBUG=1 prints the whole error.
    const error = caught instanceof M2Error ? caught : new M2Error(Exit.unexpected, `unexpected failure: ${String((caught as Error)?.message ?? caught).split("\n")[0]}`);
    const edits = COMMANDS.find((c) => c.name === (invocation?.command ?? argv[0]))?.edits ?? false;
    io.stderr(describe(error, edits));
    if (!(caught instanceof M2Error) && io.env.DEBUG) io.stderr(String((caught as Error)?.stack));
    // A script that asked for JSON gets its one object on stdout, failures included.
    const optionWords = argv.includes("--") ? argv.slice(0, argv.indexOf("--")) : argv;
    const json = invocation ? invocation.args.json === true : optionWords.includes("--json");
    if (json) io.stdout(JSON.stringify({ error: { exitCode: error.exitCode, message: error.message, ...error.details } }));
    return error.exitCode;
  }
}
