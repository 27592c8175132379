// The three stores end to end, through the built CLI: what is written, what Maven's own settings builder and
// decrypter make of it (through the probes), what verify and list read back, and Maven's traps, refused or
// warned before anything is written. Secrets appear in no byte of any file or output.
// @module-tag maven
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encrypt, MASTER_PASSPHRASE } from "../src/maven/cipher";
import { securityXml } from "../src/maven/security";
import { controlPlane, tokenEndpoint, type ControlPlane } from "./helpers/anypoint";
import { expectNoSecret, recorder, tempHome } from "./helpers/cli";
import { compileProbe, type Probe } from "./helpers/maven";

const CLIENT_ID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
// &, < and a non-ASCII letter: each must reach Maven exactly, through XML escaping and Maven's interpolation.
const SECRET = "St0re-Secret&<ü-5e1c";
const TOKEN = "tok-5e1c5e1c-0000-4000-8000-5e1c5e1c5e1c";
const MASTER = "Master-Pass-5e1c";
const { m2, outputs } = recorder();
const unb64 = (s: string) => Buffer.from(s, "base64").toString("utf8");

let anypoint: ControlPlane;
let settingsProbe: Probe;
let cipherProbe: Probe;
beforeAll(async () => {
  anypoint = await controlPlane();
  settingsProbe = compileProbe();
  cipherProbe = compileProbe("CipherProbe");
});
afterAll(async () => {
  await anypoint.close();
});

const accept = () => anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
const creds = (over: Record<string, string> = {}) => ({ ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET, ANYPOINT_BASE_URL: anypoint.url, ...over });
const settingsOf = (home: string) => join(home, ".m2", "settings.xml");
const OTHER = `<settings>\n  <!-- mine -->\n  <servers>\n    <server>\n      <id>nexus</id>\n      <username>deployer</username>\n      <password>nexus-pw</password>\n    </server>\n  </servers>\n</settings>\n`;

function home(settings = OTHER): string {
  const h = tempHome();
  mkdirSync(join(h, ".m2"));
  writeFileSync(settingsOf(h), settings);
  return h;
}

function withSecurity(h: string, master = MASTER, name = "settings-security.xml"): string {
  const path = join(h, ".m2", name);
  writeFileSync(path, securityXml(master));
  return path;
}

/** The server as Maven's settings builder resolves it, with only `env` in its environment. */
function mavenServer(h: string, env: Record<string, string>, id = "anypoint-exchange-v3"): string {
  // Java decodes the environment in the locale's charset: a UTF-8 locale, as the setup warns.
  const answer = settingsProbe.ask([["server", settingsOf(h), id].join("\t")], { PATH: process.env.PATH!, LC_ALL: "C.UTF-8", ...env })[0]!;
  expect(answer).toMatch(/^ok /);
  return unb64(answer.split(" ")[2]!);
}

/** The server as Maven's settings builder and decrypter give it, with this security file. */
function decryptedServer(h: string, security: string, id = "anypoint-exchange-v3"): { password: string; problems: number } {
  const answer = cipherProbe.ask([["server", settingsOf(h), security, id].join("\t")])[0]!;
  expect(answer).toMatch(/^ok /);
  const [, , password, problems] = answer.split(" ");
  return { password: unb64(password!), problems: Number(problems) };
}

/** Every file under ~/.m2 (settings, backup, security file), as bytes. */
const filesOf = (h: string) => readdirSync(join(h, ".m2")).map((f) => readFileSync(join(h, ".m2", f)));

describe("--store env", () => {
  it("writes ${env.…} references; Maven's settings builder resolves the exact id~?~secret from the variables", async () => {
    accept();
    const h = home();
    const r = await m2(["setup", "--store", "env", "--yes"], { home: h, env: creds() });
    expect(r.code).toBe(0);
    expect(readFileSync(settingsOf(h), "utf8")).toContain("<password>${env.ANYPOINT_CLIENT_ID}~?~${env.ANYPOINT_CLIENT_SECRET}</password>");
    expect(r.stdout).toContain("Maven will need ANYPOINT_CLIENT_ID and ANYPOINT_CLIENT_SECRET set when it runs");
    expect(r.stderr).toContain("warning: the client secret holds non-ASCII characters: Java reads environment variables in the locale's encoding");
    expect(mavenServer(h, { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET })).toBe(`${CLIENT_ID}~?~${SECRET}`);
    // Neither the secret nor the client ID reaches the disk: not the file, not the backup.
    const files = filesOf(h);
    expect(files).toHaveLength(2);
    for (const bytes of files) {
      expect(bytes.includes(SECRET)).toBe(false);
      expect(bytes.includes(CLIENT_ID)).toBe(false);
    }
  });

  it("--id-env and --secret-env name the variables; --json lists them; the check still used the real values", async () => {
    accept();
    const h = home();
    const r = await m2(["setup", "--store", "env", "--id-env", "AP_ID", "--secret-env", "AP_SECRET", "--yes", "--json"], { home: h, env: creds({ AP_ID: CLIENT_ID, AP_SECRET: SECRET }) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ change: "added", verified: true, store: "env", variables: ["AP_ID", "AP_SECRET"] });
    expect(JSON.parse(r.stdout).warnings).toEqual([expect.stringContaining("non-ASCII")]);
    expect(anypoint.requests[0]!.body).toContain(`client_id=${CLIENT_ID}`);
    expect(mavenServer(h, { AP_ID: CLIENT_ID, AP_SECRET: SECRET })).toBe(`${CLIENT_ID}~?~${SECRET}`);
  });

  it("verify resolves the variables; with one unset it names it, exits 2 and asks nothing of Anypoint", async () => {
    accept();
    const h = home();
    expect((await m2(["setup", "--store", "env", "--no-verify", "--yes"], { home: h, env: creds() })).code).toBe(0);
    expect((await m2(["verify"], { home: h, env: creds() })).code).toBe(0);
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const unset = await m2(["verify"], { home: h, env: { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_BASE_URL: anypoint.url } });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain("${env.ANYPOINT_CLIENT_SECRET}");
    expect(unset.stderr).toContain("Set ANYPOINT_CLIENT_SECRET");
    expect(unset.stderr).not.toContain("${env.ANYPOINT_CLIENT_ID}");
    expect(anypoint.requests).toHaveLength(0);
  });

  it("with --no-verify it needs no credentials (an image build writes the references without them); with the check it does", async () => {
    const h = tempHome();
    const r = await m2(["setup", "--store", "env", "--no-verify", "--yes", "--settings", "s.xml"], { home: h });
    expect(r.code).toBe(0);
    expect(readFileSync(join(h, "s.xml"), "utf8")).toContain("<password>${env.ANYPOINT_CLIENT_ID}~?~${env.ANYPOINT_CLIENT_SECRET}</password>");
    expect(r.stderr).toContain("warning: ANYPOINT_CLIENT_ID and ANYPOINT_CLIENT_SECRET are not set in this environment");
    const checked = await m2(["setup", "--store", "env", "--yes", "--settings", "t.xml"], { home: h, env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(checked.code).toBe(2);
    expect(checked.stderr).toContain("missing input");
  });

  it.each([
    [["--store", "literal", "--id-env", "X"], "--id-env goes with --store env"],
    [["--store", "env", "--security-file", "s.xml"], "--security-file goes with --store encrypted"],
    [["--secret-env", "1BAD"], "--secret-env takes the name of an environment variable"],
    [["--id-env", "A-B"], "--id-env takes the name of an environment variable"],
    [["--maven-reads-security-file"], "--maven-reads-security-file goes with --security-file"],
    [["--store", "env", "--maven-reads-security-file", "--security-file", "s.xml"], "--security-file goes with --store encrypted, not --store env"],
  ])("%j is a usage error (exit 2), nothing written", async (args, message) => {
    const h = home();
    const r = await m2(["setup", ...args, "--no-verify", "--yes"], { home: h, env: creds() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(readFileSync(settingsOf(h), "utf8")).toBe(OTHER);
  });
});

describe("--store encrypted", () => {
  it("Maven's decrypter gives the exact id~?~secret; the file holds no secret; a second run changes nothing", async () => {
    accept();
    const h = home();
    const security = withSecurity(h);
    const r = await m2(["setup", "--store", "encrypted", "--yes", "--json"], { home: h, env: creds() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ change: "added", verified: true, store: "encrypted", securityFile: security });
    expect(decryptedServer(h, security)).toEqual({ password: `${CLIENT_ID}~?~${SECRET}`, problems: 0 });
    for (const bytes of filesOf(h)) {
      expect(bytes.includes(SECRET)).toBe(false);
      expect(bytes.includes(CLIENT_ID)).toBe(false);
    }
    const before = readFileSync(settingsOf(h));
    const again = await m2(["setup", "--store", "encrypted", "--yes", "--json"], { home: h, env: creds() });
    expect(JSON.parse(again.stdout)).toMatchObject({ change: "unchanged" });
    expect(readFileSync(settingsOf(h)).equals(before)).toBe(true);
  });

  it("without a security file: exit 2 naming mvn --encrypt-master-password and --security-file, nothing written", async () => {
    const h = home();
    const r = await m2(["setup", "--store", "encrypted", "--no-verify", "--yes"], { home: h, env: creds() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`there is no security file at ${join(h, ".m2", "settings-security.xml")}`);
    expect(r.stderr).toContain("mvn --encrypt-master-password");
    expect(r.stderr).toContain("--security-file");
    expect(readdirSync(join(h, ".m2"))).toEqual(["settings.xml"]);
    expect(readFileSync(settingsOf(h), "utf8")).toBe(OTHER);
  });

  it("finds the file as Maven does: -Dsettings.security (with ~ as user.home), --security-file, a <relocation>", async () => {
    const h = home();
    mkdirSync(join(h, "keys"));
    const real = join(h, "keys", "real.xml");
    writeFileSync(real, securityXml(MASTER));
    writeFileSync(join(h, "keys", "relocating.xml"), `<settingsSecurity><relocation>${real}</relocation></settingsSecurity>`);
    const viaProperty = await m2(["setup", "--store", "encrypted", "--no-verify", "--yes", "--json"], {
      home: h,
      env: creds({ MAVEN_OPTS: `-Duser.home=${h} -Dsettings.security=~/keys/relocating.xml` }),
    });
    expect(viaProperty.code).toBe(0);
    expect(JSON.parse(viaProperty.stdout)).toMatchObject({ securityFile: real });
    expect(decryptedServer(h, real)).toEqual({ password: `${CLIENT_ID}~?~${SECRET}`, problems: 0 });
    const viaOption = await m2(["setup", "--security-file", "keys/real.xml", "--maven-reads-security-file", "--server-id", "second", "--no-verify", "--yes", "--json"], { home: h, env: creds() });
    expect(JSON.parse(viaOption.stdout)).toMatchObject({ store: "encrypted", securityFile: real });
    expect(decryptedServer(h, real, "second")).toEqual({ password: `${CLIENT_ID}~?~${SECRET}`, problems: 0 });
  });

  it("a Maven 4 security file is refused clearly (exit 2), nothing written", async () => {
    const h = home();
    writeFileSync(join(h, ".m2", "settings-security4.xml"), `<settingsSecurity xmlns="http://codehaus-plexus.github.io/plexus-sec-dispatcher/4.0.0"><modelVersion>4.0</modelVersion></settingsSecurity>`);
    const r = await m2(["setup", "--store", "encrypted", "--no-verify", "--yes"], { home: h, env: creds() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("settings-security4.xml is Maven 4's");
    const named = await m2(["setup", "--security-file", join(h, ".m2", "settings-security4.xml"), "--maven-reads-security-file", "--no-verify", "--yes"], { home: h, env: creds() });
    expect(named.code).toBe(2);
    expect(named.stderr).toContain("Maven 4");
    expect(readFileSync(settingsOf(h), "utf8")).toBe(OTHER);
  });
});

describe("switching stores", () => {
  it("literal -> encrypted -> env: each an ordinary update, only the password's text changes", async () => {
    const h = home();
    const security = withSecurity(h);
    const passwordLine = /<password>[^<]*<\/password>/g;
    const run = (store: string) => m2(["setup", "--store", store, "--no-verify", "--yes"], { home: h, env: creds() });
    expect((await run("literal")).code).toBe(0);
    let previous = readFileSync(settingsOf(h), "utf8");
    for (const store of ["encrypted", "env", "literal"]) {
      const r = await run(store);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Updated server "anypoint-exchange-v3"');
      const now = readFileSync(settingsOf(h), "utf8");
      expect(now.replace(passwordLine, "<password/>")).toBe(previous.replace(passwordLine, "<password/>"));
      expect(now).not.toBe(previous);
      previous = now;
    }
    expect(decryptedServer(h, security).password).toBe(`${CLIENT_ID}~?~${SECRET}`);
  });
});

describe("running setup again without --store", () => {
  const password = (h: string) => /<id>anypoint-exchange-v3<\/id>\s*<username>[^<]*<\/username>\s*<password>([^<]*)<\/password>/.exec(readFileSync(settingsOf(h), "utf8"))![1]!;

  it("keeps the env store and its variables: the secret is not written back into the file", async () => {
    const h = home();
    expect((await m2(["setup", "--store", "env", "--id-env", "AP_ID", "--secret-env", "AP_SECRET", "--no-verify", "--yes"], { home: h, env: creds() })).code).toBe(0);
    const before = readFileSync(settingsOf(h));
    const r = await m2(["setup", "--no-verify", "--yes", "--json"], { home: h, env: creds() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ store: "env", change: "unchanged", variables: ["AP_ID", "AP_SECRET"] });
    expect(r.stderr).toContain("note: the password stays in the env store the server already has; pass --store literal to write it as is");
    expect(readFileSync(settingsOf(h)).equals(before)).toBe(true);
    // Named, the literal store is written.
    expect((await m2(["setup", "--store", "literal", "--no-verify", "--yes"], { home: h, env: creds() })).code).toBe(0);
    expect(password(h)).toContain(CLIENT_ID);
  });

  it("keeps the encrypted store: the value still decrypts to the same, so nothing changes", async () => {
    const h = home();
    withSecurity(h);
    expect((await m2(["setup", "--store", "encrypted", "--no-verify", "--yes"], { home: h, env: creds() })).code).toBe(0);
    const before = readFileSync(settingsOf(h));
    const r = await m2(["setup", "--no-verify", "--yes", "--json"], { home: h, env: creds() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ store: "encrypted", change: "unchanged" });
    expect(readFileSync(settingsOf(h)).equals(before)).toBe(true);
    expect(password(h)).toMatch(/^\{[A-Za-z0-9+/=]+\}$/);
  });
});

describe("moving the secret out of the file", () => {
  const envPassword = "${env.ANYPOINT_CLIENT_ID}~?~${env.ANYPOINT_CLIENT_SECRET}";
  const literalPassword = `${CLIENT_ID}~?~${SECRET.replace("&", "&amp;").replace("<", "&lt;")}`;

  it.each(["env", "encrypted"])("to %s: the backup keeps the previous version but not the secret, and says so", async (store) => {
    const h = home();
    withSecurity(h);
    expect((await m2(["setup", "--no-verify", "--yes"], { home: h, env: creds() })).code).toBe(0);
    const literal = readFileSync(settingsOf(h), "utf8");
    expect(literal).toContain(literalPassword);
    const r = await m2(["setup", "--store", store, "--no-verify", "--yes", "--with-repositories", "--exchange-url", "https://maven.anypoint.mulesoft.com/api/v3/maven"], { home: h, env: creds() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Previous version saved as ${settingsOf(h)}.bak, with the password this run moved out of the file replaced there too by its ${store} form.`);
    // No file anypoint-m2 wrote or kept holds the secret, as written or escaped.
    const files = filesOf(h);
    expect(files).toHaveLength(3);
    for (const bytes of files) {
      expect(bytes.includes(SECRET)).toBe(false);
      expect(bytes.includes(literalPassword)).toBe(false);
    }
    // The backup is the previous version (the user's comment, the Nexus server, no repositories yet) with
    // the password as it is now stored.
    const now = readFileSync(settingsOf(h), "utf8");
    const password = /<id>anypoint-exchange-v3<\/id>\s*<username>[^<]*<\/username>\s*<password>([^<]*)<\/password>/.exec(now)![1]!;
    if (store === "env") expect(password).toBe(envPassword);
    expect(readFileSync(`${settingsOf(h)}.bak`, "utf8")).toBe(literal.replace(literalPassword, password));
    expect(statSync(`${settingsOf(h)}.bak`).mode & 0o777).toBe(0o600);
    const json = await m2(["setup", "--store", "literal", "--no-verify", "--yes", "--json"], { home: h, env: creds() });
    expect(JSON.parse(json.stdout).backupWithoutSecret).toBeUndefined();
  });

  it("another server that holds the same secret as written is named: the secret is still in the file and its backup", async () => {
    const h = home();
    expect((await m2(["setup", "--server-id", "one", "--server-id", "two", "--no-verify", "--yes"], { home: h, env: creds() })).code).toBe(0);
    const r = await m2(["setup", "--store", "env", "--server-id", "one", "--no-verify", "--yes", "--json"], { home: h, env: creds() });
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { warnings: string[]; backupWithoutSecret?: boolean };
    expect(result.warnings.filter((w) => w.startsWith("server "))).toEqual([expect.stringMatching(/^server "two" \(line \d+\) still holds this secret as written, in this file and its backup: run setup with --server-id two and --store env to move it out too$/)]);
    expect(readFileSync(settingsOf(h), "utf8")).toContain(literalPassword);
    const moved = await m2(["setup", "--store", "env", "--server-id", "two", "--no-verify", "--yes", "--json"], { home: h, env: creds() });
    expect((JSON.parse(moved.stdout) as { warnings: string[] }).warnings.filter((w) => w.startsWith("server "))).toEqual([]);
    for (const bytes of filesOf(h)) expect(bytes.includes(literalPassword)).toBe(false);
  });

  it("a second server of the same id (Maven ignores it) that holds the secret as written is named too", async () => {
    const twice = `<settings>\n  <servers>\n${[1, 2].map(() => `    <server>\n      <id>anypoint-exchange-v3</id>\n      <username>~~~Client~~~</username>\n      <password>${literalPassword}</password>\n    </server>\n`).join("")}  </servers>\n</settings>\n`;
    const h = home(twice);
    const r = await m2(["setup", "--store", "env", "--no-verify", "--yes", "--json"], { home: h, env: creds() });
    expect(r.code).toBe(0);
    const warnings = (JSON.parse(r.stdout) as { warnings: string[] }).warnings;
    expect(warnings).toContainEqual(expect.stringMatching(/^a second server "anypoint-exchange-v3" \(line 8\), which Maven ignores \(the first with an id wins\), still holds this secret as written, in this file and its backup: delete it from the file$/));
  });

  it("anyone else's password replaced with --on-existing update stays in the backup: that is what it is for", async () => {
    const h = home();
    const r = await m2(["setup", "--store", "env", "--server-id", "nexus", "--on-existing", "update", "--no-verify", "--yes", "--json"], { home: h, env: creds() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ change: "updated", backup: `${settingsOf(h)}.bak` });
    expect(JSON.parse(r.stdout).backupWithoutSecret).toBeUndefined();
    expect(readFileSync(`${settingsOf(h)}.bak`, "utf8")).toBe(OTHER);
  });
});

describe("Maven's traps", () => {
  it("Maven itself: a literal with braces fails to decrypt and goes out as written (the reason for the trap)", () => {
    const h = home(`<settings><servers><server><id>x</id><username>~~~Client~~~</username><password>${CLIENT_ID}~?~se{cr}et</password></server></servers></settings>`);
    expect(decryptedServer(h, withSecurity(h), "x")).toEqual({ password: `${CLIENT_ID}~?~se{cr}et`, problems: 1 });
  });

  it("Maven itself: without a UTF-8 locale, a non-ASCII variable reaches Maven as other characters (the reason for the env warning)", () => {
    const h = home(`<settings><servers><server><id>x</id><username>~~~Client~~~</username><password>\${env.S}</password></server></servers></settings>`);
    const answer = settingsProbe.ask([["server", settingsOf(h), "x"].join("\t")], { PATH: process.env.PATH!, S: "sëcret" })[0]!;
    expect(answer).toMatch(/^ok /);
    expect(unb64(answer.split(" ")[2]!)).not.toBe("sëcret");
    expect(mavenServer(h, { S: "sëcret" }, "x")).toBe("sëcret");
  });

  it("Maven itself: a carriage return in a variable reaches Maven as a line feed (the reason the env store refuses one)", () => {
    const h = home(`<settings><servers><server><id>x</id><username>~~~Client~~~</username><password>\${env.S}</password></server></servers></settings>`);
    expect(mavenServer(h, { S: "sec\rret" }, "x")).toBe("sec\nret");
    expect(mavenServer(h, { S: "sec\r\nret" }, "x")).toBe("sec\nret");
  });

  it("a carriage return in the secret: refused (exit 2) for env as for literal, before any request; encrypted keeps it exactly", async () => {
    accept();
    const secret = "sec\rret-5e1c";
    for (const store of ["env", "literal"]) {
      const h = home();
      const r = await m2(["setup", "--store", store, "--yes"], { home: h, env: creds({ ANYPOINT_CLIENT_SECRET: secret }) });
      expect(r.code, store).toBe(2);
      expect(r.stderr).toContain("carriage return (U+000D)");
      expect(anypoint.requests).toHaveLength(0);
      expect(readFileSync(settingsOf(h), "utf8")).toBe(OTHER);
      expect(readdirSync(join(h, ".m2"))).toEqual(["settings.xml"]);
    }
    const h = home();
    const security = withSecurity(h);
    const r = await m2(["setup", "--store", "encrypted", "--no-verify", "--yes"], { home: h, env: creds({ ANYPOINT_CLIENT_SECRET: secret }) });
    expect(r.code).toBe(0);
    expect(decryptedServer(h, security)).toEqual({ password: `${CLIENT_ID}~?~${secret}`, problems: 0 });
  });

  it.each([
    ["braces", "se{cr}et", 'the client secret holds "{" and "}"'],
    ["${", "se${cr}et", "the client secret holds a ${...} expression"],
  ])("a literal with %s is refused (exit 2) before any request, the file byte for byte as it was", async (_name, secret, message) => {
    accept();
    const h = home();
    const r = await m2(["setup", "--yes"], { home: h, env: creds({ ANYPOINT_CLIENT_SECRET: secret }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain("--store encrypted");
    expect(r.stderr).not.toContain(secret);
    expect(anypoint.requests).toHaveLength(0);
    expect(readFileSync(settingsOf(h), "utf8")).toBe(OTHER);
    expect(readdirSync(join(h, ".m2"))).toEqual(["settings.xml"]);
  });

  it.each([
    ["braces", "se{cr}et", 'the client secret holds "{" and "}"'],
    ["${", "se${cr}et", "the client secret holds a ${...} expression"],
  ])("the env store with %s is written, with a warning", async (_name, secret, message) => {
    const h = home();
    const r = await m2(["setup", "--store", "env", "--no-verify", "--yes"], { home: h, env: creds({ ANYPOINT_CLIENT_SECRET: secret }) });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: ${message}`);
    expect(r.stderr).toContain("--store encrypted");
  });

  it.each([["se{cr}et"], ["se${cr}et"]])("the encrypted store takes %s as it is: Maven decrypts it exactly, no warning", async (secret) => {
    const h = home();
    const security = withSecurity(h);
    const r = await m2(["setup", "--store", "encrypted", "--no-verify", "--yes"], { home: h, env: creds({ ANYPOINT_CLIENT_SECRET: secret }) });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("the client secret holds");
    expect(decryptedServer(h, security)).toEqual({ password: `${CLIENT_ID}~?~${secret}`, problems: 0 });
  });

  it.each([
    ["client secret", "~", { ANYPOINT_CLIENT_SECRET: "sec~ret" }],
    ["client secret", "?", { ANYPOINT_CLIENT_SECRET: "sec?ret" }],
    ["client ID", "?", { ANYPOINT_CLIENT_ID: "id?x" }],
  ])("a %s holding %s is warned about (the Mule deployer splits there), and written", async (label, char, over) => {
    const h = home();
    const r = await m2(["setup", "--no-verify", "--yes"], { home: h, env: creds(over) });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: the ${label} holds "${char}": the Mule Maven plugin's deployer splits the password`);
    expect(readFileSync(settingsOf(h), "utf8")).toContain("<id>anypoint-exchange-v3</id>");
  });

  it("the env store with its variables unset here: a warning naming them", async () => {
    const h = home();
    const r = await m2(["setup", "--store", "env", "--id-env", "CI_ID", "--secret-env", "CI_SECRET", "--no-verify", "--yes"], { home: h, env: creds() });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("warning: CI_ID and CI_SECRET are not set in this environment");
    const other = await m2(["setup", "--store", "env", "--no-verify", "--yes"], { home: h, env: creds({ ANYPOINT_CLIENT_SECRET: SECRET, ANYPOINT_CLIENT_ID: CLIENT_ID }) });
    expect(other.stderr).not.toContain("not set");
  });
});

describe("verify reads every store", () => {
  const serverWith = (password: string) =>
    home(`<settings>\n  <servers>\n    <server>\n      <id>anypoint-exchange-v3</id>\n      <username>~~~Client~~~</username>\n      <password>${password}</password>\n    </server>\n  </servers>\n</settings>\n`);

  it("an encrypted password: decrypted with the security file, then the token check", async () => {
    accept();
    const h = serverWith(encrypt(`${CLIENT_ID}~?~${SECRET}`, MASTER));
    withSecurity(h);
    const r = await m2(["verify"], { home: h, env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("accepted");
    expect(anypoint.requests[0]!.body).toContain(`client_id=${CLIENT_ID}`);
  });

  it.each([
    ["a wrong master password", () => encrypt(`${CLIENT_ID}~?~${SECRET}`, "Another-Master"), "does not decrypt with the master password of"],
    ["a literal with braces", () => `${CLIENT_ID}~?~se{cr}et`, "does not decrypt with the master password of"],
    ["a Maven 4 value", () => "{[name=master,cipher=AES/GCM/NoPadding,version=4.0]vvq66pZ7rkvzSPStGTI9q4QDnsmuDwo+LtjraRel2b0XpcGJFdXcYAHAS75HUA6GLpcVtEkmyQ==}", "Maven 4's format"],
  ])("%s: exit 2, said clearly, no request", async (_name, password, message) => {
    accept();
    const h = serverWith(password());
    const security = withSecurity(h);
    const r = await m2(["verify"], { home: h, env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    if (message.startsWith("does not")) expect(r.stderr).toContain(security);
    expect(anypoint.requests).toHaveLength(0);
  });

  it("--security-file names the file to decrypt with, when Maven reads it: -Dsettings.security names it, or --maven-reads-security-file says so", async () => {
    accept();
    const h = serverWith(encrypt(`${CLIENT_ID}~?~${SECRET}`, MASTER));
    mkdirSync(join(h, "elsewhere"));
    const sec = join(h, "elsewhere", "sec.xml");
    writeFileSync(sec, securityXml(MASTER));
    const env = { ANYPOINT_BASE_URL: anypoint.url };
    expect((await m2(["verify"], { home: h, env })).code).toBe(2);
    const unread = await m2(["verify", "--security-file", sec], { home: h, env });
    expect(unread.code).toBe(2);
    expect(unread.stderr).toContain(`--security-file ${sec} is not the security file Maven reads`);
    expect((await m2(["verify", "--security-file", sec, "--maven-reads-security-file"], { home: h, env })).code).toBe(0);
    expect((await m2(["verify", "--security-file", sec], { home: h, env: { ...env, MAVEN_OPTS: `-Duser.home=${h} -Dsettings.security=${sec}` } })).code).toBe(0);
  });
});

describe("list shows each store, never a value", () => {
  it("env: its variables and those unset; encrypted: whether this machine decrypts it", async () => {
    const good = encrypt(`${CLIENT_ID}~?~${SECRET}`, MASTER);
    const bad = encrypt(`${CLIENT_ID}~?~${SECRET}`, "Another-Master");
    const servers = [
      ["env", "${env.AP_ID}~?~${env.AP_SECRET}"],
      ["good", good],
      ["bad", bad],
      ["plain", `${CLIENT_ID}~?~plain-secret`],
    ].map(([id, password]) => `<server><id>${id}</id><username>~~~Client~~~</username><password>${password}</password></server>`);
    const h = home(`<settings><servers>${servers.join("")}</servers></settings>`);
    const security = withSecurity(h);
    const r = await m2(["list", "--json"], { home: h, env: { AP_ID: CLIENT_ID } });
    expect(r.code).toBe(0);
    const listed = JSON.parse(r.stdout) as { securityFile: string; servers: Record<string, unknown>[] };
    expect(listed.securityFile).toBe(security);
    expect(listed.servers.map(({ id, password, variables, unset, decrypts, clientId }) => ({ id, password, variables, unset, decrypts, clientId }))).toEqual([
      { id: "env", password: "env", variables: ["AP_ID", "AP_SECRET"], unset: ["AP_SECRET"], decrypts: undefined, clientId: "${env.AP_ID}" },
      // Decrypted here: its client ID shows, as a literal one does (never the secret).
      { id: "good", password: "encrypted", variables: undefined, unset: undefined, decrypts: true, clientId: CLIENT_ID },
      { id: "bad", password: "encrypted", variables: undefined, unset: undefined, decrypts: false, clientId: null },
      { id: "plain", password: "literal", variables: undefined, unset: undefined, decrypts: undefined, clientId: CLIENT_ID },
    ]);
    const text = await m2(["list"], { home: h, env: { AP_ID: CLIENT_ID } });
    expect(text.stdout).toContain("password from $AP_ID, $AP_SECRET (AP_SECRET not set here)");
    expect(text.stdout).toContain(`decrypts with ${security}`);
    expect(text.stdout).toContain(`does not decrypt with ${security}`);
    for (const out of [r.stdout, text.stdout]) for (const value of [SECRET, good, bad, "plain-secret", MASTER]) expect(out).not.toContain(value);
  });

  it("without a security file, an encrypted password does not decrypt, as in Maven, saying why", async () => {
    const h = home(`<settings><servers><server><id>e</id><username>~~~Client~~~</username><password>${encrypt("a~?~b", MASTER)}</password></server></servers></settings>`);
    const r = await m2(["list"], { home: h });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`does not decrypt: encrypted passwords need Maven's master password, but there is no security file at ${join(h, ".m2", "settings-security.xml")}`);
    expect(decryptedServer(h, join(h, ".m2", "settings-security.xml"), "e").problems).toBe(1);
    const json = JSON.parse((await m2(["list", "--json"], { home: h })).stdout) as { servers: { decrypts: unknown }[]; securityProblem: string };
    expect(json.servers[0]!.decrypts).toBe(false);
    expect(json.securityProblem).toContain("there is no security file");
  });
});

describe("the security file Maven reads, read as Maven reads it", () => {
  const VALUE = () => encrypt(`${CLIENT_ID}~?~${SECRET}`, MASTER);
  const withServer = (password: string) =>
    home(`<settings>\n  <servers>\n    <server>\n      <id>anypoint-exchange-v3</id>\n      <username>~~~Client~~~</username>\n      <password>${password}</password>\n    </server>\n  </servers>\n</settings>\n`);

  it("--security-file where Maven does not look: exit 2 saying how to tell Maven, nothing written or created; Maven's decrypter would not open the value", async () => {
    const h = home();
    const elsewhere = join(h, "keys", "sec.xml");
    mkdirSync(join(h, "keys"));
    writeFileSync(elsewhere, securityXml(MASTER));
    const r = await m2(["setup", "--store", "encrypted", "--security-file", elsewhere, "--no-verify", "--yes"], { home: h, env: creds() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--security-file ${elsewhere} is not the security file Maven reads: Maven reads ${join(h, ".m2", "settings-security.xml")} (Maven's default)`);
    expect(r.stderr).toContain(`-Dsettings.security=${elsewhere} in MAVEN_OPTS, ~/.mavenrc or .mvn/jvm.config`);
    expect(readFileSync(settingsOf(h), "utf8")).toBe(OTHER);
    expect(readdirSync(join(h, ".m2"))).toEqual(["settings.xml"]);
    // What the refusal spares: a value encrypted with that file, which Maven (reading its default) cannot open.
    writeFileSync(settingsOf(h), `<settings><servers><server><id>x</id><username>u</username><password>${VALUE()}</password></server></servers></settings>`);
    expect(decryptedServer(h, join(h, ".m2", "settings-security.xml"), "x").problems).toBe(1);
    // Told: Maven has it in MAVEN_OPTS here, or the user says it is told elsewhere.
    writeFileSync(settingsOf(h), OTHER);
    const told = await m2(["setup", "--store", "encrypted", "--security-file", elsewhere, "--no-verify", "--yes"], { home: h, env: creds({ MAVEN_OPTS: `-Duser.home=${h} -Dsettings.security=${elsewhere}` }) });
    expect(told.code).toBe(0);
    expect(decryptedServer(h, elsewhere)).toEqual({ password: `${CLIENT_ID}~?~${SECRET}`, problems: 0 });
    const said = await m2(["setup", "--store", "encrypted", "--security-file", elsewhere, "--maven-reads-security-file", "--server-id", "second", "--no-verify", "--yes"], { home: h, env: creds() });
    expect(said.code).toBe(0);
    expect(decryptedServer(h, elsewhere, "second")).toEqual({ password: `${CLIENT_ID}~?~${SECRET}`, problems: 0 });
  });

  it("an empty -Dsettings.security (an unset variable) is Maven failing, not Maven's default: setup exit 2, list says it does not decrypt", async () => {
    const h = withServer(VALUE());
    withSecurity(h);
    const env = creds({ MAVEN_OPTS: `-Duser.home=${h} -Dsettings.security=` });
    const r = await m2(["setup", "--store", "encrypted", "--no-verify", "--yes"], { home: h, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("-Dsettings.security in MAVEN_OPTS is empty (an unset variable?): Maven fails on it");
    // Maven's decrypter with the property empty: the value goes out as written, with a problem.
    const written = /<password>(.*)<\/password>/.exec(readFileSync(settingsOf(h), "utf8"))![1]!;
    expect(decryptedServer(h, "")).toEqual({ password: written, problems: 1 });
    const listed = JSON.parse((await m2(["list", "--json"], { home: h, env })).stdout) as { servers: { decrypts: unknown }[]; securityProblem: string };
    expect(listed.servers[0]!.decrypts).toBe(false);
    expect(listed.securityProblem).toContain("is empty");
    expect((await m2(["verify"], { home: h, env: { ...env, ANYPOINT_BASE_URL: anypoint.url } })).code).toBe(2);
  });

  it("a relative -Dsettings.security names no one file (Maven opens it from each build's folder): exit 2, and the wizard's path is never taken", async () => {
    const h = home();
    mkdirSync(join(h, "conf"));
    writeFileSync(join(h, "conf", "s.xml"), securityXml(MASTER));
    const r = await m2(["setup", "--store", "encrypted", "--no-verify", "--yes"], { home: h, env: creds({ MAVEN_OPTS: `-Duser.home=${h} -Dsettings.security=conf/s.xml` }), cwd: h });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("is a relative path, conf/s.xml: Maven opens it from the folder each build runs in");
    expect(readFileSync(settingsOf(h), "utf8")).toBe(OTHER);
  });

  it("a security file Maven's strict reader rejects: setup refuses it with the line, and list, verify and doctor say the value does not decrypt, as Maven's dispatcher fails", async () => {
    const h = withServer(VALUE());
    const security = join(h, ".m2", "settings-security.xml");
    writeFileSync(security, securityXml(MASTER).replace("<settingsSecurity>", '<settingsSecurity version="1">'));
    expect(cipherProbe.ask([["dispatch", security, Buffer.from(VALUE()).toString("base64")].join("\t")])[0]).toMatch(/^fail: .*Unknown attribute 'version'/);
    const setup = await m2(["setup", "--store", "encrypted", "--no-verify", "--yes"], { home: h, env: creds() });
    expect(setup.code).toBe(2);
    expect(setup.stderr).toContain(`${security}:2:`);
    expect(setup.stderr).toContain("<settingsSecurity> has an attribute Maven 3's reader does not know, version: Maven 3's reader rejects the file");
    const listed = await m2(["list"], { home: h });
    expect(listed.stdout).toContain("does not decrypt: ");
    expect(listed.stdout).toContain("Maven 3's reader rejects the file");
    const verify = await m2(["verify"], { home: h, env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(verify.code).toBe(2);
    expect(verify.stderr).toContain("Maven 3's reader rejects the file");
    const doctor = JSON.parse((await m2(["doctor", "--offline", "--json"], { home: h })).stdout) as { findings: { code: string; message: string }[] };
    expect(doctor.findings.find((f) => f.code === "encrypted-undecryptable")?.message).toContain("Maven 3's reader rejects the file");
  });

  it("a value in base64url decrypts nowhere, as in Maven: list says so and setup writes it again, which Maven then decrypts", async () => {
    // A respelled value decrypts by chance (about 1 in 256), in Maven too: take one that Maven cannot decrypt.
    const urls = Array.from({ length: 50 }, VALUE).filter((v) => /[+/]/.test(v)).map((v) => v.replace(/\+/g, "-").replace(/\//g, "_"));
    const answers = cipherProbe.ask(urls.map((u) => ["decrypt", Buffer.from(u).toString("base64"), Buffer.from(MASTER).toString("base64")].join("\t")));
    const url = urls.find((_, i) => answers[i]!.startsWith("fail"))!;
    expect(url).toBeDefined();
    const h = withServer(url);
    const security = withSecurity(h);
    expect(decryptedServer(h, security).problems).toBe(1);
    const listed = JSON.parse((await m2(["list", "--json"], { home: h })).stdout) as { servers: { decrypts: unknown }[] };
    expect(listed.servers[0]!.decrypts).toBe(false);
    const r = await m2(["setup", "--store", "encrypted", "--no-verify", "--yes", "--json"], { home: h, env: creds() });
    expect(JSON.parse(r.stdout)).toMatchObject({ change: "updated" });
    expect(decryptedServer(h, security)).toEqual({ password: `${CLIENT_ID}~?~${SECRET}`, problems: 0 });
  });

  it("a <master> in base64url: Maven's dispatcher cannot open it, and setup refuses it (exit 2)", async () => {
    // As above: a respelled <master> that Maven's cipher cannot decrypt (most of them).
    const masters = Array.from({ length: 50 }, () => encrypt(MASTER, MASTER_PASSPHRASE)).filter((v) => /[+/]/.test(v)).map((v) => v.replace(/\+/g, "-").replace(/\//g, "_"));
    const answers = cipherProbe.ask(masters.map((m) => ["decrypt", Buffer.from(m).toString("base64"), Buffer.from(MASTER_PASSPHRASE).toString("base64")].join("\t")));
    const master = masters.find((_, i) => answers[i]!.startsWith("fail"))!;
    expect(master).toBeDefined();
    const h = home();
    const security = join(h, ".m2", "settings-security.xml");
    writeFileSync(security, `<settingsSecurity><master>${master}</master></settingsSecurity>`);
    expect(cipherProbe.ask([["dispatch", security, Buffer.from(VALUE()).toString("base64")].join("\t")])[0]).toMatch(/^fail: /);
    const r = await m2(["setup", "--store", "encrypted", "--no-verify", "--yes"], { home: h, env: creds() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("<master> does not decrypt with Maven's passphrase");
    expect(readFileSync(settingsOf(h), "utf8")).toBe(OTHER);
  });
});

describe("secrets", () => {
  it("never appear in any output above", () => {
    expectNoSecret(outputs, [SECRET, TOKEN, MASTER], 20);
  });
});
