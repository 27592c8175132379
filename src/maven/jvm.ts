/**
 * The Java system properties that the `mvn` launcher hands to the JVM, in the order the JVM applies them
 * (a later `-Dname=value` wins): JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS, `.mvn/jvm.config`, MAVEN_OPTS, _JAVA_OPTIONS.
 */

/**
 * MAVEN_OPTS and `.mvn/jvm.config` reach Java through the launcher's unquoted `$MAVEN_OPTS`: the shell
 * splits them at spaces, tabs and line breaks and removes no quotes (jvm.config's lines are joined first).
 */
export function shellWords(text: string): string[] {
  return text.split(/[ \t\r\n]+/).filter((w) => w !== "");
}

/**
 * JAVA_TOOL_OPTIONS and _JAVA_OPTIONS (read by the JVM) and JDK_JAVA_OPTIONS (read by the java launcher) are split at
 * whitespace, where single or double quotes keep whitespace inside a word and are themselves removed.
 */
export function javaOptionWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v") {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      const stop = end === -1 ? text.length : end;
      word = (word ?? "") + text.slice(i + 1, stop);
      i = stop;
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The JVM's `-Dname=value` words; `-Dname` alone sets the empty string. */
export function jvmProperties(words: string[]): [name: string, value: string][] {
  return words
    .filter((w) => w.startsWith("-D") && w.length > 2)
    .map((w) => {
      const eq = w.indexOf("=");
      return eq === -1 ? [w.slice(2), ""] : [w.slice(2, eq), w.slice(eq + 1)];
    });
}
