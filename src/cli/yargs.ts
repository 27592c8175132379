/**
 * The full parser, for help, version and usage errors; built from the same table as the fast path, and
 * what it reads goes through the same validate step. Bundled apart from the CLI (dist/yargs.cjs) and
 * loaded only when needed.
 */
import yargs, { type Argv } from "yargs";
import { version } from "../../package.json";
import { Exit, M2Error } from "../errors";
import type { Invocation } from "./fast";
import { COMMANDS, EXIT_CODES, usageOf, type CommandSpec, type OptionSpec } from "./spec";
import { checkSpelling, validate, type RawArgs } from "./validate";

/** Read as node:util reads: no camelCase or dotted names, numbers and positionals left as text. */
const PARSER = {
  "camel-case-expansion": false,
  "dot-notation": false,
  "parse-numbers": false,
  "parse-positional-numbers": false,
  "strip-aliased": true,
} as const;

export async function yargsParse(argv: string[], columns: number | undefined): Promise<Invocation | undefined> {
  const named = COMMANDS.find((c) => c.name === argv[0]);
  if (named) checkSpelling(named, argv.slice(1));
  else if (argv[0] !== undefined && !argv[0].startsWith("-")) throw unknownCommand(argv[0]);
  let invocation: Invocation | undefined;
  let y: Argv = yargs(argv)
    .scriptName("anypoint-m2")
    .usage("$0 <command> [options]\n\nPut an Anypoint Exchange connected app's credentials into Maven's settings.xml.")
    .parserConfiguration(PARSER);
  // Types are left out of help: numbers are read as text (validate reads them), so yargs would call them
  // strings. (yargs 18 has usageConfiguration; @types/yargs 17 does not know it.)
  (y as unknown as { usageConfiguration(c: { "hide-types": boolean }): unknown }).usageConfiguration({ "hide-types": true });
  for (const spec of COMMANDS) {
    // The positional is shown in help but not declared in the command's name: yargs would then demand it
    // itself, with its own message, and not see one given after `--`. Every word reaches validate.
    y = y.command(
      spec.name,
      spec.describe,
      (c) => {
        c.usage(`$0 ${usageOf(spec)}\n\n${spec.describe}`);
        if (spec.positional) c.positional(spec.positional.name, { type: "string", describe: withChoices(spec.positional.describe, spec.positional.choices) });
        for (const [name, o] of Object.entries(spec.options)) c.option(name, yargsOption(o));
        for (const [command, description] of spec.examples) c.example(command, description);
        return c.epilogue(EXIT_CODES);
      },
      (parsed) => {
        const raw: RawArgs = {
          options: Object.fromEntries(Object.keys(spec.options).map((name) => [name, occurrences(parsed[name])])),
          positionals: parsed._.slice(1).map(String),
        };
        invocation = { command: spec.name, args: validate(spec, raw) };
      },
    );
  }
  await y
    .demandCommand(1, `Name a command: ${COMMANDS.map((c) => c.name).join(", ").replace(/, ([^,]*)$/, " or $1")}.`)
    .strictOptions()
    .epilogue(EXIT_CODES)
    .help()
    .alias("help", "h")
    .version(version)
    .wrap(Math.min(100, columns ?? 100))
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? unknownOptions(message, named) ?? new M2Error(Exit.usage, message, { hint: `See anypoint-m2 ${named ? `${named.name} ` : ""}--help.` });
    })
    .parseAsync();
  return invocation;
}

/**
 * The table's option for yargs: no default (validate applies it, so yargs' output holds only what was
 * typed), numbers read as text, and choices only described (validate matches them ignoring case). The
 * help's [choices] and [default] are written here, as yargs hides them together with the types.
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

/** yargs gives a value, or an array when the option was repeated. */
const occurrences = (value: unknown): (string | boolean)[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((v) => (typeof v === "boolean" ? v : String(v)));

/**
 * yargs' "Unknown arguments: dryrun, x" as our message: each option with a dash, the nearest option of the
 * command suggested, an option of another command named as such, and `--` for a value that starts with "-".
 */
function unknownOptions(message: string, spec: CommandSpec | undefined): M2Error | undefined {
  const m = /^Unknown arguments?: (.+)$/.exec(message);
  if (!m) return undefined;
  const words = m[1]!.split(", ");
  const names = spec ? Object.keys(spec.options) : [];
  const notes = words.map((w) => {
    const dashed = `${w.length === 1 ? "-" : "--"}${w}`;
    const near = w.length > 1 ? nearest(w, names) : undefined;
    const other = COMMANDS.find((c) => c !== spec && Object.hasOwn(c.options, w));
    return near ? `${dashed} (did you mean --${near}?)` : other ? `${dashed} (an option of ${other.name})` : dashed;
  });
  const singleLetters = words.every((w) => w.length === 1);
  return new M2Error(Exit.usage, `unknown option${words.length > 1 ? "s" : ""}${spec ? ` for ${spec.name}` : ""}: ${notes.join(", ")}`, {
    hint: `${singleLetters ? `A value that starts with "-" is written --option=-value${spec?.positional ? `; an ${spec.positional.name} that does goes after --: anypoint-m2 ${spec.name} -- -ID` : ""}. ` : ""}See anypoint-m2 ${spec ? `${spec.name} ` : ""}--help.`,
  });
}

function unknownCommand(word: string): M2Error {
  const names = COMMANDS.map((c) => c.name);
  const near = nearest(word, names);
  return new M2Error(Exit.usage, `unknown command "${word}"${near ? `; did you mean "${near}"?` : ""}`, {
    hint: `The commands are ${names.join(", ")}; see anypoint-m2 --help.`,
  });
}

/** The name within two edits of the word (insert, delete, change a letter), or that starts with it. */
export function nearest(word: string, names: readonly string[]): string | undefined {
  const scored = names.map((name) => ({ name, d: name.startsWith(word.toLowerCase()) ? 0 : distance(word.toLowerCase(), name) }));
  const best = scored.sort((a, b) => a.d - b.d)[0];
  return best && best.d <= 2 ? best.name : undefined;
}

function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}
