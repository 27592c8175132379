// setup --aliases and doctor's <aliases> finding, judged by real mvn runs: each Maven of the matrix resolves
// a parent pom from a repository on 127.0.0.1 that asks for Basic auth, under an id that is only an alias of
// the server setup wrote; the repository sees whether that Maven sent the connected app's credentials.
// @module-tag maven
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseMavenVersion, readsAliases } from "../src/maven/version";
import { controlPlane, type ControlPlane } from "./helpers/anypoint";
import { run, tempHome } from "./helpers/cli";
import { judges } from "./helpers/mavens";

const CLIENT_ID = "0123456789abcdef0123456789abcdef";
const SECRET = "Alias-Secret-4f9a";
const BASIC = `Basic ${Buffer.from(`~~~Client~~~:${CLIENT_ID}~?~${SECRET}`).toString("base64")}`;
const PARENT = "<project><modelVersion>4.0.0</modelVersion><groupId>com.example</groupId><artifactId>parent</artifactId><version>1</version><packaging>pom</packaging></project>";
const env = { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET };

let repository: ControlPlane;
beforeAll(async () => {
  repository = await controlPlane();
  // The parent pom for the right credentials, 401 without them; central (pointed here too) has nothing.
  repository.handle((req, res) => {
    if (req.url.startsWith("/central/")) return res.writeHead(404).end();
    if (req.headers.authorization !== BASIC) return res.writeHead(401, { "WWW-Authenticate": 'Basic realm="exchange"' }).end();
    if (req.url.endsWith("/parent-1.pom")) return res.writeHead(200).end(PARENT);
    res.writeHead(404).end();
  });
});
afterAll(() => repository.close());

/** Whether the Maven at `maven` sent the credentials when a pom's repository `id` asked for them, reading `settings`. */
async function mavenSendsCredentials(maven: string, settings: string, id: string): Promise<boolean> {
  const root = tempHome();
  mkdirSync(join(root, "project"));
  writeFileSync(
    join(root, "project", "pom.xml"),
    `<project><modelVersion>4.0.0</modelVersion>
  <parent><groupId>com.example</groupId><artifactId>parent</artifactId><version>1</version><relativePath/></parent>
  <artifactId>child</artifactId>
  <repositories>
    <repository><id>${id}</id><url>${repository.url}/exchange/</url></repository>
    <repository><id>central</id><url>${repository.url}/central/</url></repository>
  </repositories>
</project>`,
  );
  const sent = () => repository.requests.filter((r) => r.url.startsWith("/exchange/") && r.headers.authorization === BASIC).length;
  const before = sent();
  await new Promise<void>((done) =>
    execFile(join(maven, "bin", "mvn"), ["-B", "-s", settings, `-Dmaven.repo.local=${join(root, "repository")}`, "validate"], {
      cwd: join(root, "project"),
      env: { PATH: process.env.PATH!, HOME: root, MAVEN_OPTS: `-Duser.home=${root}` },
      maxBuffer: 16 << 20,
    }, () => done()),
  );
  return sent() > before;
}

/** A home whose settings setup --aliases wrote, as if for a Maven 3.10 (--maven-version). */
async function aliasedSettings(): Promise<{ home: string; settings: string }> {
  const home = tempHome();
  const r = await run(["setup", "--no-verify", "--yes", "--aliases", "--maven-version", "3.10.0", "--server-id", "anypoint-exchange-v3", "--server-id", "exchange-alias"], { home, env });
  expect(r.code, r.stderr).toBe(0);
  return { home, settings: join(home, ".m2", "settings.xml") };
}

it("setup --aliases writes one server: the first id, the others as its <aliases>", async () => {
  const { settings } = await aliasedSettings();
  const text = readFileSync(settings, "utf8");
  expect(text.match(/<server>/g)).toHaveLength(1);
  expect(text).toMatch(/<id>anypoint-exchange-v3<\/id>\s*<aliases>\s*<alias>exchange-alias<\/alias>\s*<\/aliases>\s*<username>~~~Client~~~<\/username>/);
});

describe.each(judges())("Maven $version", ({ version, home }) => {
  const reads = readsAliases(parseMavenVersion(version) ?? { major: 0, minor: 0 });

  it(reads ? "sends the credentials for an alias id" : "sends none for an alias id: it ignores <aliases>", async () => {
    const { settings } = await aliasedSettings();
    expect(await mavenSendsCredentials(home, settings, "exchange-alias")).toBe(reads);
    // The server's own id works everywhere: the repository and the check are sound.
    expect(await mavenSendsCredentials(home, settings, "anypoint-exchange-v3")).toBe(true);
  });

  it(reads ? "on the PATH: setup --aliases writes" : "on the PATH: setup --aliases is refused (exit 2), naming it, nothing written", async () => {
    const h = tempHome();
    const r = await run(["setup", "--no-verify", "--yes", "--aliases", "--server-id", "a", "--server-id", "b"], { home: h, env: { ...env, PATH: `${join(home, "bin")}:${process.env.PATH}` } });
    if (reads) return expect(r.code, r.stderr).toBe(0);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Maven ${version} (${home}) ignores <aliases>: a build would get no credentials for "b"`);
    expect(() => readFileSync(join(h, ".m2", "settings.xml"))).toThrow();
  });

  it(reads ? "on the PATH: doctor says nothing of the <aliases>" : "on the PATH: doctor flags the <aliases> it ignores", async () => {
    const { home: h } = await aliasedSettings();
    const r = await run(["doctor", "--offline", "--json"], { home: h, env: { PATH: `${join(home, "bin")}:${process.env.PATH}` } });
    const report = JSON.parse(r.stdout) as { maven: { version: string; source: string }; findings: { code: string; message: string }[] };
    expect(report.maven).toEqual({ version, source: home });
    const flagged = report.findings.filter((f) => f.code === "aliases-ignored");
    expect(flagged.map((f) => f.message)).toEqual(reads ? [] : [expect.stringContaining(`server "anypoint-exchange-v3" lists <aliases> ("exchange-alias"), which Maven ${version}`)]);
  });
});

describe("--aliases refused without a reason to write it", () => {
  it("one id: exit 2", async () => {
    const r = await run(["setup", "--no-verify", "--yes", "--aliases", "--maven-version", "3.10.0", "--server-id", "a"], { home: tempHome(), env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--aliases writes several ids as one server, but there is one id");
  });

  it("no mvn found and no --maven-version: exit 2, saying so", async () => {
    const home = tempHome();
    mkdirSync(join(home, "bin"));
    symlinkSync(process.execPath, join(home, "bin", "node"));
    const r = await run(["setup", "--no-verify", "--yes", "--aliases", "--server-id", "a", "--server-id", "b"], { home, env: { ...env, PATH: join(home, "bin") } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no mvn was found to tell which Maven will read the file");
  });

  it("running setup --aliases again changes nothing; new aliases replace the old", async () => {
    const { home, settings } = await aliasedSettings();
    const first = readFileSync(settings, "utf8");
    const again = await run(["setup", "--no-verify", "--yes", "--aliases", "--maven-version", "3.10.0", "--server-id", "anypoint-exchange-v3", "--server-id", "exchange-alias"], { home, env });
    expect(again.code).toBe(0);
    expect(readFileSync(settings, "utf8")).toBe(first);
    const other = await run(["setup", "--no-verify", "--yes", "--aliases", "--maven-version", "3.10.0", "--server-id", "anypoint-exchange-v3", "--server-id", "x", "--server-id", "y"], { home, env });
    expect(other.code).toBe(0);
    const text = readFileSync(settings, "utf8");
    expect(text.match(/<aliases>/g)).toHaveLength(1);
    expect(text).toMatch(/<aliases>\s*<alias>x<\/alias>\s*<alias>y<\/alias>\s*<\/aliases>/);
  });
});
