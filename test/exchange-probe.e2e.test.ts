// verify --exchange against a loopback Exchange Maven facade (test/helpers/facade.ts): the exact header Maven
// sends, each classification with its exit code, the proxy the token request uses, and no secret anywhere.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probePath } from "../src/anypoint/facade";
import { controlPlane, tokenEndpoint, type ControlPlane, type Handler } from "./helpers/anypoint";
import { expectNoSecret, recorder, tempHome } from "./helpers/cli";
import { basicFor, facade, type FacadeMode } from "./helpers/facade";
import { forwardingProxy } from "./helpers/proxy";

const CLIENT_ID = "0123456789abcdef0123456789abcdef";
const SECRET = "Probe-Secret-9c1e";
const TOKEN = "tok-11112222-3333-4444-5555-666677778888";
const { m2, outputs } = recorder();

let anypoint: ControlPlane;
beforeAll(async () => {
  anypoint = await controlPlane();
});
afterAll(async () => {
  await anypoint.close();
});

/** The token endpoint and the facade on one loopback server, told apart by path. */
function serve(facadeHandler: Handler): void {
  const token = tokenEndpoint(CLIENT_ID, SECRET, TOKEN);
  anypoint.handle((req, res, n) => (req.url.startsWith("/accounts/") ? (req.url === "/accounts/api/me" ? res.writeHead(404).end() : token(req, res, n)) : facadeHandler(req, res, n)));
}

const facadeRequests = () => anypoint.requests.filter((r) => !r.url.startsWith("/accounts/"));

/** A home whose settings.xml holds the connected app as written, with an optional profile repository. */
function home(profileUrl?: string): string {
  const dir = tempHome();
  mkdirSync(join(dir, ".m2"));
  const profile = profileUrl
    ? `  <profiles><profile><id>x</id><repositories><repository><id>anypoint-exchange-v3</id><url>${profileUrl}</url></repository></repositories></profile></profiles>\n`
    : "";
  writeFileSync(
    join(dir, ".m2", "settings.xml"),
    `<settings>\n  <servers>\n    <server>\n      <id>anypoint-exchange-v3</id>\n      <username>~~~Client~~~</username>\n      <password>${CLIENT_ID}~?~${SECRET}</password>\n    </server>\n  </servers>\n${profile}</settings>\n`,
  );
  return dir;
}

describe("verify --exchange", () => {
  it("sends Maven's two requests: none, then exactly ~~~Client~~~:clientID~?~clientSecret; a 404 after the challenge is accepted", async () => {
    serve(facade(CLIENT_ID, SECRET));
    const url = `${anypoint.url}/api/v3/maven`;
    const r = await m2(["verify", "--exchange", "--exchange-url", url, "--json"], { home: home(), env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const sent = facadeRequests();
    expect(sent.map((s) => [s.method, s.url, s.headers.authorization])).toEqual([
      ["GET", "/api/v3/maven/com/mulesoft/anypoint-m2/anypoint-m2-probe/maven-metadata.xml", undefined],
      ["GET", "/api/v3/maven/com/mulesoft/anypoint-m2/anypoint-m2-probe/maven-metadata.xml", basicFor(CLIENT_ID, SECRET)],
    ]);
    expect(JSON.parse(r.stdout).exchange).toEqual([{ id: "anypoint-exchange-v3", url: `${url}/com/mulesoft/anypoint-m2/anypoint-m2-probe/maven-metadata.xml`, status: 404, result: "accepted" }]);
  });

  it.each<[string, FacadeMode | "other-secret", string, string, number]>([
    ["a 401 to the credentials", "other-secret", "/api/v3/maven", "unauthorized", 401],
    ["a 403 to the credentials", "forbid", "/api/v3/maven", "forbidden", 403],
    ["a 404 without asking for credentials (a v1 URL)", "accept", "/api/v1/maven", "not-found", 404],
  ])("%s (facade: %s, at %s) is %s, exit 9", async (_, mode, path, result, status) => {
    serve(mode === "other-secret" ? facade(CLIENT_ID, "another-secret") : facade(CLIENT_ID, SECRET, { mode }));
    const r = await m2(["verify", "--exchange", "--exchange-url", `${anypoint.url}${path}`, "--json"], { home: home(), env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(r.code).toBe(9);
    expect(JSON.parse(r.stdout).exchange).toMatchObject([{ id: "anypoint-exchange-v3", status, result }]);
    const human = await m2(["verify", "--exchange", "--exchange-url", `${anypoint.url}${path}`], { home: home(), env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(human.code).toBe(9);
    expect(human.stdout).toContain(`Exchange probe of server "anypoint-exchange-v3": ${result} (HTTP ${status})`);
  });

  it("a facade that cannot be reached is unreachable, exit 9", async () => {
    serve(facade(CLIENT_ID, SECRET));
    const r = await m2(["verify", "--exchange", "--exchange-url", "http://127.0.0.1:1/api/v3/maven", "--json", "--timeout", "2"], { home: home(), env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(r.code).toBe(9);
    expect(JSON.parse(r.stdout).exchange).toMatchObject([{ status: null, result: "unreachable" }]);
  });

  it("probes the settings profile's repository with the server's id, through the proxy the token request takes", async () => {
    serve(facade(CLIENT_ID, SECRET));
    // The facade on a host of its own, so that the proxy's log tells its requests from the token request's.
    const exchange = await controlPlane();
    exchange.handle(facade(CLIENT_ID, SECRET));
    const proxy = await forwardingProxy();
    try {
      const url = `${exchange.url}/api/v3/maven/`;
      const r = await m2(["verify", "--exchange", "--json"], { home: home(url), env: { ANYPOINT_BASE_URL: anypoint.url, HTTP_PROXY: proxy.url } });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).exchange).toMatchObject([{ id: "anypoint-exchange-v3", url: `${url}com/mulesoft/anypoint-m2/anypoint-m2-probe/maven-metadata.xml`, result: "accepted" }]);
      expect(exchange.requests).toHaveLength(2);
      expect(proxy.seen).toContain(`CONNECT ${new URL(exchange.url).host}`);
    } finally {
      await proxy.close();
      await exchange.close();
    }
  });

  it("never shows the secret nor the Authorization header, not even with --verbose", async () => {
    serve(facade(CLIENT_ID, "another-secret"));
    const r = await m2(["verify", "--exchange", "--verbose", "--exchange-url", `${anypoint.url}/api/v3/maven`], { home: home(), env: { ANYPOINT_BASE_URL: anypoint.url } });
    expect(r.code).toBe(9);
    expect(r.stderr).toContain("exchange probe: GET");
    const header = basicFor(CLIENT_ID, SECRET);
    for (const text of [r.stdout, r.stderr]) {
      expect(text).not.toContain(header.slice(6));
      expect(text.toLowerCase()).not.toContain("authorization:");
    }
    expectNoSecret(outputs, [SECRET, TOKEN, header.slice(6)], 5);
  });
});

describe("the probe's path", () => {
  it.each([
    ["the pom's groupId and artifactId", "https://x/api/v3/maven", { groupId: "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", artifactId: "orders-api" }, "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/orders-api/maven-metadata.xml"],
    ["dots of a groupId as folders", "https://x/api/v3/maven", { groupId: "com.acme", artifactId: "a" }, "com/acme/a/maven-metadata.xml"],
    ["an organization's URL without coordinates", "https://x/api/v3/organizations/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/maven", {}, "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/anypoint-m2-probe/maven-metadata.xml"],
    ["an unresolved groupId", "https://x/api/v3/maven", { groupId: "${org}", artifactId: "a" }, "com/mulesoft/anypoint-m2/anypoint-m2-probe/maven-metadata.xml"],
  ])("%s", (_, url, coordinates, path) => expect(probePath(url, coordinates)).toBe(path));

  it("a pom whose facade URL takes a value from the environment is not probed: the value (a secret here) is neither sent nor shown", async () => {
    serve(facade(CLIENT_ID, SECRET));
    const h = home();
    const project = join(h, "project");
    mkdirSync(project);
    writeFileSync(
      join(project, "pom.xml"),
      `<project><modelVersion>4.0.0</modelVersion><groupId>g</groupId><artifactId>a</artifactId><version>1</version>
  <properties><p>\${env.ANYPOINT_CLIENT_SECRET}</p></properties>
  <repositories><repository><id>anypoint-exchange-v3</id><url>https://maven.anypoint.mulesoft.com/api/v3/\${p}/maven</url></repository></repositories>
</project>\n`,
    );
    const r = await m2(["verify", "--exchange", "--json", "--timeout", "2"], { home: h, cwd: project, env: { ANYPOINT_BASE_URL: anypoint.url, ANYPOINT_CLIENT_SECRET: SECRET } });
    for (const text of [r.stdout, r.stderr]) expect(text).not.toContain(SECRET);
    expect(r.stdout).not.toContain("maven.anypoint.mulesoft.com");
  });
});
