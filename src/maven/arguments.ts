/**
 * Maven's own command line, read as MavenCli reads it (commons-cli's GnuParser after Maven's CleanArgument):
 * only what decides the user settings file, `-s`/`--settings` and `-D`/`--define`, is kept.
 * The word lists come from `.mvn/maven.config` and, from Maven 3.9 on, `MAVEN_ARGS`.
 */

/** Maven's options (CLIManager, 3.8 and 3.9): short name, long name, whether it takes a value. */
const OPTIONS: [short: string | undefined, long: string, value: boolean][] = [
  ["f", "file", true], ["D", "define", true], ["P", "activate-profiles", true], ["s", "settings", true],
  ["gs", "global-settings", true], ["t", "toolchains", true], ["gt", "global-toolchains", true],
  ["rf", "resume-from", true], ["pl", "projects", true], ["l", "log-file", true], ["T", "threads", true],
  ["b", "builder", true], ["emp", "encrypt-master-password", true], ["ep", "encrypt-password", true],
  [undefined, "color", true],
  ["h", "help", false], ["o", "offline", false], ["v", "version", false], ["q", "quiet", false], ["X", "debug", false],
  ["e", "errors", false], ["N", "non-recursive", false], ["U", "update-snapshots", false], ["B", "batch-mode", false],
  ["nsu", "no-snapshot-updates", false], ["C", "strict-checksums", false], ["c", "lax-checksums", false],
  ["ff", "fail-fast", false], ["fae", "fail-at-end", false], ["fn", "fail-never", false], ["am", "also-make", false],
  ["amd", "also-make-dependents", false], ["V", "show-version", false], ["llr", "legacy-local-repository", false],
  ["ntp", "no-transfer-progress", false], ["itr", "ignore-transitive-repositories", false],
  ["npr", "no-plugin-registry", false], ["cpu", "check-plugin-updates", false], ["up", "update-plugins", false],
  ["npu", "no-plugin-updates", false], [undefined, "raw-streams", false],
];

interface OptionInfo {
  /** The short name when there is one: what Maven asks the parsed line for ("s", "D"). */
  key: string;
  value: boolean;
}

const BY_NAME = new Map<string, OptionInfo>();
for (const [short, long, value] of OPTIONS) {
  const info = { key: short ?? long, value };
  if (short) BY_NAME.set(short, info);
  BY_NAME.set(long, info);
}

/** commons-cli's Util.stripLeadingHyphens. */
const stripHyphens = (arg: string): string => (arg.startsWith("--") ? arg.slice(2) : arg.startsWith("-") ? arg.slice(1) : arg);
const option = (arg: string): OptionInfo | undefined => BY_NAME.get(stripHyphens(arg));

/**
 * Maven's CleanArgument.cleanArgs: joins words that a quote opened (`"a` `b"` -> `a b"`, as Maven does: the
 * closing quote only counts on the word that opened it) and drops the quotes around a quoted word.
 */
export function cleanArgs(args: string[]): string[] {
  const cleaned: string[] = [];
  let current: string | undefined;
  for (const arg of args) {
    let opened = false;
    if (arg.startsWith('"')) {
      if (current !== undefined) cleaned.push(current);
      current = arg.slice(1);
      opened = true;
    }
    if (opened && arg.endsWith('"')) {
      cleaned.push(current!.slice(0, -1));
      current = undefined;
      continue;
    }
    if (!opened) {
      if (current !== undefined) current += ` ${arg}`;
      else cleaned.push(arg);
    }
  }
  if (current !== undefined) cleaned.push(current);
  return cleaned.length === 0 ? args : cleaned;
}

/** GnuParser.flatten: `--settings=x` and `-s=x` become `--settings x`, `-sx` and `-Dk=v` become `-s x`, `-D k=v`. */
function flatten(args: string[]): string[] {
  const tokens: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      tokens.push(...args.slice(i));
      break;
    }
    if (arg === "-" || !arg.startsWith("-") || option(arg)) {
      tokens.push(arg);
      continue;
    }
    const opt = stripHyphens(arg);
    const eq = opt.indexOf("=");
    if (eq !== -1 && BY_NAME.has(opt.slice(0, eq))) tokens.push(arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1));
    else if (option(arg.slice(0, 2))) tokens.push(arg.slice(0, 2), arg.slice(2));
    else tokens.push(arg);
  }
  return tokens;
}

/** commons-cli's Util.stripLeadingAndTrailingQuotes, applied to every option value. */
function stripQuotes(value: string): string {
  return value.length > 1 && value.startsWith('"') && value.endsWith('"') && !value.slice(1, -1).includes('"') ? value.slice(1, -1) : value;
}

export interface MavenOption {
  /** "s" for -s/--settings, "D" for -D/--define, ... */
  key: string;
  value: string;
}

/**
 * The options with a value, in order, as Maven parses `args`. An unknown option or a missing value makes
 * Maven stop with an error; here they are skipped, as that run of Maven reads no settings at all.
 */
export function mavenOptions(args: string[]): MavenOption[] {
  const tokens = flatten(cleanArgs(args));
  const found: MavenOption[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === "--") break;
    if (token === "-" || !token.startsWith("-")) continue;
    const info = option(token);
    if (!info?.value) continue;
    const next = tokens[i + 1];
    // The next word is the value unless it is itself an option.
    if (next === undefined || (next.startsWith("-") && option(next))) continue;
    found.push({ key: info.key, value: stripQuotes(next) });
    i++;
  }
  return found;
}

/** Maven's `-Dname=value`: the name trimmed, "true" when there is no value. */
export function defineProperty(definition: string): [name: string, value: string] {
  const eq = definition.indexOf("=");
  return eq <= 0 ? [definition.trim(), "true"] : [definition.slice(0, eq).trim(), definition.slice(eq + 1)];
}

/**
 * Which launcher and MavenCli rules apply: 3.9 read MAVEN_ARGS and made maven.config one argument per line;
 * Maven 4's launcher puts `.mvn/jvm.config` after MAVEN_OPTS, and its `-D` are user properties, which do
 * not move user.home (measured with 4.0.0-rc-4: test/maven-home.e2e.test.ts).
 */
export type MavenDialect = "3.8" | "3.9" | "4";

/**
 * The words of `.mvn/maven.config`. Maven 3.8 splits the whole file at whitespace; 3.9 takes each line as one
 * argument (not trimmed) and skips empty lines and, from 3.9.3, lines starting with `#`.
 */
export function mavenConfigWords(text: string, dialect: MavenDialect): string[] {
  if (dialect === "3.8") return text.split(/[ \t\n\x0b\f\r]+/).filter((w) => w !== "");
  return text.split(/\r\n|\r|\n/).filter((line) => line !== "" && !line.startsWith("#"));
}
