// The CI templates as their systems run them: the GitLab template's script lines (read from its YAML) and the
// Jenkinsfile's sh step, each by a shell with the template's variables and a stand-in mvn that records the
// settings file it was given; `npx --yes anypoint-m2@…` runs the built CLI.
// @module-tag maven
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI, cliEnv, tempHome } from "./helpers/cli";
import { b64, compileProbe, type Probe } from "./helpers/maven";

const CLIENT_ID = "0123456789abcdef0123456789abcdef";
const SECRET = "Template-Secret-9";
const TEMPLATES = join(import.meta.dirname, "..", "templates");
const POM = `<project><repositories><repository><id>exchange</id><url>https://maven.anypoint.mulesoft.com/api/v3/maven</url></repository></repositories></project>\n`;

/** The hidden job's `variables:` and `script:` of templates/gitlab-ci.yml (plain `key: "value"` and `- line` entries). */
function gitlabJob(): { variables: Record<string, string>; script: string[] } {
  const lines = readFileSync(join(TEMPLATES, "gitlab-ci.yml"), "utf8").split("\n");
  const variables: Record<string, string> = {};
  const script: string[] = [];
  let section = "";
  for (const line of lines) {
    const key = /^ {2}(\w+):\s*$/.exec(line);
    if (key) section = key[1]!;
    const variable = /^ {4}(\w+): "(.*)"$/.exec(line);
    if (section === "variables" && variable) variables[variable[1]!] = variable[2]!;
    const item = /^ {4}- (.*)$/.exec(line);
    if (section === "script" && item) script.push(item[1]!);
  }
  return { variables, script };
}

let probe: Probe;
beforeAll(() => {
  probe = compileProbe();
}, 120_000);

function project(): { home: string; bin: string; record: string } {
  const home = tempHome();
  const bin = join(home, "bin");
  const record = join(home, "record");
  for (const dir of [bin, record, join(home, ".m2"), join(home, "tmp")]) mkdirSync(dir);
  writeFileSync(join(home, "pom.xml"), POM);
  symlinkSync(CLI, join(bin, "anypoint-m2"));
  // npx --yes --package=PACKAGE anypoint-m2 ARGS -> anypoint-m2 ARGS (the package named is recorded)
  writeFileSync(join(bin, "npx"), `#!/bin/sh\nwhile [ $# -gt 0 ]; do case "$1" in --yes|-y) shift ;; --package=*) printf '%s' "\${1#--package=}" > "${record}/package"; shift ;; *) break ;; esac; done\nexec "$@"\n`, { mode: 0o755 });
  writeFileSync(join(bin, "mvn"), `#!/bin/sh\n[ "$1" = "-s" ] && cp "$2" "${record}/settings.xml"\nprintf '%s\\n' "$@" > "${record}/args"\n`, { mode: 0o755 });
  return { home, bin, record };
}

function sh(line: string, p: { home: string; bin: string }, env: Record<string, string>) {
  const base = cliEnv(p.home, { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET, TMPDIR: join(p.home, "tmp"), ...env });
  return spawnSync("/bin/sh", ["-ec", line], { cwd: p.home, env: { ...base, PATH: `${p.bin}:${base.PATH}` }, encoding: "utf8" });
}

function expectServer(p: { home: string; record: string }, id: string): void {
  const [server] = probe.ask([`server\t${join(p.record, "settings.xml")}\t${id}`]);
  expect(server).toBe(`ok ${b64("~~~Client~~~")} ${b64(`${CLIENT_ID}~?~${SECRET}`)}`);
  expect(readdirSync(join(p.home, ".m2"))).toEqual([]);
  expect(readdirSync(join(p.home, "tmp"))).toEqual([]);
}

describe("CI templates", () => {
  it("GitLab: the template's script runs Maven through exec with the pom's server", () => {
    const { variables, script } = gitlabJob();
    expect(script.length).toBeGreaterThan(0);
    expect(Object.keys(variables)).toContain("ANYPOINT_M2_OPTIONS");
    const p = project();
    // No package named: the job stops before npx (whatever npx would fetch gets the secret), exit 2.
    expect(variables.ANYPOINT_M2_PACKAGE).toBe("");
    const unnamed = sh(script.join("\n"), p, variables);
    expect(unnamed.status).toBe(2);
    expect(unnamed.stderr).toContain("set ANYPOINT_M2_PACKAGE");
    expect(existsSync(join(p.record, "package"))).toBe(false);
    // The credential check needs Anypoint: the job's options with --no-verify, as a job would add --region.
    for (const line of script) {
      const r = sh(line, p, { ...variables, ANYPOINT_M2_PACKAGE: "./anypoint-m2-0.1.0.tgz", ANYPOINT_M2_OPTIONS: `${variables.ANYPOINT_M2_OPTIONS} --no-verify`, ANYPOINT_M2_GOALS: "deploy" });
      expect(r.status, r.stderr).toBe(0);
    }
    expect(readFileSync(join(p.record, "package"), "utf8")).toBe("./anypoint-m2-0.1.0.tgz");
    expectServer(p, "exchange");
    expect(readFileSync(join(p.record, "args"), "utf8").split("\n").slice(2, 5)).toEqual(["--batch-mode", "--no-transfer-progress", "deploy"]);
  });

  it("Jenkins: the Jenkinsfile's sh step does the same", () => {
    const step = /sh '([^']+)'/.exec(readFileSync(join(TEMPLATES, "Jenkinsfile"), "utf8"))![1]!;
    const p = project();
    const r = sh(step.replace(" exec ", " exec --no-verify "), p, { ANYPOINT_M2_PACKAGE: "./anypoint-m2-0.1.0.tgz" });
    expect(r.status, r.stderr).toBe(0);
    expectServer(p, "exchange");
    expect(existsSync(join(p.record, "args"))).toBe(true);
  });
});
