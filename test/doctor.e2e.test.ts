// `anypoint-m2 doctor`, the built CLI: exit codes, text and JSON, the token check against a loopback control
// plane (or none with --offline), and no secret in any output.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encrypt, MASTER_PASSPHRASE } from "../src/maven/cipher";
import { controlPlane, tokenEndpoint, type ControlPlane } from "./helpers/anypoint";
import { expectNoSecret, recorder, tempHome } from "./helpers/cli";
import { basicFor, facade, type FacadeMode } from "./helpers/facade";
import { forwardingProxy } from "./helpers/proxy";

const CLIENT_ID = "d0c70r0123456789abcdef0123456789";
const SECRET = "Doctor-Secret-5150";
const ENV_SECRET = "Env-Stored-Secret-2718";
const ENCRYPTED_SECRET = "Encrypted-Secret-3141";
const MASTER = "Doctor-Master-1618";
const TOKEN = "tok-d0c70r00-1111-4222-8333-944455556666";

let anypoint: ControlPlane;
const { m2, outputs } = recorder();
beforeAll(async () => {
  anypoint = await controlPlane();
});
afterAll(async () => {
  await anypoint.close();
  expectNoSecret(outputs, [SECRET, ENV_SECRET, ENCRYPTED_SECRET, MASTER, TOKEN], 8);
});

const app = (id: string, password: string) => `    <server>\n      <id>${id}</id>\n      <username>~~~Client~~~</username>\n      <password>${password}</password>\n    </server>\n`;
const pomWith = (url = "https://maven.anypoint.mulesoft.com/api/v3/maven") =>
  `<project>\n  <repositories>\n    <repository>\n      <id>anypoint-exchange-v3</id>\n      <url>${url}</url>\n    </repository>\n  </repositories>\n</project>\n`;

/** A HOME that is the project folder too: its settings.xml (mode 600) and pom.xml. */
function project(settings: string | undefined, pom: string | undefined = pomWith()): { home: string; settings: string } {
  const home = tempHome();
  const path = join(home, ".m2", "settings.xml");
  if (settings !== undefined) {
    mkdirSync(join(home, ".m2"));
    writeFileSync(path, settings, { mode: 0o600 });
  }
  if (pom !== undefined) writeFileSync(join(home, "pom.xml"), pom);
  return { home, settings: path };
}

const correct = `<settings>\n  <servers>\n${app("anypoint-exchange-v3", `${CLIENT_ID}~?~${SECRET}`)}  </servers>\n</settings>\n`;

describe("doctor", () => {
  it("a correct setup: the token check passes, no finding, exit 0", async () => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const { home } = project(correct);
    const r = await m2(["doctor"], { home, env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`Project:  ${join(home, "pom.xml")}`);
    expect(r.stdout).toContain(`ok: Anypoint (${new URL(anypoint.url).host}) accepted the credentials of server "anypoint-exchange-v3".`);
    expect(r.stdout).toContain("No problems found.");
    expect(anypoint.requests.filter((q) => q.url === "/accounts/api/v2/oauth2/token")).toHaveLength(1);
  });

  it.each<[FacadeMode | "other-secret", string, string, number, number]>([
    ["accept", "/api/v3/maven", "accepted", 404, 0],
    ["other-secret", "/api/v3/maven", "exchange-unauthorized", 401, 7],
    ["forbid", "/api/v3/maven", "exchange-forbidden", 403, 7],
    ["accept", "/api/v1/maven", "exchange-not-found", 404, 7],
  ])("the Exchange probe (facade %s at %s) after an accepted token: %s", async (mode, path, result, status, code) => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const exchange = await controlPlane();
    exchange.handle(mode === "other-secret" ? facade(CLIENT_ID, "another-secret") : facade(CLIENT_ID, SECRET, { mode }));
    try {
      const { home, settings } = project(correct);
      const r = await m2(["doctor", "--json"], { home, env: { ANYPOINT_BASE_URL: anypoint.url, ANYPOINT_EXCHANGE_URL: `${exchange.url}${path}` } });
      expect(r.code, r.stdout + r.stderr).toBe(code);
      const json = JSON.parse(r.stdout);
      expect(json.exchange).toMatchObject([{ id: "anypoint-exchange-v3", status, result: result.replace(/^exchange-/, "") }]);
      expect(json.findings.map((f: { code: string; file: string; line: number }) => [f.code, f.file, f.line])).toEqual(code === 0 ? [] : [[result, settings, 3]]);
      expect(exchange.requests.at(-1)?.headers.authorization).toBe(path === "/api/v1/maven" ? undefined : basicFor(CLIENT_ID, SECRET));
    } finally {
      await exchange.close();
    }
  });

  it("--offline makes no Exchange probe either", async () => {
    const exchange = await controlPlane();
    exchange.handle(facade(CLIENT_ID, SECRET));
    try {
      const { home } = project(correct);
      const r = await m2(["doctor", "--offline", "--json"], { home, env: { ANYPOINT_BASE_URL: anypoint.url, ANYPOINT_EXCHANGE_URL: `${exchange.url}/api/v3/maven` } });
      expect(JSON.parse(r.stdout).exchange).toEqual([]);
      expect(exchange.requests).toHaveLength(0);
    } finally {
      await exchange.close();
    }
  });

  it("no usable connected app: says that no token check was made, and makes none", async () => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const { home } = project(correct.replace("~~~Client~~~", "~~~client~~~"));
    const r = await m2(["doctor"], { home, env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(r.code).toBe(7);
    expect(r.stdout).toContain("Token check: none made");
    expect(anypoint.requests).toHaveLength(0);
  });

  it("credentials Anypoint rejects: an error at the server's line, exit 7", async () => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, "another-secret", TOKEN));
    const { home, settings } = project(correct);
    const r = await m2(["doctor"], { home, env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(r.code).toBe(7);
    expect(r.stdout).toContain(`error: ${settings}:3: Anypoint rejected the credentials of server "anypoint-exchange-v3" (client ID ${CLIENT_ID})`);
    expect(r.stdout).toContain("1 error.");
  });

  it("--offline asks Anypoint nothing", async () => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const { home } = project(correct);
    const r = await m2(["doctor", "--offline"], { home, env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(r.code).toBe(0);
    expect(anypoint.requests).toHaveLength(0);
    expect(r.stdout).toContain("Not checked with Anypoint (--offline): 1 connected app.");
  });

  it("--json: one object with each finding's severity, code, file, line and fix; exit 7 on an error", async () => {
    const settingsText = `<settings>\n  <mirrors>\n    <mirror>\n      <id>corp</id>\n      <url>https://nexus.corp.example/all</url>\n      <mirrorOf>*</mirrorOf>\n    </mirror>\n  </mirrors>\n  <servers>\n${app("anypoint-exchange-v3", `${CLIENT_ID}~?~${SECRET}`)}  </servers>\n</settings>\n`;
    const { home, settings } = project(settingsText);
    const r = await m2(["doctor", "--offline", "--json"], { home });
    expect(r.code).toBe(7);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ settings, pom: join(home, "pom.xml"), errors: 1, warnings: 0, checked: [], offline: true });
    expect(json.findings).toEqual([
      expect.objectContaining({ severity: "error", code: "mirror-intercepts", file: settings, line: 3, fix: expect.stringContaining("<mirrorOf>*,!anypoint-exchange-v3</mirrorOf>") }),
    ]);
  });

  it("a settings file Maven rejects is a finding with its line, not a failure; the file is left as it was", async () => {
    const broken = `<settings>\n  <servers/>\n  <servers>\n${app("anypoint-exchange-v3", `${CLIENT_ID}~?~${SECRET}`)}  </servers>\n</settings>\n`;
    const { home, settings } = project(broken);
    const r = await m2(["doctor", "--offline"], { home });
    expect(r.code).toBe(7);
    expect(r.stdout).toContain(`error: ${settings}:3: Maven cannot use this settings file: the file has more than one <servers> section`);
    expect(readFileSync(settings, "utf8")).toBe(broken);
  });

  it("a folder where the settings file should be is a finding too", async () => {
    const { home, settings } = project(undefined);
    mkdirSync(settings, { recursive: true });
    const r = await m2(["doctor", "--offline", "--json"], { home });
    expect(r.code).toBe(7);
    expect(JSON.parse(r.stdout).findings.map((f: { code: string }) => f.code)).toEqual(["settings-rejected"]);
  });

  it("passwords stored as ${env.X} and encrypted are checked with what Maven would send, and never printed", async () => {
    anypoint.handle((req, res) => {
      const form = new URLSearchParams(req.body);
      const ok = form.get("client_id") === CLIENT_ID && [ENV_SECRET, ENCRYPTED_SECRET].includes(form.get("client_secret") ?? "");
      res.writeHead(ok ? 200 : 401, { "content-type": "application/json" }).end(JSON.stringify(ok ? { access_token: TOKEN } : { error: "invalid_client" }));
    });
    const home = tempHome();
    mkdirSync(join(home, ".m2"));
    writeFileSync(join(home, ".m2", "settings-security.xml"), `<settingsSecurity>\n  <master>${encrypt(MASTER, MASTER_PASSPHRASE)}</master>\n</settingsSecurity>\n`);
    const settingsText = `<settings>\n  <servers>\n${app("env-app", "${env.APP_ID}~?~${env.APP_SECRET}")}${app("encrypted-app", encrypt(`${CLIENT_ID}~?~${ENCRYPTED_SECRET}`, MASTER))}  </servers>\n</settings>\n`;
    writeFileSync(join(home, ".m2", "settings.xml"), settingsText, { mode: 0o600 });
    const env = { ANYPOINT_BASE_URL: anypoint.url, APP_ID: CLIENT_ID, APP_SECRET: ENV_SECRET };
    const text = await m2(["doctor", "--verbose"], { home, env });
    expect(text.code, text.stdout).toBe(0);
    expect(text.stdout).toContain('accepted the credentials of server "env-app"');
    expect(text.stdout).toContain('accepted the credentials of server "encrypted-app"');
    const json = await m2(["doctor", "--json"], { home, env });
    expect(JSON.parse(json.stdout).checked.map((c: { servers: string[]; result: string }) => [c.servers, c.result])).toEqual([
      [["env-app"], "accepted"],
      [["encrypted-app"], "accepted"],
    ]);
    // Unset, the variables are named; the values never appear (the recorder checks every output).
    const unset = await m2(["doctor", "--offline"], { home, env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(unset.code).toBe(7);
    expect(unset.stdout).toContain('server "env-app": its password needs APP_ID and APP_SECRET, not set in this environment');
  });

  it("the token check goes to the control plane of the pom's Exchange host", async () => {
    const proxy = await forwardingProxy({ username: "corp", password: "pw" });
    try {
      const { home } = project(correct, pomWith("https://maven.eu1.anypoint.mulesoft.com/api/v3/maven"));
      const r = await m2(["doctor", "--json"], { home, env: { HTTPS_PROXY: proxy.url } });
      expect(r.code).toBe(7);
      expect(proxy.seen).toContain("CONNECT eu1.anypoint.mulesoft.com:443");
      const json = JSON.parse(r.stdout);
      expect(json.checked).toMatchObject([{ servers: ["anypoint-exchange-v3"], controlPlane: "eu1.anypoint.mulesoft.com", result: "failed" }]);
      expect(json.findings.map((f: { code: string }) => f.code)).toEqual(["check-failed"]);
    } finally {
      await proxy.close();
    }
  });

  it("--pom names the pom; one that does not exist is a usage error (exit 2)", async () => {
    const { home } = project(correct, undefined);
    mkdirSync(join(home, "app"));
    writeFileSync(join(home, "app", "pom.xml"), pomWith().replace("anypoint-exchange-v3", "other-id"));
    const named = await m2(["doctor", "--offline", "--pom", "app"], { home });
    expect(named.code).toBe(7);
    expect(named.stdout).toContain(`error: ${join(home, "app", "pom.xml")}:4: Exchange repository "other-id" (repositories) has no <server>`);
    const missing = await m2(["doctor", "--pom", "nowhere.xml"], { home });
    expect(missing.code).toBe(2);
  });

  it("--quiet prints only the errors, on stderr", async () => {
    const { home } = project(`<settings>\n  <servers>\n${app("x", "a~?~b")}  </servers>\n</settings>\n`);
    const r = await m2(["doctor", "--offline", "--quiet"], { home });
    expect(r.code).toBe(7);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('Exchange repository "anypoint-exchange-v3" (repositories) has no <server>');
  });
});
