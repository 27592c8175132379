// doctor's findings (src/doctor/diagnose.ts) on crafted settings/pom pairs: one pair per finding, each
// finding reported once, at the right line; none on a correct setup.
import * as fs from "node:fs";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diagnose, type Diagnosis } from "../src/doctor/diagnose";
import { securityFilePasswords, type PasswordReader } from "../src/doctor/passwords";
import { encrypt, MASTER_PASSPHRASE } from "../src/maven/cipher";
import { readPom } from "../src/project/pom";
import type { ProjectPom } from "../src/project/load";

const SETTINGS = "/home/dev/.m2/settings.xml";
const POM = "/work/app/pom.xml";
const US = "https://maven.anypoint.mulesoft.com/api/v3/maven";

const nothingEncrypted: PasswordReader = { decrypt: () => ({ problem: "no security file here", fix: "make one" }) };

interface Pair {
  settings?: string;
  pom?: string;
  mode?: number;
  env?: Record<string, string>;
  passwords?: PasswordReader;
}

function doctor({ settings, pom, mode = 0o600, env = {}, passwords = nothingEncrypted }: Pair): Diagnosis {
  const project: ProjectPom | undefined = pom === undefined ? undefined : pomOf(pom);
  return diagnose({ path: SETTINGS, text: settings, exists: settings !== undefined, mode }, project, { env, properties: { "user.home": "/home/dev" }, passwords });
}

function pomOf(text: string): ProjectPom {
  try {
    return { path: POM, report: readPom(text) };
  } catch (e) {
    return { path: POM, error: e as never };
  }
}

/** code:line of each finding. */
const found = (d: Diagnosis) => d.findings.map((f) => `${f.code}:${f.line ?? "-"}`);

const server = (id: string, username: string, password: string) => `    <server>\n      <id>${id}</id>\n      <username>${username}</username>\n      <password>${password}</password>\n    </server>\n`;
/** A settings file: line 1 <settings>, line 2 <servers>, each server 5 lines from line 3; then mirrors. */
const settingsOf = (servers: string[], mirrors = "") => `<settings>\n  <servers>\n${servers.join("")}  </servers>\n${mirrors}</settings>\n`;
const app = (id: string, password = "0123abcd~?~s3cr3t") => server(id, "~~~Client~~~", password);
const mirror = (id: string, mirrorOf: string, url = "https://nexus.corp.example/repository/all") =>
  `    <mirror>\n      <id>${id}</id>\n      <url>${url}</url>\n      <mirrorOf>${mirrorOf}</mirrorOf>\n    </mirror>\n`;
const mirrorsOf = (...items: string[]) => `  <mirrors>\n${items.join("")}  </mirrors>\n`;
/** A pom: line 1 <project>, line 2 <repositories>, each repository 4 lines from line 3 (<id> on its second). */
const pomOf2 = (repositories: [string, string][], distribution?: [string, string]) =>
  `<project>\n  <repositories>\n${repositories.map(([id, url]) => `    <repository>\n      <id>${id}</id>\n      <url>${url}</url>\n    </repository>\n`).join("")}  </repositories>\n` +
  (distribution ? `  <distributionManagement>\n    <repository>\n      <id>${distribution[0]}</id>\n      <url>${distribution[1]}</url>\n    </repository>\n  </distributionManagement>\n` : "") +
  "</project>\n";
const exchangePom = pomOf2([["anypoint-exchange-v3", US]]);

describe("doctor: no finding on a correct setup", () => {
  it("the pom's Exchange ids each have a connected-app server: no finding, one token check for both", () => {
    const d = doctor({
      settings: settingsOf([app("anypoint-exchange-v3"), app("Repository")], mirrorsOf(mirror("corp", "*,!anypoint-exchange-v3,!Repository"))),
      pom: pomOf2([["anypoint-exchange-v3", US]], ["Repository", "https://maven.anypoint.mulesoft.com/api/v3/organizations/o/maven"]),
    });
    expect(d.findings).toEqual([]);
    expect(d.checks).toEqual([{ servers: [{ id: "anypoint-exchange-v3", line: 3 }, { id: "Repository", line: 8 }], clientId: "0123abcd", clientSecret: "s3cr3t", region: "us", repositories: [expect.objectContaining({ id: "anypoint-exchange-v3", url: US }), { id: "Repository", url: "https://maven.anypoint.mulesoft.com/api/v3/organizations/o/maven", line: expect.any(Number) }] }]);
  });

  it("without a pom, every connected app Maven would use is checked", () => {
    const d = doctor({ settings: settingsOf([app("a"), server("nexus", "deployer", "pw"), app("b", "other~?~x")]) });
    expect(d.findings).toEqual([]);
    expect(d.checks.map((c) => [c.servers.map((s) => s.id), c.clientId])).toEqual([[["a"], "0123abcd"], [["b"], "other"]]);
  });
});

describe("doctor: each finding, once, at its line", () => {
  it.each<[string, Pair, string[]]>([
    ["a second <servers> (Maven rejects the file)", { settings: "<settings>\n  <servers/>\n  <servers/>\n</settings>\n", pom: exchangePom }, ["settings-rejected:3"]],
    ["settings that are not well-formed", { settings: "<settings>\n  <servers>\n</settings>\n" }, ["settings-rejected:3"]],
    ["a second <mirrors>", { settings: "<settings>\n  <mirrors/>\n  <mirrors/>\n</settings>\n" }, ["settings-rejected:3"]],
    ["a pom repository with no server", { settings: settingsOf([app("other")]), pom: exchangePom }, ["no-server:4"]],
    ["no settings file at all, with a pom", { pom: exchangePom }, ["no-server:4"]],
    ["no settings file and no pom", {}, ["settings-missing:-"]],
    ["settings with no connected app and no pom", { settings: settingsOf([server("nexus", "deployer", "pw")]) }, ["no-connected-app:-"]],
    ["a duplicate id: reported at the second, Maven uses the first", { settings: settingsOf([app("anypoint-exchange-v3"), app("anypoint-exchange-v3", "x~?~y")]), pom: exchangePom }, ["duplicate-server:8"]],
    ["a server that is not a connected app", { settings: settingsOf([server("anypoint-exchange-v3", "jdoe", "pw")]), pom: exchangePom }, ["not-connected-app:3"]],
    ["the connected-app username in the wrong case", { settings: settingsOf([server("anypoint-exchange-v3", "~~~client~~~", "a~?~b")]), pom: exchangePom }, ["username-case:5"]],
    ["a password not in the connected-app form", { settings: settingsOf([app("anypoint-exchange-v3", "only-a-secret")]), pom: exchangePom }, ["password-form:3"]],
    ["braces in a literal password", { settings: settingsOf([app("anypoint-exchange-v3", "0123~?~se{cr}et")]), pom: exchangePom }, ["brace-in-password:3"]],
    ["an expression in a literal password", { settings: settingsOf([app("anypoint-exchange-v3", "0123~?~se${cr}et")]), pom: exchangePom }, ["expression-in-password:3"]],
    ["${env.X} references to unset variables", { settings: settingsOf([app("anypoint-exchange-v3", "${env.APP_ID}~?~${env.APP_SECRET}")]), pom: exchangePom }, ["env-unset:3"]],
    ["~ and ? in the app's id and secret", { settings: settingsOf([app("anypoint-exchange-v3", "ab~cd~?~se?cret")]), pom: exchangePom }, ["split-character:3"]],
    ["an encrypted password the security file cannot decrypt", { settings: settingsOf([app("anypoint-exchange-v3", "{COQLCE6DU6GtcS5P=}")]), pom: exchangePom }, ["encrypted-undecryptable:3"]],
    ["a readable file holding literal passwords", { settings: settingsOf([app("anypoint-exchange-v3")]), pom: exchangePom, mode: 0o644 }, ["settings-readable:-"]],
    ["a mirror without mirrorOf (Maven refuses the file)", { settings: settingsOf([app("anypoint-exchange-v3")], "  <mirrors>\n    <mirror>\n      <id>m</id>\n      <url>https://m</url>\n    </mirror>\n  </mirrors>\n"), pom: exchangePom }, ["settings-rejected:10"]],
    ["a second <localRepository> (Maven stops: Non-parseable settings)", { settings: settingsOf([app("anypoint-exchange-v3")], "  <localRepository>/a</localRepository>\n  <localRepository>/b</localRepository>\n"), pom: exchangePom }, ["settings-rejected:10"]],
    ["a <proxy> without <host> (Maven's validator stops)", { settings: settingsOf([app("anypoint-exchange-v3")], "  <proxies>\n    <proxy>\n      <port>8080</port>\n    </proxy>\n  </proxies>\n"), pom: exchangePom }, ["settings-rejected:10"]],
    ["an element Maven does not know (it reads the file leniently and warns)", { settings: settingsOf([app("anypoint-exchange-v3")], "  <foo/>\n"), pom: exchangePom }, ["settings-lenient:9"]],
    ["a pom that cannot be parsed (then every connected app is checked)", { settings: settingsOf([app("anypoint-exchange-v3")]), pom: "<project>\n  <repositories>\n  </repository>\n</project>\n" }, ["pom-unreadable:3"]],
    ["a pom URL nothing defines", { settings: settingsOf([app("anypoint-exchange-v3")]), pom: pomOf2([["anypoint-exchange-v3", US], ["parent-exchange", "${exchange.url}"]]) }, ["pom-unresolved:8"]],
    ["a pom without Exchange repositories", { settings: settingsOf([app("anypoint-exchange-v3")]), pom: pomOf2([["central", "https://repo1.maven.org/maven2"]]) }, ["pom-no-exchange:-"]],
  ])("%s", (_, pair, expected) => {
    expect(found(doctor(pair))).toEqual(expected);
  });

  it("no finding says a secret", () => {
    const pairs: Pair[] = [
      { settings: settingsOf([app("anypoint-exchange-v3", "0123~?~Sup3r{Secret}")]), pom: exchangePom },
      { settings: settingsOf([app("anypoint-exchange-v3", "0123~?~Sup3r?Secret")]), pom: exchangePom, mode: 0o644 },
      { settings: settingsOf([server("anypoint-exchange-v3", "~~~client~~~", "0123~?~Sup3rSecret")]), pom: exchangePom },
    ];
    pairs.push({ settings: settingsOf([app("anypoint-exchange-v3")], mirrorsOf(mirror("corp", "*", "https://deployer:Sup3rMirror@nexus.corp.example/all"))), pom: exchangePom });
    pairs.push({ settings: settingsOf([app("anypoint-exchange-v3")]), pom: pomOf2([["anypoint-exchange-v3", US], ["p", "https://u:Sup3rPom@${host}/x"]]) });
    const findings = pairs.flatMap((p) => doctor(p).findings);
    expect(findings.length).toBeGreaterThanOrEqual(5);
    expect(findings.map((f) => f.code)).toEqual(expect.arrayContaining(["mirror-intercepts", "pom-unresolved"]));
    for (const f of findings) expect(JSON.stringify(f)).not.toMatch(/Sup3r/);
  });
});

describe("doctor: mirrors in front of Exchange repositories", () => {
  const pom = pomOf2([["anypoint-exchange-v3", US], ["Repository", US]], ["deploy-exchange", US]);
  const servers = [app("anypoint-exchange-v3"), app("Repository"), app("deploy-exchange"), app("corp")];
  /** The mirror sits at line 25 (4 servers of 5 lines from line 3, </servers>, <mirrors>). */
  it.each<[string, string, string[]]>([
    ["*", "*", ["mirror-intercepts:25"]],
    ["external:*", "external:*", ["mirror-intercepts:25"]],
    ["a list naming one", "central,Repository", ["mirror-intercepts:25"]],
    ["everything but the Exchange ids", "*,!anypoint-exchange-v3,!Repository", []],
    ["external:* but one", "external:*,!Repository", ["mirror-intercepts:25"]],
    ["plain HTTP only", "external:http:*", []],
    ["another id", "central", []],
  ])("mirrorOf %s", (_, mirrorOf, expected) => {
    const d = doctor({ settings: settingsOf(servers, mirrorsOf(mirror("corp", mirrorOf))), pom });
    expect(found(d)).toEqual(expected);
  });

  it("names the repositories it takes, never the deployment one, and says how to exclude them", () => {
    const [f] = doctor({ settings: settingsOf(servers, mirrorsOf(mirror("corp", "*"))), pom }).findings;
    expect(f!.message).toContain('takes the downloads of Exchange repository "anypoint-exchange-v3", "Repository"');
    expect(f!.message).toContain('with the credentials of server "corp"');
    expect(f!.message).not.toContain("deploy-exchange");
    expect(f!.fix).toContain("<mirrorOf>*,!anypoint-exchange-v3,!Repository</mirrorOf>");
  });

  it("a mirror that is itself on Exchange needs the connected app under its own id", () => {
    const exchangeMirror = mirrorsOf(mirror("exchange-mirror", "*", "https://maven.anypoint.mulesoft.com/api/v3/maven"));
    const d = doctor({ settings: settingsOf([app("deploy-exchange")], exchangeMirror), pom });
    expect(found(d)).toEqual(["no-server:4"]);
    expect(d.findings[0]!.message).toContain('"exchange-mirror"');
  });

  it("without a pom, a mirror that would take a connected app's id is a warning", () => {
    const d = doctor({ settings: settingsOf([app("anypoint-exchange-v3")], mirrorsOf(mirror("corp", "*"))) });
    expect(d.findings.map((f) => `${f.severity}:${f.code}:${f.line}`)).toEqual(["warning:mirror-intercepts:10"]);
  });
});

describe("doctor: stored passwords that resolve", () => {
  it("${env.X} set in the environment: no finding, and the check uses the values", () => {
    const d = doctor({ settings: settingsOf([app("anypoint-exchange-v3", "${env.APP_ID}~?~${env.APP_SECRET}")]), pom: exchangePom, env: { APP_ID: "env-id", APP_SECRET: "env-secret" } });
    expect(d.findings).toEqual([]);
    expect(d.checks.map((c) => [c.clientId, c.clientSecret])).toEqual([["env-id", "env-secret"]]);
  });

  it("an encrypted password the security file opens: no finding, the check uses the clear text; Maven 3's relocation is followed", () => {
    const dir = mkdtempSync(join(tmpdir(), "anypoint-m2-doctor-"));
    const master = "Master-Password-1";
    writeFileSync(join(dir, "real-security.xml"), `<settingsSecurity><master>${encrypt(master, MASTER_PASSPHRASE)}</master></settingsSecurity>`);
    writeFileSync(join(dir, "settings-security.xml"), `<settingsSecurity><relocation>${join(dir, "real-security.xml")}</relocation></settingsSecurity>`);
    const at = (name: string) => securityFilePasswords({ fs, env: {}, cwd: dir, home: dir, stderr: () => undefined }, { path: join(dir, name), source: "--security-file" }, () => ({ path: join(dir, "settings-security4.xml"), source: "test" }));
    const passwords = at("settings-security.xml");
    const value = encrypt("enc-id~?~enc-secret", master);
    const d = doctor({ settings: settingsOf([app("anypoint-exchange-v3", value)]), pom: exchangePom, passwords, mode: 0o644 });
    expect(d.findings).toEqual([]);
    expect(d.checks.map((c) => [c.clientId, c.clientSecret])).toEqual([["enc-id", "enc-secret"]]);
    // Another master password opens nothing: reported, never guessed around.
    const other = at("elsewhere.xml");
    const missing = doctor({ settings: settingsOf([app("anypoint-exchange-v3", value)]), pom: exchangePom, passwords: other });
    expect(found(missing)).toEqual(["encrypted-undecryptable:3"]);
    expect(missing.findings[0]!.message).toContain(`there is no security file at ${join(dir, "elsewhere.xml")}`);
    writeFileSync(join(dir, "wrong.xml"), `<settingsSecurity><master>${encrypt("another", MASTER_PASSPHRASE)}</master></settingsSecurity>`);
    const wrong = doctor({ settings: settingsOf([app("anypoint-exchange-v3", value)]), pom: exchangePom, passwords: at("wrong.xml") });
    expect(wrong.findings[0]!.message).toContain("it does not decrypt with the master password of");
  });
});
