// STAND-IN (branch m4crypt): the Maven matrix helper's test/helpers/mavens.ts replaces this file at merge.
// Only ANYPOINT_M2_MAVENS (colon-separated Maven homes) is read here; theirs adds Debian's /usr/share/maven.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** The Maven homes the tests may run, each with its version (from its lib/maven-core-VERSION.jar). */
export function mavenHomes(): { version: string; home: string }[] {
  return (process.env.ANYPOINT_M2_MAVENS ?? "")
    .split(":")
    .filter((home) => home !== "" && existsSync(join(home, "lib")))
    .flatMap((home) => {
      const core = readdirSync(join(home, "lib")).map((f) => /^maven-core-(.+)\.jar$/.exec(f)?.[1]).find(Boolean);
      return core ? [{ version: core, home }] : [];
    });
}
