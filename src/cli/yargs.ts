/**
 * The full parser, for help, version and usage errors; built from the same table as the fast path.
 * Bundled apart from the CLI (dist/yargs.cjs) and loaded only when needed.
 */
import yargs from "yargs";
import { Exit, M2Error } from "../errors";
import type { Invocation } from "./fast";
import { camel, COMMANDS, EXIT_CODES } from "./spec";

export async function yargsParse(argv: string[], columns: number | undefined): Promise<Invocation | undefined> {
  let invocation: Invocation | undefined;
  let y = yargs(argv)
    .scriptName("anypoint-m2")
    .usage("$0 <command> [options]\n\nPut an Anypoint Exchange connected app's credentials into Maven's settings.xml.");
  for (const spec of COMMANDS) {
    const usage = spec.positional ? `${spec.name} <${spec.positional.name}>` : spec.name;
    y = y.command(
      usage,
      spec.describe,
      (c) => {
        if (spec.positional) c.positional(spec.positional.name, { type: "string", describe: spec.positional.describe, demandOption: true });
        for (const [name, o] of Object.entries(spec.options)) c.option(name, { ...o, choices: o.choices ? [...o.choices] : undefined });
        for (const [command, description] of spec.examples) c.example(command, description);
        return c.epilogue(EXIT_CODES);
      },
      (parsed) => {
        const args: Record<string, unknown> = {};
        for (const name of Object.keys(spec.options)) args[camel(name)] = parsed[name];
        if (spec.positional) args[spec.positional.name] = String(parsed[spec.positional.name]);
        invocation = { command: spec.name, args };
      },
    );
  }
  await y
    .completion("completion", "print a bash/zsh completion script (add its output to your shell's rc file)")
    .demandCommand(1, "Name a command: setup, verify, list or remove (see --help).")
    .strict()
    .epilogue(EXIT_CODES)
    .help()
    .alias("help", "h")
    .version()
    .wrap(Math.min(100, columns ?? 100))
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new M2Error(Exit.usage, message);
    })
    .parseAsync();
  return invocation;
}
