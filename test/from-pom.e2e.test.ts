// setup takes its server ids from the project's pom (--from-pom, --pom), and its control plane from their
// host: the built CLI in a temporary project folder, against a loopback token server or a loopback proxy.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlPlane, tokenEndpoint, type ControlPlane } from "./helpers/anypoint";
import { expectNoSecret, recorder, tempHome } from "./helpers/cli";
import { declineRepositoriesIfAsked, terminal, type Terminal } from "./helpers/tmux";
import { forwardingProxy } from "./helpers/proxy";

const CLIENT_ID = "9a8b7c6d5e4f30211203f4e5d6c7b8a9";
const SECRET = "From-Pom-Secret-77";
const TOKEN = "tok-11112222-3333-4444-5555-666677778888";
const poms = join(import.meta.dirname, "..", "fixtures", "poms");
const credentials = { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET };

let anypoint: ControlPlane;
const { m2, outputs } = recorder();
beforeAll(async () => {
  anypoint = await controlPlane();
});
afterAll(async () => {
  await anypoint.close();
  // No run printed the secret or the token, whatever it did.
  expectNoSecret(outputs, [SECRET, TOKEN], 5);
});

/** A HOME that is also the project folder, with `pom` (a fixture's name, or XML text) as its pom.xml. */
function project(pom: string): { home: string; settings: string } {
  const home = tempHome();
  if (pom.startsWith("<")) writeFileSync(join(home, "pom.xml"), pom);
  else copyFileSync(join(poms, pom), join(home, "pom.xml"));
  return { home, settings: join(home, ".m2", "settings.xml") };
}

const exchangePom = (...repositories: [id: string, url: string][]) =>
  `<project>\n  <repositories>\n${repositories.map(([id, url]) => `    <repository>\n      <id>${id}</id>\n      <url>${url}</url>\n    </repository>\n`).join("")}  </repositories>\n</project>\n`;

describe("setup --from-pom", () => {
  it("writes a server for each Exchange id of the pom, in one change, after one token check", async () => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const { home, settings } = project("properties.xml");
    const r = await m2(["setup", "--from-pom", "--yes", "--json"], { home, env: { ...credentials, ANYPOINT_BASE_URL: anypoint.url } });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).servers).toEqual([
      { serverId: "anypoint-exchange-v3", change: "added" },
      { serverId: "private-exchange", change: "added" },
    ]);
    const text = readFileSync(settings, "utf8");
    expect(text.match(/<server>/g)).toHaveLength(2);
    expect(text).toContain("<id>private-exchange</id>");
    expect(anypoint.requests.filter((q) => q.url === "/accounts/api/v2/oauth2/token")).toHaveLength(1);
  });

  it("--org-id: the publish snippet names the pom's distributionManagement id, not the first id", async () => {
    const { home } = project("properties.xml");
    const r = await m2(["setup", "--from-pom", "--no-verify", "--yes", "--org-id", "11111111-2222-3333-4444-555555555555", "--json"], { home, env: credentials });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.servers.map((s: { serverId: string }) => s.serverId)).toEqual(["anypoint-exchange-v3", "private-exchange"]);
    expect(result.distributionManagement).toContain("<id>private-exchange</id>");
    expect(result.distributionManagement).not.toContain("<id>anypoint-exchange-v3</id>");
  });

  it("--pom with a folder reads its pom.xml and, without a prompt, means --from-pom; --server-id adds to the pom's ids", async () => {
    const home = tempHome();
    mkdirSync(join(home, "app"));
    copyFileSync(join(poms, "properties.xml"), join(home, "app", "pom.xml"));
    const r = await m2(["setup", "--pom", "app", "--server-id", "extra", "--no-verify", "--yes", "--json"], { home, env: credentials });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).servers.map((s: { serverId: string }) => s.serverId)).toEqual(["extra", "anypoint-exchange-v3", "private-exchange"]);
  });

  it("the control plane comes from the facade host: an EU pom asks eu1.anypoint.mulesoft.com", async () => {
    // A proxy that demands credentials records where the request was going, and lets nothing through.
    const proxy = await forwardingProxy({ username: "corp", password: "pw" });
    try {
      const { home, settings } = project("profiles.xml");
      const r = await m2(["setup", "--from-pom", "--yes"], { home, env: { ...credentials, HTTPS_PROXY: proxy.url } });
      expect(r.code).toBe(4);
      expect(r.stderr).toContain("Control plane: eu, as the pom's Exchange repositories are on maven.eu1.anypoint.mulesoft.com.");
      expect(proxy.seen).toContain("CONNECT eu1.anypoint.mulesoft.com:443");
      expect(existsSync(settings)).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it("a --region that differs from the pom's is a usage error, and the file stays as it was", async () => {
    const { home, settings } = project("profiles.xml");
    mkdirSync(join(home, ".m2"));
    const before = "<settings>\n  <servers/>\n</settings>\n";
    writeFileSync(settings, before);
    const r = await m2(["setup", "--from-pom", "--region", "us", "--yes"], { home, env: credentials });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(home, "pom.xml")}: the pom's Exchange repositories`);
    expect(r.stderr).toContain("are on maven.eu1.anypoint.mulesoft.com, the eu control plane, but --region says us");
    expect(readFileSync(settings, "utf8")).toBe(before);
  });

  it("the same region given, or a private --base-url, is no conflict", async () => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const same = project("profiles.xml");
    expect((await m2(["setup", "--from-pom", "--region", "EU", "--no-verify", "--yes"], { home: same.home, env: credentials })).code).toBe(0);
    const loopback = project("profiles.xml");
    const r = await m2(["setup", "--from-pom", "--base-url", anypoint.url, "--yes"], { home: loopback.home, env: credentials });
    expect(r.code, r.stderr).toBe(0);
  });

  it("Exchange repositories in two control planes cannot share one app: exit 2, naming them", async () => {
    const { home, settings } = project(exchangePom(["us-ids", "https://maven.anypoint.mulesoft.com/api/v3/maven"], ["eu-ids", "https://maven.eu1.anypoint.mulesoft.com/api/v3/maven"]));
    const r = await m2(["setup", "--from-pom", "--no-verify", "--yes"], { home, env: credentials });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("2 control planes (us: us-ids; eu: eu-ids)");
    expect(existsSync(settings)).toBe(false);
  });

  it("a pom that cannot be parsed is reported with its line, and the default id is used", async () => {
    const { home, settings } = project("malformed.xml");
    const r = await m2(["setup", "--from-pom", "--no-verify", "--yes"], { home, env: credentials });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning: ${join(home, "pom.xml")}:8: the pom cannot be read (expected </repository>`);
    expect(r.stderr).toContain("using the default, anypoint-exchange-v3");
    expect(readFileSync(settings, "utf8")).toContain("<id>anypoint-exchange-v3</id>");
  });

  it("a pom with no Exchange repository says so and falls back to the default id", async () => {
    const { home, settings } = project(exchangePom(["mulesoft-releases", "https://repository.mulesoft.org/releases/"]));
    const r = await m2(["setup", "--from-pom", "--no-verify", "--yes"], { home, env: credentials });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("declares no Exchange repository");
    expect(readFileSync(settings, "utf8")).toContain("<id>anypoint-exchange-v3</id>");
  });

  it("an unresolvable URL is reported with its line, and only ids known to be Exchange are taken", async () => {
    const { home, settings } = project("unresolvable.xml");
    const r = await m2(["setup", "--from-pom", "--no-verify", "--yes"], { home, env: credentials });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${join(home, "pom.xml")}:12: the URL of repository "exchange-from-parent"`);
    expect(r.stderr).toContain(`${join(home, "pom.xml")}:20: the id of an Exchange repository`);
    const text = readFileSync(settings, "utf8");
    expect(text.match(/<id>[^<]*<\/id>/g)).toEqual(["<id>anypoint-exchange-v3</id>"]);
  });

  it("without a pom, --from-pom is a usage error; --pom naming nothing too", async () => {
    const home = tempHome();
    const none = await m2(["setup", "--from-pom", "--no-verify", "--yes"], { home, env: credentials });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`--from-pom: there is no pom.xml in ${home}`);
    const missing = await m2(["setup", "--pom", "nowhere/pom.xml", "--no-verify", "--yes"], { home, env: credentials });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`--pom: ${join(home, "nowhere", "pom.xml")} does not exist`);
    expect(existsSync(join(home, ".m2"))).toBe(false);
  });

});

describe("setup in a project, without --from-pom: the pom's ids and control plane in every mode", () => {
  const repositoryPom = exchangePom(["Repository", "https://maven.anypoint.mulesoft.com/api/v3/organizations/acme/maven"]);

  it("--yes without a terminal writes the pom's id, not the default, and says where it came from", async () => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const { home, settings } = project(repositoryPom);
    const r = await m2(["setup", "--yes", "--json"], { home, env: { ...credentials, ANYPOINT_BASE_URL: anypoint.url } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Server id from ${join(home, "pom.xml")}: Repository.`);
    expect(JSON.parse(r.stdout).servers).toEqual([{ serverId: "Repository", change: "added" }]);
    expect(readFileSync(settings, "utf8").match(/<id>[^<]*<\/id>/g)).toEqual(["<id>Repository</id>"]);
  });

  it("CI set, --no-verify: the same ids, and no advice to change the pom", async () => {
    const { home, settings } = project("properties.xml");
    const r = await m2(["setup", "--no-verify"], { home, env: { ...credentials, CI: "true" } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Server ids from ${join(home, "pom.xml")}: anypoint-exchange-v3, private-exchange.`);
    expect(r.stdout).not.toContain("Next: use");
    expect(readFileSync(settings, "utf8").match(/<id>[^<]*<\/id>/g)).toEqual(["<id>anypoint-exchange-v3</id>", "<id>private-exchange</id>"]);
  });

  it("an EU pom: the check goes to eu1 without --region", async () => {
    const proxy = await forwardingProxy({ username: "corp", password: "pw" });
    try {
      const { home, settings } = project("profiles.xml");
      const r = await m2(["setup", "--yes"], { home, env: { ...credentials, HTTPS_PROXY: proxy.url } });
      expect(r.code).toBe(4);
      expect(r.stderr).toContain("Control plane: eu, as the pom's Exchange repositories are on maven.eu1.anypoint.mulesoft.com.");
      expect(proxy.seen).toContain("CONNECT eu1.anypoint.mulesoft.com:443");
      expect(existsSync(settings)).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it("an EU pom and --region us: exit 2, as with --from-pom", async () => {
    const { home, settings } = project("profiles.xml");
    const r = await m2(["setup", "--region", "us", "--no-verify", "--yes"], { home, env: credentials });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the eu control plane, but --region says us");
    expect(existsSync(settings)).toBe(false);
  });

  it("a --server-id the pom does not use is written, with a warning naming the pom's ids", async () => {
    const { home, settings } = project(repositoryPom);
    const r = await m2(["setup", "--server-id", "elsewhere", "--no-verify", "--yes"], { home, env: credentials });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning: --server-id elsewhere is not the id of an Exchange repository in ${join(home, "pom.xml")}, which uses Repository`);
    expect(r.stderr).not.toContain("Server id from");
    expect(readFileSync(settings, "utf8").match(/<id>[^<]*<\/id>/g)).toEqual(["<id>elsewhere</id>"]);
    // One the pom uses: no warning.
    const same = project(repositoryPom);
    const ok = await m2(["setup", "--server-id", "Repository", "--no-verify", "--yes"], { home: same.home, env: credentials });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).not.toContain("is not the id");
  });

  it("a pom that cannot be read is said, and the default id written is named with how to choose another", async () => {
    const { home, settings } = project("malformed.xml");
    const r = await m2(["setup", "--no-verify", "--yes"], { home, env: credentials });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning: ${join(home, "pom.xml")}:8: the pom cannot be read`);
    expect(r.stderr).toContain("warning: no server id from the pom: using the default, anypoint-exchange-v3 (pass --server-id to choose the id)");
    expect(readFileSync(settings, "utf8")).toContain("<id>anypoint-exchange-v3</id>");
  });

  it("an id the pom takes from the environment is not written: a warning, and the others are", async () => {
    const { home, settings } = project(exchangePom(["ex-${env.STAGE}", "https://maven.anypoint.mulesoft.com/api/v3/maven"], ["Repository", "https://maven.anypoint.mulesoft.com/api/v3/maven"]));
    const r = await m2(["setup", "--no-verify", "--yes"], { home, env: { ...credentials, STAGE: "prod" } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("not offered as a server id (give it with --server-id)");
    expect(readFileSync(settings, "utf8").match(/<id>[^<]*<\/id>/g)).toEqual(["<id>Repository</id>"]);
  });

  it("without a pom nothing changes: the default id, no note", async () => {
    const home = tempHome();
    const r = await m2(["setup", "--no-verify", "--yes"], { home, env: credentials });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("pom");
    expect(readFileSync(join(home, ".m2", "settings.xml"), "utf8")).toContain("<id>anypoint-exchange-v3</id>");
  });
});

/** The storage question (its default: literal), then the repositories question, answered no. */
async function declineRepositories(t: Terminal): Promise<void> {
  await t.waitFor("Store the password as");
  t.key("Enter");
  await declineRepositoriesIfAsked(t);
}

describe("the wizard with a pom", { tags: ["tmux"] }, () => {
  let open: Terminal | undefined;

  it("offers the pom's Exchange ids, each pre-selected, and writes them all", async () => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const { home, settings } = project("properties.xml");
    try {
      open = terminal(["setup"], { cwd: home, env: { HOME: home, ANYPOINT_BASE_URL: anypoint.url, ...credentials } });
      const screen = await open.waitFor("Server ids: the Exchange repositories of");
      expect(screen).toContain("anypoint-exchange-v3  (repositories)");
      expect(screen).toContain("private-exchange  (distributionManagement)");
      expect(screen.match(/◉/g)).toHaveLength(2);
      open.key("Enter");
      await declineRepositories(open);
      const diff = await open.waitFor("with this content?");
      expect(diff).toContain("+      <id>private-exchange</id>");
      open.key("Enter");
      expect(await open.exited()).toBe(0);
      expect(readFileSync(settings, "utf8").match(/<id>[^<]*<\/id>/g)).toEqual(["<id>anypoint-exchange-v3</id>", "<id>private-exchange</id>"]);
    } finally {
      open?.close();
    }
  });

  it("an EU pom: no question about the control plane, and the check goes to eu1", async () => {
    const proxy = await forwardingProxy({ username: "corp", password: "pw" });
    const { home, settings } = project("profiles.xml");
    try {
      open = terminal(["setup"], { cwd: home, env: { HOME: home, HTTPS_PROXY: proxy.url, ...credentials } });
      const screen = await open.waitFor("Server ids: the Exchange repositories of");
      expect(screen).toContain("Control plane: eu, as the pom's Exchange repositories are on maven.eu1.anypoint.mulesoft.com.");
      expect(screen).not.toContain("Anypoint control plane");
      open.key("Enter");
      await declineRepositories(open);
      // Out of reach (the proxy lets nothing through): stopped at the wizard's offer, nothing written.
      await open.waitFor("The credentials could not be checked", 20_000);
      open.key("Up");
      open.key("Enter");
      expect(await open.exited()).toBe(130);
      expect(proxy.seen).toContain("CONNECT eu1.anypoint.mulesoft.com:443");
      expect(existsSync(settings)).toBe(false);
    } finally {
      open?.close();
      await proxy.close();
    }
  });

  it("with every id unchecked, asks for one as before", async () => {
    const { home, settings } = project("properties.xml");
    try {
      open = terminal(["setup", "--no-verify"], { cwd: home, env: { HOME: home, ...credentials } });
      await open.waitFor("Server ids: the Exchange repositories of");
      // "a" toggles every choice.
      open.type("a");
      await open.waitFor(/◯[^\n]*\n[^\n]*◯/);
      open.key("Enter");
      await open.waitFor("Server id, the repository id in your pom.xml");
      open.type("typed-id");
      open.key("Enter");
      await declineRepositories(open);
      await open.waitFor("with this content?");
      open.key("Enter");
      expect(await open.exited()).toBe(0);
      expect(readFileSync(settings, "utf8").match(/<id>[^<]*<\/id>/g)).toEqual(["<id>typed-id</id>"]);
    } finally {
      open?.close();
    }
  });
});
