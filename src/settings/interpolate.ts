/**
 * Maven's `${…}` in settings values, resolved as Maven does when it reads the file (DefaultSettingsBuilder with
 * plexus-interpolation's RegexBasedInterpolator): a name is looked up in Maven's properties (its `-D` options
 * and Java's system properties), then in the environment (`env.NAME` and a bare `NAME` alike); a value found is
 * resolved in turn; what nothing defines stays as written. Checked against Maven in test/interpolate.test.ts.
 * One difference: Maven interpolates the whole file at once and replaces a resolved `${x}` everywhere in it, even
 * inside an expression it could not resolve (`${a${x}`); here each value is resolved on its own.
 *
 * A pom's model interpolation is the same with `bareEnv: false`: there only `env.NAME` is the environment.
 *
 * Bounded work: a name is resolved once per interpolator (its value, or why it failed, is remembered), and no
 * value grows past MAX_VALUE: a pom of 2 KB whose properties double each other (`<aN>${aN-1}${aN-1}</aN>`)
 * would otherwise ask for gigabytes. Past the bound the expression is reported unresolved (`tooLong`).
 */

export type Env = Record<string, string | undefined>;
/** Maven's properties known here (src/maven/user-settings.ts): user.home, user.dir, every known -D. */
export type Properties = Record<string, string | undefined>;

export interface Interpolated {
  value: string;
  /** Expressions left as written (without `${` `}`): nothing known here defines them. */
  unresolved: string[];
  /**
   * A value from the environment went into `value` (`${env.X}`, or a property defined with one): it may be a
   * secret, so what is shown of it is the text as written, never `value`.
   */
  fromEnv: boolean;
  /** The expression (among `unresolved`) whose value would pass MAX_VALUE; `value` is then the text as written. */
  tooLong?: string;
}

export interface InterpolateOptions {
  /** A bare `${NAME}` is the environment variable NAME when no property has that name (settings: yes; a pom: no). */
  bareEnv?: boolean;
  /**
   * Properties under all the others whose values count as the environment's (`fromEnv`): the -D options a user
   * gave (MAVEN_OPTS, MAVEN_ARGS), which a project's file must not read into what is shown or written.
   */
  userProperties?: Properties;
  /** The work left, shared by the interpolators of one file (a pom's profiles): see workBudget. */
  budget?: WorkBudget;
}

/** What the interpolators of one file may build in all, so that many (one per pom profile) add up to no more. */
export interface WorkBudget {
  left: number;
}

export const workBudget = (): WorkBudget => ({ left: MAX_WORK });

/**
 * The longest value resolved: 64 KiB. Maven's ids, URLs and passwords are well under 1 KiB; four times the
 * largest client secret accepted on stdin leaves room for any real value, while a value that doubles 40 times
 * stops here instead of at the end of memory.
 */
export const MAX_VALUE = 64 * 1024;
/**
 * Text built in all by one interpolator, or by those of one file sharing a budget: 64 MiB (a thousand values at the cap). A value with thousands of
 * expressions costs its length per expression resolved; this bounds what a hostile file can ask in all.
 */
const MAX_WORK = 64 * 1024 * 1024;

// `${`, an optional "settings" prefix Maven drops, the name up to the first `}`, not across a line end (Java's ".").
const EXPRESSION = /\$\{(settings)?([^\n\r\u0085\u2028\u2029]+?)\}/g;

const own = (record: Env | Properties, key: string): string | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);

/** Why a name cannot be resolved: it refers to itself, or its value would pass the bounds. */
class Failure extends Error {
  constructor(
    readonly expression: string,
    readonly kind: "cycle" | "tooLong",
  ) {
    super(expression);
  }
}

type Resolved = { value: string; fromEnv: boolean; unresolved: string[] } | Failure;

/**
 * A resolver for many values with the same environment and properties (a pom's repositories, say): each name
 * is resolved once, however many values use it. `properties` may be layers, the last one winning.
 */
export function interpolator(env: Env, properties: Properties | readonly Properties[] = {}, options: InterpolateOptions = {}): (value: string) => Interpolated {
  const bareEnv = options.bareEnv ?? true;
  // Layers (a profile's properties over the project's): the last that has a name decides.
  const layers = Array.isArray(properties) ? [...(properties as readonly Properties[])].reverse() : [properties as Properties];
  const names = new Map<string, Resolved>();
  const budget = options.budget ?? workBudget();
  const lookup = (name: string): { value: string; fromEnv: boolean } | undefined => {
    let property: string | undefined;
    for (const layer of layers) if ((property = own(layer, name)) !== undefined) break;
    if (property !== undefined) return { value: property, fromEnv: false };
    const given = options.userProperties && own(options.userProperties, name);
    if (given !== undefined) return { value: given, fromEnv: true };
    const variable = name.startsWith("env.") ? own(env, name.slice(4)) : bareEnv ? own(env, name) : undefined;
    return variable === undefined ? undefined : { value: variable, fromEnv: true };
  };

  /** `input` with what can be resolved resolved; what it drew on goes into `into`. */
  const resolveText = (input: string, active: Set<string>, into: { fromEnv: boolean; unresolved: Set<string> }, owner: string | undefined): string => {
    let result = input;
    const re = new RegExp(EXPRESSION);
    for (let m = re.exec(result), steps = 0; m && steps < 10_000; m = re.exec(result), steps++) {
      const whole = m[0];
      const name = m[2]!.startsWith(".") ? m[2]!.slice(1) : m[2]!;
      const resolved = resolveName(name, active);
      if (resolved === undefined) {
        into.unresolved.add(name);
        continue;
      }
      if (resolved.fromEnv) into.fromEnv = true;
      for (const n of resolved.unresolved) into.unresolved.add(n);
      // Every occurrence at once, then the search starts over (the replacement can complete an expression).
      const parts = result.split(whole);
      const length = result.length + (parts.length - 1) * (resolved.value.length - whole.length);
      budget.left -= length;
      if (length > MAX_VALUE || budget.left < 0) throw new Failure(owner ?? name, "tooLong");
      result = parts.join(resolved.value);
      re.lastIndex = 0;
    }
    return result;
  };

  /** A name's value, resolved; undefined when nothing defines it. */
  const resolveName = (name: string, active: Set<string>): Exclude<Resolved, Failure> | undefined => {
    const known = names.get(name);
    if (known instanceof Failure) throw known;
    if (known) return known;
    if (active.has(name)) throw new Failure(name, "cycle");
    const found = lookup(name);
    if (found === undefined) return undefined;
    active.add(name);
    try {
      const into = { fromEnv: found.fromEnv, unresolved: new Set<string>() };
      const value = found.value.includes("${") ? resolveText(found.value, active, into, name) : found.value;
      const resolved = { value, fromEnv: into.fromEnv, unresolved: [...into.unresolved] };
      names.set(name, resolved);
      return resolved;
    } catch (e) {
      // Whatever depends on a name that fails fails alike: remembered, so that it is not tried again.
      if (e instanceof Failure) names.set(name, e);
      throw e;
    } finally {
      active.delete(name);
    }
  };

  return (value) => {
    if (!value.includes("${")) return { value, unresolved: [], fromEnv: false };
    // Text that long is no id, URL or password: left as written, its first expression named.
    if (value.length > MAX_VALUE) {
      const first = new RegExp(EXPRESSION).exec(value);
      const name = first ? first[2]! : "";
      return { value, unresolved: first ? [name] : [], fromEnv: false, ...(first ? { tooLong: name } : {}) };
    }
    const into = { fromEnv: false, unresolved: new Set<string>() };
    try {
      return { value: resolveText(value, new Set(), into, undefined), unresolved: [...into.unresolved], fromEnv: into.fromEnv };
    } catch (e) {
      // A value that refers to itself: Maven stops with "Failed to interpolate settings"; nothing is resolved.
      if (e instanceof Failure) return { value, unresolved: [e.expression], fromEnv: false, ...(e.kind === "tooLong" ? { tooLong: e.expression } : {}) };
      throw e;
    }
  };
}

/** One value resolved (see interpolator for many). */
export function interpolate(value: string, env: Env, properties: Properties = {}, options: InterpolateOptions = {}): Interpolated {
  return interpolator(env, properties, options)(value);
}

/** An unresolved expression Maven may still resolve, from a system property or a -D option not visible here. */
export const mavenMayResolve = (name: string): boolean => !name.startsWith("env.");

/** Maven's encrypted values: `{...}` as plexus-cipher writes them (base64 between braces). */
export function isEncrypted(value: string): boolean {
  return /^\{[A-Za-z0-9+/=]+\}$/.test(value.trim()) || /(^|[^\\])\{[A-Za-z0-9+/=]{8,}\}/.test(value);
}
