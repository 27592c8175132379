// A settings file broken inside a password: every command refuses it (exit 5) with its position, and no
// output, text or JSON, quotes any piece of the password.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run, tempHome } from "./helpers/cli";

const env = { ANYPOINT_CLIENT_ID: "0123abcd0123abcd0123abcd0123abcd", ANYPOINT_CLIENT_SECRET: "kNewSecret1" };

const BROKEN: [string, string, string[]][] = [
  ["a '<' in it", "<password>ab<cd<SECRETPART</password>", ["SECRETPART", "<cd>", "ab<"]],
  ["a tag in it", "<password><TOPSECRET></password>", ["TOPSECRET"]],
  ["a control character in it", "<password>kCtl\u0007kCtl2</password>", ["kCtl", "U+0007"]],
];

describe("a file broken inside a password", () => {
  it.each(BROKEN)("with %s: refused with its place, none of it quoted, text and --json", async (_, password, secrets) => {
    const home = tempHome();
    mkdirSync(join(home, ".m2"));
    const settings = join(home, ".m2", "settings.xml");
    const text = `<settings>\n  <servers>\n    <server><id>w</id>${password}</server>\n  </servers>\n</settings>\n`;
    writeFileSync(settings, text);
    const commands = [["remove", "w", "--dry-run"], ["setup", "--dry-run", "--no-verify"], ["list"], ["verify", "--server-id", "w"]];
    for (const command of commands) {
      for (const json of [false, true]) {
        const r = await run([...command, ...(json ? ["--json"] : [])], { home, env });
        expect(r.code).toBe(5);
        const output = r.stdout + r.stderr;
        expect(output).toContain(json ? '"line":3' : ":3:");
        expect(output).toContain("inside <password>");
        for (const secret of secrets) expect(output).not.toContain(secret);
      }
    }
    expect(readFileSync(settings, "utf8")).toBe(text);
  });
});
