// Previews through the CLI: no secret of any shape in setup/remove --dry-run (text or JSON); remove's stdout
// is a patch that patch and git apply accept.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run, tempHome, type Run } from "./helpers/cli";

const CLIENT_ID = "0123abcd0123abcd0123abcd0123abcd";
const MASK = "********";

/** A HOME whose ~/.m2/settings.xml holds `servers` inside <servers>. */
function homeWithServers(servers: string, eol = "\n"): { home: string; settings: string; text: string } {
  const home = tempHome();
  mkdirSync(join(home, ".m2"));
  const settings = join(home, ".m2", "settings.xml");
  const text = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<settings>", "  <servers>", servers, "  </servers>", "</settings>", ""].join(eol);
  writeFileSync(settings, text);
  return { home, settings, text };
}

function expectNone(r: Run, secrets: string[]): void {
  expect(secrets.length).toBeGreaterThan(0);
  for (const secret of secrets) {
    expect(r.stdout).not.toContain(secret);
    expect(r.stderr).not.toContain(secret);
  }
}

/** Passwords already in the file, of every shape, and the pieces of secret in each. */
const IN_FILE: [string, string, string[]][] = [
  ["split by a comment", "<password><!--c-->kQ1split</password>", ["kQ1split"]],
  ["partly CDATA", "<password>kQ2ab<![CDATA[kQ2cdata]]></password>", ["kQ2ab", "kQ2cdata"]],
  ["on lines of its own", "<password>\n        kQ3multi\n      </password>", ["kQ3multi"]],
  ["entity-escaped", "<password>kQ4x&amp;kQ4y</password>", ["kQ4x", "kQ4y"]],
  ["with an escaped ]]>", "<password>kQ5a]]&gt;kQ5b</password>", ["kQ5a", "kQ5b"]],
  ["non-ASCII", "<password>kQ6ünïcödé€</password>", ["kQ6"]],
  ["a connected app's, with a line break", "<password>kQid~?~kQ7first\nkQ7second</password>", ["kQ7first", "kQ7second"]],
  ["a passphrase", "<passphrase>kQ8phrase</passphrase>", ["kQ8phrase"]],
  ["an example in a comment", "<!-- <password>kQ9comment</password> -->", ["kQ9comment"]],
];

describe("no secret already in the file shows in a preview", () => {
  it.each(IN_FILE)("a password %s: setup --dry-run (context lines), text and --json", async (_, password, secrets) => {
    // The server takes at most three lines, right before where setup adds one: all of it is context.
    const { home, settings, text } = homeWithServers(`    <server><id>w</id>${password}</server>`);
    const env = { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: "kNewSecret1" };
    const r = await run(["setup", "--dry-run", "--no-verify"], { home, env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("<server><id>w</id>");
    expectNone(r, [...secrets, "kNewSecret1"]);
    const json = await run(["setup", "--dry-run", "--no-verify", "--json"], { home, env });
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { diff: string }).diff).toContain("<server><id>w</id>");
    expectNone(json, [...secrets, "kNewSecret1"]);
    expect(readFileSync(settings, "utf8")).toBe(text);
  });

  it.each(IN_FILE)("a password %s: remove --dry-run (removed lines), text and --json", async (_, password, secrets) => {
    const { home, settings, text } = homeWithServers(`    <server><id>w</id>${password}</server>`);
    const r = await run(["remove", "w", "--dry-run"], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("-    <server><id>w</id>");
    expectNone(r, secrets);
    const json = await run(["remove", "w", "--dry-run", "--json"], { home });
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { diff: string }).diff).toContain("-    <server><id>w</id>");
    expectNone(json, secrets);
    expect(readFileSync(settings, "utf8")).toBe(text);
  });
});

/** Secrets setup is given, of every shape, and their pieces. */
const GIVEN: [string, string, string[]][] = [
  ["a line break", "kS1line\nkS1next", ["kS1line", "kS1next"]],
  ["non-ASCII", "kS3ünïcödé€ß", ["kS3"]],
  ["]]>", "kS4a]]>kS4b", ["kS4a", "kS4b"]],
  ["an entity-escaped &amp;", "kS5a&amp;kS5b", ["kS5a", "kS5b"]],
  ["CDATA markup", "kS6<![CDATA[kS6c]]>", ["kS6", "kS6c"]],
  ["quotes and angle brackets", "kS7 \"q\" 'a' <lt> kS7z", ["kS7"]],
];

describe("no secret setup is given shows in its preview", () => {
  it.each(GIVEN)("a secret with %s: setup --dry-run adding and updating, text and --json", async (_, secret, pieces) => {
    const env = { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: secret };
    const { home } = homeWithServers("    <server>\n      <id>other</id>\n    </server>");
    const added = await run(["setup", "--dry-run", "--no-verify"], { home, env });
    expect(added.code).toBe(0);
    expect(added.stdout).toContain(`+      <password>${CLIENT_ID}~?~${MASK}`);
    expectNone(added, pieces);
    const json = await run(["setup", "--dry-run", "--no-verify", "--json"], { home, env });
    expect((JSON.parse(json.stdout) as { diff: string }).diff).toContain(`+      <password>${CLIENT_ID}~?~${MASK}`);
    expectNone(json, pieces);

    // An existing server with another secret: the password line shows as changed, masked on both sides.
    const existing = homeWithServers(`    <server>\n      <id>anypoint-exchange-v3</id>\n      <username>~~~Client~~~</username>\n      <password>${CLIENT_ID}~?~kOldSecret1</password>\n    </server>`);
    const updated = await run(["setup", "--dry-run", "--no-verify"], { home: existing.home, env });
    expect(updated.code).toBe(0);
    expect(updated.stdout).toContain(`\n-      <password>${CLIENT_ID}~?~${MASK}</password>\n`);
    expect(updated.stdout).toContain(`\n+      <password>${CLIENT_ID}~?~${MASK}`);
    expectNone(updated, [...pieces, "kOldSecret1"]);
  });
});

describe("a secret Maven could not give back", () => {
  it("a CR (Maven reads a line feed) is refused before any preview, and not printed", async () => {
    const env = { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: "kS2a\rkS2b" };
    const { home } = homeWithServers("    <server>\n      <id>other</id>\n    </server>");
    for (const json of [[], ["--json"]]) {
      const r = await run(["setup", "--dry-run", "--no-verify", ...json], { home, env });
      expect(r.code).toBe(2);
      expect(r.stdout).not.toContain("@@");
      expectNone(r, ["kS2a", "kS2b"]);
    }
  });
});

describe("remove --dry-run prints a patch", () => {
  const patch = (cwd: string, diff: string, ...flags: string[]) => execFileSync("patch", ["-p0", "--batch", ...flags], { cwd, input: diff, encoding: "utf8" });
  const gitApply = (cwd: string, diff: string) => execFileSync("git", ["apply", "-p0", "--check"], { cwd, input: diff, encoding: "utf8" });

  it.each([["LF", "\n"], ["CRLF", "\r\n"]])("alone on stdout, applying to a %s file as it is when no secret is near", async (_, eol) => {
    const servers = ["    <server>", "      <id>nexus</id>", "      <password>${env.NEXUS_PASSWORD}</password>", "    </server>", "    <server>", "      <id>keep</id>", "    </server>"].join(eol);
    const { home, settings } = homeWithServers(servers, eol);
    const r = await run(["remove", "nexus", "--dry-run"], { home });
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("--- .m2/settings.xml\n+++ .m2/settings.xml\n@@ ")).toBe(true);
    expect(r.stderr).toContain('Dry run: would remove server "nexus"');
    const result = (await run(["remove", "nexus", "--stdout"], { home })).stdout;
    gitApply(home, r.stdout);
    patch(home, r.stdout, "--dry-run");
    patch(home, r.stdout);
    expect(readFileSync(settings, "utf8")).toBe(result);
  });

  it("applying to the file as the diff shows it, its passwords masked", async () => {
    const servers = ["    <server>", "      <id>other</id>", "      <password>kP1other</password>", "    </server>", "    <server>", "      <id>anypoint-exchange-v3</id>", "      <username>~~~Client~~~</username>", `      <password>${CLIENT_ID}~?~kP2secret</password>`, "    </server>"].join("\n");
    const { home, settings } = homeWithServers(servers);
    const r = await run(["remove", "anypoint-exchange-v3", "--dry-run"], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`-      <password>${CLIENT_ID}~?~${MASK}</password>`);
    const result = (await run(["remove", "anypoint-exchange-v3", "--stdout"], { home })).stdout;
    const masked = (text: string) => text.replace("kP1other", MASK).replace(`${CLIENT_ID}~?~kP2secret`, `${CLIENT_ID}~?~${MASK}`);
    writeFileSync(settings, masked(readFileSync(settings, "utf8")));
    gitApply(home, r.stdout);
    patch(home, r.stdout);
    expect(readFileSync(settings, "utf8")).toBe(masked(result));
  });

  it("nothing to remove: an empty stdout, the reason on stderr", async () => {
    const { home } = homeWithServers("    <server><id>keep</id></server>");
    const r = await run(["remove", "absent", "--dry-run"], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('No server "absent"');
  });
});
