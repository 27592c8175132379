// End-to-end: the built CLI in a temporary HOME, against a real token server on loopback.
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../src/cli/spec";
import { controlPlane, tokenEndpoint, type ControlPlane } from "./helpers/anypoint";
import { expectNoSecret, recorder, tempHome } from "./helpers/cli";
import { corpusFile } from "./helpers/corpus";
import { e2eFixture, homeWithFixture } from "./helpers/e2e-fixtures";

const CLIENT_ID = "0123456789abcdef0123456789abcdef";
const SECRET = "Sup3r&Secret<Value>";
const TOKEN = "tok-7f3a9c1e-d00d-4b1e-9a8b-000000000001";
const env = { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET };
const { m2, outputs } = recorder();


const settingsOf = (home: string) => join(home, ".m2", "settings.xml");
const mode = (path: string) => statSync(path).mode & 0o777;

let anypoint: ControlPlane;
beforeAll(async () => {
  anypoint = await controlPlane();
});
afterAll(async () => {
  await anypoint.close();
});

describe("setup", () => {
  it("creates ~/.m2 (0700) and settings.xml (0600) and prints one JSON object", async () => {
    const home = tempHome();
    const r = await m2(["setup", "--no-verify", "--yes", "--json"], { home, env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      settings: settingsOf(home),
      serverId: "anypoint-exchange-v3",
      change: "added",
      servers: [{ serverId: "anypoint-exchange-v3", change: "added" }],
      created: true,
      backup: null,
      verified: false,
      store: "literal",
      findings: [],
      // Written unchecked: said, in the JSON too.
      warnings: ["the credentials were not checked with Anypoint (--no-verify): a wrong client ID or secret shows only when Maven gets a 401; anypoint-m2 verify checks what is stored"],
    });
    expect(mode(join(home, ".m2"))).toBe(0o700);
    expect(mode(settingsOf(home))).toBe(0o600);
    const text = readFileSync(settingsOf(home), "utf8");
    expect(text).toContain("<username>~~~Client~~~</username>");
    expect(text).toContain(`<password>${CLIENT_ID}~?~Sup3r&amp;Secret&lt;Value&gt;</password>`);
  });

  it("checks the credentials with Anypoint before writing", async () => {
    const home = tempHome();
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const r = await m2(["setup", "--yes", "--base-url", anypoint.url], { home, env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("accepted the credentials");
    expect(anypoint.requests.map((q) => q.url)).toEqual(["/accounts/api/v2/oauth2/token", "/accounts/api/me"]);
    expect(anypoint.requests[0]!.headers.accept).toBe("application/json");
    expect(readFileSync(settingsOf(home), "utf8")).toContain("<id>anypoint-exchange-v3</id>");
  });

  it("writes nothing when Anypoint rejects the credentials (exit 3)", async () => {
    const home = tempHome();
    mkdirSync(join(home, ".m2"));
    const original = e2eFixture("ci-env-servers.xml");
    writeFileSync(settingsOf(home), original);
    anypoint.handle(tokenEndpoint(CLIENT_ID, "another secret", TOKEN));
    const r = await m2(["setup", "--yes", "--base-url", anypoint.url], { home, env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("rejected");
    expect(readFileSync(settingsOf(home)).equals(original)).toBe(true);
    expect(readdirSync(join(home, ".m2"))).toEqual(["settings.xml"]);
  });

  it("keeps the mode of an existing file, backs it up (0600), and writes nothing when run again", async () => {
    const home = tempHome();
    mkdirSync(join(home, ".m2"));
    const original = e2eFixture("commented-template.xml");
    writeFileSync(settingsOf(home), original);
    chmodSync(settingsOf(home), 0o640);
    const first = await m2(["setup", "--no-verify", "--yes"], { home, env });
    expect(first.code).toBe(0);
    // Doctor's finding about the file written, in the result (and no second warning about it).
    expect(first.stdout).toContain("can be read by other users (mode 640)");
    expect(first.stderr).not.toContain("can be read by other users");
    expect(mode(settingsOf(home))).toBe(0o640);
    expect(mode(`${settingsOf(home)}.bak`)).toBe(0o600);
    expect(readFileSync(`${settingsOf(home)}.bak`).equals(original)).toBe(true);
    const written = statSync(settingsOf(home));
    const again = await m2(["setup", "--no-verify", "--yes", "--json"], { home, env });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ change: "unchanged", backup: null });
    expect(statSync(settingsOf(home)).ino).toBe(written.ino);
    expect(statSync(settingsOf(home)).mtimeMs).toBe(written.mtimeMs);
    expect(readdirSync(join(home, ".m2")).sort()).toEqual(["settings.xml", "settings.xml.bak"]);
  });

  it("updates a symlinked settings.xml through the link", async () => {
    const home = tempHome();
    mkdirSync(join(home, ".m2"));
    mkdirSync(join(home, "dotfiles"));
    writeFileSync(join(home, "dotfiles", "settings.xml"), "<settings>\n  <servers>\n  </servers>\n</settings>\n");
    symlinkSync("../dotfiles/settings.xml", settingsOf(home));
    const r = await m2(["setup", "--no-verify", "--yes"], { home, env });
    expect(r.code).toBe(0);
    expect(lstatSync(settingsOf(home)).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(home, "dotfiles", "settings.xml"), "utf8")).toContain("<id>anypoint-exchange-v3</id>");
  });

  it("reads the secret from stdin", async () => {
    const home = tempHome();
    const r = await m2(["setup", "--client-id", CLIENT_ID, "--client-secret-stdin", "--no-verify", "--yes"], { home, input: `${SECRET}\n` });
    expect(r.code).toBe(0);
    expect(readFileSync(settingsOf(home), "utf8")).toContain(`~?~Sup3r&amp;Secret&lt;Value&gt;</password>`);
  });

  it("refuses a malformed file with exit 5, its position, and leaves it byte for byte", async () => {
    const home = tempHome();
    mkdirSync(join(home, ".m2"));
    const original = e2eFixture("extra-end-tag.xml");
    writeFileSync(settingsOf(home), original);
    const r = await m2(["setup", "--no-verify", "--yes"], { home, env });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`${settingsOf(home)}:9:3:`);
    expect(r.stderr).toContain("Nothing was written.");
    const json = await m2(["setup", "--no-verify", "--yes", "--json"], { home, env });
    expect(json.code).toBe(5);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { exitCode: 5, file: settingsOf(home), line: 9, column: 3 } });
    expect(readFileSync(settingsOf(home)).equals(original)).toBe(true);
    expect(readdirSync(join(home, ".m2"))).toEqual(["settings.xml"]);
  });

  it("fails with exit 5 on an existing id with --on-existing fail", async () => {
    const home = tempHome();
    await m2(["setup", "--no-verify", "--yes"], { home, env });
    const before = readFileSync(settingsOf(home));
    const r = await m2(["setup", "--no-verify", "--yes", "--on-existing", "fail"], { home, env: { ...env, ANYPOINT_CLIENT_SECRET: "other" } });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain("already exists");
    expect(readFileSync(settingsOf(home)).equals(before)).toBe(true);
  });

  it("exits 2 at once, naming each missing input, without waiting for stdin", async () => {
    const home = tempHome();
    const r = await m2(["setup", "--no-verify"], { home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--client-id");
    expect(r.stderr).toContain("ANYPOINT_CLIENT_ID");
    expect(r.stderr).toContain("ANYPOINT_CLIENT_SECRET");
    expect(existsSync(join(home, ".m2"))).toBe(false);
  });

  it("exits 6 when the file cannot be written", async () => {
    const home = tempHome();
    writeFileSync(join(home, "not-a-folder"), "");
    const r = await m2(["setup", "--no-verify", "--yes", "--settings", join(home, "not-a-folder", "settings.xml")], { home, env });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain("not a folder");
  });

  it("exits 2 on an unknown option or a bad choice, with the exit codes in --help", async () => {
    const home = tempHome();
    expect((await m2(["setup", "--bogus"], { home, env })).code).toBe(2);
    expect((await m2(["setup", "--on-existing", "sometimes"], { home, env })).code).toBe(2);
    const help = await m2(["--help"], { home });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("5    settings file cannot be edited safely (nothing written)");
  });
});

describe("arguments", () => {
  it("a bad --timeout is a usage error (exit 2) before any request, not three retries and exit 4", async () => {
    const home = tempHome();
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    for (const value of ["abc", "-1", "1e9", ""]) {
      const r = await m2(["setup", "--yes", "--base-url", anypoint.url, `--timeout=${value}`], { home, env });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--timeout takes seconds, a whole number from 1 to 600 (got ${JSON.stringify(value)})`);
    }
    expect(anypoint.requests).toEqual([]);
    expect(existsSync(join(home, ".m2"))).toBe(false);
  });

  it("a bad --lock-timeout ends at once with exit 2, even when the file is locked", async () => {
    const { home, settings, original } = homeWithFixture("ci-env-servers.xml");
    // Held by this test process, which is alive: without the check, the run would wait for ever.
    writeFileSync(`${settings}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), since: Date.now() }));
    const r = await m2(["setup", "--no-verify", "--yes", "--lock-timeout", "abc"], { home, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--lock-timeout takes seconds, a number from 0 to 600 (got "abc")');
    expect(readFileSync(settings).equals(original)).toBe(true);
  });

  it("an option given twice is a usage error naming it, with --json too", async () => {
    const home = tempHome();
    const r = await m2(["setup", "--client-id", "a", "--client-id", "b", "--timeout", "abc", "--json"], { home, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--client-id was given 2 times; it takes one value");
    expect(JSON.parse(r.stdout)).toEqual({ error: { exitCode: 2, message: "--client-id was given 2 times; it takes one value", hint: "Give --client-id once." } });
  });

  it("an empty --settings is refused, not read as the default file", async () => {
    const home = tempHome();
    const r = await m2(["setup", "--no-verify", "--yes", "--settings", ""], { home, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--settings needs a value");
    expect(existsSync(join(home, ".m2"))).toBe(false);
  });

  it("takes --region in any case, and -yq as -y -q", async () => {
    const home = tempHome();
    const r = await m2(["setup", "--no-verify", "-yq", "--region", "EU"], { home, env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(readFileSync(settingsOf(home), "utf8")).toContain("<id>anypoint-exchange-v3</id>");
  });

  it("suggests the nearest command, and says that remove needs the server id", async () => {
    const home = tempHome();
    const typo = await m2(["lst"], { home });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown command "lst"; did you mean "list"?');
    const remove = await m2(["remove"], { home });
    expect(remove.code).toBe(2);
    expect(remove.stderr).toContain("remove needs the id of the server to remove: anypoint-m2 remove <id>");
    expect(remove.stderr).not.toContain("non-option");
  });

  it("--help of each command is laid out from the table: each option with its choices or range, and the exit codes", async () => {
    const home = tempHome();
    expect(COMMANDS.length).toBeGreaterThan(0);
    for (const spec of COMMANDS) {
      // Help wins over the mistakes on the same line: it is what they need.
      const r = await m2([spec.name, "--bogus", "--help"], { home });
      expect(r.code, spec.name).toBe(0);
      // (Lines are wrapped: compared with single spaces.)
      const text = r.stdout.replace(/\s+/g, " ");
      expect(text).toContain(`anypoint-m2 ${spec.name}`);
      for (const [name, o] of Object.entries(spec.options)) {
        expect(text, `${spec.name} --${name}`).toContain(` --${name} `);
        if (o.choices) expect(text).toContain(`[choices: ${o.choices.join(", ")}]`);
        if (o.type === "number") expect(text).toContain(`from ${o.range.min} to ${o.range.max}`);
      }
      expect(r.stdout).toContain("130  cancelled by the user");
    }
  });

  it("a read-only command on a malformed file does not say that nothing was written", async () => {
    const { home, settings } = homeWithFixture("extra-end-tag.xml");
    const listed = await m2(["list"], { home });
    expect(listed.code).toBe(5);
    expect(listed.stderr).toContain(`${settings}:9:3:`);
    expect(listed.stderr).not.toContain("Nothing was written");
    const verified = await m2(["verify", "--base-url", anypoint.url], { home });
    expect(verified.code).toBe(5);
    expect(verified.stderr).not.toContain("Nothing was written");
    const removed = await m2(["remove", "x"], { home });
    expect(removed.code).toBe(5);
    expect(removed.stderr).toContain("Nothing was written.");
  });
});

describe("list and remove", () => {
  it("lists servers without password values, then removes one", async () => {
    const home = tempHome();
    mkdirSync(join(home, ".m2"));
    writeFileSync(settingsOf(home), e2eFixture("ids-last-many-servers.xml"));
    await m2(["setup", "--no-verify", "--yes", "--server-id", "my-exchange"], { home, env });
    const listed = await m2(["list", "--json"], { home });
    expect(listed.code).toBe(0);
    const { servers } = JSON.parse(listed.stdout) as { servers: { id: string; password: string; connectedApp: boolean }[] };
    expect(servers).toHaveLength(9);
    expect(servers.find((s) => s.id === "my-exchange")).toMatchObject({ password: "literal", connectedApp: true });
    // Client IDs are shown, passwords never.
    expect(listed.stdout).toContain("a1b2c3d4e5f60718293a4b5c6d7e8f90");
    expect(listed.stdout).not.toMatch(/Ids-Last-(Secret|Password)/);

    const removed = await m2(["remove", "my-exchange", "--json"], { home });
    expect(removed.code).toBe(0);
    expect(JSON.parse(removed.stdout)).toMatchObject({ change: "removed", serverId: "my-exchange" });
    expect(readFileSync(settingsOf(home)).equals(e2eFixture("ids-last-many-servers.xml"))).toBe(true);
    const again = await m2(["remove", "my-exchange"], { home });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("nothing changed");
  });

  it("remove says that the backup still holds the server it removed, password and all", async () => {
    const home = tempHome();
    await m2(["setup", "--no-verify", "--yes", "--server-id", "my-exchange"], { home, env });
    const removed = await m2(["remove", "my-exchange"], { home });
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain(`Previous version saved as ${settingsOf(home)}.bak (it still holds server "my-exchange" as it was, its password too`);
  });

  it.each([
    ["fixtures/engine/servers-missing-after-offline", () => readFileSync(join(import.meta.dirname, "..", "fixtures", "engine", "servers-missing-after-offline", "before.xml"))],
    ["corpus 50-apache-maven-plugins.xml", () => corpusFile("50-apache-maven-plugins.xml")],
  ])("setup then remove on a file without <servers> (%s) gives back its exact bytes, with or without the repositories", async (_name, original) => {
    const bytes = original();
    expect(bytes.includes("<servers")).toBe(false);
    for (const repositories of [[], ["--with-repositories"]]) {
      const home = tempHome();
      mkdirSync(join(home, ".m2"));
      writeFileSync(settingsOf(home), bytes);
      expect((await m2(["setup", "--no-verify", "--yes", ...repositories], { home, env })).code).toBe(0);
      expect(readFileSync(settingsOf(home), "utf8")).toContain("<servers>");
      const removed = await m2(["remove", "anypoint-exchange-v3", ...repositories], { home });
      expect(removed.code).toBe(0);
      expect(readFileSync(settingsOf(home)).equals(bytes), repositories.join(" ")).toBe(true);
    }
  });

  it("lists a missing file as not existing yet", async () => {
    const home = tempHome();
    const r = await m2(["list", "--json"], { home });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ settings: settingsOf(home), exists: false, servers: [] });
  });
});

describe("secrets", () => {
  it("never appear in any output of any scenario above", () => {
    expectNoSecret(outputs, [SECRET, "Sup3r&amp;Secret", TOKEN], 30); // 41 runs (measured)
  });
});
