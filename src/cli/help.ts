/**
 * `--help`, rendered by yargs from the command table. yargs only lays the table out: it never reads the
 * user's words (read.ts does); it is given the command and --help. Bundled apart (dist/help.cjs) and
 * loaded only for help, as loading it costs more start-up time than the rest of the CLI.
 */
import yargs, { type Argv } from "yargs";
import { version } from "../../package.json";
import { COMMANDS, EXIT_CODES, exitCodes, usageOf, type CommandSpec, type OptionSpec } from "./spec";

/** The help of `spec`, or the general help; lines at most `columns` wide (100 at most). */
export async function help(spec: CommandSpec | undefined, columns: number | undefined): Promise<string> {
  let y: Argv = yargs()
    .scriptName("anypoint-m2")
    .usage("$0 <command> [options]\n\nPut an Anypoint Exchange connected app's credentials into Maven's settings.xml.");
  // Types are left out: numbers are described with their range, and [choices] and [default] written by
  // yargsOption. (yargs 18 has usageConfiguration; @types/yargs 17 does not know it.)
  (y as unknown as { usageConfiguration(c: { "hide-types": boolean }): unknown }).usageConfiguration({ "hide-types": true });
  for (const command of COMMANDS) {
    y = y.command(command.name, command.describe, (c) => {
      c.usage(`$0 ${usageOf(command)}\n\n${command.describe}`);
      if (command.positional) c.positional(command.positional.name, { type: "string", describe: withChoices(command.positional.describe, command.positional.choices) });
      for (const [name, o] of Object.entries(command.options)) c.option(name, yargsOption(o));
      for (const [line, description] of command.examples) c.example(line, description);
      return c.epilogue(exitCodes(command.name));
    });
  }
  y = y.epilogue(EXIT_CODES).help().alias("help", "h").version(version).wrap(Math.min(100, columns ?? 100));
  // With a callback, yargs hands over what it would print instead of printing it, and never exits.
  return new Promise((resolve, reject) => {
    void y.parse(spec ? [spec.name, "--help"] : ["--help"], {}, (error, _argv, output) => (error ? reject(error) : resolve(output)));
  });
}

/**
 * The table's option as yargs shows it: numbers with their range, choices and the default written into
 * the description, as yargs hides them together with the types.
 */
function yargsOption(o: OptionSpec) {
  const shown = o.defaultDescription ?? (o.default === undefined || o.default === false ? undefined : String(o.default));
  const range = o.type === "number" ? `: ${o.range.integer ? "a whole number" : "a number"} from ${o.range.min} to ${o.range.max}` : "";
  return {
    type: o.type === "boolean" ? ("boolean" as const) : ("string" as const),
    describe: withChoices(o.describe + range, o.choices) + (shown === undefined ? "" : ` [default: ${shown}]`),
    ...(o.alias ? { alias: o.alias } : {}),
  };
}

const withChoices = (describe: string, choices: readonly string[] | undefined) => (choices ? `${describe} [choices: ${choices.join(", ")}]` : describe);
