// rotate, end to end: one client ID under several ids and stores; every literal and encrypted copy gets the
// new secret (Maven's settings builder and decrypter resolve it for each), env references are reported, other
// servers stay byte for byte, and nothing is written unless Anypoint accepts the new secret.
// @module-tag maven
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decrypt, encrypt } from "../src/maven/cipher";
import { securityXml } from "../src/maven/security";
import { controlPlane, tokenEndpoint, type ControlPlane } from "./helpers/anypoint";
import { expectNoSecret, recorder, tempHome } from "./helpers/cli";
import { compileProbe, type Probe } from "./helpers/maven";

const CLIENT_ID = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
const OLD = "Old-Secret-1a2b";
const NEW = "New-Secret-3c4d&<";
const TOKEN = "tok-3c4d3c4d-0000-4000-8000-3c4d3c4d3c4d";
const MASTER = "Rotate-Master-7e";
const { m2, outputs } = recorder();
const unb64 = (s: string) => Buffer.from(s, "base64").toString("utf8");
const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

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

const server = (id: string, password: string, username = "~~~Client~~~") =>
  `    <server>\n      <id>${id}</id>\n      <username>${username}</username>\n      <password>${password}</password>\n    </server>\n`;

/** The same app as `literal`, `encrypted`, `env` (both parts), `mixed` (ID from a variable, literal secret); others around. */
function settings(): string {
  return (
    `<settings>\n  <!-- rotation -->\n  <servers>\n` +
    server("literal", `${CLIENT_ID}~?~${OLD}`) +
    server("nexus", "nexus-password", "deployer") +
    server("encrypted", encrypt(`${CLIENT_ID}~?~${OLD}`, MASTER)) +
    server("env", "${env.AP_ID}~?~${env.AP_SECRET}") +
    server("other-app", `0000aaaa~?~${OLD}`) +
    server("mixed", `\${env.AP_ID}~?~${OLD}`) +
    `  </servers>\n</settings>\n`
  );
}

function home(text = settings(), security = true): { home: string; path: string; security: string } {
  const h = tempHome();
  mkdirSync(join(h, ".m2"));
  const path = join(h, ".m2", "settings.xml");
  writeFileSync(path, text);
  const sec = join(h, ".m2", "settings-security.xml");
  if (security) writeFileSync(sec, securityXml(MASTER));
  return { home: h, path, security: sec };
}

const env = (over: Record<string, string> = {}) => ({ ANYPOINT_CLIENT_SECRET: NEW, ANYPOINT_BASE_URL: anypoint.url, AP_ID: CLIENT_ID, ...over });
/** The text with every <password>'s content blanked: what must not change outside them. */
const outsidePasswords = (text: string) => text.replace(/<password>[^<]*<\/password>/g, "<password/>");
const passwordOf = (text: string, id: string) => new RegExp(`<id>${id}</id>\\s*<username>[^<]*</username>\\s*<password>([^<]*)</password>`).exec(text)![1]!;

describe("rotate", () => {
  it("updates every literal and encrypted copy, reports env references, leaves the rest byte for byte", async () => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, NEW, TOKEN));
    const { home: h, path, security } = home();
    const before = readFileSync(path, "utf8");
    const r = await m2(["rotate", "--client-id", CLIENT_ID, "--json"], { home: h, env: env() });
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ change: "updated", updated: ["literal", "encrypted", "mixed"], current: [], env: [{ id: "env", variables: ["AP_SECRET"] }], verified: true });
    expect(result.backup).toBe(`${path}.bak`);
    expect(readFileSync(`${path}.bak`, "utf8")).toBe(before);
    const after = readFileSync(path, "utf8");
    expect(outsidePasswords(after)).toBe(outsidePasswords(before));
    for (const id of ["nexus", "env", "other-app"]) expect(passwordOf(after, id)).toBe(passwordOf(before, id));
    // What Maven resolves for each copy: the new secret.
    const resolved = settingsProbe.ask(
      ["literal", "mixed"].map((id) => ["server", path, id].join("\t")),
      { PATH: process.env.PATH!, AP_ID: CLIENT_ID },
    );
    expect(resolved.map((a) => unb64(a.split(" ")[2]!))).toEqual([`${CLIENT_ID}~?~${NEW}`, `${CLIENT_ID}~?~${NEW}`]);
    expect(cipherProbe.ask([["server", path, security, "encrypted"].join("\t")])).toEqual([`ok ${Buffer.from("~~~Client~~~").toString("base64")} ${Buffer.from(`${CLIENT_ID}~?~${NEW}`).toString("base64")} 0`]);
    // Written back encrypted, never as is.
    expect(passwordOf(after, "encrypted")).toMatch(/^\{[A-Za-z0-9+/=]+\}$/);
  });

  it("says in words which ids changed and which variable to update", async () => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, NEW, TOKEN));
    const { home: h, path } = home();
    const r = await m2(["rotate", "--client-id", CLIENT_ID], { home: h, env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("accepted the new secret");
    expect(r.stdout).toContain(`Updated server "literal" (line 4), "encrypted" (line 14), "mixed" (line 29) in ${path}.`);
    expect(r.stdout).toContain('Server "env" (line 19) takes its secret from the environment: update the variable AP_SECRET wherever Maven runs.');
  });

  it("a rejected new secret writes nothing (exit 3)", async () => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, "the-real-one", TOKEN));
    const { home: h, path } = home();
    const before = readFileSync(path);
    const r = await m2(["rotate", "--client-id", CLIENT_ID], { home: h, env: env() });
    expect(r.code).toBe(3);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(`${path}.bak`)).toBe(false);
  });

  it("--no-verify writes without asking Anypoint; a second run finds every copy current", async () => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, NEW, TOKEN));
    const { home: h, path } = home();
    const r = await m2(["rotate", "--client-id", CLIENT_ID, "--no-verify", "--json"], { home: h, env: env() });
    expect(r.code).toBe(0);
    expect(anypoint.requests).toHaveLength(0);
    const written = readFileSync(path);
    const again = await m2(["rotate", "--client-id", CLIENT_ID, "--no-verify", "--json"], { home: h, env: env() });
    expect(JSON.parse(again.stdout)).toMatchObject({ change: "unchanged", updated: [], current: ["literal", "encrypted", "mixed"] });
    expect(readFileSync(path).equals(written)).toBe(true);
  });

  it("--dry-run shows the change, masked, and writes nothing", async () => {
    const { home: h, path } = home();
    const before = readFileSync(path);
    const r = await m2(["rotate", "--client-id", CLIENT_ID, "--no-verify", "--dry-run"], { home: h, env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`-      <password>${CLIENT_ID}~?~********</password>`);
    expect(r.stderr).toContain("Would update");
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("an encrypted copy that cannot be compared (no security file) fails the run (exit 8), quiet or not; the others are updated", async () => {
    const { home: h, path } = home(settings(), false);
    const r = await m2(["rotate", "--client-id", CLIENT_ID, "--no-verify", "--json"], { home: h, env: env() });
    expect(r.code).toBe(8);
    const result = JSON.parse(r.stdout);
    expect(result.updated).toEqual(["literal", "mixed"]);
    expect(result.unchecked).toEqual([{ id: "encrypted", line: 14, reason: expect.stringContaining(`its password is encrypted: decrypting it needs Maven's master password, but there is no security file at ${join(h, ".m2", "settings-security.xml")}`) }]);
    expect(r.stderr).toContain('anypoint-m2: server "encrypted" (line 14) was not compared (its password is encrypted');
    expect(r.stderr).toContain("it may still hold the old secret");
    expect(decrypt(passwordOf(readFileSync(path, "utf8"), "encrypted"), MASTER)).toBe(`${CLIENT_ID}~?~${OLD}`);
    // --quiet prints nothing but errors: this is one.
    const quiet = home(settings(), false);
    const q = await m2(["rotate", "--client-id", CLIENT_ID, "--no-verify", "--quiet"], { home: quiet.home, env: env() });
    expect(q.code).toBe(8);
    expect(q.stdout).toBe("");
    expect(q.stderr).toContain('server "encrypted" (line 14) was not compared');
    // The hint names what this copy needs, once: not the variable of a copy there is not.
    expect(q.stderr).toContain("Give the security file that decrypts it with --security-file; then run rotate again");
    expect(q.stderr).not.toContain("variable");
    expect(q.stderr.match(/compar/g)).toHaveLength(1);
    expect(passwordOf(readFileSync(quiet.path, "utf8"), "literal")).toBe(`${CLIENT_ID}~?~${escape(NEW)}`);
    // Given its security file, a second run updates it and finds the others current: exit 0.
    writeFileSync(quiet.security, securityXml(MASTER));
    const again = await m2(["rotate", "--client-id", CLIENT_ID, "--no-verify", "--json"], { home: quiet.home, env: env() });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ updated: ["encrypted"], current: ["literal", "mixed"], unchecked: [] });
  });

  it("when the only copies are ones it cannot compare: exit 8, nothing written", async () => {
    const { home: h, path } = home(`<settings>\n  <servers>\n${server("encrypted", encrypt(`${CLIENT_ID}~?~${OLD}`, MASTER))}  </servers>\n</settings>\n`, false);
    const before = readFileSync(path);
    const r = await m2(["rotate", "--client-id", CLIENT_ID, "--no-verify", "--quiet"], { home: h, env: env() });
    expect(r.code).toBe(8);
    expect(r.stderr).toContain('server "encrypted" (line 3) was not compared');
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(`${path}.bak`)).toBe(false);
  });

  it("a new secret a literal copy cannot hold is refused (exit 2), nothing written", async () => {
    const { home: h, path } = home();
    const before = readFileSync(path);
    const r = await m2(["rotate", "--client-id", CLIENT_ID, "--no-verify"], { home: h, env: env({ ANYPOINT_CLIENT_SECRET: "new{secret}" }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('server "literal" (line 4) stores the password as is, and the client secret holds "{" and "}"');
    expect(r.stderr).toContain("anypoint-m2 setup --server-id literal --store encrypted");
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("a copy whose username is ~~~client~~~ in another case is left, and said", async () => {
    const text = settings().replace("  </servers>", `${server("wrong-case", `${CLIENT_ID}~?~${OLD}`, "~~~client~~~")}  </servers>`);
    const { home: h, path } = home(text);
    const r = await m2(["rotate", "--client-id", CLIENT_ID, "--no-verify", "--json"], { home: h, env: env() });
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.updated).not.toContain("wrong-case");
    expect(result.warnings).toContainEqual(expect.stringContaining('server "wrong-case" (line 34) holds this client ID, but its username is "~~~client~~~"'));
    expect(passwordOf(readFileSync(path, "utf8"), "wrong-case")).toBe(`${CLIENT_ID}~?~${OLD}`);
  });

  it("no server with that client ID: exit 2, nothing written", async () => {
    const { home: h, path } = home();
    const before = readFileSync(path);
    const r = await m2(["rotate", "--client-id", "not-there", "--no-verify"], { home: h, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no connected-app server");
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});

describe("secrets", () => {
  it("never appear in any output above", () => {
    expectNoSecret(outputs, [OLD, NEW, escape(NEW), TOKEN, MASTER], 10);
  });
});
