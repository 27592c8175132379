/**
 * STAND-IN (branch m4crypt): the Maven matrix helper's src/io/maven-version.ts replaces this file at merge.
 * Only `--maven-version` is read here; theirs also reads the `mvn` on the PATH (its distribution's version).
 */
import type { Io } from "../world";

export function mavenVersion(args: { mavenVersion?: string }, _io: Io): { version: string; major: number; minor: number; source: string } | undefined {
  const m = args.mavenVersion === undefined ? undefined : /^(\d+)(?:\.(\d+))?/.exec(args.mavenVersion);
  if (!m) return undefined;
  return { version: args.mavenVersion!, major: Number(m[1]), minor: Number(m[2] ?? 0), source: "--maven-version" };
}
