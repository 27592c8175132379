// The wizard keeps its promises: a file others can read is made private (with consent) before a password
// goes in; a server the user keeps leads to another id, never to dropped credentials; Anypoint out of reach
// does not throw the answers away; and its lines fit an 80-column terminal. The built CLI under tmux.
// @module-tag tmux
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { controlPlane, tokenEndpoint, type ControlPlane } from "./helpers/anypoint";
import { tempHome } from "./helpers/cli";
import { declineRepositoriesIfAsked, terminal, type Terminal } from "./helpers/tmux";

const CLIENT_ID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const SECRET = "Promise-Secret-4e5f";
const TOKEN = "tok-77776666-5555-4444-8333-222211110000";
const NEXUS = "<settings>\n  <servers>\n    <server>\n      <id>anypoint-exchange-v3</id>\n      <username>deployer</username>\n      <password>nexus-pass</password>\n    </server>\n  </servers>\n</settings>\n";
const credentials = { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET };

let anypoint: ControlPlane;
let open: Terminal | undefined;
beforeAll(async () => {
  anypoint = await controlPlane();
});
afterAll(async () => {
  await anypoint.close();
});
afterEach(() => {
  open?.close();
  open = undefined;
});

function home(content?: string, mode = 0o600): { home: string; settings: string } {
  const dir = tempHome();
  const settings = join(dir, ".m2", "settings.xml");
  if (content !== undefined) {
    mkdirSync(join(dir, ".m2"));
    writeFileSync(settings, content);
    chmodSync(settings, mode);
  }
  return { home: dir, settings };
}

function start(args: string[], dir: string, env: Record<string, string> = {}, columns?: number): Terminal {
  open = terminal(args, { cwd: dir, env: { HOME: dir, ...credentials, ...env }, columns });
  return open;
}

/** The store question answered with its default (literal), the repositories one with no. */
async function literalNoRepositories(t: Terminal): Promise<void> {
  await t.waitFor("Store the password as");
  t.key("Enter");
  await declineRepositoriesIfAsked(t);
}

describe("the wizard keeps its promises", { tags: ["tmux"] }, () => {
  it("a settings file others can read is made private, with consent, before the password goes in", async () => {
    const { home: dir, settings } = home("<settings>\n  <servers/>\n</settings>\n", 0o644);
    const t = start(["setup", "--no-verify"], dir);
    await t.waitFor("Server id");
    t.key("Enter");
    await literalNoRepositories(t);
    const asked = await t.waitFor("Make it private (chmod 600) before the password goes in?");
    expect(asked).toContain(`${settings} can be read by other users (mode 644).`);
    // Not yet: only once the change is confirmed.
    expect(statSync(settings).mode & 0o777).toBe(0o644);
    t.key("Enter");
    await t.waitFor("Write this to");
    t.key("Enter");
    expect(await t.exited()).toBe(0);
    expect(statSync(settings).mode & 0o777).toBe(0o600);
    expect(statSync(`${settings}.bak`).mode & 0o777).toBe(0o600);
    expect(t.screen()).not.toContain("can be read by other users (mode 644) and holds a secret");
    expect(readFileSync(settings, "utf8")).toContain(`<password>${CLIENT_ID}~?~${SECRET}</password>`);
  });

  it("declining to replace someone else's server asks for another id, and writes the credentials there", async () => {
    const { home: dir, settings } = home(NEXUS);
    const t = start(["setup", "--no-verify"], dir);
    await t.waitFor("Server id");
    t.key("Enter");
    await t.waitFor("Replace its credentials?");
    t.key("Enter");
    const asked = await t.waitFor("Another server id for these credentials (Enter alone: write nothing)");
    expect(asked).toContain('"anypoint-exchange-v3" stays as it is.');
    t.type("exchange-app");
    t.key("Enter");
    await literalNoRepositories(t);
    await t.waitFor("Write this to");
    t.key("Enter");
    expect(await t.exited()).toBe(0);
    const text = readFileSync(settings, "utf8");
    expect(text).toContain("<password>nexus-pass</password>");
    expect(text).toContain(`<id>exchange-app</id>\n      <username>~~~Client~~~</username>\n      <password>${CLIENT_ID}~?~${SECRET}</password>`);
  });

  it("no other id: exit 130, saying the credentials were not stored, the file as it was", async () => {
    const { home: dir, settings } = home(NEXUS);
    const t = start(["setup", "--no-verify"], dir);
    await t.waitFor("Server id");
    t.key("Enter");
    await t.waitFor("Replace its credentials?");
    t.key("Enter");
    await t.waitFor("Another server id for these credentials");
    t.key("Enter");
    expect(await t.exited()).toBe(130);
    expect(t.screen()).toContain('nothing was written: "anypoint-exchange-v3" was left as it was, and the credentials entered were not stored');
    expect(readFileSync(settings, "utf8")).toBe(NEXUS);
  });

  it("Anypoint out of reach: try again keeps the answers, and the check then passes", async () => {
    anypoint.handle((_, res) => res.writeHead(503).end());
    const { home: dir, settings } = home();
    const t = start(["setup", "--server-id", "exchange"], dir, { ANYPOINT_BASE_URL: anypoint.url });
    await literalNoRepositories(t);
    const asked = await t.waitFor("The credentials could not be checked", 20_000);
    expect(asked).toContain("Write them without the check");
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    t.key("Enter");
    await t.waitFor("Anypoint accepted the credentials");
    await t.waitFor("with this content?");
    t.key("Enter");
    expect(await t.exited()).toBe(0);
    expect(t.screen()).not.toContain("not checked");
    expect(readFileSync(settings, "utf8")).toContain(`<password>${CLIENT_ID}~?~${SECRET}</password>`);
  });

  it("Anypoint out of reach: written without the check, said so; or stopped, nothing written", async () => {
    anypoint.handle((_, res) => res.writeHead(503).end());
    const unchecked = home();
    const t = start(["setup", "--server-id", "exchange"], unchecked.home, { ANYPOINT_BASE_URL: anypoint.url });
    await literalNoRepositories(t);
    await t.waitFor("The credentials could not be checked", 20_000);
    t.key("Down");
    t.key("Enter");
    await t.waitFor("with this content?");
    t.key("Enter");
    expect(await t.exited()).toBe(0);
    expect(t.screen()).toContain("warning: the credentials were not checked with Anypoint (it could not be reached)");
    expect(readFileSync(unchecked.settings, "utf8")).toContain("<id>exchange</id>");
    open?.close();

    const stopped = home();
    const s = start(["setup", "--server-id", "exchange"], stopped.home, { ANYPOINT_BASE_URL: anypoint.url });
    await literalNoRepositories(s);
    await s.waitFor("The credentials could not be checked", 20_000);
    s.key("Up");
    s.key("Enter");
    expect(await s.exited()).toBe(130);
    expect(s.screen()).toContain("stopped; nothing was written");
    expect(() => statSync(stopped.settings)).toThrow();
  });

  it("every line fits an 80-column terminal", async () => {
    const dir = tempHome();
    mkdirSync(join(dir, ".m2"));
    writeFileSync(join(dir, ".m2", "settings.xml"), NEXUS);
    open = terminal(["setup", "--no-verify", "--region", "eu"], { cwd: dir, env: { HOME: dir }, columns: 80 });
    const t = open;
    await t.waitFor("Connected app client ID");
    t.type(CLIENT_ID);
    t.key("Enter");
    await t.waitFor("Client secret");
    t.type(SECRET);
    t.key("Enter");
    await t.waitFor("Server id");
    t.key("Enter");
    await t.waitFor("Replace its credentials?");
    t.type("y");
    t.key("Enter");
    await t.waitFor("Store the password as");
    const stores = t.screen();
    t.key("Enter");
    await t.waitFor("Also add the Exchange");
    await t.waitFor(/\(Y\/n\)/);
    const last = t.screen();
    t.key("C-c");
    expect(await t.exited()).toBe(130);
    // capture-pane -J joins what the terminal wrapped: a line longer than 80 columns was wrapped.
    const lines = [...stores.split("\n"), ...last.split("\n")];
    expect(lines.length).toBeGreaterThan(10);
    // Nothing reaches the edge (where the terminal, or the prompt library, would break it), and each prompt and
    // choice is whole on its line.
    expect(lines.filter((l) => [...l.trimEnd()].length >= 80)).toEqual([]);
    expect(stores).toMatch(/^\s+env {9}as .*CI jobs and images$/m);
    expect(stores).toMatch(/^\s+encrypted {3}with .*reader$/m);
    expect(stores).toMatch(/^. Replace its credentials\? Yes$/m);
    expect(last).toMatch(/^\? Also add the Exchange and MuleSoft repositories\? \(Y\/n\)$/m);
  });
});
