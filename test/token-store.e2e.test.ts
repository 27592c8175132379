// --store token against the loopback control plane: the token written as a ~~~Token~~~ server (judged by
// Maven's settings builder), the client secret nowhere, the expiry reported and told by list, verify and doctor.
// @module-tag maven
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlPlane, tokenEndpoint, type ControlPlane } from "./helpers/anypoint";
import { run, tempHome } from "./helpers/cli";
import { b64, compileProbe, type Probe } from "./helpers/maven";

const CLIENT_ID = "0123456789abcdef0123456789abcdef";
const SECRET = "Token-Store-Secret-77";
const TOKEN = "tok-11111111-2222-4333-8444-555566667777";
const env = { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET };

let cp: ControlPlane;
let probe: Probe;
beforeAll(async () => {
  cp = await controlPlane();
  probe = compileProbe();
}, 120_000);
afterAll(() => cp.close());

function home(settings?: string): { home: string; settings: string } {
  const h = tempHome();
  mkdirSync(join(h, ".m2"));
  const path = join(h, ".m2", "settings.xml");
  if (settings !== undefined) writeFileSync(path, settings);
  return { home: h, settings: path };
}

/** Every file under `dir`, as text. */
const everything = (dir: string): string => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => readFileSync(join(d.parentPath, d.name), "latin1")).join("\n");

describe("--store token", () => {
  it("writes the token as a ~~~Token~~~ server, never the secret, and reports the expiry (text and --json)", async () => {
    cp.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const h = home("<settings>\n  <servers>\n    <server>\n      <id>anypoint-exchange-v3</id>\n      <username>~~~Client~~~</username>\n      <password>" + CLIENT_ID + "~?~" + SECRET + "</password>\n    </server>\n  </servers>\n</settings>\n");
    const started = Date.now();
    const r = await run(["setup", "--store", "token", "--base-url", cp.url, "--json"], { home: h.home, env });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { store: string; tokenExpires: string };
    expect(out.store).toBe("token");
    const expires = Date.parse(out.tokenExpires);
    expect(expires).toBeGreaterThanOrEqual(started + 3600_000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 3600_000);
    const [server] = probe.ask([`server\t${h.settings}\tanypoint-exchange-v3`]);
    expect(server).toBe(`ok ${b64("~~~Token~~~")} ${b64(TOKEN)}`);
    expect(readFileSync(h.settings, "utf8")).toContain(`<password>${TOKEN}</password><!-- anypoint-m2: token expires ${out.tokenExpires} -->`);
    // Neither the file nor its backup, nor any output, holds the secret; no output holds the token.
    expect(everything(h.home)).not.toContain(SECRET);
    for (const text of [r.stdout, r.stderr]) expect(text).not.toContain(TOKEN);
    const text = await run(["setup", "--store", "token", "--base-url", cp.url], { home: h.home, env });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/token of the connected app .*expires at \S+ \(in 60 min\)/);
    expect(text.stdout + text.stderr).not.toContain(TOKEN);
  });

  it("is refused with --no-verify (exit 2)", async () => {
    const h = home();
    const r = await run(["setup", "--store", "token", "--no-verify"], { home: h.home, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--store token needs the credential check");
  });

  it.each(["cloudHubDeployment", "cloudhub2Deployment", "runtimeFabricDeployment", "armDeployment"])("is refused (exit 2) for the server a <%s> deploys with", async (block) => {
    cp.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const h = home();
    writeFileSync(
      join(h.home, "pom.xml"),
      `<project><build><plugins><plugin><artifactId>mule-maven-plugin</artifactId><configuration><${block}><server>\${deploy.id}</server></${block}></configuration></plugin></plugins></build><properties><deploy.id>anypoint-exchange-v3</deploy.id></properties></project>\n`,
    );
    const r = await run(["setup", "--store", "token", "--base-url", cp.url], { home: h.home, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`<${block}> in the pom`);
    expect(cp.requests).toHaveLength(0);
    const other = await run(["setup", "--store", "token", "--server-id", "exchange-only", "--base-url", cp.url], { home: h.home, env });
    expect(other.code).toBe(0);
  });

  it("list, verify and doctor tell an expired token and one expiring within 10 minutes; a fresher one is valid", async () => {
    const settings = (at: string) =>
      `<settings>\n  <servers>\n    <server>\n      <id>anypoint-exchange-v3</id>\n      <username>~~~Token~~~</username>\n      <password>${TOKEN}</password><!-- anypoint-m2: token expires ${at} -->\n    </server>\n  </servers>\n</settings>\n`;
    const pom = `<project><repositories><repository><id>anypoint-exchange-v3</id><url>https://maven.anypoint.mulesoft.com/api/v3/maven</url></repository></repositories></project>\n`;
    const cases = [
      { at: new Date(Date.now() - 600_000).toISOString(), state: "expired", verify: 3, doctor: "token-expired" },
      { at: new Date(Date.now() + 300_000).toISOString(), state: "expiring", verify: 0, doctor: "token-expiring" },
      { at: new Date(Date.now() + 1200_000).toISOString(), state: "valid", verify: 0, doctor: undefined },
      { at: new Date(Date.now() + 5 * 3600_000).toISOString(), state: "valid", verify: 0, doctor: undefined },
    ];
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      const h = home(settings(c.at));
      writeFileSync(join(h.home, "pom.xml"), pom);
      const list = await run(["list", "--json"], { home: h.home });
      const listed = JSON.parse(list.stdout) as { servers: { token: { expiresAt: string; state: string } }[]; warnings?: string[] };
      expect(listed.servers[0]!.token).toEqual({ expiresAt: c.at, state: c.state });
      expect((listed.warnings ?? []).length).toBe(c.state === "valid" ? 0 : 1);
      const verify = await run(["verify", "--base-url", cp.url], { home: h.home });
      expect(verify.code).toBe(c.verify);
      if (c.state !== "expired") expect((verify.stdout + verify.stderr).includes("warning")).toBe(c.state === "expiring");
      expect(verify.stdout + verify.stderr).toContain(c.state === "expired" ? "expired at" : "expires at");
      const doctor = await run(["doctor", "--offline", "--json"], { home: h.home });
      const codes = (JSON.parse(doctor.stdout) as { findings: { code: string }[] }).findings.map((f) => f.code);
      if (c.doctor) expect(codes).toContain(c.doctor);
      else expect(codes.filter((code) => code.startsWith("token-"))).toEqual([]);
      for (const r of [list, verify, doctor]) expect(r.stdout + r.stderr).not.toContain(TOKEN);
    }
  });

  it("a token just written is no warning: setup, list, verify and doctor show it valid; list shows its PASSWORD as token", async () => {
    cp.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const h = home();
    const r = await run(["setup", "--store", "token", "--base-url", cp.url, "--json"], { home: h.home, env });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { findings: { code: string }[]; warnings: string[] };
    expect(out.findings.map((f) => f.code)).toEqual([]);
    expect(out.warnings).toEqual([]);
    const text = await run(["setup", "--store", "token", "--base-url", cp.url], { home: h.home, env });
    expect(text.stdout + text.stderr).not.toMatch(/warning|doctor/);
    const list = await run(["list", "--json"], { home: h.home });
    const listed = JSON.parse(list.stdout) as { servers: { password: string; token: { state: string } }[]; warnings?: string[] };
    expect(listed.servers).toHaveLength(1);
    expect(listed.servers[0]).toMatchObject({ password: "token", token: { state: "valid" } });
    expect(listed.warnings).toBeUndefined();
    const table = await run(["list"], { home: h.home });
    const row = table.stdout.split("\n").find((l) => l.includes("anypoint-exchange-v3"))!;
    expect(row).toMatch(/^\s+anypoint-exchange-v3\s+~~~Token~~~\s+token\s+-\s+\d+\s+Anypoint token: valid \(/);
    const verify = await run(["verify", "--base-url", cp.url], { home: h.home });
    expect(verify.code).toBe(0);
    expect(verify.stdout + verify.stderr).not.toContain("warning");
    const doctor = await run(["doctor", "--offline", "--json"], { home: h.home });
    expect((JSON.parse(doctor.stdout) as { findings: { code: string }[] }).findings.map((f) => f.code).filter((c) => c.startsWith("token-"))).toEqual([]);
  });

  it("is kept when setup runs again without --store: a new token is written, never the secret, and a note says so", async () => {
    cp.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const h = home();
    expect((await run(["setup", "--store", "token", "--base-url", cp.url], { home: h.home, env })).code).toBe(0);
    const NEW = "tok-99999999-2222-4333-8444-555566667777";
    cp.handle(tokenEndpoint(CLIENT_ID, SECRET, NEW));
    const r = await run(["setup", "--yes", "--base-url", cp.url, "--json"], { home: h.home, env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ store: "token", change: "updated" });
    expect(r.stderr).toContain("note: the password stays in the token store the server already has (a new token is requested); pass --store literal to write it as is");
    const [server] = probe.ask([`server\t${h.settings}\tanypoint-exchange-v3`]);
    expect(server).toBe(`ok ${b64("~~~Token~~~")} ${b64(NEW)}`);
    expect(everything(h.home)).not.toContain(SECRET);
    for (const text of [r.stdout, r.stderr]) expect(text).not.toContain(NEW);
  });

  it("works with exec: the private copy holds the token, the secret is nowhere on disk", async () => {
    cp.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const h = home();
    const record = join(h.home, "copy.xml");
    const r = await run(["exec", "--store", "token", "--base-url", cp.url, "--", "sh", "-c", `cp "$ANYPOINT_M2_SETTINGS" "${record}"`], { home: h.home, env });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/expires at \S+ \(in 60 min\)/);
    const [server] = probe.ask([`server\t${record}\tanypoint-exchange-v3`]);
    expect(server).toBe(`ok ${b64("~~~Token~~~")} ${b64(TOKEN)}`);
    expect(everything(h.home)).not.toContain(SECRET);
    expect(readdirSync(join(h.home, ".m2"))).toEqual([]);
  });
});
