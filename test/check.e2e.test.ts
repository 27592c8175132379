// End-to-end runs of the built CLI that check credentials: a loopback control plane, a loopback proxy,
// env files, regions, verify. A failed check leaves settings.xml byte for byte; secrets never show.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { longestCheckMs } from "../src/anypoint/token";
import { controlPlane, tokenEndpoint, type ControlPlane } from "./helpers/anypoint";
import { CLI, cliEnv, expectNoSecret, recorder, tempHome } from "./helpers/cli";
import { homeWithFixture } from "./helpers/e2e-fixtures";
import { echoesOf, leaked } from "./helpers/echoes";
import { forwardingProxy, hostileProxy } from "./helpers/proxy";

const CLIENT_ID = "fedcba9876543210fedcba9876543210";
const SECRET = "Env-Secret-4f9a&x";
const FILE_SECRET = "File-Secret-77b1";
const TOKEN = "tok-aaaabbbb-cccc-4ddd-8eee-ffff00001111";
const { m2, outputs } = recorder();

let anypoint: ControlPlane;
beforeAll(async () => {
  anypoint = await controlPlane();
});
afterAll(async () => {
  await anypoint.close();
});

const accept = () =>
  anypoint.handle((req, res, n) => {
    if (req.url === "/accounts/api/me") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ client: { name: "ci-publisher", org_id: "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" } }));
      return;
    }
    tokenEndpoint(CLIENT_ID, SECRET, TOKEN)(req, res, n);
  });

describe("setup checks first", () => {
  const env = () => ({ ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET, ANYPOINT_BASE_URL: anypoint.url });

  it("writes after Anypoint accepts, and says which app", async () => {
    accept();
    const { home, settings } = homeWithFixture("two-servers-no-final-newline.xml");
    const r = await m2(["setup", "--yes", "--json", "--server-id", "exchange-from-ci"], { home, env: env() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ change: "added", verified: true, app: "ci-publisher", orgId: "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" });
    expect(readFileSync(settings, "utf8")).toContain("<id>exchange-from-ci</id>");
  });

  it.each([
    ["403", (res: import("node:http").ServerResponse) => res.writeHead(403, { "content-type": "application/json" }).end("{}"), 3],
    ["an HTML page", (res: import("node:http").ServerResponse) => res.writeHead(200, { "content-type": "text/html" }).end("<html>login</html>"), 4],
    ["JSON without a token", (res: import("node:http").ServerResponse) => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'), 4],
  ])("leaves settings.xml byte for byte on %s (exit %s)", async (_, reply, code) => {
    anypoint.handle((__, res) => reply(res));
    const { home, settings, original } = homeWithFixture("leading-space-self-closing.xml");
    const r = await m2(["setup", "--yes"], { home, env: env() });
    expect(r.code).toBe(code);
    expect(readFileSync(settings).equals(original)).toBe(true);
    expect(readdirSync(join(home, ".m2"))).toEqual(["settings.xml"]);
  });

  it("ends within the timeout plus a small margin when Anypoint never answers (exit 4)", async () => {
    anypoint.handle(() => undefined);
    const { home, settings, original } = homeWithFixture("flush-left-standalone.xml");
    const r = await m2(["setup", "--yes", "--timeout", "1"], { home, env: env() });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("timed out after 1 s");
    expect(r.ms).toBeLessThan(3000);
    expect(readFileSync(settings).equals(original)).toBe(true);
  });

  it("the hint of a check that could not be made fits the command: setup may skip it with --no-verify, verify may not", async () => {
    anypoint.handle(() => undefined);
    const { home } = homeWithFixture("flush-left-standalone.xml");
    const setup = await m2(["setup", "--yes", "--timeout", "1"], { home, env: env() });
    expect(setup.code).toBe(4);
    expect(setup.stderr).toMatch(/Check the network, the proxy settings and --region\/--host, or pass --no-verify to write without checking\./);
    expect((await m2(["setup", "--yes", "--no-verify"], { home, env: env() })).code).toBe(0);
    const verify = await m2(["verify", "--timeout", "1"], { home, env: env() });
    expect(verify.code).toBe(4);
    expect(verify.stderr).toContain("Check the network, the proxy settings and --region/--host.");
    expect(verify.stderr).not.toContain("--no-verify");
  });

  it("Retry-After: 99999 with --timeout 3: exit 4 at once, not after the 60 s two capped waits took", async () => {
    anypoint.handle((_, res) => res.writeHead(429, { "retry-after": "99999" }).end());
    const { home, settings, original } = homeWithFixture("flush-left-standalone.xml");
    const r = await m2(["setup", "--yes", "--timeout", "3"], { home, env: env() });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("asked to wait 99999 s before trying again; this check waits at most 3 s");
    // README's bound: 4 x timeout + 2 waits of at most the timeout.
    expect(r.ms).toBeLessThan(longestCheckMs(3));
    expect(readFileSync(settings).equals(original)).toBe(true);
  });

  it("Ctrl-C while waiting for Anypoint: exit 130, settings.xml untouched", async () => {
    anypoint.handle(() => undefined);
    const { home, settings, original } = homeWithFixture("flush-left-standalone.xml");
    const child = spawn(CLI, ["setup", "--yes"], { env: cliEnv(home, env()), stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    // The request reaching Anypoint is the moment the run is waiting for it.
    await anypoint.received();
    child.kill("SIGINT");
    const code = await new Promise<number | null>((r) => child.on("exit", r));
    expect(code).toBe(130);
    expect(stderr).toContain("cancelled");
    expect(readFileSync(settings).equals(original)).toBe(true);
    expect(readdirSync(join(home, ".m2"))).toEqual(["settings.xml"]);
  });

  it("exits 4 naming the cause when nothing listens", async () => {
    const { home, settings, original } = homeWithFixture("flush-left-standalone.xml");
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = await m2(["setup", "--yes"], { home, env: { ...env(), ANYPOINT_BASE_URL: `http://127.0.0.1:${port}` } });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("connection refused");
    expect(readFileSync(settings).equals(original)).toBe(true);
  });

  it("refuses conflicting endpoints with exit 2 before any request", async () => {
    accept();
    const home = tempHome();
    const r = await m2(["setup", "--yes", "--region", "eu", "--host", "eu1.anypoint.mulesoft.com"], { home, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--region and --host");
    expect(anypoint.requests).toHaveLength(0);
  });

  it("goes through the proxy from HTTP_PROXY", async () => {
    accept();
    const proxy = await forwardingProxy();
    try {
      const home = tempHome();
      const r = await m2(["setup", "--yes"], { home, env: { ...env(), HTTP_PROXY: proxy.url } });
      expect(r.code).toBe(0);
      expect(proxy.seen.join(" ")).toContain(new URL(anypoint.url).host);
    } finally {
      await proxy.close();
    }
  });

  it("goes through the active <proxy> of the settings.xml being edited", async () => {
    accept();
    const proxy = await forwardingProxy({ username: "corp", password: "pw" });
    try {
      const home = tempHome();
      mkdirSync(join(home, ".m2"));
      const port = new URL(proxy.url).port;
      writeFileSync(
        join(home, ".m2", "settings.xml"),
        `<settings>\n  <proxies>\n    <proxy>\n      <id>corp</id>\n      <host>127.0.0.1</host>\n      <port>${port}</port>\n      <username>corp</username>\n      <password>pw</password>\n    </proxy>\n  </proxies>\n</settings>\n`,
      );
      const r = await m2(["setup", "--yes"], { home, env: env() });
      expect(r.code).toBe(0);
      expect(proxy.seen.length).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  });

  it("warns that --client-secret is visible to other users", async () => {
    accept();
    const home = tempHome();
    const r = await m2(["setup", "--yes", "--client-id", CLIENT_ID, "--client-secret", SECRET], { home, env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("process list");
  });
});

describe("a server that echoes the secret", () => {
  const ECHOED = 'Kq7"zü&<> 9fXv2Lm-41c';
  it.each(echoesOf(CLIENT_ID, ECHOED))("$name: withheld from the text, the JSON and the debug output", async ({ body, forms }) => {
    anypoint.handle((_, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(body));
    const { home, settings, original } = homeWithFixture("flush-left-standalone.xml");
    const env = { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: ECHOED, ANYPOINT_BASE_URL: anypoint.url };
    // Both fail before any lock or write, so they can run at once.
    const [text, json] = await Promise.all([m2(["setup", "--yes", "--verbose"], { home, env }), m2(["setup", "--yes", "--json", "--verbose"], { home, env })]);
    for (const r of [text, json]) {
      expect(r.code).toBe(4);
      expect(leaked(r.stdout + r.stderr, [ECHOED, ...forms])).toEqual([]);
    }
    expect(text.stderr).toContain(`unexpected response from ${anypoint.url} (HTTP 200, no access_token): `);
    expect(text.stderr).toContain("debug: attempt 1: HTTP 200");
    expect(JSON.parse(json.stdout).error.message).toContain(`unexpected response from ${anypoint.url} (HTTP 200, no access_token): `);
    expect(readFileSync(settings).equals(original)).toBe(true);
  });

  it("a proxy's password shows in no debug line or message", async () => {
    accept();
    const proxy = await forwardingProxy({ username: "corp", password: "Pr0xy-Pa55" });
    try {
      const env = { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET, ANYPOINT_BASE_URL: anypoint.url };
      const right = await m2(["setup", "--yes", "--verbose"], { home: tempHome(), env: { ...env, http_proxy: proxy.url.replace("//", "//corp:Pr0xy-Pa55@") } });
      const wrong = await m2(["setup", "--yes", "--verbose", "--json"], { home: tempHome(), env: { ...env, http_proxy: proxy.url.replace("//", "//corp:Pr0xy-Wrong@") } });
      expect(right.code).toBe(0);
      expect(right.stderr).toContain("with proxy credentials");
      expect(wrong.code).toBe(4);
      expect(wrong.stderr).toContain("the proxy answered HTTP 407");
      for (const r of [right, wrong]) expect(r.stdout + r.stderr).not.toMatch(/Pr0xy-/);
    } finally {
      await proxy.close();
    }
  });
});

describe("a hostile or broken proxy", () => {
  const env = { ANYPOINT_CLIENT_SECRET: SECRET };

  it("one that never answers CONNECT: exit 4 within --timeout 1, not after undici's 300 s", async () => {
    const proxy = await hostileProxy("silent");
    try {
      const { home, settings, original } = homeWithFixture("flush-left-standalone.xml");
      const r = await m2(["setup", "--client-id", CLIENT_ID, "--yes", "--timeout", "1"], { home, env: { ...env, HTTPS_PROXY: proxy.url } });
      expect(r.code).toBe(4);
      expect(r.stderr).toContain("through the proxy from HTTPS_PROXY: timed out after 1 s");
      expect(proxy.seen[0]).toMatch(/^CONNECT anypoint\.mulesoft\.com:443 /);
      expect(r.ms).toBeLessThan(3000);
      expect(readFileSync(settings).equals(original)).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it("one that answers CONNECT, then goes silent: exit 4 within --timeout 2, not after TLS's 10 s", async () => {
    const proxy = await hostileProxy("silent-tunnel");
    try {
      const r = await m2(["setup", "--client-id", CLIENT_ID, "--yes", "--timeout", "2"], { home: tempHome(), env: { ...env, HTTPS_PROXY: proxy.url } });
      expect(r.code).toBe(4);
      expect(r.stderr).toContain("timed out after 2 s");
      expect(proxy.seen).toEqual(["CONNECT anypoint.mulesoft.com:443"]);
      expect(r.ms).toBeLessThan(4000);
    } finally {
      await proxy.close();
    }
  });

  const PASSWORD = "Pr0xyPassw0rd";
  const basic = Buffer.from(`corpuser:${PASSWORD}`).toString("base64");
  it.each([
    ["an HTML page", "text/html", (auth: string) => `<html><body><h1>Access denied</h1>user corpuser:${PASSWORD} is not allowed<!-- ${auth} --></body></html>`, "an HTML page, "],
    ["a JSON error", "application/json", (auth: string) => JSON.stringify({ error: "access_denied", message: `user corpuser:${PASSWORD} is not allowed`, code: auth }), ", OAuth error access_denied"],
  ])("one that answers with %s echoing its credentials: never shown, text or JSON", async (_, type, page, described) => {
    const sent: (string | undefined)[] = [];
    const proxy = await hostileProxy(({ proxyAuthorization }, res) => {
      sent.push(proxyAuthorization);
      res.writeHead(200, { "content-type": type }).end(page(proxyAuthorization ?? ""));
    });
    try {
      const proxied = { ...env, ANYPOINT_BASE_URL: anypoint.url, HTTP_PROXY: proxy.url.replace("//", `//corpuser:${PASSWORD}@`) };
      const args = ["setup", "--client-id", CLIENT_ID, "--yes", "--verbose"];
      const [text, json] = await Promise.all([m2(args, { home: tempHome(), env: proxied }), m2([...args, "--json"], { home: tempHome(), env: proxied })]);
      expect(sent).toEqual([`Basic ${basic}`, `Basic ${basic}`]);
      for (const r of [text, json]) {
        expect(r.code).toBe(4);
        expect(leaked(r.stdout + r.stderr, [PASSWORD, basic])).toEqual([]);
      }
      expect(text.stderr).toContain(described);
      expect(JSON.parse(json.stdout).error.message).toContain(described);
    } finally {
      await proxy.close();
    }
  });
});

describe("bad network configuration: exit 2, naming it, before any request", () => {
  const env = () => ({ ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET, ANYPOINT_BASE_URL: anypoint.url });

  it("an HTTP_PROXY that is not a URL", async () => {
    accept();
    const { home, settings, original } = homeWithFixture("flush-left-standalone.xml");
    const r = await m2(["setup", "--yes", "--json"], { home, env: { ...env(), HTTP_PROXY: "http://proxy-user:Pr0xy-Pa55@[bad" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("HTTP_PROXY is not a usable proxy URL");
    expect(JSON.parse(r.stdout).error).toMatchObject({ exitCode: 2 });
    expect(r.stdout + r.stderr).not.toContain("Pr0xy-Pa55");
    expect(readFileSync(settings).equals(original)).toBe(true);
    expect(anypoint.requests).toHaveLength(0);
  });

  it("a settings.xml <proxy> whose port is not a number, naming the proxy, the file and the line", async () => {
    accept();
    const home = tempHome();
    mkdirSync(join(home, ".m2"));
    const settings = join(home, ".m2", "settings.xml");
    const original = `<settings>\n  <proxies>\n    <proxy>\n      <id>corp</id>\n      <host>127.0.0.1</host>\n      <port>31 28</port>\n    </proxy>\n  </proxies>\n</settings>\n`;
    writeFileSync(settings, original);
    const r = await m2(["setup", "--yes"], { home, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${settings}:3: settings.xml <proxy> corp: port "31 28" is not a port number`);
    expect(readFileSync(settings, "utf8")).toBe(original);
    expect(anypoint.requests).toHaveLength(0);
  });

  it("an HTTPS_PROXY whose password holds @ shows none of it", async () => {
    const r = await m2(["setup", "--yes", "--json"], { home: tempHome(), env: { ...env(), ANYPOINT_BASE_URL: "https://127.0.0.1:9", HTTPS_PROXY: "http://corp:P@ssw0rdSecret@proxy:99999" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("HTTPS_PROXY is not a usable proxy URL (not a URL): http://***@proxy:99999");
    expect(r.stdout + r.stderr).not.toContain("ssw0rd");
  });

  it("a --base-url with user:password@, even with --verbose, never shows the password", async () => {
    accept();
    const url = anypoint.url.replace("//", "//user:Base-Pa55@");
    const r = await m2(["setup", "--yes", "--verbose", "--base-url", url], { home: tempHome(), env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--base-url holds a user name or password");
    expect(r.stdout + r.stderr).not.toContain("Base-Pa55");
    expect(anypoint.requests).toHaveLength(0);
  });

  it("a --timeout that is not a positive number of seconds", async () => {
    accept();
    const r = await m2(["setup", "--yes", "--timeout", "0"], { home: tempHome(), env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--timeout takes seconds");
    expect(anypoint.requests).toHaveLength(0);
  });
});

describe("env files", () => {
  it("reads the env file, never over variables already set", async () => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const home = tempHome();
    writeFileSync(join(home, ".env"), `ANYPOINT_CLIENT_ID=${CLIENT_ID}\nANYPOINT_CLIENT_SECRET=${FILE_SECRET}\nANYPOINT_BASE_URL=${anypoint.url}\n`);
    const overridden = await m2(["setup", "--yes", "--env-file", join(home, ".env")], { home, env: { ANYPOINT_CLIENT_SECRET: SECRET } });
    expect(overridden.code).toBe(0);
    const fromFile = await m2(["setup", "--yes", "--env-file", join(home, ".env")], { home });
    expect(fromFile.code).toBe(3);
  });

  it("a project's ./.env does not choose where credentials are sent: its base URL and proxies are ignored", async () => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const home = tempHome();
    // Stored credentials, and a cloned project whose .env points Anypoint at someone else's server.
    const stored = await m2(["setup", "--yes", "--no-verify"], { home, env: { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET } });
    expect(stored.code).toBe(0);
    const project = join(home, "project");
    mkdirSync(project);
    writeFileSync(join(project, ".env"), `ANYPOINT_BASE_URL=${anypoint.url}
HTTPS_PROXY=http://127.0.0.1:9
`);
    // The user's own environment says where Anypoint is (a closed loopback port): with the project's
    // base URL taken as well, the two would conflict (exit 2); ignored, the run goes where the user said.
    const own = { ANYPOINT_HOST: "127.0.0.3:9" };
    const r = await m2(["verify", "--timeout", "2"], { home, cwd: project, env: own });
    expect(r.code).toBe(4);
    expect(anypoint.requests).toHaveLength(0);
    expect(r.stderr).toContain(`ignored ANYPOINT_BASE_URL, HTTPS_PROXY from ${join(project, ".env")}`);
    expect(r.stderr).toContain(`pass --env-file ${join(project, ".env")} to use it`);
    // Named with --env-file, the same file is trusted: now both say where Anypoint is.
    const trusted = await m2(["verify", "--env-file", join(project, ".env"), "--timeout", "2"], { home, cwd: project, env: own });
    expect(trusted.code).toBe(2);
    expect(trusted.stderr).toContain("ANYPOINT_HOST and ANYPOINT_BASE_URL are both set");
  });

  it("reads --env-file PATH, and nothing with --no-env-file", async () => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const home = tempHome();
    writeFileSync(join(home, "ci.env"), `ANYPOINT_CLIENT_ID=${CLIENT_ID}\nANYPOINT_CLIENT_SECRET=${SECRET}\n`);
    writeFileSync(join(home, ".env"), `ANYPOINT_CLIENT_ID=${CLIENT_ID}\n`);
    const r = await m2(["setup", "--yes", "--env-file", join(home, "ci.env")], { home, env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(r.code).toBe(0);
    const none = await m2(["setup", "--yes", "--no-env-file"], { home, env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("client ID");
    // Through the #! line ("node --"), Node leaves --env-file to anypoint-m2 (nodejs/node#54232).
    const missing = await m2(["setup", "--yes", "--env-file", join(home, "nope.env")], { home, env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("does not exist");
  });

  it("reads --env-file from a pipe (--env-file <(vault read ...)), which Node would drain first without the #! line's --", async () => {
    anypoint.handle(tokenEndpoint("pipe-id", SECRET, TOKEN));
    const home = tempHome();
    // Asynchronously: the token endpoint answers from this process.
    const child = spawn("bash", ["-c", `"$0" setup --yes --settings "$HOME/s.xml" --env-file <(printf 'ANYPOINT_CLIENT_ID=pipe-id\\nANYPOINT_CLIENT_SECRET=%s\\n' "$SECRET")`, CLI], {
      cwd: home,
      env: cliEnv(home, { ANYPOINT_BASE_URL: anypoint.url, SECRET }),
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    const r = { status: await new Promise<number | null>((resolve) => child.on("close", resolve)), stderr };
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/ANYPOINT_CLIENT_ID, ANYPOINT_CLIENT_SECRET from \/dev\/fd\/\d+/);
    expect(readFileSync(join(home, "s.xml"), "utf8")).toContain(`<password>pipe-id~?~${SECRET.replaceAll("&", "&amp;")}</password>`);
  });
});

describe("verify", () => {
  const written = async (password: string) => {
    const home = tempHome();
    mkdirSync(join(home, ".m2"));
    writeFileSync(
      join(home, ".m2", "settings.xml"),
      `<settings>\n  <servers>\n    <server>\n      <id>anypoint-exchange-v3</id>\n      <username>~~~Client~~~</username>\n      <password>${password}</password>\n    </server>\n  </servers>\n</settings>\n`,
    );
    return home;
  };

  it("re-checks what is stored and names the app", async () => {
    accept();
    const home = await written(`${CLIENT_ID}~?~Env-Secret-4f9a&amp;x`);
    const r = await m2(["verify", "--json"], { home, env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ serverId: "anypoint-exchange-v3", verified: true, app: "ci-publisher" });
  });

  it("resolves ${env.X} from the environment, as Maven does", async () => {
    accept();
    const home = await written("${env.AP_ID}~?~${env.AP_SECRET}");
    const ok = await m2(["verify"], { home, env: { ANYPOINT_BASE_URL: anypoint.url, AP_ID: CLIENT_ID, AP_SECRET: SECRET } });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("accepted");
    const unset = await m2(["verify"], { home, env: { ANYPOINT_BASE_URL: anypoint.url, AP_ID: CLIENT_ID } });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain("${env.AP_SECRET}");
  });

  it("exits 3 when Anypoint rejects the stored credentials", async () => {
    accept();
    const home = await written(`${CLIENT_ID}~?~old-secret`);
    const r = await m2(["verify"], { home, env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(r.code).toBe(3);
  });

  it("an encrypted password without a security file is exit 2 naming the file, never a false result", async () => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const home = await written("{jSMOWnoPFgsHVpMvz5VrIt5kRbzGpI8u+9EF1iFQyJQ=}");
    const r = await m2(["verify"], { home, env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`there is no security file at ${join(home, ".m2", "settings-security.xml")}`);
    expect(anypoint.requests).toHaveLength(0);
  });
});

describe("secrets", () => {
  it("never appear in stdout or stderr of any scenario above", () => {
    expectNoSecret(outputs, [SECRET, FILE_SECRET, TOKEN, "Env-Secret-4f9a&amp;x"], 50); // 59 runs (measured)
  });
});
