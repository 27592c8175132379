// README's recipes: each one's anypoint-m2 line, as the README writes it, run by a shell in a temp HOME with
// what that CI system provides, against a loopback token server; then Maven's own settings builder reads
// the result. `npx --yes anypoint-m2` runs the built CLI here (the package itself: package.e2e.test.ts).
// @module-tag maven
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlPlane, tokenEndpoint, type ControlPlane } from "./helpers/anypoint";
import { CLI, cliEnv, tempHome } from "./helpers/cli";
import { b64, compileProbe, type Probe } from "./helpers/maven";
import { seenProfiles } from "./helpers/repositories";

const CLIENT_ID = "89abcdef0123456789abcdef01234567";
const SECRET = "Recipe-Secret-42&<x>";
const TOKEN = "tok-aaaaaaaa-bbbb-4ccc-8ddd-eeeeffff0000";
const US = "https://maven.anypoint.mulesoft.com/api/v3/maven";

/** The recipes: each "### " section of README's "## Recipes", its first code block and the anypoint-m2 command in it. */
function recipes(): { name: string; text: string; command: string }[] {
  const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
  const section = readme.split(/^## /m).find((s) => s.startsWith("Recipes\n"))!;
  return section
    .split(/^### /m)
    .slice(1)
    .map((part) => {
      const name = part.slice(0, part.indexOf("\n"));
      const block = /```\w*\n([^]*?)```/.exec(part)![1]!;
      const command = /npx [^'"\n]*anypoint-m2[^'"\n]*/.exec(block)![0].trim();
      return { name, text: part, command };
    });
}

/** What actions/setup-java writes by default (its src/auth.ts generate()): a server `github`, a gpg profile. */
const SETUP_JAVA = `
  <settings>
      <servers>
        <server>
          <id>github</id>
          <username>\${env.GITHUB_ACTOR}</username>
          <password>\${env.GITHUB_TOKEN}</password>
        </server>
      </servers>
      <profiles>
        <profile>
          <activation>
            <activeByDefault>true</activeByDefault>
          </activation>
          <properties>
            <gpg.passphrase>\${env.GPG_PASSPHRASE}</gpg.passphrase>
          </properties>
        </profile>
      </profiles>
  </settings>
  `;

/** Per recipe: what the CI system sets, and the settings.xml an earlier step leaves. */
const SYSTEMS: Record<string, { env: Record<string, string>; before?: string; store?: "env" }> = {
  "Dockerfile (BuildKit secrets, the `env` store)": { env: {}, store: "env" },
  "GitHub Actions": { env: { CI: "true", GITHUB_ACTIONS: "true" }, before: SETUP_JAVA },
  "GitLab CI": { env: { CI: "true", GITLAB_CI: "true" } },
  Jenkins: { env: { JENKINS_URL: "http://jenkins.example/", BUILD_ID: "7" } },
};

let anypoint: ControlPlane;
let probe: Probe;
let shims: string;
beforeAll(async () => {
  anypoint = await controlPlane();
  probe = compileProbe();
  // `npx --yes [--package=…] anypoint-m2 …` runs anypoint-m2 from the PATH: the built CLI.
  shims = mkdtempSync(join(process.env.ANYPOINT_M2_TEST_SCRATCH ?? tmpdir(), "anypoint-m2-shims-"));
  symlinkSync(CLI, join(shims, "anypoint-m2"));
  writeFileSync(join(shims, "npx"), '#!/bin/sh\nwhile [ $# -gt 0 ]; do case "$1" in --yes|-y|--package=*) shift ;; *) break ;; esac; done\nexec "$@"\n', { mode: 0o755 });
});
afterAll(async () => {
  await anypoint.close();
});

function sh(command: string, home: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base = cliEnv(home, env);
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", command], { cwd: home, env: { ...base, PATH: `${shims}:${base.PATH}` }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("README's recipes", () => {
  const found = recipes();

  it("are the ones this file runs", () => {
    expect(found.map((r) => r.name)).toEqual(Object.keys(SYSTEMS));
  });

  it.each(found.map((r) => [r.name, r] as const))("%s", async (name, recipe) => {
    // The recipe says where the credentials come from.
    expect(recipe.text).toContain("ANYPOINT_CLIENT_ID");
    expect(recipe.text).toContain("ANYPOINT_CLIENT_SECRET");
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const home = tempHome();
    const system = SYSTEMS[name]!;
    if (system.store === "env") {
      // The image build: no credential in its environment, and none written; Maven gets them at `mvn` time.
      const r = await sh(recipe.command, home, { ANYPOINT_BASE_URL: anypoint.url });
      expect(r.code, r.stderr).toBe(0);
      expect(anypoint.requests).toHaveLength(0);
      const written = join(home, "settings.xml");
      const text = readFileSync(written, "utf8");
      expect(text).toContain("<password>${env.ANYPOINT_CLIENT_ID}~?~${env.ANYPOINT_CLIENT_SECRET}</password>");
      expect(text).not.toContain(CLIENT_ID);
      const [server] = probe.ask([`server\t${written}\tanypoint-exchange-v3`], { PATH: process.env.PATH ?? "", ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET });
      expect(server).toBe(`ok ${b64("~~~Client~~~")} ${b64(`${CLIENT_ID}~?~${SECRET}`)}`);
      return;
    }
    const settings = join(home, ".m2", "settings.xml");
    if (system.before) {
      mkdirSync(join(home, ".m2"));
      writeFileSync(settings, system.before);
    }
    const r = await sh(recipe.command, home, {
      ...system.env,
      ANYPOINT_CLIENT_ID: CLIENT_ID,
      ANYPOINT_CLIENT_SECRET: SECRET,
      ANYPOINT_BASE_URL: anypoint.url,
      ANYPOINT_EXCHANGE_URL: US,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(anypoint.requests[0]).toMatchObject({ url: "/accounts/api/v2/oauth2/token" });
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);

    const [server, ids, profiles] = probe.ask([`server\t${settings}\tanypoint-exchange-v3`, `ids\t${settings}`, `profiles\t${settings}`]);
    expect(server).toBe(`ok ${b64("~~~Client~~~")} ${b64(`${CLIENT_ID}~?~${SECRET}`)}`);
    const seen = seenProfiles(profiles!);
    expect(seen.active).toContain("anypoint-exchange");
    expect(seen.repositories).toContain(`repository anypoint-exchange anypoint-exchange-v3 ${US}`);
    expect(seen.pluginGroups).toContain("org.mule.tools");
    if (system.before) {
      // setup-java's server and its profile are still what Maven sees.
      expect(ids).toBe(`ok ${b64("github")} ${b64("anypoint-exchange-v3")}`);
      expect(seen.active).toEqual(["default", "anypoint-exchange"]);
    }
  });
});
