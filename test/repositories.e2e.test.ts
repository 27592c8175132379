// setup --with-repositories, --org-id and remove --with-repositories, end to end through the built CLI
// (temp HOME, loopback token server), and the wizard's question in a real terminal.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { controlPlane, tokenEndpoint, type ControlPlane } from "./helpers/anypoint";
import { run, tempHome } from "./helpers/cli";
import { compileProbe } from "./helpers/maven";
import { seenProfiles } from "./helpers/repositories";
import { terminal, type Terminal } from "./helpers/tmux";

const CLIENT_ID = "0123456789abcdef0123456789abcdef";
const SECRET = "Repos-Secret-5150";
const TOKEN = "tok-11111111-2222-4333-8444-555566667777";
const ORG = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const US = "https://maven.anypoint.mulesoft.com/api/v3/maven";
const EU = "https://maven.eu1.anypoint.mulesoft.com/api/v3/maven";
const credentials = { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET };
const EXISTING = "<?xml version=\"1.0\"?>\n<settings>\n  <servers>\n    <server>\n      <id>nexus</id>\n      <username>deployer</username>\n      <password>nexus-pass</password>\n    </server>\n  </servers>\n  <profiles>\n    <profile>\n      <id>dev</id>\n    </profile>\n  </profiles>\n  <activeProfiles>\n    <activeProfile>dev</activeProfile>\n  </activeProfiles>\n</settings>\n";

let anypoint: ControlPlane;
beforeAll(async () => {
  anypoint = await controlPlane();
});
afterAll(async () => {
  await anypoint.close();
});

function homeWithSettings(content: string): { home: string; settings: string } {
  const home = tempHome();
  mkdirSync(join(home, ".m2"));
  const settings = join(home, ".m2", "settings.xml");
  writeFileSync(settings, content);
  return { home, settings };
}

/** Accepts the credentials and says which organisation the app is in. */
const accept = (orgId: string) =>
  anypoint.handle((req, res, n) => {
    if (req.url === "/accounts/api/me") res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ client: { name: "ci", org_id: orgId } }));
    else tokenEndpoint(CLIENT_ID, SECRET, TOKEN)(req, res, n);
  });

describe("setup --with-repositories", () => {
  it("adds the server and the profile, then a second run changes nothing; --json says both", async () => {
    const { home, settings } = homeWithSettings(EXISTING);
    const args = ["setup", "--no-verify", "--yes", "--with-repositories", "--region", "eu", "--json"];
    const first = await run(args, { home, env: credentials });
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ change: "added", repositories: { profile: "anypoint-exchange", change: "added", url: EU } });
    const written = readFileSync(settings, "utf8");
    expect(written).toContain(`<url>${EU}</url>`);
    expect(written).toContain("<activeProfile>anypoint-exchange</activeProfile>");
    const second = await run(args, { home, env: credentials });
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ change: "unchanged", repositories: { change: "unchanged" } });
    expect(readFileSync(settings, "utf8")).toBe(written);
    expect(first.stdout + first.stderr + second.stdout + second.stderr).not.toContain(SECRET);
  });

  it("adds only the repositories when the server is there already: the server is kept, the file updated", async () => {
    const { home, settings } = homeWithSettings(EXISTING);
    expect((await run(["setup", "--no-verify", "--yes"], { home, env: credentials })).code).toBe(0);
    const r = await run(["setup", "--no-verify", "--yes", "--with-repositories"], { home, env: credentials });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Kept server "anypoint-exchange-v3"');
    expect(r.stdout).toContain('Added profile "anypoint-exchange"');
    expect(readFileSync(settings, "utf8")).toContain(`<url>${US}</url>`);
  });

  it("against a control plane whose Exchange is unknown: exit 2 before any request, naming --exchange-url; the file untouched", async () => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const { home, settings } = homeWithSettings(EXISTING);
    const r = await run(["setup", "--yes", "--with-repositories"], { home, env: { ...credentials, ANYPOINT_BASE_URL: anypoint.url } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Exchange Maven URL");
    expect(r.stderr).toContain("--exchange-url");
    expect(anypoint.requests).toEqual([]);
    expect(readFileSync(settings, "utf8")).toBe(EXISTING);
  });

  it("ca: the derived URL is written with a warning that MuleSoft does not document it", async () => {
    const { home, settings } = homeWithSettings(EXISTING);
    const r = await run(["setup", "--no-verify", "--yes", "--with-repositories", "--region", "ca"], { home, env: credentials });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("warning: the Exchange Maven URL https://maven.ca1.platform.mulesoft.com/api/v3/maven is derived");
    expect(r.stderr).toContain("MuleSoft does not document it");
    expect(readFileSync(settings, "utf8")).toContain("<url>https://maven.ca1.platform.mulesoft.com/api/v3/maven</url>");
  });

  it("--dry-run: the diff shows the profile, nothing is written", async () => {
    const { home, settings } = homeWithSettings(EXISTING);
    const r = await run(["setup", "--no-verify", "--dry-run", "--with-repositories"], { home, env: credentials });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("+      <id>anypoint-exchange</id>");
    expect(r.stdout).toContain("+    <!-- added by anypoint-m2 -->");
    expect(r.stderr).toContain('Would add profile "anypoint-exchange"');
    expect(readFileSync(settings, "utf8")).toBe(EXISTING);
  });
});

describe("remove --with-repositories", () => {
  it("gives back the original bytes after setup --with-repositories", async () => {
    const { home, settings } = homeWithSettings(EXISTING);
    expect((await run(["setup", "--no-verify", "--yes", "--with-repositories"], { home, env: credentials })).code).toBe(0);
    const r = await run(["remove", "anypoint-exchange-v3", "--with-repositories", "--json"], { home });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ change: "removed", repositories: "removed" });
    expect(readFileSync(settings, "utf8")).toBe(EXISTING);
  });

  it("keeps the activation, releases and plugin group while a repository the user wrote in the profile serves another server (Maven still sees it)", { tags: ["maven"] }, async () => {
    // The user's own profile anypoint-exchange, with a repository of theirs: setup adds to it.
    const { home, settings } = homeWithSettings(
      EXISTING.replace(
        "  </profiles>",
        "    <profile>\n      <id>anypoint-exchange</id>\n      <repositories>\n        <repository>\n          <id>team-repo</id>\n          <url>https://repo.example.com/team</url>\n        </repository>\n      </repositories>\n    </profile>\n  </profiles>",
      ),
    );
    expect((await run(["setup", "--no-verify", "--yes", "--with-repositories"], { home, env: credentials })).code).toBe(0);
    // Then a server for that repository: it now relies on the activation setup added.
    const own = readFileSync(settings, "utf8").replace("  </servers>", "    <server>\n      <id>team-repo</id>\n      <username>me</username>\n      <password>pw</password>\n    </server>\n  </servers>");
    expect(own).toContain("<id>team-repo</id>\n      <username>me</username>");
    writeFileSync(settings, own);
    const r = await run(["remove", "anypoint-exchange-v3", "--with-repositories", "--json"], { home });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ change: "removed", repositories: "removed" });
    const answer = seenProfiles(compileProbe().ask([`profiles\t${settings}`])[0]!);
    expect(answer.active).toContain("anypoint-exchange");
    expect(answer.repositories).toEqual([
      "repository anypoint-exchange team-repo https://repo.example.com/team",
      "repository anypoint-exchange mulesoft-releases https://repository.mulesoft.org/releases/",
      "pluginRepository anypoint-exchange mulesoft-releases https://repository.mulesoft.org/releases/",
    ]);
    expect(answer.pluginGroups).toContain("org.mule.tools");
    // Only the Exchange repository of the server removed went.
    expect(readFileSync(settings, "utf8")).not.toContain("<id>anypoint-exchange-v3</id>");
  });

  it("without the flag, only the server goes", async () => {
    const { home, settings } = homeWithSettings(EXISTING);
    expect((await run(["setup", "--no-verify", "--yes", "--with-repositories"], { home, env: credentials })).code).toBe(0);
    const r = await run(["remove", "anypoint-exchange-v3"], { home });
    expect(r.code).toBe(0);
    const left = readFileSync(settings, "utf8");
    expect(left).not.toContain("<id>anypoint-exchange-v3</id>\n      <username>");
    expect(left).toContain("<activeProfile>anypoint-exchange</activeProfile>");
  });
});

describe("--org-id and the organisation the check reports", () => {
  it("--org-id: the publish URL and a <distributionManagement> with the server id; --json holds both", async () => {
    const home = tempHome();
    const args = ["setup", "--no-verify", "--yes", "--server-id", "my-exchange", "--org-id", ORG, "--region", "gov", "--settings", join(home, "s.xml")];
    const text = await run(args, { home, env: credentials });
    expect(text.code).toBe(0);
    const url = `https://maven.gov.anypoint.mulesoft.com/api/v2/organizations/${ORG}/maven`;
    expect(text.stdout).toContain(`<distributionManagement>\n  <repository>\n    <id>my-exchange</id>\n    <name>Anypoint Exchange</name>\n    <url>${url}</url>`);
    const json = await run([...args, "--json"], { home, env: credentials });
    expect(JSON.parse(json.stdout)).toMatchObject({ publishUrl: url, distributionManagement: expect.stringContaining(`<url>${url}</url>`) });
  });

  it("without --org-id, the organisation Anypoint reported", async () => {
    accept(ORG);
    const home = tempHome();
    const r = await run(["setup", "--yes", "--json", "--settings", join(home, "s.xml")], { home, env: { ...credentials, ANYPOINT_BASE_URL: anypoint.url, ANYPOINT_EXCHANGE_URL: US } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ orgId: ORG, publishUrl: `https://maven.anypoint.mulesoft.com/api/v3/organizations/${ORG}/maven` });
    expect(r.stdout).not.toContain(SECRET);
    expect(r.stdout).not.toContain(TOKEN);
  });

  it("an organisation Anypoint reported that is not an organization ID gives no publish URL", async () => {
    accept("org-42");
    const home = tempHome();
    const r = await run(["setup", "--yes", "--json", "--settings", join(home, "s.xml")], { home, env: { ...credentials, ANYPOINT_BASE_URL: anypoint.url, ANYPOINT_EXCHANGE_URL: US } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).not.toHaveProperty("publishUrl");
  });

  it("an --org-id that is not a UUID: exit 2, nothing written", async () => {
    const home = tempHome();
    const r = await run(["setup", "--no-verify", "--yes", "--org-id", "my-org", "--settings", join(home, "s.xml")], { home, env: credentials });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--org-id takes an organization ID");
    expect(readdirSync(home)).toEqual([]);
  });
});

describe("the wizard asks", { tags: ["tmux"] }, () => {
  let open: Terminal | undefined;
  afterEach(() => {
    open?.close();
    open = undefined;
  });

  const POM = "<project>\n  <repositories>\n    <repository>\n      <id>anypoint-exchange-v3</id>\n      <url>https://maven.anypoint.mulesoft.com/api/v3/maven</url>\n    </repository>\n  </repositories>\n</project>\n";

  it("no pom.xml: default yes; then, as --no-verify did not ask it, the region, whose Exchange is written", async () => {
    const home = tempHome();
    open = terminal(["setup", "--no-verify"], { cwd: home, env: { HOME: home, ...credentials } });
    await open.waitFor("Server id");
    open.key("Enter");
    await open.waitFor("Store the password as");
    open.key("Enter");
    expect(await open.waitFor("Also add the Exchange and MuleSoft repositories")).toContain("(Y/n)");
    open.key("Enter");
    await open.waitFor("Anypoint control plane");
    open.key("Down");
    open.key("Enter");
    await open.waitFor("with this content?");
    open.key("Enter");
    expect(await open.exited()).toBe(0);
    expect(readFileSync(join(home, ".m2", "settings.xml"), "utf8")).toContain(`<url>${EU}</url>`);
  });

  it("a pom.xml that declares the server's repository: default no, and Enter adds none", async () => {
    const home = tempHome();
    writeFileSync(join(home, "pom.xml"), POM);
    open = terminal(["setup", "--no-verify"], { cwd: home, env: { HOME: home, ...credentials } });
    await open.waitFor("Server id");
    open.key("Enter");
    await open.waitFor("Store the password as");
    open.key("Enter");
    expect(await open.waitFor("Also add the Exchange and MuleSoft repositories")).toContain("(y/N)");
    open.key("Enter");
    const screen = await open.waitFor("with this content?");
    expect(screen).not.toContain("Anypoint control plane");
    open.key("Enter");
    expect(await open.exited()).toBe(0);
    const written = readFileSync(join(home, ".m2", "settings.xml"), "utf8");
    expect(written).toContain("<id>anypoint-exchange-v3</id>");
    expect(written).not.toContain("<activeProfile>");
  });
});
