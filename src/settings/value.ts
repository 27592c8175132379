/** Values written into settings.xml: checked so that Maven reads back exactly what was asked, then escaped. */
import { Exit, M2Error } from "../errors";
import { findInvalidChar, javaTrim } from "../xml/scan";

/**
 * Maven's settings builder replaces `${expression}` (plexus RegexBasedInterpolator: `\$\{(.+?)\}`, where
 * `.` stops at line terminators) with a system or user property or an environment variable; which ones
 * exist is only known when Maven runs, so any such expression may change.
 */
const mavenExpression = /\$\{[^\n\r\u0085\u2028\u2029]+?\}/;

/** An environment variable's name, as the env store refers to it in `${env.NAME}`. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENV_REFERENCE = /\$\{env\.[A-Za-z_][A-Za-z0-9_]*\}/g;

export interface ValueOptions {
  /**
   * The value holds `${env.NAME}` references on purpose (the env store): Maven replaces them with the
   * variables' values when it runs. Any other `${...}` is still refused.
   */
  envReferences?: boolean;
}

/** Throws a usage error (exit 2) when Maven could not read `value` back unchanged. Never quotes the value. */
export function checkValue(label: string, value: string, options: ValueOptions = {}): void {
  if (value === "") throw new M2Error(Exit.usage, `the ${label} is empty`);
  const bad = findInvalidChar(value);
  if (bad >= 0) {
    const cp = value.codePointAt(bad)!.toString(16).toUpperCase().padStart(4, "0");
    throw new M2Error(Exit.usage, `the ${label} holds character U+${cp}, which an XML file cannot hold`);
  }
  // Maven reads a carriage return back as a line feed, whether written as is or as &#13;.
  if (value.includes("\r")) {
    throw new M2Error(Exit.usage, `the ${label} holds a carriage return (U+000D), which Maven reads back as a line feed`);
  }
  if (javaTrim(value) !== value) {
    throw new M2Error(Exit.usage, `the ${label} starts or ends with whitespace, which Maven strips when it reads settings.xml`);
  }
  if (mavenExpression.test(options.envReferences ? value.replace(ENV_REFERENCE, "") : value)) {
    throw new M2Error(Exit.usage, `the ${label} holds a \${...} expression, which Maven replaces with a property or environment variable when it reads settings.xml`);
  }
}

/** Throws a usage error (exit 2) unless `name` can be an environment variable's name in `${env.NAME}`. */
export function checkEnvName(option: string, name: string): void {
  if (!ENV_NAME.test(name)) {
    throw new M2Error(Exit.usage, `${option} takes the name of an environment variable: letters, digits and _, not starting with a digit (got ${JSON.stringify(name)})`);
  }
}

/** Escapes character data: & < > (the only characters that need it once the value has passed checkValue). */
export function escapeText(value: string): string {
  return value.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
}
