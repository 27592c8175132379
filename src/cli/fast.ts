/**
 * Reads an ordinary invocation with node:util parseArgs, so that the common case never loads yargs (which
 * alone costs more start-up time than the rest of the CLI); validate.ts then makes it the command's
 * arguments, as it does for yargs. What parseArgs cannot read (help, version, an unknown option, an
 * option without its value) returns undefined and goes to yargs, which owns those messages.
 */
import { parseArgs } from "node:util";
import { COMMANDS, type CommandSpec } from "./spec";
import { checkSpelling, validate, type RawArgs } from "./validate";

export interface Invocation {
  command: CommandSpec["name"];
  args: Record<string, unknown>;
}

export function fastParse(argv: string[]): Invocation | undefined {
  const spec = COMMANDS.find((c) => c.name === argv[0]);
  if (!spec) return undefined;
  const words = argv.slice(1);
  checkSpelling(spec, words);
  const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const [name, o] of Object.entries(spec.options)) {
    // Every value is kept, so that validate can refuse an option given twice, as it does for yargs.
    options[name] = o.type === "boolean" ? { type: "boolean" } : { type: "string", multiple: true };
    if (o.alias) options[name].short = o.alias;
  }
  // `--no-<name>` of a negatable string option: false (node:util knows negation for booleans only).
  const negated: Record<string, false[]> = {};
  const end = words.indexOf("--");
  const rest = words.filter((word, i) => {
    const name = word.startsWith("--no-") && (end < 0 || i < end) ? word.slice(5) : undefined;
    if (name === undefined || !spec.options[name]?.negatable) return true;
    (negated[name] ??= []).push(false);
    return false;
  });
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, allowNegative: true, strict: true });
  } catch {
    return undefined;
  }
  const raw: RawArgs = { options: {}, positionals: parsed.positionals };
  for (const name of Object.keys(spec.options)) {
    const value = parsed.values[name];
    raw.options[name] = [...(negated[name] ?? []), ...(value === undefined ? [] : Array.isArray(value) ? value : [value])];
  }
  return { command: spec.name, args: validate(spec, raw) };
}
