// Maven 4's encryption end to end, through the built CLI, judged by a real Maven 4 (a home from ANYPOINT_M2_MAVENS):
// `setup --store encrypted --master-source env:…` writes settings-security4.xml and a Maven 4 value, and `mvn` 4,
// run against a loopback repository that asks for Basic auth, sends exactly ~~~Client~~~ and id~?~secret; with
// another master password it stops the build, as doctor says it will. list, verify, rotate and doctor read Maven 4
// values, and a Maven 3 value under Maven 4 is reported. Secrets appear in no byte of any file or output.
// @module-tag maven4
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encrypt, MASTER_PASSPHRASE } from "../src/maven/cipher";
import { decrypt4 } from "../src/maven/cipher4";
import { securityXml } from "../src/maven/security";
import { controlPlane, tokenEndpoint, type ControlPlane } from "./helpers/anypoint";
import { cliEnv, expectNoSecret, recorder, tempHome } from "./helpers/cli";
import { maven4Home } from "./helpers/tools";
import { declineRepositoriesIfAsked, terminal } from "./helpers/tmux";

const CLIENT_ID = "4a1b2c3d4e5f60718293a4b5c6d7e8f9";
// & and <: they must reach Maven exactly, through XML escaping and Maven 4's decryption.
const SECRET = "M4-Secret&<-9d2e";
const NEW_SECRET = "M4-Rotated-7f3a";
const MASTER = "Master-Pass-9d2e";
const TOKEN = "tok-9d2e9d2e-0000-4000-8000-9d2e9d2e9d2e";
const ID = "anypoint-exchange-v3";
const { m2, outputs } = recorder();

let anypoint: ControlPlane;
beforeAll(async () => {
  anypoint = await controlPlane();
});
afterAll(async () => {
  await anypoint.close();
  expectNoSecret(outputs, [SECRET, NEW_SECRET, MASTER], 10);
});

const settingsOf = (h: string) => join(h, ".m2", "settings.xml");
const security4Of = (h: string) => join(h, ".m2", "settings-security4.xml");
const creds = (over: Record<string, string> = {}) => ({ ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET, ANYPOINT_BASE_URL: anypoint.url, MAVEN_MASTER_PASSWORD: MASTER, ...over });
const passwordOf = (h: string) => /<password>([^<]*)<\/password>/.exec(readFileSync(settingsOf(h), "utf8"))![1]!;
/** Doctor's findings about stored passwords (the scratch settings also draw notes on its mirror and mode). */
const PASSWORD_CODES = ["encrypted-undecryptable", "legacy-encrypted", "legacy-relocated", "maven4-value", "brace-in-password", "password-form"];
const passwordFindings = (stdout: string): { code: string; severity: string; message: string }[] => JSON.parse(stdout).findings.filter((f: { code: string }) => PASSWORD_CODES.includes(f.code));
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;

/** A scratch home whose settings.xml mirrors every repository to `url` under the server's id (so no request leaves the machine). */
function home(url = "http://127.0.0.1:9/repo"): string {
  const h = tempHome();
  mkdirSync(join(h, ".m2"));
  writeFileSync(settingsOf(h), `<settings>\n  <mirrors>\n    <mirror>\n      <id>${ID}</id>\n      <mirrorOf>*</mirrorOf>\n      <url>${url}</url>\n    </mirror>\n  </mirrors>\n</settings>\n`);
  return h;
}

/**
 * Runs the real Maven 4 in `h` (user.home there) on a project whose parent it must download through the mirror,
 * from a loopback repository that answers 401 with a Basic challenge until it gets credentials: the Authorization
 * headers Maven sent, and what it printed.
 */
async function maven4(h: string, env: Record<string, string>): Promise<{ code: number | null; authorizations: string[]; output: string }> {
  const authorizations: string[] = [];
  const server = createServer((req, res) => {
    if (req.headers.authorization) authorizations.push(req.headers.authorization);
    res.writeHead(req.headers.authorization ? 404 : 401, req.headers.authorization ? {} : { "WWW-Authenticate": 'Basic realm="exchange"' });
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/repo`;
    writeFileSync(settingsOf(h), readFileSync(settingsOf(h), "utf8").replace(/<url>[^<]*<\/url>/, `<url>${url}</url>`));
    const project = join(h, "project");
    mkdirSync(project, { recursive: true });
    writeFileSync(
      join(project, "pom.xml"),
      `<project xmlns="http://maven.apache.org/POM/4.0.0">\n  <modelVersion>4.0.0</modelVersion>\n  <parent><groupId>org.example.m4</groupId><artifactId>parent</artifactId><version>1</version></parent>\n  <artifactId>child</artifactId>\n</project>\n`,
    );
    const child = spawn(join(maven4Home()!, "bin", "mvn"), ["-B", "-e", "-Dstyle.color=never", "validate"], { cwd: project, env: { ...cliEnv(h, env), LC_ALL: "C.UTF-8" } });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (output += d.toString("utf8")));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    return { code, authorizations, output };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe("--store encrypted for Maven 4", () => {
  it("--master-source env:NAME creates settings-security4.xml (0600, no password in it) and a value real mvn 4 decrypts and sends", async () => {
    const h = home();
    const r = await m2(["setup", "--master-source", "env:MAVEN_MASTER_PASSWORD", "--no-verify", "--yes"], { home: h, env: creds() });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Created ${security4Of(h)} (mode 600): Maven 4 takes the master password from env:MAVEN_MASTER_PASSWORD`);
    expect(statSync(security4Of(h)).mode & 0o777).toBe(0o600);
    const security = readFileSync(security4Of(h), "utf8");
    expect(security).toContain("<value>env:MAVEN_MASTER_PASSWORD</value>");
    expect(security).not.toContain(MASTER);
    expect(passwordOf(h)).toMatch(/^\{\[name=master,cipher=AES\/GCM\/NoPadding,version=4\.0\][A-Za-z0-9+/=]+\}$/);
    expect(readFileSync(settingsOf(h), "utf8")).not.toContain(SECRET);

    const maven = await maven4(h, { MAVEN_MASTER_PASSWORD: MASTER });
    expect(maven.output).toContain("Downloading from anypoint-exchange-v3");
    expect(maven.authorizations).toEqual([basic("~~~Client~~~", `${CLIENT_ID}~?~${SECRET}`)]);

    // Another master password: Maven 4 stops the build before any request, and doctor says it would.
    const wrong = await maven4(h, { MAVEN_MASTER_PASSWORD: "another" });
    expect(wrong.code).not.toBe(0);
    expect(wrong.output).toContain("Could not decrypt password");
    expect(wrong.authorizations).toEqual([]);
    const doctor = await m2(["doctor", "--offline", "--maven-version", "4.0.0"], { home: h, env: creds({ MAVEN_MASTER_PASSWORD: "another" }) });
    expect(doctor.code).toBe(7);
    expect(doctor.stdout).toContain("Maven 4 stops the build on a password it cannot decrypt");

    // Run again with the same credentials: the value decrypts to them, so nothing changes.
    const before = readFileSync(settingsOf(h));
    const again = await m2(["setup", "--maven-version", "4.0.0", "--no-verify", "--yes"], { home: h, env: creds() });
    expect(again.code).toBe(0);
    expect(readFileSync(settingsOf(h))).toEqual(before);
  });

  it("list, verify and doctor read the Maven 4 value with the master password its source gives", async () => {
    const h = home();
    expect((await m2(["setup", "--master-source", "env:MAVEN_MASTER_PASSWORD", "--no-verify", "--yes"], { home: h, env: creds() })).code).toBe(0);
    const list = await m2(["list", "--json"], { home: h, env: creds() });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject({ servers: [{ id: ID, password: "encrypted", clientId: CLIENT_ID, decrypts: true, maven4: true }], security4File: security4Of(h) });
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const verify = await m2(["verify"], { home: h, env: creds() });
    expect(verify.code).toBe(0);
    expect(anypoint.requests[0]!.body).toContain(`client_id=${CLIENT_ID}`);
    const doctor = await m2(["doctor", "--offline", "--maven-version", "4.0.0", "--json"], { home: h, env: creds() });
    expect(passwordFindings(doctor.stdout)).toEqual([]);
    // Maven 3 cannot decrypt a Maven 4 value: doctor says so when told that Maven 3 reads the file.
    const maven3 = await m2(["doctor", "--offline", "--maven-version", "3.9.9", "--json"], { home: h, env: creds() });
    expect(passwordFindings(maven3.stdout)).toMatchObject([{ code: "maven4-value", severity: "error" }]);
  });

  it("rotate writes the new secret back as a Maven 4 value, which Maven 4's cipher decrypts", async () => {
    const h = home();
    expect((await m2(["setup", "--master-source", "env:MAVEN_MASTER_PASSWORD", "--no-verify", "--yes"], { home: h, env: creds() })).code).toBe(0);
    const r = await m2(["rotate", "--no-verify", "--yes"], { home: h, env: creds({ ANYPOINT_CLIENT_SECRET: NEW_SECRET }) });
    expect(r.code).toBe(0);
    expect(decrypt4(passwordOf(h), MASTER)).toBe(`${CLIENT_ID}~?~${NEW_SECRET}`);
    const maven = await maven4(h, { MAVEN_MASTER_PASSWORD: MASTER });
    expect(maven.authorizations).toEqual([basic("~~~Client~~~", `${CLIENT_ID}~?~${NEW_SECRET}`)]);
  });

  it("a Maven 3 value under Maven 4: mvn 4 decrypts it with a legacy warning, and doctor reports it", async () => {
    const h = home();
    writeFileSync(join(h, ".m2", "settings-security.xml"), securityXml(MASTER));
    expect((await m2(["setup", "--store", "encrypted", "--no-verify", "--yes"], { home: h, env: creds() })).code).toBe(0);
    expect(passwordOf(h)).toMatch(/^\{[A-Za-z0-9+/=]+\}$/);
    const maven = await maven4(h, {});
    expect(maven.output).toContain("pre-Maven 4 legacy encrypted password");
    expect(maven.authorizations).toEqual([basic("~~~Client~~~", `${CLIENT_ID}~?~${SECRET}`)]);
    const doctor = await m2(["doctor", "--offline", "--maven-version", "4.0.0", "--json"], { home: h, env: creds() });
    expect(passwordFindings(doctor.stdout)).toMatchObject([{ code: "legacy-encrypted", severity: "warning" }]);
    // Maven 3 follows a <relocation>; Maven 4 does not, and stops the build.
    const real = join(h, "real-security.xml");
    writeFileSync(real, securityXml(MASTER));
    writeFileSync(join(h, ".m2", "settings-security.xml"), `<settingsSecurity><relocation>${real}</relocation></settingsSecurity>`);
    const relocated = await maven4(h, {});
    expect(relocated.output).toContain("Could not decrypt password");
    const moved = await m2(["doctor", "--offline", "--maven-version", "4.0.0", "--json"], { home: h, env: creds() });
    expect(passwordFindings(moved.stdout)).toMatchObject([{ code: "legacy-relocated", severity: "error" }]);
    // A Maven 3 value that does not decrypt is fatal under Maven 4 too.
    writeFileSync(join(h, ".m2", "settings-security.xml"), `<settingsSecurity><master>${encrypt("other", MASTER_PASSPHRASE)}</master></settingsSecurity>`);
    const broken = await maven4(h, {});
    expect(broken.output).toContain("Could not decrypt password");
    const fatal = await m2(["doctor", "--offline", "--maven-version", "4.0.0", "--json"], { home: h, env: creds() });
    expect(passwordFindings(fatal.stdout)).toMatchObject([{ code: "encrypted-undecryptable", message: expect.stringContaining("Maven 4 stops the build") }]);
  });

  it("-Dmaven.settings.security in MAVEN_ARGS names the file (Maven 4 reads it there); in MAVEN_OPTS it does not", async () => {
    const h = home();
    const alt = join(h, "alt", "sec4.xml");
    // Maven 4's launcher on the PATH: it reads MAVEN_ARGS (Debian's 3.8 does not), so anypoint-m2 does too.
    const path = `${join(maven4Home()!, "bin")}:${dirname(process.execPath)}:${process.env.PATH}`;
    const args = { MAVEN_ARGS: `-Dmaven.settings.security=${alt}`, PATH: path };
    expect((await m2(["setup", "--master-source", "env:MAVEN_MASTER_PASSWORD", "--no-verify", "--yes"], { home: h, env: creds(args) })).code).toBe(0);
    expect(statSync(alt).mode & 0o777).toBe(0o600);
    expect(() => statSync(security4Of(h))).toThrow();
    expect((await maven4(h, { ...args, MAVEN_MASTER_PASSWORD: MASTER })).authorizations).toEqual([basic("~~~Client~~~", `${CLIENT_ID}~?~${SECRET}`)]);
    // Maven 4 does not read its security file's name from a JVM property: the default is the one.
    const g = home();
    const opts = { MAVEN_OPTS: `-Duser.home=${g} -Dmaven.settings.security=${alt}` };
    expect((await m2(["setup", "--master-source", "env:MAVEN_MASTER_PASSWORD", "--no-verify", "--yes"], { home: g, env: creds(opts) })).code).toBe(0);
    expect(statSync(security4Of(g)).isFile()).toBe(true);
    expect((await maven4(g, { ...opts, MAVEN_MASTER_PASSWORD: MASTER })).authorizations).toEqual([basic("~~~Client~~~", `${CLIENT_ID}~?~${SECRET}`)]);
  });

  it("the wizard, for Maven 4 without settings-security4.xml: asks for the master source, creates the file once the change is confirmed", { tags: ["tmux"] }, async () => {
    const h = home();
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const t = terminal(["setup", "--maven-version", "4.0.0", "--store", "encrypted"], { cwd: h, env: { HOME: h, ...creds() } });
    try {
      await t.waitFor("Server id");
      t.key("Enter");
      await t.waitFor(`There is no ${security4Of(h)} (Maven 4's). Create it?`);
      t.key("Enter");
      await t.waitFor("Where Maven 4 takes the master password from");
      t.key("Enter");
      await declineRepositoriesIfAsked(t);
      // The file is 0644: the wizard offers to make it private before the password goes in.
      await t.waitFor("Make it private (chmod 600) before the password goes in?");
      t.key("Enter");
      await t.waitFor(`Write this to ${settingsOf(h)}?`);
      expect(() => statSync(security4Of(h))).toThrow();
      t.key("Enter");
      expect(await t.exited()).toBe(0);
      expect(t.screen()).toContain(`Created ${security4Of(h)} (mode 600): Maven 4 takes the master password from env:MAVEN_MASTER_PASSWORD`);
      expect(decrypt4(passwordOf(h), MASTER)).toBe(`${CLIENT_ID}~?~${SECRET}`);
    } finally {
      t.close();
    }
  });

  it.each([
    ["Maven 4 and no settings-security4.xml", ["--store", "encrypted", "--maven-version", "4.0.0"], {}, "needs Maven 4's master password, but there is no"],
    ["an unset variable", ["--master-source", "env:NOT_SET_HERE"], {}, "NOT_SET_HERE is not set in this environment"],
    ["not a source", ["--master-source", "gpg-agent:/run/x"], {}, "is not env:NAME or file:/absolute/path"],
    ["--security-file not the one Maven 4 reads", ["--master-source", "env:MAVEN_MASTER_PASSWORD", "--security-file", "other4.xml"], {}, "is not the security file Maven 4 reads"],
    ["with another store", ["--store", "env", "--master-source", "env:MAVEN_MASTER_PASSWORD"], {}, "--master-source goes with --store encrypted, not --store env"],
  ])("%s: exit 2, nothing written", async (_name, args, env, message) => {
    const h = home();
    const before = readFileSync(settingsOf(h));
    const r = await m2(["setup", ...args, "--no-verify", "--yes"], { home: h, env: creds(env) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(readFileSync(settingsOf(h))).toEqual(before);
    expect(() => statSync(security4Of(h))).toThrow();
  });

  it("a file source: refused while others can read the file; used once it is 0600", async () => {
    const h = home();
    const file = join(h, "master.txt");
    writeFileSync(file, `# Maven 4's master password\n${MASTER}\n`);
    chmodSync(file, 0o644);
    const refused = await m2(["setup", "--master-source", `file:${file}`, "--no-verify", "--yes"], { home: h, env: creds({ MAVEN_MASTER_PASSWORD: "" }) });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("can be read by other users");
    chmodSync(file, 0o600);
    const r = await m2(["setup", "--master-source", `file:${file}`, "--no-verify", "--yes"], { home: h, env: creds() });
    expect(r.code).toBe(0);
    const maven = await maven4(h, {});
    expect(maven.authorizations).toEqual([basic("~~~Client~~~", `${CLIENT_ID}~?~${SECRET}`)]);
    // The file is there now: another source is refused rather than ignored.
    const other = await m2(["setup", "--master-source", "env:MAVEN_MASTER_PASSWORD", "--no-verify", "--yes"], { home: h, env: creds() });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(`already takes the master password from file:${file}`);
  });
});
