// Previews through the CLI never show a credential other than a server's password either: header values
// (GitLab's Private-Token), private keys, tokens and passphrases in profile properties, properties named like
// a credential, and such things commented out. remove --dry-run shows them as removed or context lines,
// setup --dry-run as context lines; both in text and in --json.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run, tempHome, type Run } from "./helpers/cli";

const env = { ANYPOINT_CLIENT_ID: "0123abcd0123abcd0123abcd0123abcd", ANYPOINT_CLIENT_SECRET: "kNewSecret1" };

/**
 * A HOME whose settings.xml has the server `w` (its content: `server`) last in <servers>, and `after` on the
 * line after </servers>: within three lines of where setup adds a server, and of the server remove removes.
 */
function home(server: string, after: string): { home: string; settings: string; text: string } {
  const dir = tempHome();
  mkdirSync(join(dir, ".m2"));
  const settings = join(dir, ".m2", "settings.xml");
  const text = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<settings>", "  <servers>", `    <server><id>w</id>${server}</server>`, "  </servers>", after, "</settings>", ""].join("\n");
  writeFileSync(settings, text);
  return { home: dir, settings, text };
}

const profile = (properties: string): string => `  <profiles><profile><id>p</id><properties>${properties}</properties></profile></profiles>`;
const headers = (name: string, value: string): string => `<configuration><httpHeaders><property><name>${name}</name><value>${value}</value></property></httpHeaders></configuration>`;

/** Where the credential is (in server w, or on the line after </servers>), its secret pieces, and what stays readable. */
const SHAPES: [string, { server?: string; after?: string }, string[], string[]][] = [
  ["a GitLab Private-Token header", { server: headers("Private-Token", "glpat-kE1token") }, ["kE1token"], ["<name>Private-Token</name>"]],
  [
    "an Authorization header over several lines",
    { server: "\n      <configuration><httpHeaders><property><name>Authorization</name><value>\n        Bearer kE2bearer\n      </value></property></httpHeaders></configuration>\n    " },
    ["kE2bearer"],
    ["</value></property>"],
  ],
  ["a privateKey and its passphrase", { server: "<username>deployer</username><privateKey>kE3key</privateKey><passphrase>kE3phrase</passphrase>" }, ["kE3key", "kE3phrase"], ["<username>deployer</username>"]],
  ["a property named X-Api-Key", { server: "<configuration><property><name>X-Api-Key</name><value>kE4api</value></property></configuration>" }, ["kE4api"], ["<name>X-Api-Key</name>"]],
  ["a sonar.token property", { after: profile("<sonar.token>kE5sonar</sonar.token>") }, ["kE5sonar"], ["<sonar.token>"]],
  ["a github.token property", { after: profile("<github.token>ghp_kE6github</github.token>") }, ["kE6github"], ["<github.token>"]],
  ["a gpg.passphrase property", { after: profile("<gpg.passphrase>kE7gpg</gpg.passphrase>") }, ["kE7gpg"], ["<gpg.passphrase>"]],
  ["an npmAuthToken property", { after: profile("<npmAuthToken>kE8npm</npmAuthToken>") }, ["kE8npm"], ["<npmAuthToken>"]],
  ["an apiKey property", { after: profile("<apiKey>kE9api</apiKey>") }, ["kE9api"], ["<apiKey>"]],
  ["a header commented out", { after: `  <!-- <server><id>old</id>${headers("Private-Token", "glpat-kE10old")}</server> -->` }, ["kE10old"], ["<id>old</id>"]],
];

function expectNone(r: Run, secrets: string[]): void {
  expect(secrets.length).toBeGreaterThan(0);
  for (const secret of secrets) {
    expect(r.stdout).not.toContain(secret);
    expect(r.stderr).not.toContain(secret);
  }
}

/** The diff a dry run printed: stdout, or the `diff` of its JSON. */
const diffOf = (r: Run, json: boolean): string => (json ? (JSON.parse(r.stdout) as { diff: string }).diff : r.stdout);

describe("no credential in the file shows in a preview", () => {
  describe.each([["text", false], ["--json", true]])("%s", (_, json) => {
    const flags = json ? ["--json"] : [];

    it.each(SHAPES)("%s: remove --dry-run", async (_, { server = "", after = "" }, secrets, readable) => {
      const { home: dir, settings, text } = home(server, after);
      const r = await run(["remove", "w", "--dry-run", ...flags], { home: dir });
      expect(r.code).toBe(0);
      const diff = diffOf(r, json);
      expect(diff).toContain("-    <server><id>w</id>");
      for (const shown of readable) expect(diff).toContain(shown);
      expectNone(r, secrets);
      expect(readFileSync(settings, "utf8")).toBe(text);
    });

    it.each(SHAPES)("%s: setup --dry-run", async (_, { server = "", after = "" }, secrets, readable) => {
      const { home: dir, settings, text } = home(server, after);
      const r = await run(["setup", "--dry-run", "--no-verify", ...flags], { home: dir, env });
      expect(r.code).toBe(0);
      const diff = diffOf(r, json);
      expect(diff).toContain("+    <server>");
      for (const shown of readable) expect(diff).toContain(shown);
      expectNone(r, [...secrets, "kNewSecret1"]);
      expect(readFileSync(settings, "utf8")).toBe(text);
    });
  });

  it("shows ${env.X} header values, ids, usernames and urls as written", async () => {
    const server = `<username>bot</username>${headers("Private-Token", "${env.GITLAB_TOKEN}")}`;
    const after = "  <mirrors><mirror><id>m</id><url>https://token.example.com/auth</url><mirrorOf>m</mirrorOf></mirror></mirrors>";
    const { home: dir } = home(server, after);
    const r = await run(["remove", "w", "--dry-run"], { home: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`-    <server><id>w</id>${server}</server>`);
    expect(r.stdout).toContain(` ${after}`);
  });
});
