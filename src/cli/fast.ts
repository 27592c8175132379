/**
 * Parses an ordinary invocation with node:util parseArgs, so that the common case never loads yargs
 * (which alone costs more start-up time than the rest of the CLI). Anything unusual (help, version, an
 * unknown or malformed option) returns undefined and goes to yargs, which owns the messages.
 */
import { parseArgs } from "node:util";
import { camel, COMMANDS, type CommandSpec } from "./spec";

export interface Invocation {
  command: CommandSpec["name"];
  args: Record<string, unknown>;
}

export function fastParse(argv: string[]): Invocation | undefined {
  const spec = COMMANDS.find((c) => c.name === argv[0]);
  if (!spec) return undefined;
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const [name, o] of Object.entries(spec.options)) {
    options[name] = { type: o.type === "boolean" ? "boolean" : "string", ...(o.alias ? { short: o.alias } : {}) };
  }
  // `--no-<name>` of a negatable string option: false (node:util knows negation for booleans only).
  const negated = new Set<string>();
  const rest = argv.slice(1).filter((arg) => {
    const name = arg.startsWith("--no-") ? arg.slice(5) : undefined;
    if (name === undefined || !spec.options[name]?.negatable) return true;
    negated.add(name);
    return false;
  });
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, allowNegative: true, strict: true });
  } catch {
    return undefined;
  }
  if (parsed.positionals.length !== (spec.positional ? 1 : 0)) return undefined;
  const args: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(spec.options)) {
    if (negated.has(name)) {
      if (parsed.values[name] !== undefined) return undefined;
      args[camel(name)] = false;
      continue;
    }
    let value: unknown = parsed.values[name] ?? o.default;
    if (value !== undefined && o.type === "number") {
      value = Number(value);
      if (!Number.isFinite(value)) return undefined;
    }
    if (o.choices && value !== undefined && !o.choices.includes(value as string)) return undefined;
    args[camel(name)] = value;
  }
  if (spec.positional) args[spec.positional.name] = parsed.positionals[0];
  return { command: spec.name, args };
}
