// The Maven distributions that judge the suite: Debian's (the `mvn` on the PATH, /usr/share/maven) first,
// then those named by ANYPOINT_M2_MAVENS, the Maven homes .ci/mavens fetches from Maven Central (the newest
// 3.9.x, 3.10.x and 4.0.0), joined by ':'. Without them (a plain clone), the legs of those lines do not run and
// the summary reporter says so in one line; with ANYPOINT_M2_REQUIRE_ALL=1 (CI) a missing leg stops the run.
import * as fs from "node:fs";
import { execFileSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { distributionVersion } from "../../src/io/maven-version";

export const MAVENS_VARIABLE = "ANYPOINT_M2_MAVENS";
/** The Maven lines the matrix runs besides Debian's. */
export const MATRIX_LINES = ["3.9", "3.10", "4.0"] as const;
/** The suites that run against every Maven home. */
export const MATRIX_SUITES = "the settings builder over the corpus, decryption, mirror selection, mvn's settings file";

export interface MavenHome {
  version: string;
  home: string;
}

function pathMaven(): string | undefined {
  try {
    return dirname(dirname(fs.realpathSync(execFileSync("which", ["mvn"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim())));
  } catch {
    return undefined;
  }
}

function versionOf(home: string, from: string): MavenHome {
  const v = distributionVersion(fs, home);
  if (!v) throw new Error(`${from}: ${home} is not a Maven home (no lib/maven-core jar with a version); ${MAVENS_VARIABLE} names Maven homes joined by ':' (.ci/mavens prints them)`);
  return { version: v.version, home };
}

let given: MavenHome[] | undefined;
let homes: MavenHome[] | undefined;

/** The homes of ANYPOINT_M2_MAVENS (one that is not a Maven home is an error, never a silent skip). */
export function matrixHomes(): MavenHome[] {
  given ??= (process.env[MAVENS_VARIABLE] ?? "").split(":").filter((h) => h !== "").map((h) => versionOf(resolve(h), MAVENS_VARIABLE));
  return given;
}

/** Debian's Maven (the `mvn` on the PATH, when it is a Maven distribution), then each home of ANYPOINT_M2_MAVENS, with its version. */
export function mavenHomes(): MavenHome[] {
  if (!homes) {
    const debian = pathMaven();
    const version = debian === undefined ? undefined : distributionVersion(fs, debian);
    homes = [...(debian && version ? [{ version: version.version, home: debian }] : []), ...matrixHomes()];
  }
  return homes;
}

/** "3.9.16" -> "3.9", "4.0.0-rc-4" -> "4.0". */
export const lineOf = (version: string): string => version.split(/[.-]/).slice(0, 2).join(".");

/** The lines of MATRIX_LINES no home is of. */
export const missingLines = (): string[] => MATRIX_LINES.filter((line) => !matrixHomes().some((h) => lineOf(h.version) === line));

/** The one line a run without the whole matrix prints, or undefined. */
export function matrixMissingLine(): string | undefined {
  const missing = missingLines();
  if (missing.length === 0) return undefined;
  return `maven matrix: no Maven ${missing.join(", ")} in ${MAVENS_VARIABLE}, so those legs (${MATRIX_SUITES}) did not run; to run them: ${MAVENS_VARIABLE}=$(.ci/mavens) npm test`;
}

/**
 * The homes a Maven-judged suite runs against: every one of mavenHomes(), or, with no `mvn` on the PATH, one
 * that stands for it (its tests are skipped by their `maven` tag, and counted as not run).
 */
export const judges = (): MavenHome[] => (mavenHomes().length > 0 ? mavenHomes() : [{ version: "on the PATH", home: "/no/maven" }]);

/** The judges of the 3.x lines: Maven 4's plexus-sec-dispatcher 4 has no Maven 3 cipher API for CipherProbe. */
export const maven3Judges = (): MavenHome[] => judges().filter((h) => !/^[4-9]\./.test(h.version));
