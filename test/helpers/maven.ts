// Runs test/maven/SettingsProbe.java against the jars of the installed Maven, so that what Maven reads
// is decided by Maven's own code.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

function mavenLib(given?: string): string {
  const home = given ?? process.env.MAVEN_HOME ?? dirname(dirname(realpathSync(execFileSync("which", ["mvn"], { encoding: "utf8" }).trim())));
  const lib = join(home, "lib");
  if (!existsSync(join(lib, "maven-settings-builder-3.x.jar")) && !existsSync(lib)) throw new Error(`no Maven lib/ at ${lib}`);
  return lib;
}

export interface Probe {
  /** Sends request lines, returns one answer line each; `env`, when given, is the probe's whole environment. */
  ask(lines: string[], env?: Record<string, string>): string[];
}

/**
 * Compiles test/maven/<name>.java (SettingsProbe unless named) against the lib/ of the Maven at `home` (the
 * `mvn` on the PATH unless given; see test/helpers/mavens.ts for the others) and runs it on request.
 */
export function compileProbe(name = "SettingsProbe", home?: string): Probe {
  const lib = mavenLib(home);
  const out = mkdtempSync(join(tmpdir(), "anypoint-m2-probe-"));
  execFileSync("javac", ["-d", out, "-cp", `${lib}/*`, join(import.meta.dirname, "..", "maven", `${name}.java`)], { stdio: "inherit" });
  const classpath = `${out}:${lib}/*`;
  return {
    ask(lines, env) {
      const r = spawnSync("java", ["-cp", classpath, name], { input: lines.map((l) => `${l}\n`).join(""), encoding: "utf8", maxBuffer: 64 << 20, ...(env ? { env } : {}) });
      if (r.status !== 0) throw new Error(`${name} failed: ${r.stderr}`);
      const answers = r.stdout.split("\n").slice(0, -1);
      if (answers.length !== lines.length) throw new Error(`${name} answered ${answers.length} of ${lines.length}: ${r.stderr}`);
      return answers;
    },
  };
}

export const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");
