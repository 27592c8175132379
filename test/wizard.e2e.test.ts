// The wizard in a real pseudo-terminal (tmux), answering each prompt, against a loopback token server.
// @module-tag tmux
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { controlPlane, tokenEndpoint, type ControlPlane } from "./helpers/anypoint";
import { tempHome } from "./helpers/cli";
import { declineRepositoriesIfAsked, terminal, type Terminal } from "./helpers/tmux";

const CLIENT_ID = "00112233445566778899aabbccddeeff";
const SECRET = "Wizard-Secret-9c1d";
const TOKEN = "tok-99999999-8888-4777-8666-555544443333";

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

function start(args: string[], home: string, env: Record<string, string> = {}): Terminal {
  open = terminal(args, { cwd: home, env: { HOME: home, ANYPOINT_BASE_URL: anypoint.url, ...env } });
  return open;
}

const settingsOf = (home: string) => join(home, ".m2", "settings.xml");


describe("wizard", () => {
  it("asks for everything, checks, shows the masked diff, and writes on confirmation", async () => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const home = tempHome();
    const t = start([], home);
    await t.waitFor("Connected app client ID");
    t.type(CLIENT_ID);
    t.key("Enter");
    await t.waitFor("Client secret");
    t.type(SECRET);
    t.key("Enter");
    const asked = await t.waitFor("Server id");
    // The default is shown once, as the prompt's answer.
    expect(asked.match(/anypoint-exchange-v3/g)).toHaveLength(1);
    t.key("Enter");
    await t.waitFor("Store the password as");
    t.key("Enter");
    await declineRepositoriesIfAsked(t);
    const screen = await t.waitFor("(new file) with this content?");
    expect(screen).toContain("Store the password as literal");
    expect(screen).toContain("Anypoint accepted the credentials");
    expect(screen).toContain(`+      <password>${CLIENT_ID}~?~********</password>`);
    t.key("Enter");
    expect(await t.exited()).toBe(0);
    const final = t.screen();
    expect(final).toContain('Added server "anypoint-exchange-v3"');
    expect(final).not.toContain(SECRET);
    expect(final).not.toContain(TOKEN);
    expect(readFileSync(settingsOf(home), "utf8")).toContain(`<password>${CLIENT_ID}~?~${SECRET}</password>`);
  });

  it("offers to update an existing id, showing its username and never its password", async () => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const home = tempHome();
    mkdirSync(join(home, ".m2"));
    writeFileSync(
      settingsOf(home),
      "<settings>\n  <servers>\n    <server>\n      <id>anypoint-exchange-v3</id>\n      <username>~~~Client~~~</username>\n      <password>old~?~Old-Secret-1234</password>\n    </server>\n  </servers>\n</settings>\n",
      { mode: 0o600 },
    );
    const t = start(["setup"], home, { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET });
    const asked = await t.waitFor("Server id");
    expect(asked).not.toContain("also in the file");
    expect(asked).not.toContain("Connected app client ID");
    t.key("Enter");
    const exists = await t.waitFor("Replace its credentials?");
    expect(exists).toContain("(an Anypoint connected app, a password written in the file)");
    expect(exists).not.toContain("Old-Secret-1234");
    t.key("Enter");
    await t.waitFor("Store the password as");
    t.key("Enter");
    await declineRepositoriesIfAsked(t);
    const diff = await t.waitFor("Write this to");
    expect(diff).toContain("-      <password>old~?~********</password>");
    expect(diff).not.toContain("Old-Secret-1234");
    t.key("Enter");
    expect(await t.exited()).toBe(0);
    expect(readFileSync(settingsOf(home), "utf8")).toContain(`<password>${CLIENT_ID}~?~${SECRET}</password>`);
  });

  it("after a rejection, offers the client ID for correction and asks the secret again", async () => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const home = tempHome();
    const t = start(["setup", "--server-id", "exchange"], home, { ANYPOINT_CLIENT_ID: "0000-wrong-id" });
    await t.waitFor("Client secret");
    t.type("wrong-secret");
    t.key("Enter");
    await t.waitFor("Store the password as");
    t.key("Enter");
    await declineRepositoriesIfAsked(t);
    await t.waitFor("Connected app client ID (Enter keeps it)");
    // The wrong ID is offered as the default: clear it and type the right one.
    for (let i = 0; i < "0000-wrong-id".length; i++) t.key("BSpace");
    t.type(CLIENT_ID);
    t.key("Enter");
    await t.waitFor("Client secret (try again)");
    expect(t.screen()).toContain("rejected");
    t.type(SECRET);
    t.key("Enter");
    await t.waitFor("with this content?");
    t.key("Enter");
    expect(await t.exited()).toBe(0);
    expect(readFileSync(settingsOf(home), "utf8")).toContain(`<password>${CLIENT_ID}~?~${SECRET}</password>`);
  });

  it.each([["C-c"], ["Escape"]])("%s at a prompt: exit 130, nothing written, no stack trace", async (key) => {
    const home = tempHome();
    const t = start(["setup"], home, { ANYPOINT_BASE_URL: "" });
    await t.waitFor("Anypoint control plane");
    t.key("Down");
    t.key("Enter");
    await t.waitFor("Connected app client ID");
    t.key(key);
    expect(await t.exited()).toBe(130);
    const screen = t.screen();
    expect(screen).toContain("cancelled");
    expect(screen).not.toMatch(/\n\s+at /);
    expect(existsSync(join(home, ".m2"))).toBe(false);
  });

  it("fills an empty settings.xml, as setup --yes does", async () => {
    const home = tempHome();
    mkdirSync(join(home, ".m2"));
    // Private, as setup makes it (a file others can read adds a question: test/wizard-promises.e2e.test.ts).
    writeFileSync(settingsOf(home), "\n", { mode: 0o600 });
    const t = start(["setup", "--no-verify"], home, { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET });
    await t.waitFor("Server id");
    t.key("Enter");
    await t.waitFor("Store the password as");
    t.key("Enter");
    await declineRepositoriesIfAsked(t);
    await t.waitFor("Write this to");
    t.key("Enter");
    expect(await t.exited()).toBe(0);
    expect(readFileSync(settingsOf(home), "utf8")).toContain(`<password>${CLIENT_ID}~?~${SECRET}</password>`);
  });

  it("declining the final confirmation writes nothing", async () => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const home = tempHome();
    const t = start(["setup", "--server-id", "x", "--store", "literal"], home, { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET });
    await declineRepositoriesIfAsked(t);
    await t.waitFor("with this content?");
    t.type("n");
    t.key("Enter");
    expect(await t.exited()).toBe(130);
    expect(existsSync(settingsOf(home))).toBe(false);
  });
});
