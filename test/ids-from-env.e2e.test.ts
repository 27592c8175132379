// An id that takes a value from the environment (`${env.X}`, or a pom property defined with one) is shown as
// written and matched as Maven resolves it: the variable's value never reaches stdout, stderr, --json, a
// --dry-run diff or a --verbose line, and setup never writes it into settings.xml as a server id.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlPlane, tokenEndpoint, type ControlPlane } from "./helpers/anypoint";
import { expectNoSecret, recorder, tempHome } from "./helpers/cli";

const CLIENT_ID = "5b1e2c3d4f5a6b7c8d9e0f1a2b3c4d5e";
/** The variable's value that must never show: as a secret it is, and as an id it becomes. */
const SECRET = "Ids-From-Env-Value-9k2w";
const TOKEN = "tok-ids-from-env-0000-1111";
const EXCHANGE = "https://maven.anypoint.mulesoft.com/api/v3/maven";
const env = { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET };

let anypoint: ControlPlane;
const { m2, outputs } = recorder();
beforeAll(async () => {
  anypoint = await controlPlane();
  anypoint.handle(tokenEndpoint("app-id", "app-secret", TOKEN));
});
afterAll(async () => {
  await anypoint.close();
  expectNoSecret(outputs, [SECRET], 21); // 24 runs (measured)
});

const pom = (repositories: string, properties = "") =>
  `<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>g</groupId>\n  <artifactId>a</artifactId>\n  <version>1</version>\n` +
  `  <properties>${properties}</properties>\n  <repositories>\n${repositories}  </repositories>\n</project>\n`;
const repository = (id: string, url = EXCHANGE) => `    <repository>\n      <id>${id}</id>\n      <url>${url}</url>\n    </repository>\n`;
const server = (id: string, password = "app-id~?~app-secret") => `    <server>\n      <id>${id}</id>\n      <username>~~~Client~~~</username>\n      <password>${password}</password>\n    </server>\n`;
const settingsXml = (servers: string, mirrors = "") => `<settings>\n  <servers>\n${servers}  </servers>\n${mirrors}</settings>\n`;

/** A HOME that is also the project folder: its pom.xml and ~/.m2/settings.xml (mode 600). */
function project(pomText: string, settings?: string): { home: string; settings: string } {
  const home = tempHome();
  writeFileSync(join(home, "pom.xml"), pomText);
  mkdirSync(join(home, ".m2"));
  const path = join(home, ".m2", "settings.xml");
  if (settings !== undefined) writeFileSync(path, settings, { mode: 0o600 });
  return { home, settings: path };
}

/** Every output channel of a run, as one text. */
const all = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

describe("an id whose value comes from the environment", () => {
  // The pom of the issue: the secret's variable in an Exchange repository's id, directly and through a property.
  const hostilePom = pom(repository("ex-${env.ANYPOINT_CLIENT_SECRET}") + repository("prop-${hidden}", `${EXCHANGE}/`), "<hidden>${env.ANYPOINT_CLIENT_SECRET}</hidden>");
  const hostileSettings = settingsXml(server("ex-${env.ANYPOINT_CLIENT_SECRET}") + server("bare-${ANYPOINT_CLIENT_SECRET}") + server("ex-${env.ANYPOINT_CLIENT_SECRET}", "other~?~other"));

  it("doctor names it as written (text, --json, --verbose, with and without the token check), and still finds its server", async () => {
    const { home } = project(hostilePom, hostileSettings);
    const offline = await m2(["doctor", "--offline", "--json"], { home, env });
    const report = JSON.parse(offline.stdout) as { findings: { code: string; message: string }[] };
    // ex-… has its server (matched as Maven resolves both), named as written; prop-… has none.
    expect(report.findings.find((f) => f.code === "duplicate-server")?.message).toContain('server id "ex-${env.ANYPOINT_CLIENT_SECRET}" appears 2 times');
    expect(report.findings.filter((f) => f.code === "no-server").map((f) => f.message)).toEqual([expect.stringContaining('Exchange repository "prop-${hidden}"')]);
    for (const args of [["doctor", "--offline"], ["doctor", "--offline", "--verbose"]]) {
      const r = await m2(args, { home, env });
      expect(r.stdout).toContain("prop-${hidden}");
    }
    const online = await m2(["doctor", "--json", "--verbose"], { home, env: { ...env, ANYPOINT_BASE_URL: anypoint.url } });
    const checked = (JSON.parse(online.stdout) as { checked: { servers: string[]; result: string }[] }).checked;
    expect(checked).toEqual([expect.objectContaining({ servers: ["ex-${env.ANYPOINT_CLIENT_SECRET}"], result: "accepted" })]);
  });

  it("doctor without a pom names each connected app's id as written", async () => {
    const { home } = project(pom(""), hostileSettings);
    const r = await m2(["doctor", "--pom", join(home, "pom.xml"), "--json", "--verbose"], { home, env: { ...env, ANYPOINT_BASE_URL: anypoint.url } });
    const checked = (JSON.parse(r.stdout) as { checked: { servers: string[] }[] }).checked;
    expect(checked.flatMap((c) => c.servers).sort()).toEqual(["bare-${ANYPOINT_CLIENT_SECRET}", "ex-${env.ANYPOINT_CLIENT_SECRET}"]);
  });

  it("list shows it as written (text and --json); verify's list of ids too", async () => {
    const { home } = project(pom(""), hostileSettings);
    const json = await m2(["list", "--json", "--verbose"], { home, env });
    const servers = (JSON.parse(json.stdout) as { servers: { id: string; shadowed: boolean }[] }).servers;
    expect(servers.map((s) => [s.id, s.shadowed])).toEqual([
      ["ex-${env.ANYPOINT_CLIENT_SECRET}", false],
      ["bare-${ANYPOINT_CLIENT_SECRET}", false],
      ["ex-${env.ANYPOINT_CLIENT_SECRET}", true],
    ]);
    expect((await m2(["list"], { home, env })).stdout).toContain("bare-${ANYPOINT_CLIENT_SECRET}");
    const verify = await m2(["verify", "--server-id", "nothing-here", "--verbose"], { home, env: { ...env, ANYPOINT_BASE_URL: anypoint.url } });
    expect(verify.code).toBe(2);
    expect(verify.stderr).toContain("ex-${env.ANYPOINT_CLIENT_SECRET}");
  });

  it("setup --from-pom refuses it (exit 2, naming it as written), in every mode, and writes nothing", async () => {
    for (const extra of [[], ["--dry-run"], ["--json"], ["--dry-run", "--json", "--verbose"], ["--stdout"]]) {
      const { home, settings } = project(hostilePom, hostileSettings);
      const r = await m2(["setup", "--from-pom", "--no-verify", "--yes", ...extra], { home, env });
      expect(r.code, all(r)).toBe(2);
      expect(r.stderr).toContain("ex-${env.ANYPOINT_CLIENT_SECRET} (line 9)");
      expect(r.stderr).toContain("prop-${hidden} (line 13)");
      expect(r.stderr).toContain("setup does not write an environment variable's value into settings.xml as a server id");
      expect(readFileSync(settings, "utf8")).toBe(hostileSettings);
    }
  });

  it("setup with an id it names: the diff, warnings and --verbose lines show the file's ids as written", async () => {
    const { home, settings } = project(pom(""), hostileSettings);
    const r = await m2(["setup", "--server-id", "plain", "--no-verify", "--yes", "--dry-run", "--verbose"], { home, env });
    expect(r.code, all(r)).toBe(0);
    expect(r.stdout).toContain("+    <server>");
    const json = await m2(["setup", "--server-id", "plain", "--no-verify", "--yes", "--dry-run", "--json"], { home, env });
    expect((JSON.parse(json.stdout) as { diff: string }).diff).toContain("<id>plain</id>");
    expect(readFileSync(settings, "utf8")).toBe(hostileSettings);
  });

  it("a mirror whose id and URL come from the environment is named as written", async () => {
    const mirror = `  <mirrors>\n    <mirror>\n      <id>m-\${env.ANYPOINT_CLIENT_SECRET}</id>\n      <mirrorOf>*</mirrorOf>\n      <url>https://corp.example/\${env.ANYPOINT_CLIENT_SECRET}/</url>\n    </mirror>\n  </mirrors>\n`;
    const { home } = project(pom(repository("exchange")), settingsXml(server("exchange"), mirror));
    const r = await m2(["doctor", "--offline"], { home, env });
    expect(r.stdout).toContain('mirror "m-${env.ANYPOINT_CLIENT_SECRET}" (mirrorOf *) takes the downloads of Exchange repository "exchange"');
  });

  it("a proxy whose id comes from the environment is named as written in its error", async () => {
    const proxies = `  <proxies>\n    <proxy>\n      <id>p-\${env.ANYPOINT_CLIENT_SECRET}</id>\n      <host>proxy.example</host>\n      <port>nope</port>\n    </proxy>\n  </proxies>\n`;
    const { home } = project(pom(""), settingsXml(server("exchange"), proxies));
    const r = await m2(["verify", "--server-id", "exchange", "--verbose"], { home, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('settings.xml <proxy> p-${env.ANYPOINT_CLIENT_SECRET}: port "nope" is not a port number');
  });
});

// Once a defect: the user's -D options (MAVEN_OPTS) were resolved into a pom's ids and shown, and written.
describe("an id whose value comes from a -D option the user gave", () => {
  it("doctor names it as written, and setup --from-pom refuses it, writing nothing", async () => {
    const { home, settings } = project(pom(repository("x-${deploy.token}")));
    const opts = { MAVEN_OPTS: `-Duser.home=${home} -Ddeploy.token=${SECRET}` };
    const doctor = await m2(["doctor", "--offline", "--json"], { home, env: opts });
    expect(doctor.stdout).toContain("x-${deploy.token}");
    const setup = await m2(["setup", "--from-pom", "--no-verify", "--yes"], { home, env: { ...env, ...opts } });
    expect(setup.code).toBe(2);
    expect(setup.stderr).toContain("the Exchange repository id x-${deploy.token} (line 9) takes a value from the environment");
    expect(existsSync(settings)).toBe(false);
  });
});

describe("matching stays as Maven resolves ids", () => {
  const REPO = { REPO_ID: "exchange-repo" };

  it("a settings server <id>${env.REPO_ID}</id> serves the pom's repository of that id", async () => {
    const { home } = project(pom(repository("exchange-repo")), settingsXml(server("${env.REPO_ID}")));
    const r = await m2(["doctor", "--offline", "--json"], { home, env: { ...env, ...REPO } });
    expect((JSON.parse(r.stdout) as { errors: number }).errors).toBe(0);
  });

  it("a pom id ${env.REPO_ID}: doctor finds the server, and setup writes it when --server-id names it", async () => {
    const { home, settings } = project(pom(repository("${env.REPO_ID}")), settingsXml(server("exchange-repo")));
    const doctor = await m2(["doctor", "--offline", "--json"], { home, env: { ...env, ...REPO } });
    expect((JSON.parse(doctor.stdout) as { errors: number }).errors).toBe(0);
    const refused = await m2(["setup", "--from-pom", "--no-verify", "--yes"], { home, env: { ...env, ...REPO } });
    expect(refused.code).toBe(2);
    const named = await m2(["setup", "--from-pom", "--server-id", "exchange-repo", "--no-verify", "--yes", "--json"], { home, env: { ...env, ...REPO } });
    expect(named.code, all(named)).toBe(0);
    expect((JSON.parse(named.stdout) as { servers: { serverId: string; change: string }[] }).servers).toEqual([{ serverId: "exchange-repo", change: "updated" }]);
    expect(readFileSync(settings, "utf8")).toContain("<id>exchange-repo</id>");
  });
});
