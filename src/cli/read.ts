/**
 * The one reader of a command line. The words are read once, by the command table (spec.ts): scan() says
 * what each word is (an option and its value, an argument, a request for help), read() turns that into
 * the command's arguments or refuses it with a usage error (exit 2) that names the option. Completion
 * (completion.ts) scans the words typed so far the same way; help is rendered from the same table
 * (help.ts).
 *
 * Values are never echoed where they could be a secret: only numbers and choices are quoted back, and
 * a word after a value option that starts with "-" is not shown at all.
 */
import { Exit, M2Error } from "../errors";
import { nearest } from "../commands/nearest";
import { camel, COMMANDS, usageOf, type CommandSpec, type NumberRange, type OptionSpec } from "./spec";

/** A command to run, with its arguments. */
export interface Invocation {
  command: CommandSpec["name"];
  args: Record<string, unknown>;
}

/** What a command line asks for: a command, its help (or the general help), or the version. */
export type Reading = Invocation | { help: CommandSpec | undefined } | { version: true };

/** One word of a command line (two for an option and its value), as the table reads it. */
export type Token =
  /** `value`: true or false for a switch (false: `--no-x`), the text of a value option, or undefined when its value is missing. */
  | { kind: "option"; name: string; value: string | boolean | undefined }
  | { kind: "argument"; word: string }
  | { kind: "help" | "version" }
  /** An option the command does not have, as it is named back: `--bogus`, `-z`. */
  | { kind: "unknown"; flag: string }
  /** A spelling that is refused whatever else is on the line: `--verify=false`, `--y`, a secret-looking value. */
  | { kind: "refused"; error: M2Error };

/**
 * The command line without the program's name, the command first. Undefined: no command (only options,
 * or nothing), and neither help nor version asked for: main.ts starts the wizard, or says to name one.
 */
export function read(argv: readonly string[]): Reading | undefined {
  const spec = COMMANDS.find((c) => c.name === argv[0]);
  if (!spec && argv[0] !== undefined && !argv[0].startsWith("-")) throw unknownCommand(argv[0]);
  // exec: the words after the first `--` are the command to run, read by nothing here.
  const words = spec ? argv.slice(1) : argv;
  const end = spec?.rest ? words.indexOf("--") : -1;
  const tokens = scan(spec, end >= 0 ? words.slice(0, end) : words);
  // `anypoint-m2 --help setup`: the help of setup.
  if (tokens.some((t) => t.kind === "help")) return { help: spec ?? COMMANDS.find((c) => tokens.some((t) => t.kind === "argument" && t.word === c.name)) };
  if (tokens.some((t) => t.kind === "version")) return { version: true };
  if (!spec) return undefined;
  for (const t of tokens) if (t.kind === "refused") throw t.error;
  const unknown = [...new Set(tokens.flatMap((t) => (t.kind === "unknown" ? [t.flag] : [])))];
  if (unknown.length > 0) throw unknownOptions(spec, unknown);
  return { command: spec.name, args: { ...argsOf(spec, tokens), ...(spec.rest ? { command: end >= 0 ? words.slice(end + 1) : [] } : {}) } };
}

/** A command line without a command (and not in a terminal, where that starts the wizard). */
export const noCommand = () =>
  new M2Error(Exit.usage, `Name a command: ${COMMANDS.map((c) => c.name).join(", ").replace(/, ([^,]*)$/, " or $1")}.`, { hint: "See anypoint-m2 --help." });

/**
 * What each word is, for `spec` (none: the words before a command, where only help and version mean
 * something). `--` ends the options; a word that starts with "-" is an option (write a value that does
 * as --option=-value, an argument after `--`). Never throws: the reader and completion decide.
 */
export function scan(spec: CommandSpec | undefined, words: readonly string[]): Token[] {
  const options = spec?.options ?? {};
  const refuse = (message: string, hint?: string): Token => ({ kind: "refused", error: usage(spec, message, hint) });
  /** One letter -> the switch it stands for. */
  const letters = new Map(Object.entries(options).flatMap(([name, o]) => (o.alias && o.type === "boolean" ? [[o.alias, name] as const] : [])));
  const tokens: Token[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const next = words[i + 1];
    if (word === "--") {
      tokens.push(...words.slice(i + 1).map((w): Token => ({ kind: "argument", word: w })));
      break;
    }
    if (!word.startsWith("-") || word.length === 1) {
      tokens.push({ kind: "argument", word });
      continue;
    }
    // After a switch, "true" or "false" would be read as an argument: said as what it is (and taken with it).
    const noValueAfter = (flag: string, name: string) => {
      if (next !== "true" && next !== "false") return 0;
      tokens.push(refuse(`${flag} takes no value (found "${next}" after it)`, `Write ${flag} alone to turn it on, or --no-${name} to turn it off.`));
      return 1;
    };
    if (!word.startsWith("--")) {
      // `-yq`: one-letter switches, and h for help.
      const unknown = [...word.slice(1)].find((c) => c !== "h" && !letters.has(c));
      // Only the first letter that is not a switch is named: the word may be a secret typed in the wrong place.
      if (unknown !== undefined) tokens.push({ kind: "unknown", flag: `-${unknown}` });
      else {
        for (const c of word.slice(1)) tokens.push(c === "h" ? { kind: "help" } : { kind: "option", name: letters.get(c)!, value: true });
        const last = letters.get(word.slice(-1));
        if (last) i += noValueAfter(word, last);
      }
      continue;
    }
    const [, no = "", name = "", equals = "", inline = ""] = /^--(no-)?([^=]*)(=?)(.*)$/s.exec(word)!;
    const option: OptionSpec | undefined = Object.hasOwn(options, name) ? options[name] : undefined;
    if (!no && (name === "help" || name === "version") && !option) {
      tokens.push(equals ? refuse(`--${name} takes no value`) : { kind: name });
    } else if (!option) {
      // `--y`, `--no-q`, `--h`: a one-letter switch written long.
      const switchName = no || name !== "h" ? letters.get(name) : "help";
      tokens.push(switchName ? refuse(`unknown option --${no}${name}`, `Write -${name} or --${no}${switchName}.`) : { kind: "unknown", flag: `--${no}${name}` });
    } else if (no && option.type !== "boolean" && !option.negatable) {
      tokens.push(refuse(`unknown option --no-${name}`));
    } else if (option.type === "boolean" || no) {
      if (equals) tokens.push(refuse(`--${no}${name} takes no value`, `Write --${name} or --no-${name}, without "=".`));
      else {
        tokens.push({ kind: "option", name, value: !no });
        if (!no) i += noValueAfter(word, name);
      }
    } else if (equals) {
      tokens.push({ kind: "option", name, value: inline });
    } else if (next === undefined || (next.length > 1 && next.startsWith("-") && isOption(options, next))) {
      tokens.push({ kind: "option", name, value: undefined });
    } else if (next.length > 1 && next.startsWith("-") && option.type === "string") {
      // Not an option, so a value that starts with "-", which may be a secret: never shown, nor read as options.
      tokens.push(refuse(`--${name} needs a value; the word after it starts with "-" and is not shown`, `A value that starts with "-" is written --${name}=-… (with "=").`));
      i++;
    } else {
      tokens.push({ kind: "option", name, value: next });
      i++;
    }
  }
  return tokens;
}

/** Whether `word` names one of these options (long, negated, or one-letter switches), or help. */
function isOption(options: Record<string, OptionSpec>, word: string): boolean {
  const long = /^--(?:no-)?([^=]+)/.exec(word);
  if (long) return Object.hasOwn(options, long[1]!) || ["help", "version"].includes(long[1]!);
  const letters = new Set(Object.values(options).flatMap((o) => (o.alias ? [o.alias] : [])));
  return /^-[a-zA-Z]+$/.test(word) && [...word.slice(1)].every((c) => letters.has(c) || c === "h");
}

function usage(spec: CommandSpec | undefined, message: string, hint?: string): M2Error {
  return new M2Error(Exit.usage, message, { hint: hint ?? `See anypoint-m2 ${spec ? `${spec.name} ` : ""}--help.` });
}

/** The command's arguments from what was read, by the table: defaults, numbers, choices, one value each. */
function argsOf(spec: CommandSpec, tokens: readonly Token[]): Record<string, unknown> {
  const given: Record<string, (string | boolean | undefined)[]> = {};
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === "option") (given[t.name] ??= []).push(t.value);
    else if (t.kind === "argument") positionals.push(t.word);
  }
  const args: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(spec.options)) args[camel(name)] = optionValue(spec, name, option, given[name] ?? []);
  const value = positionalValue(spec, positionals);
  if (spec.positional) args[spec.positional.name] = value;
  return args;
}

function optionValue(spec: CommandSpec, name: string, option: OptionSpec, given: readonly (string | boolean | undefined)[]): unknown {
  const flag = `--${name}`;
  if (given.length === 0) return option.default;
  // A repeated switch is harmless; the last one wins (`--verify --no-verify` does not verify).
  if (option.type === "boolean") return given[given.length - 1];
  if (option.multiple) return multipleValues(spec, flag, option, given);
  if (given.length > 1) {
    const either = option.negatable ? `${flag} (or --no-${name})` : flag;
    throw usage(spec, `${either} was given ${given.length} times; it takes one value`, `Give ${flag} once.`);
  }
  const value = given[0];
  if (value === false) return false;
  const text = typeof value === "string" ? value : "";
  if (option.type === "number") return numberValue(spec, flag, option.range, text);
  if (text === "") {
    const otherwise = option.defaultDescription ?? option.default;
    throw usage(spec, `${flag} needs a value`, `Write ${flag} VALUE${otherwise === undefined ? ", or leave it out" : `, or leave it out for the default (${otherwise})`}.`);
  }
  return option.choices ? choice(spec, flag, option.choices, text, option.suggest) : text;
}

/** Every value of an option that takes several, each once, in the order given; none empty. */
function multipleValues(spec: CommandSpec, flag: string, option: OptionSpec, given: readonly (string | boolean | undefined)[]): string[] {
  const values = given.map((value) => {
    if (typeof value !== "string" || value === "") throw usage(spec, `${flag} needs a value`, `Write ${flag} VALUE, or leave it out${option.defaultDescription ? ` for the default (${option.defaultDescription})` : ""}.`);
    return option.choices ? choice(spec, flag, option.choices, value, option.suggest) : value;
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

/** Case and surrounding spaces do not matter: `--region EU` is eu. A near miss gets the choice it most likely meant. */
function choice(spec: CommandSpec, what: string, choices: readonly string[], text: string, suggest: Record<string, string> = {}): string {
  const value = text.trim().toLowerCase();
  if (choices.includes(value)) return value;
  const near = (Object.hasOwn(suggest, value) ? suggest[value] : undefined) ?? nearest(value, choices);
  throw usage(spec, `${what} takes one of ${choices.join(", ")} (got ${JSON.stringify(text)})${near ? `; did you mean ${near}?` : ""}`);
}

function positionalValue(spec: CommandSpec, given: readonly string[]): string | undefined {
  const p = spec.positional;
  // The words themselves are not repeated: a stray one may be a secret typed after a switch.
  if (spec.rest && given.length > 0) throw usage(spec, `${spec.name} runs the command given after --`, `Write anypoint-m2 ${usageOf(spec)}, e.g. anypoint-m2 ${spec.name} -- mvn deploy.`);
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
 * Options the command does not have: each named as typed, with the command's nearest option suggested,
 * or the command it belongs to; for one-letter ones, how to write a value or argument that starts with "-".
 */
function unknownOptions(spec: CommandSpec, flags: readonly string[]): M2Error {
  const names = Object.keys(spec.options);
  const notes = flags.map((flag) => {
    const name = flag.replace(/^--?/, "");
    const near = flag.startsWith("--") && name ? nearest(name, names) : undefined;
    const other = COMMANDS.find((c) => c !== spec && Object.hasOwn(c.options, name));
    return near ? `${flag} (did you mean --${near}?)` : other ? `${flag} (an option of ${other.name})` : flag;
  });
  const p = spec.positional;
  const dash = flags.every((f) => !f.startsWith("--"))
    ? `A value that starts with "-" is written --option=-value${p && !p.choices ? `; an ${p.name} that does goes after --: anypoint-m2 ${spec.name} -- -${p.name.toUpperCase()}` : ""}. `
    : "";
  return new M2Error(Exit.usage, `unknown option${flags.length > 1 ? "s" : ""} for ${spec.name}: ${notes.join(", ")}`, { hint: `${dash}See anypoint-m2 ${spec.name} --help.` });
}

function unknownCommand(word: string): M2Error {
  const names = COMMANDS.map((c) => c.name);
  const near = nearest(word, names);
  return new M2Error(Exit.usage, `unknown command "${word}"${near ? `; did you mean "${near}"?` : ""}`, {
    hint: `The commands are ${names.join(", ")}; see anypoint-m2 --help.`,
  });
}
