/**
 * Maven's `${…}` in settings values, resolved as Maven does when it reads the file (DefaultSettingsBuilder with
 * plexus-interpolation's RegexBasedInterpolator): a name is looked up in Maven's properties (its `-D` options
 * and Java's system properties), then in the environment (`env.NAME` and a bare `NAME` alike); a value found is
 * resolved in turn; what nothing defines stays as written. Checked against Maven in test/interpolate.test.ts.
 * One difference: Maven interpolates the whole file at once and replaces a resolved `${x}` everywhere in it, even
 * inside an expression it could not resolve (`${a${x}`); here each value is resolved on its own.
 */

export type Env = Record<string, string | undefined>;
/** Maven's properties known here (src/maven/user-settings.ts): user.home, user.dir, every known -D. */
export type Properties = Record<string, string | undefined>;

export interface Interpolated {
  value: string;
  /** Expressions left as written (without `${` `}`): nothing known here defines them. */
  unresolved: string[];
}

// `${`, an optional "settings" prefix Maven drops, the name up to the first `}`, not across a line end (Java's ".").
const EXPRESSION = /\$\{(settings)?([^\n\r\u0085\u2028\u2029]+?)\}/g;

const own = (record: Env | Properties, key: string): string | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);

class Cycle extends Error {}

export function interpolate(value: string, env: Env, properties: Properties = {}): Interpolated {
  if (!value.includes("${")) return { value, unresolved: [] };
  const unresolved = new Set<string>();
  const lookup = (name: string): string | undefined => own(properties, name) ?? own(env, name.startsWith("env.") ? name.slice(4) : name);
  const resolveIn = (input: string, active: Set<string>): string => {
    let result = input;
    const re = new RegExp(EXPRESSION);
    for (let m = re.exec(result), steps = 0; m && steps < 10_000; m = re.exec(result), steps++) {
      const whole = m[0];
      const name = m[2]!.startsWith(".") ? m[2]!.slice(1) : m[2]!;
      if (active.has(name)) throw new Cycle(name);
      const found = lookup(name);
      if (found === undefined) {
        unresolved.add(name);
        continue;
      }
      active.add(name);
      const resolved = resolveIn(found, active);
      active.delete(name);
      // Every occurrence at once, then the search starts over (the replacement can complete an expression).
      result = result.split(whole).join(resolved);
      re.lastIndex = 0;
    }
    return result;
  };
  try {
    return { value: resolveIn(value, new Set()), unresolved: [...unresolved] };
  } catch (e) {
    // A value that refers to itself: Maven stops with "Failed to interpolate settings"; nothing is resolved.
    if (e instanceof Cycle) return { value, unresolved: [e.message] };
    throw e;
  }
}

/** An unresolved expression Maven may still resolve, from a system property or a -D option not visible here. */
export const mavenMayResolve = (name: string): boolean => !name.startsWith("env.");

/** Maven's encrypted values: `{...}` as plexus-cipher writes them (base64 between braces). */
export function isEncrypted(value: string): boolean {
  return /^\{[A-Za-z0-9+/=]+\}$/.test(value.trim()) || /(^|[^\\])\{[A-Za-z0-9+/=]{8,}\}/.test(value);
}
