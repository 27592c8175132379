// verify and rotate in a project: the control plane of the pom's Exchange repositories (as setup and doctor
// take it) unless something says where Anypoint is, and verify's server id from the pom. The built CLI in a
// temporary project folder, against a loopback token server, or a loopback proxy that records where the
// request was going and lets nothing through.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { join } from "node:path";
import { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlPlane, tokenEndpoint, type ControlPlane } from "./helpers/anypoint";
import { expectNoSecret, recorder, tempHome } from "./helpers/cli";
import { forwardingProxy } from "./helpers/proxy";

const CLIENT_ID = "5e4f30219a8b7c6d1203f4e5d6c7b8a9";
const SECRET = "Pom-Region-Secret-31";
const TOKEN = "tok-31313131-3333-4444-5555-666677778888";
const credentials = { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET };
const EU = "https://maven.eu1.anypoint.mulesoft.com/api/v3/maven";
const US = "https://maven.anypoint.mulesoft.com/api/v3/maven";

let anypoint: ControlPlane;
const { m2, outputs } = recorder();
beforeAll(async () => {
  anypoint = await controlPlane();
});
afterAll(async () => {
  await anypoint.close();
  expectNoSecret(outputs, [SECRET, TOKEN], 8);
});

const exchangePom = (...repositories: [id: string, url: string][]) =>
  `<project>\n  <repositories>\n${repositories.map(([id, url]) => `    <repository>\n      <id>${id}</id>\n      <url>${url}</url>\n    </repository>\n`).join("")}  </repositories>\n</project>\n`;
const server = (id: string) => `    <server>\n      <id>${id}</id>\n      <username>~~~Client~~~</username>\n      <password>${CLIENT_ID}~?~${SECRET}</password>\n    </server>\n`;

/** A HOME that is also the project folder: `pom` as its pom.xml, a settings file with a server for each of `ids`. */
function project(pom: string, ids: string[]): { home: string; settings: string; before: string } {
  const home = tempHome();
  writeFileSync(join(home, "pom.xml"), pom);
  mkdirSync(join(home, ".m2"));
  const settings = join(home, ".m2", "settings.xml");
  const before = `<settings>\n  <servers>\n${ids.map(server).join("")}  </servers>\n</settings>\n`;
  writeFileSync(settings, before);
  return { home, settings, before };
}

/** Runs `args` through a proxy that demands credentials: the CONNECT lines it saw, and the run. */
async function throughProxy(args: string[], home: string) {
  const proxy = await forwardingProxy({ username: "corp", password: "pw" });
  try {
    const r = await m2(args, { home, env: { ...credentials, HTTPS_PROXY: proxy.url } });
    return { r, seen: proxy.seen };
  } finally {
    await proxy.close();
  }
}

describe("verify in an EU project", () => {
  it("asks eu1 for the token without --region, and says why", async () => {
    const { home } = project(exchangePom(["my-exchange", EU]), ["my-exchange"]);
    const { r, seen } = await throughProxy(["verify", "--server-id", "my-exchange", "--verbose"], home);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain("Control plane: eu, as the pom's Exchange repositories are on maven.eu1.anypoint.mulesoft.com.");
    expect(seen).toEqual(["CONNECT eu1.anypoint.mulesoft.com:443"]);
  });

  it("--pom names the project; only the repositories with the server's id count", async () => {
    const home = tempHome();
    mkdirSync(join(home, "app"));
    writeFileSync(join(home, "app", "pom.xml"), exchangePom(["us-exchange", US], ["my-exchange", EU]));
    mkdirSync(join(home, ".m2"));
    writeFileSync(join(home, ".m2", "settings.xml"), `<settings>\n  <servers>\n${server("my-exchange")}  </servers>\n</settings>\n`);
    const { r, seen } = await throughProxy(["verify", "--server-id", "my-exchange", "--pom", "app"], home);
    expect(r.code, r.stderr).toBe(4);
    expect(seen).toEqual(["CONNECT eu1.anypoint.mulesoft.com:443"]);
  });

  it("a --region that differs is exit 2, with no request; a private --base-url is no conflict", async () => {
    const { home } = project(exchangePom(["my-exchange", EU]), ["my-exchange"]);
    const { r, seen } = await throughProxy(["verify", "--server-id", "my-exchange", "--region", "us"], home);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("are on maven.eu1.anypoint.mulesoft.com, the eu control plane, but --region says us");
    expect(seen).toEqual([]);
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const given = await m2(["verify", "--server-id", "my-exchange"], { home, env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(given.code, given.stderr).toBe(0);
    expect(given.stderr).not.toContain("Control plane:");
  });
});

describe("rotate in an EU project", () => {
  it("checks the new secret with eu1 without --region, and writes nothing it was not given", async () => {
    const { home, settings, before } = project(exchangePom(["my-exchange", EU]), ["my-exchange"]);
    const { r, seen } = await throughProxy(["rotate", "--client-id", CLIENT_ID, "--yes"], home);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain("Control plane: eu, as the pom's Exchange repositories are on maven.eu1.anypoint.mulesoft.com.");
    expect(seen).toEqual(["CONNECT eu1.anypoint.mulesoft.com:443"]);
    expect(readFileSync(settings, "utf8")).toBe(before);
  });

  it("the servers it updates choose: a pom id it does not hold does not count", async () => {
    const { home } = project(exchangePom(["elsewhere", US], ["my-exchange", EU]), ["my-exchange"]);
    const { r, seen } = await throughProxy(["rotate", "--client-id", CLIENT_ID, "--yes"], home);
    expect(r.code, r.stderr).toBe(4);
    expect(seen).toEqual(["CONNECT eu1.anypoint.mulesoft.com:443"]);
  });

  it("a --region that differs is exit 2, and the file stays as it was", async () => {
    const { home, settings, before } = project(exchangePom(["my-exchange", EU]), ["my-exchange"]);
    const { r, seen } = await throughProxy(["rotate", "--client-id", CLIENT_ID, "--region", "us", "--yes"], home);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the eu control plane, but --region says us");
    expect(seen).toEqual([]);
    expect(readFileSync(settings, "utf8")).toBe(before);
  });
});

describe("verify without --server-id", () => {
  it("right after setup: the id setup took from the pom", async () => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const home = tempHome();
    writeFileSync(join(home, "pom.xml"), exchangePom(["my-exchange", US]));
    const env = { ...credentials, ANYPOINT_BASE_URL: anypoint.url };
    const setup = await m2(["setup", "--yes"], { home, env });
    expect(setup.code, setup.stderr).toBe(0);
    const r = await m2(["verify", "--json"], { home, env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Server id from ${join(home, "pom.xml")}: my-exchange.`);
    expect(JSON.parse(r.stdout)).toMatchObject({ serverId: "my-exchange", verified: true });
  });

  it("the first of the pom's ids with a server in the file; without one, anypoint-exchange-v3", async () => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const { home } = project(exchangePom(["not-stored", US], ["second", US], ["third", US]), ["third", "second"]);
    const r = await m2(["verify", "--json"], { home, env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("Server id from");
    expect(r.stderr).toContain(": second (the first of its Exchange repository ids, not-stored, second, third, with a server in the settings file).");
    expect(JSON.parse(r.stdout).serverId).toBe("second");
    const none = project(exchangePom(["not-stored", US]), ["anypoint-exchange-v3"]);
    const fallback = await m2(["verify", "--json"], { home: none.home, env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(fallback.code, fallback.stderr).toBe(0);
    expect(fallback.stderr).not.toContain("Server id from");
    expect(JSON.parse(fallback.stdout).serverId).toBe("anypoint-exchange-v3");
  });
});

/**
 * A proxy that plays anypoint.mulesoft.com itself: it answers CONNECT, then speaks TLS with a certificate made
 * for that name (trusted by the CLI through NODE_EXTRA_CA_CERTS) and answers every request with `status`.
 */
async function impostor(status: number): Promise<{ url: string; ca: string; seen: string[]; close(): Promise<void> }> {
  const dir = tempHome();
  const key = join(dir, "key.pem");
  const ca = join(dir, "cert.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=anypoint.mulesoft.com", "-addext", "subjectAltName=DNS:anypoint.mulesoft.com", "-keyout", key, "-out", ca], { stdio: "ignore" });
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const inner = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ error: "invalid_client" }));
  });
  const proxy: Server = createServer((_, res) => res.writeHead(405).end());
  proxy.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  proxy.on("connect", (req, client: Socket) => {
    seen.push(`CONNECT ${req.url}`);
    client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    const tls = new TLSSocket(client, { isServer: true, key: readFileSync(key), cert: readFileSync(ca) });
    tls.on("error", () => client.destroy());
    inner.emit("connection", tls);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    ca,
    seen,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        proxy.close(() => resolve());
      }),
  };
}

describe("a 401 from the default control plane", () => {
  it("says that an app of another control plane gets it too; a region given says nothing of the kind", { tags: ["openssl"] }, async () => {
    const fake = await impostor(401);
    try {
      const { home } = project("<project/>\n", ["anypoint-exchange-v3"]);
      const env = { HTTPS_PROXY: fake.url, NODE_EXTRA_CA_CERTS: fake.ca };
      const r = await m2(["verify"], { home, env });
      expect(r.code, r.stderr).toBe(3);
      expect(fake.seen).toEqual(["CONNECT anypoint.mulesoft.com:443", "POST /accounts/api/v2/oauth2/token"]);
      expect(r.stderr).toContain("Anypoint rejected the credentials (HTTP 401)");
      expect(r.stderr).toContain("a connected app of another control plane gets this answer here too; give its region (--region eu, gov, ca, jp)");
      const chosen = await m2(["verify", "--region", "us"], { home, env });
      expect(chosen.code, chosen.stderr).toBe(3);
      expect(chosen.stderr).toContain("Anypoint rejected the credentials (HTTP 401)");
      expect(chosen.stderr).not.toContain("another control plane");
    } finally {
      await fake.close();
    }
  });
});
