/**
 * The one step between a parser and a command. Whatever node:util (fast.ts) or yargs (yargs.ts) read is
 * turned into the command's arguments here, by the option table, or refused with a usage error that names
 * the option; so both parsers accept the same invocations and mean the same by them.
 *
 * Values are never echoed where they could be a secret: only numbers and choices are quoted back.
 */
import { Exit, M2Error } from "../errors";
import { camel, usageOf, type CommandSpec, type NumberRange, type OptionSpec } from "./spec";

/** What a parser read: each option's values in the order given (`--no-x` as false), then the positionals. */
export interface RawArgs {
  options: Record<string, readonly (string | boolean)[]>;
  positionals: readonly string[];
}

export function validate(spec: CommandSpec, raw: RawArgs): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(spec.options)) args[camel(name)] = optionValue(spec, name, option, raw.options[name] ?? []);
  const value = positionalValue(spec, raw.positionals);
  if (spec.positional) args[spec.positional.name] = value;
  return args;
}

function usage(spec: CommandSpec, message: string, hint?: string): M2Error {
  return new M2Error(Exit.usage, message, { hint: hint ?? `See anypoint-m2 ${spec.name} --help.` });
}

function optionValue(spec: CommandSpec, name: string, option: OptionSpec, given: readonly (string | boolean)[]): unknown {
  const flag = `--${name}`;
  if (given.length === 0) return option.default;
  if (option.type === "boolean") {
    // A repeated switch is harmless; the last one wins (`--verify --no-verify` does not verify).
    const last = given[given.length - 1];
    if (typeof last !== "boolean") throw usage(spec, `${flag} takes no value`, `Write ${flag} alone, or --no-${name}.`);
    return last;
  }
  if (option.multiple) return multipleValues(spec, flag, option, given);
  if (given.length > 1) {
    const either = option.negatable ? `${flag} (or --no-${name})` : flag;
    throw usage(spec, `${either} was given ${given.length} times; it takes one value`, `Give ${flag} once.`);
  }
  const value = given[0]!;
  if (value === false) {
    if (option.negatable) return false;
    throw usage(spec, `unknown option --no-${name}`);
  }
  const text = value === true ? "" : value;
  if (option.type === "number") return numberValue(spec, flag, option.range, text);
  if (text === "") {
    const otherwise = option.defaultDescription ?? option.default;
    throw usage(spec, `${flag} needs a value`, `Write ${flag} VALUE${otherwise === undefined ? ", or leave it out" : `, or leave it out for the default (${otherwise})`}.`);
  }
  return option.choices ? choice(spec, flag, option.choices, text) : text;
}

/** Every value of an option that takes several, each once, in the order given; none empty. */
function multipleValues(spec: CommandSpec, flag: string, option: OptionSpec, given: readonly (string | boolean)[]): string[] {
  const values = given.map((value) => {
    if (value === false) throw usage(spec, `unknown option --no-${flag.slice(2)}`);
    if (value === true || value === "") throw usage(spec, `${flag} needs a value`, `Write ${flag} VALUE, or leave it out${option.defaultDescription ? ` for the default (${option.defaultDescription})` : ""}.`);
    return option.choices ? choice(spec, flag, option.choices, value) : value;
  });
  return [...new Set(values)];
}

/** Plain decimal notation only: "1e9", "0x10", "Infinity" and "-1" are not seconds anyone means. */
function numberValue(spec: CommandSpec, flag: string, { min, max, integer, unit }: NumberRange, text: string): number {
  const trimmed = text.trim();
  const n = (integer ? /^\d+$/ : /^\d+(\.\d+)?$/).test(trimmed) ? Number(trimmed) : NaN;
  if (n >= min && n <= max) return n;
  throw usage(spec, `${flag} takes ${unit}, ${integer ? "a whole number" : "a number"} from ${min} to ${max} (got ${JSON.stringify(text)})`);
}

/** Case and surrounding spaces do not matter: `--region EU` is eu. */
function choice(spec: CommandSpec, what: string, choices: readonly string[], text: string): string {
  const value = text.trim().toLowerCase();
  if (choices.includes(value)) return value;
  throw usage(spec, `${what} takes one of ${choices.join(", ")} (got ${JSON.stringify(text)})`);
}

function positionalValue(spec: CommandSpec, given: readonly string[]): string | undefined {
  const p = spec.positional;
  // The words themselves are not repeated: a stray one may be a secret typed after a switch.
  if (!p && given.length > 0) {
    throw usage(spec, `${spec.name} takes only options, but ${given.length === 1 ? "another word was" : `${given.length} other words were`} given`, `Options start with --, and a value follows its option. See anypoint-m2 ${spec.name} --help.`);
  }
  if (!p) return undefined;
  if (given.length > 1) throw usage(spec, `${spec.name} takes one <${p.name}>, but ${given.length} were given`);
  const value = given[0];
  if (value === undefined || value === "") {
    if (!p.required) return undefined;
    throw usage(spec, `${spec.name} needs ${p.describe}: anypoint-m2 ${usageOf(spec)}`);
  }
  return p.choices ? choice(spec, spec.name, p.choices, value) : value;
}

/**
 * Refuses, before either parser reads them, the spellings the two would read differently: a value given
 * to a switch (`--verify=false`; `--yes false`, where yargs takes "false" as the switch's value and
 * node:util as an argument) and a one-letter alias written long (`--y`, which only yargs accepts).
 * Words after `--` are arguments, not options.
 */
/** Whether `word` names one of the command's options (long, negated, or a short alias cluster). */
function isOption(spec: CommandSpec, word: string): boolean {
  const long = /^--(?:no-)?([^=]+)/.exec(word);
  if (long) return Object.hasOwn(spec.options, long[1]!) || ["help", "version"].includes(long[1]!);
  const aliases = new Set(Object.values(spec.options).flatMap((o) => (o.alias ? [o.alias] : [])));
  return /^-[a-zA-Z]+$/.test(word) && [...word.slice(1)].every((c) => aliases.has(c) || c === "h");
}

export function checkSpelling(spec: CommandSpec, words: readonly string[]): void {
  const longOf = new Map(Object.entries(spec.options).flatMap(([name, o]) => (o.alias ? [[o.alias, name] as const] : [])));
  const isSwitch = (name: string | undefined) => name !== undefined && spec.options[name]?.type === "boolean";
  for (let i = 0; i < words.length && words[i] !== "--"; i++) {
    const word = words[i]!;
    const long = /^--(no-)?([^=]*)(=?)/.exec(word);
    const [, no = "", name = "", equals] = long ?? [];
    if (long && longOf.has(name)) throw usage(spec, `unknown option ${word.split("=")[0]}`, `Write -${name} or --${no}${longOf.get(name)}.`);
    if (long && equals && (isSwitch(name) || (no && spec.options[name]?.negatable))) {
      throw usage(spec, `--${no}${name} takes no value`, `Write --${name} or --no-${name}, without "=".`);
    }
    const switchName = long ? (!no && !equals ? name : undefined) : /^-[a-zA-Z]+$/.test(word) ? longOf.get(word.slice(-1)) : undefined;
    const next = words[i + 1];
    // A value option followed by a word that starts with "-" and is no option: the parsers would read the
    // word as options (and quote its letters back), and it may be a secret. Never quoted.
    const takesValue = long && !no && !equals && spec.options[name]?.type === "string";
    if (takesValue && next !== undefined && next.length > 1 && next.startsWith("-") && !isOption(spec, next)) {
      throw usage(spec, `--${name} needs a value; the word after it starts with "-" and is not shown`, `A value that starts with "-" is written --${name}=-… (with "=").`);
    }
    if (isSwitch(switchName) && (next === "true" || next === "false")) {
      throw usage(spec, `${word} takes no value (found "${next}" after it)`, `Write ${word} alone to turn it on, or --no-${switchName} to turn it off.`);
    }
  }
}
