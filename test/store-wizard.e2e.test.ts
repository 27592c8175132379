// The wizard's storage question in a real pseudo-terminal (tmux), each choice, including creating a security
// file (master password asked twice, hidden; written 0600 only once the change is confirmed).
// @module-tag maven
// @module-tag tmux
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { decrypt } from "../src/maven/cipher";
import { securityXml } from "../src/maven/security";
import { controlPlane, tokenEndpoint, type ControlPlane } from "./helpers/anypoint";
import { tempHome } from "./helpers/cli";
import { b64, compileProbe, type Probe } from "./helpers/maven";
import { declineRepositoriesIfAsked, terminal, type Terminal } from "./helpers/tmux";

const CLIENT_ID = "00112233445566778899aabbccddeeff";
const SECRET = "Store-Wizard-Secret-41";
const TOKEN = "tok-41414141-0000-4000-8000-414141414141";
const MASTER = "Typed-Master-41";

let anypoint: ControlPlane;
let probe: Probe;
let open: Terminal | undefined;
beforeAll(async () => {
  anypoint = await controlPlane();
  probe = compileProbe("CipherProbe");
});
afterAll(async () => {
  await anypoint.close();
});
afterEach(() => {
  open?.close();
  open = undefined;
});


/** setup in a terminal, with the credentials in the environment: the first questions are the id, then the store. */
async function untilStore(home: string): Promise<Terminal> {
  anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
  open = terminal(["setup"], { cwd: home, env: { HOME: home, ANYPOINT_BASE_URL: anypoint.url, ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET } });
  await open.waitFor("Server id");
  open.key("Enter");
  const screen = await open.waitFor("Store the password as");
  // All three choices show, each with when to use it.
  expect(screen).toContain("literal     as is");
  expect(screen).toContain("env         as ${env.X} references, no secret on disk");
  expect(screen).toContain("encrypted   with Maven's master password");
  return open;
}

const m2dir = (home: string) => join(home, ".m2");
const settingsOf = (home: string) => join(m2dir(home), "settings.xml");
const securityOf = (home: string) => join(m2dir(home), "settings-security.xml");
const passwordIn = (home: string) => /<password>([^<]*)<\/password>/.exec(readFileSync(settingsOf(home), "utf8"))![1]!;

describe("the wizard's storage question", () => {
  it("literal (the default): the password as is", async () => {
    const home = tempHome();
    const t = await untilStore(home);
    t.key("Enter");
    await declineRepositoriesIfAsked(t);
    await t.waitFor("with this content?");
    t.key("Enter");
    expect(await t.exited()).toBe(0);
    expect(passwordIn(home)).toBe(`${CLIENT_ID}~?~${SECRET}`);
  });

  it("env: ${env.…} references, and the variables Maven will need", async () => {
    const home = tempHome();
    const t = await untilStore(home);
    t.key("Down");
    t.key("Enter");
    await declineRepositoriesIfAsked(t);
    const diff = await t.waitFor("with this content?");
    expect(diff).toContain("+      <password>${env.ANYPOINT_CLIENT_ID}~?~${env.ANYPOINT_CLIENT_SECRET}</password>");
    t.key("Enter");
    expect(await t.exited()).toBe(0);
    expect(t.screen()).toContain("Maven will need ANYPOINT_CLIENT_ID and ANYPOINT_CLIENT_SECRET set when it runs");
    expect(passwordIn(home)).toBe("${env.ANYPOINT_CLIENT_ID}~?~${env.ANYPOINT_CLIENT_SECRET}");
  });

  it("encrypted, with a security file: encrypted with its master password", async () => {
    const home = tempHome();
    mkdirSync(m2dir(home));
    writeFileSync(securityOf(home), securityXml(MASTER));
    const t = await untilStore(home);
    t.key("Down");
    t.key("Down");
    t.key("Enter");
    await declineRepositoriesIfAsked(t);
    const screen = await t.waitFor("with this content?");
    expect(screen).toMatch(/Store the password as encrypted\n/);
    expect(screen).not.toContain("Create it");
    t.key("Enter");
    expect(await t.exited()).toBe(0);
    expect(decrypt(passwordIn(home), MASTER)).toBe(`${CLIENT_ID}~?~${SECRET}`);
  });

  it("encrypted, without a security file: creates one (master asked twice, hidden, again on a mismatch), 0600, that Maven reads", async () => {
    const home = tempHome();
    const t = await untilStore(home);
    t.key("Down");
    t.key("Down");
    t.key("Enter");
    await t.waitFor(`There is no ${securityOf(home)}.\n? Create it, with a new master password?`);
    t.key("Enter");
    await t.waitFor("New master password");
    t.type(MASTER);
    t.key("Enter");
    await t.waitFor("The master password again");
    t.type("something else");
    t.key("Enter");
    await t.waitFor("The two do not match");
    // The questions again: wait for their second showing, not the first one still on the screen.
    await t.waitFor(/New master password[\s\S]*New master password/);
    t.type(MASTER);
    t.key("Enter");
    await t.waitFor(/The master password again[\s\S]*The master password again/);
    t.type(MASTER);
    t.key("Enter");
    await declineRepositoriesIfAsked(t);
    await t.waitFor("with this content?");
    // Not before the change is confirmed.
    expect(existsSync(securityOf(home))).toBe(false);
    t.key("Enter");
    expect(await t.exited()).toBe(0);
    const screen = t.screen();
    expect(screen).toContain(`Created ${securityOf(home)} (mode 600)`);
    expect(screen).not.toContain(MASTER);
    expect(screen).not.toContain(SECRET);
    expect(statSync(securityOf(home)).mode & 0o777).toBe(0o600);
    // Maven's dispatcher takes the master password from the new file and decrypts the server's password.
    expect(probe.ask([["dispatch", securityOf(home), b64(passwordIn(home))].join("\t")])).toEqual([`ok ${b64(`${CLIENT_ID}~?~${SECRET}`)}`]);
    expect(probe.ask([["server", settingsOf(home), securityOf(home), "anypoint-exchange-v3"].join("\t")])[0]).toBe(`ok ${b64("~~~Client~~~")} ${b64(`${CLIENT_ID}~?~${SECRET}`)} 0`);
  });

  it("declining to create a security file: exit 130, nothing written", async () => {
    const home = tempHome();
    const t = await untilStore(home);
    t.key("Down");
    t.key("Down");
    t.key("Enter");
    await t.waitFor("Create it, with a new master password?");
    t.type("n");
    t.key("Enter");
    expect(await t.exited()).toBe(130);
    expect(existsSync(m2dir(home))).toBe(false);
  });

  it("declining the final confirmation after typing a master password: no security file either", async () => {
    const home = tempHome();
    const t = await untilStore(home);
    t.key("Down");
    t.key("Down");
    t.key("Enter");
    await t.waitFor("Create it, with a new master password?");
    t.key("Enter");
    await t.waitFor("New master password");
    t.type(MASTER);
    t.key("Enter");
    await t.waitFor("The master password again");
    t.type(MASTER);
    t.key("Enter");
    await declineRepositoriesIfAsked(t);
    await t.waitFor("with this content?");
    t.type("n");
    t.key("Enter");
    expect(await t.exited()).toBe(130);
    expect(existsSync(securityOf(home))).toBe(false);
    expect(existsSync(settingsOf(home))).toBe(false);
  });

  it("never creates a security file Maven would not read: --security-file elsewhere, or an empty -Dsettings.security (exit 2, nothing made)", async () => {
    const home = tempHome();
    const elsewhere = join(home, "keys", "new-security.xml");
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const env = { HOME: home, ANYPOINT_BASE_URL: anypoint.url, ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET };
    open = terminal(["setup", "--security-file", elsewhere], { cwd: home, env });
    if ((await open.waitFor(/Server id|\[exited/)).includes("Server id")) open.key("Enter");
    expect(await open.exited()).toBe(2);
    expect(open.screen()).toContain("is not the security file Maven reads");
    expect(open.screen()).not.toContain("Create it, with a new master password?");
    expect(existsSync(elsewhere)).toBe(false);
    open.close();

    open = terminal(["setup"], { cwd: home, env: { ...env, MAVEN_OPTS: `-Duser.home=${home} -Dsettings.security=` } });
    await open.waitFor("Server id");
    open.key("Enter");
    await open.waitFor("Store the password as");
    open.key("Down");
    open.key("Down");
    open.key("Enter");
    expect(await open.exited()).toBe(2);
    expect(open.screen()).toContain("-Dsettings.security in MAVEN_OPTS is empty");
    expect(existsSync(m2dir(home))).toBe(false);
  });
});
