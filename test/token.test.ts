// The credential check against a real HTTP server on 127.0.0.1 playing Anypoint (not a mocked fetch),
// directly and through a real forwarding proxy.
import { createServer } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseProxy } from "../src/anypoint/proxy";
import { BODY_LIMIT, checkCredentials, type TokenRequest } from "../src/anypoint/token";
import { Exit, M2Error } from "../src/errors";
import { readProxies } from "../src/settings/proxies";
import { controlPlane, tokenEndpoint, type ControlPlane } from "./helpers/anypoint";
import { echoesOf, leaked } from "./helpers/echoes";
import { forwardingProxy, hostileProxy } from "./helpers/proxy";

const ID = "0123456789abcdef0123456789abcdef";
const SECRET = "s3cret-Value&<>";
const TOKEN = "tok-1f2e3d4c-0000-4000-8000-000000000042";
const ORG = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

let anypoint: ControlPlane;
beforeAll(async () => {
  anypoint = await controlPlane();
});
afterAll(async () => {
  await anypoint.close();
});

const request = (over: Partial<TokenRequest> = {}): TokenRequest => ({
  base: new URL(anypoint.url),
  clientId: ID,
  clientSecret: SECRET,
  timeoutSeconds: 5,
  proxy: undefined,
  backoffMs: 50,
  ...over,
});

async function failure(promise: Promise<unknown>): Promise<M2Error> {
  const e = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(M2Error);
  const error = e as M2Error;
  // Secrets never reach a message, for any outcome.
  for (const secret of [SECRET, TOKEN]) expect(`${error.message} ${error.details.hint ?? ""}`).not.toContain(secret);
  return error;
}

/** A handler sending `total` bytes in 64 KiB writes as fast as the client reads; `closed` says how many went out. */
function flood(total: number, path?: string) {
  let sent = 0;
  let closed!: (sent: number) => void;
  const done = new Promise<number>((resolve) => (closed = resolve));
  const handler = (req: { url: string }, res: import("node:http").ServerResponse, n: number) => {
    if (path !== undefined && req.url !== path) return json(200, { access_token: TOKEN })(req, res);
    res.writeHead(200, { "content-type": "application/json" });
    const chunk = Buffer.alloc(64 * 1024, "a");
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      res.end();
    };
    res.on("close", () => closed(sent));
    pump();
    return n;
  };
  return { handler, closed: done };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  ((_: unknown, res: import("node:http").ServerResponse) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  });

describe("token check", () => {
  it("succeeds with a token, sends the form Anypoint expects, and names the app from /accounts/api/me", async () => {
    anypoint.handle((req, res, n) => {
      if (req.url === "/accounts/api/me") {
        const ok = req.headers.authorization === `Bearer ${TOKEN}`;
        res.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
        res.end(JSON.stringify(ok ? { client: { client_id: ID, name: "ci-publisher", org_id: ORG } } : {}));
        return;
      }
      tokenEndpoint(ID, SECRET, TOKEN)(req, res, n);
    });
    await expect(checkCredentials(request())).resolves.toEqual({ app: "ci-publisher", orgId: ORG });
    const [token, me] = anypoint.requests;
    expect(token).toMatchObject({ method: "POST", url: "/accounts/api/v2/oauth2/token" });
    expect(token!.headers.accept).toBe("application/json");
    expect(token!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(token!.body))).toEqual({ client_id: ID, client_secret: SECRET, grant_type: "client_credentials" });
    expect(me).toMatchObject({ method: "GET", url: "/accounts/api/me" });
  });

  it("still succeeds when /accounts/api/me fails", async () => {
    anypoint.handle((req, res, n) => (req.url === "/accounts/api/me" ? res.writeHead(500).end() : tokenEndpoint(ID, SECRET, TOKEN)(req, res, n)));
    await expect(checkCredentials(request())).resolves.toEqual({});
  });

  it.each([
    ["an org_id that is not an organization ID, and a name holding the secret", { name: `app ${SECRET}`, org_id: `org ${SECRET}` }],
    ["a name holding the token", { name: `app for ${TOKEN}`, org_id: "org-1234" }],
    ["values that are not text", { name: { first: "x" }, org_id: 42 }],
  ])("/accounts/api/me with %s: not shown, the check still succeeds", async (_, client) => {
    anypoint.handle((req, res, n) => (req.url === "/accounts/api/me" ? json(200, { client })(req, res) : tokenEndpoint(ID, SECRET, TOKEN)(req, res, n)));
    await expect(checkCredentials(request())).resolves.toEqual({});
  });

  it("keeps a path prefix of the base URL (private endpoints)", async () => {
    anypoint.handle(json(200, { access_token: TOKEN }));
    await checkCredentials(request({ base: new URL(`${anypoint.url}/private/cp`) }));
    expect(anypoint.requests[0]!.url).toBe("/private/cp/accounts/api/v2/oauth2/token");
  });

  it("401: credentials rejected, exit 3, with a hint", async () => {
    anypoint.handle(json(401, { error: "invalid_client" }));
    const e = await failure(checkCredentials(request()));
    expect(e.exitCode).toBe(Exit.rejected);
    expect(e.details.hint).toContain("client credentials");
    expect(anypoint.requests).toHaveLength(1);
  });

  it("400: credentials rejected, exit 3", async () => {
    anypoint.handle(json(400, { error: "invalid_request" }));
    expect((await failure(checkCredentials(request()))).exitCode).toBe(Exit.rejected);
  });

  it("403: exit 3 with a hint about Exchange scopes", async () => {
    anypoint.handle(json(403, { message: "forbidden" }));
    const e = await failure(checkCredentials(request()));
    expect(e.exitCode).toBe(Exit.rejected);
    expect(e.details.hint).toContain("Exchange");
  });

  it("500 then success: retried", async () => {
    anypoint.handle((req, res, n) => (n === 1 ? res.writeHead(500).end("oops") : json(200, { access_token: TOKEN })(req, res)));
    await expect(checkCredentials(request())).resolves.toBeDefined();
    expect(anypoint.requests.filter((r) => r.url.endsWith("/token"))).toHaveLength(2);
  });

  it("429 with Retry-After then success: waits as told", async () => {
    anypoint.handle((req, res, n) => (n === 1 ? json(429, { message: "slow down" }, { "retry-after": "1" })(req, res) : json(200, { access_token: TOKEN })(req, res)));
    const started = performance.now();
    await checkCredentials(request());
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(anypoint.requests.filter((r) => r.url.endsWith("/token"))).toHaveLength(2);
  });

  it("5xx three times: exit 4 after 3 attempts", async () => {
    anypoint.handle((_, res) => res.writeHead(503).end());
    const e = await failure(checkCredentials(request()));
    expect(e.exitCode).toBe(Exit.unreachable);
    expect(e.message).toContain("HTTP 503, 3 attempts");
    expect(anypoint.requests).toHaveLength(3);
  });

  it("a reply that never comes: exit 4 'timed out' within the timeout plus a small margin", async () => {
    anypoint.handle(() => undefined);
    const started = performance.now();
    const e = await failure(checkCredentials(request({ timeoutSeconds: 1 })));
    const elapsed = performance.now() - started;
    expect(e.exitCode).toBe(Exit.unreachable);
    expect(e.message).toContain("timed out after 1 s");
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(2500);
  });

  it("an HTML page: exit 4, unexpected response, with the status and what it was, never its text", async () => {
    anypoint.handle((_, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html><body>Corporate proxy login</body></html>"));
    const e = await failure(checkCredentials(request()));
    expect(e.exitCode).toBe(Exit.unreachable);
    expect(e.message).toBe(`unexpected response from ${anypoint.url} (HTTP 200, no access_token): an HTML page, 47 bytes`);
  });

  it("JSON without a token: exit 4, unexpected response, with its type and size", async () => {
    anypoint.handle(json(200, { token_type: "bearer", scope: "none" }));
    const e = await failure(checkCredentials(request()));
    expect(e.exitCode).toBe(Exit.unreachable);
    expect(e.message).toBe(`unexpected response from ${anypoint.url} (HTTP 200, no access_token): an application/json body, 38 bytes`);
  });

  it("a JSON error: exit 4, naming its OAuth error code when it is a registered one, and nothing else of it", async () => {
    anypoint.handle(json(404, { error: "invalid_request", error_description: "No such path", trace: "kept out" }));
    const e = await failure(checkCredentials(request()));
    expect(e.message).toBe(`unexpected response from ${anypoint.url} (HTTP 404): an application/json body, 81 bytes, OAuth error invalid_request`);
    anypoint.handle(json(404, { error: "not_found", error_description: "No such path" }));
    const other = await failure(checkCredentials(request()));
    expect(other.message).toBe(`unexpected response from ${anypoint.url} (HTTP 404): an application/json body, 56 bytes`);
  });

  const ECHOED = 'Kq7"zü&<> 9fXv2Lm-41c';
  it.each(echoesOf(ID, ECHOED).flatMap((echo) => [200, 404].map((status) => ({ ...echo, status }))))(
    "a body echoing the secret $name (HTTP $status): not shown",
    async ({ body, forms, status }) => {
      anypoint.handle((_, res) => res.writeHead(status, { "content-type": "text/html; charset=utf-8" }).end(body));
      const logged: string[] = [];
      const e = await failure(checkCredentials(request({ clientSecret: ECHOED, log: (m) => logged.push(m) })));
      expect(e.exitCode).toBe(Exit.unreachable);
      expect(e.message).toContain(`unexpected response from ${anypoint.url} (HTTP ${status}`);
      const shown = [e.message, e.details.hint ?? "", ...logged].join("\n");
      expect(leaked(shown, [ECHOED, ...forms])).toEqual([]);
    },
  );

  it.each(echoesOf(ID, ECHOED))("a JSON error whose description echoes the secret $name: only its registered error code shown", async ({ body, forms }) => {
    anypoint.handle(json(200, { error: "invalid_client", error_description: body, message: body }));
    const e = await failure(checkCredentials(request({ clientSecret: ECHOED })));
    expect(e.message).toMatch(/\(HTTP 200, no access_token\): an application\/json body, \d+ (bytes|KB), OAuth error invalid_client$/);
    expect(leaked(e.message, [ECHOED, ...forms])).toEqual([]);
  });

  it.each([
    ["a nested access_token", JSON.stringify({ data: { access_token: TOKEN } })],
    ["a non-string access_token", JSON.stringify({ access_token: { value: TOKEN } })],
    ["a JWT", `<p>session eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.${TOKEN}</p>`],
    ["an error field that is a token", JSON.stringify({ error: `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.${TOKEN}` })],
  ])("a body with %s: not shown", async (_, body) => {
    anypoint.handle((__, res) => res.writeHead(200, { "content-type": "application/json" }).end(body));
    const e = await failure(checkCredentials(request()));
    expect(e.message).toContain("unexpected response");
    expect(e.message).not.toContain(TOKEN.slice(0, 12));
  });

  it("an error that is not a registered code, control characters and all, is not shown (a terminal would obey them)", async () => {
    anypoint.handle(json(200, { error: "Bad \x1b[2J\x1b]0;gateway\x07 gateway\r\n" }));
    const e = await failure(checkCredentials(request()));
    expect(e.message).toBe(`unexpected response from ${anypoint.url} (HTTP 200, no access_token): an application/json body, 59 bytes`);
  });

  it("a body past 1 MiB: exit 4, response too large, and the rest is never read", async () => {
    const total = 64 * BODY_LIMIT;
    const { handler, closed } = flood(total);
    anypoint.handle(handler);
    const e = await failure(checkCredentials(request()));
    expect(e.exitCode).toBe(Exit.unreachable);
    expect(e.message).toContain(`response too large from ${anypoint.url} (HTTP 200): more than 1 MiB`);
    expect(await closed).toBeLessThan(total);
    expect(anypoint.requests).toHaveLength(1);
  });

  it("a Content-Length past 1 MiB: exit 4, response too large, without waiting for the body", async () => {
    anypoint.handle((_, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(3 * 1024 ** 3) });
      res.write("{");
    });
    const e = await failure(checkCredentials(request({ timeoutSeconds: 20 })));
    expect(e.message).toContain("response too large");
  });

  it("an /accounts/api/me answer past 1 MiB: ignored, the check still succeeds, the rest is never read", async () => {
    const total = 64 * BODY_LIMIT;
    const { handler, closed } = flood(total, "/accounts/api/me");
    anypoint.handle(handler);
    await expect(checkCredentials(request())).resolves.toEqual({});
    expect(await closed).toBeLessThan(total);
  });

  it("a Retry-After longer than the timeout is not waited for: exit 4 at once, naming it", async () => {
    anypoint.handle(json(429, { message: "slow down" }, { "retry-after": "99999" }));
    const e = await failure(checkCredentials(request({ timeoutSeconds: 1 })));
    expect(e.exitCode).toBe(Exit.unreachable);
    expect(e.message).toContain("answered HTTP 429 and asked to wait 99999 s before trying again; this check waits at most 1 s");
    expect(anypoint.requests).toHaveLength(1);
  });

  it("a Retry-After date within the timeout is waited for", async () => {
    anypoint.handle((req, res, n) => (n === 1 ? json(503, {}, { "retry-after": new Date(Date.now() + 1000).toUTCString() })(req, res) : json(200, { access_token: TOKEN })(req, res)));
    await expect(checkCredentials(request())).resolves.toBeDefined();
    expect(anypoint.requests).toHaveLength(3);
  });

  it("nothing listening: exit 4, connection refused, after 3 attempts", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((r) => closed.close(() => r()));
    const e = await failure(checkCredentials(request({ base: new URL(`http://127.0.0.1:${port}`) })));
    expect(e.exitCode).toBe(Exit.unreachable);
    expect(e.message).toContain("connection refused");
    expect(e.message).toContain("attempt 3 of 3");
  });
});

describe("through a real forwarding proxy", () => {
  it("goes through the proxy named by HTTP_PROXY", async () => {
    const proxy = await forwardingProxy();
    try {
      anypoint.handle(json(200, { access_token: TOKEN }));
      const base = new URL(anypoint.url);
      const choice = chooseProxy(base, { HTTP_PROXY: proxy.url }, []);
      expect(choice?.source).toBe("HTTP_PROXY");
      await checkCredentials(request({ proxy: choice }));
      expect(proxy.seen.join("\n")).toContain(base.host);
      expect(anypoint.requests.length).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  });

  it("goes through the active <proxy> of settings.xml, with its credentials", async () => {
    const proxy = await forwardingProxy({ username: "corp-user", password: "corp&pass" });
    try {
      anypoint.handle(json(200, { access_token: TOKEN }));
      const port = new URL(proxy.url).port;
      const settings = `<settings>
  <proxies>
    <proxy><id>off</id><active>false</active><protocol>http</protocol><host>127.0.0.9</host><port>1</port></proxy>
    <proxy>
      <id>corp</id>
      <protocol>http</protocol>
      <host>127.0.0.1</host>
      <port>${port}</port>
      <username>\${env.PROXY_USER}</username>
      <password>corp&amp;pass</password>
      <nonProxyHosts>*.internal|build-cache</nonProxyHosts>
    </proxy>
  </proxies>
</settings>`;
      const choice = chooseProxy(new URL(anypoint.url), {}, readProxies(settings, { PROXY_USER: " corp-user " }));
      expect(choice?.source).toBe("settings.xml <proxy> corp");
      await checkCredentials(request({ proxy: choice }));
      expect(proxy.seen.length).toBeGreaterThan(0);
      expect(anypoint.requests.length).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  });

  it("names the proxy when it refuses: exit 4", async () => {
    const proxy = await forwardingProxy({ username: "u", password: "right" });
    try {
      anypoint.handle(json(200, { access_token: TOKEN }));
      const choice = chooseProxy(new URL(anypoint.url), { http_proxy: proxy.url.replace("http://", "http://u:wrong@") }, []);
      const e = await failure(checkCredentials(request({ proxy: choice })));
      expect(e.exitCode).toBe(Exit.unreachable);
      expect(e.message).toContain("through the proxy from http_proxy");
      expect(anypoint.requests).toHaveLength(0);
    } finally {
      await proxy.close();
    }
  });
});

describe("every attempt ends within the timeout, a proxy's CONNECT and TLS included", () => {
  /** Fails a check that must time out after 1 s; how long it took. */
  async function timesOut(over: Partial<TokenRequest>): Promise<number> {
    const started = performance.now();
    const e = await failure(checkCredentials(request({ timeoutSeconds: 1, ...over })));
    const elapsed = performance.now() - started;
    expect(e.exitCode).toBe(Exit.unreachable);
    expect(e.message).toContain("timed out after 1 s");
    return elapsed;
  }

  it.each(["http", "https"])("a proxy that accepts the connection and never answers CONNECT (%s target)", async (scheme) => {
    const proxy = await hostileProxy("silent");
    try {
      const base = new URL(`${scheme}://127.0.0.1:9`);
      const elapsed = await timesOut({ base, proxy: chooseProxy(base, { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url }, []) });
      expect(proxy.seen[0]).toMatch(/^CONNECT 127\.0\.0\.1:9 /);
      expect(elapsed).toBeGreaterThanOrEqual(950);
      expect(elapsed).toBeLessThan(2500);
      // Nothing is left waiting behind the check: the connection to the proxy is closed.
      await proxy.allClosed();
    } finally {
      await proxy.close();
    }
  });

  it("a proxy that answers CONNECT, then never says a word (the TLS handshake waits)", async () => {
    const proxy = await hostileProxy("silent-tunnel");
    try {
      const base = new URL("https://127.0.0.1:9");
      const elapsed = await timesOut({ base, proxy: chooseProxy(base, { HTTPS_PROXY: proxy.url }, []) });
      expect(proxy.seen).toEqual(["CONNECT 127.0.0.1:9"]);
      expect(elapsed).toBeLessThan(2500);
      await proxy.allClosed();
    } finally {
      await proxy.close();
    }
  });

  it("a server that accepts the connection and never starts TLS (no proxy)", async () => {
    const sockets = new Set<Socket>();
    const server = createTcpServer((s) => void sockets.add(s.on("error", () => undefined)));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const elapsed = await timesOut({ base: new URL(`https://127.0.0.1:${(server.address() as AddressInfo).port}`) });
      expect(sockets.size).toBe(1);
      expect(elapsed).toBeLessThan(2500);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe("a proxy's credentials are never shown", () => {
  const PASSWORD = "Pr0xyPassw0rd";
  const basic = Buffer.from(`corpuser:${PASSWORD}`).toString("base64");
  const base = () => new URL(anypoint.url);

  it.each([
    ["an HTML page", "text/html", (auth: string) => `<html><body>user corpuser:${PASSWORD} is not allowed (${auth})</body></html>`, /^an HTML page, \d+ bytes$/],
    ["a JSON error", "application/json", (auth: string) => JSON.stringify({ error: "access_denied", message: `user corpuser:${PASSWORD} is not allowed`, error_description: auth }), /^an application\/json body, \d+ bytes, OAuth error access_denied$/],
  ])("%s from the proxy that echoes them", async (_, type, page, described) => {
    const sent: string[] = [];
    const proxy = await hostileProxy(({ proxyAuthorization }, res) => {
      sent.push(proxyAuthorization ?? "");
      res.writeHead(200, { "content-type": type }).end(page(proxyAuthorization ?? ""));
    });
    try {
      const logged: string[] = [];
      const choice = chooseProxy(base(), { HTTP_PROXY: proxy.url.replace("//", `//corpuser:${PASSWORD}@`) }, []);
      const e = await failure(checkCredentials(request({ proxy: choice, log: (m) => logged.push(m) })));
      expect(sent).toEqual([`Basic ${basic}`]);
      expect(e.message.split("): ")[1]).toMatch(described);
      expect(leaked([e.message, e.details.hint, ...logged].join("\n"), [PASSWORD, basic])).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it("nor the password of a settings.xml <proxy>", async () => {
    const proxy = await hostileProxy((__, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ error: `no access for ${PASSWORD.toUpperCase()}` })));
    try {
      const settings = `<settings><proxies><proxy><id>corp</id><host>127.0.0.1</host><port>${new URL(proxy.url).port}</port><username>corpuser</username><password>${PASSWORD}</password></proxy></proxies></settings>`;
      const e = await failure(checkCredentials(request({ proxy: chooseProxy(base(), {}, readProxies(settings, {})) })));
      expect(e.message).toMatch(/\): an application\/json body, \d+ bytes$/);
      expect(e.message.toLowerCase()).not.toContain(PASSWORD.toLowerCase());
    } finally {
      await proxy.close();
    }
  });
});
