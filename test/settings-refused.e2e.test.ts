// A settings file Maven's settings builder stops at (well-formed XML, but not what Maven reads): every command
// refuses it, exit 5, with where and what to do, and leaves it byte for byte; a file Maven only warns about
// is edited, with the warning. Which files those are is judged by Maven itself in test/settings-reader.test.ts.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run, tempHome } from "./helpers/cli";

const env = { ANYPOINT_CLIENT_ID: "0123abcd0123abcd0123abcd0123abcd", ANYPOINT_CLIENT_SECRET: "kNewSecret1" };
const SERVER = "<server><id>w</id><username>u</username><password>p</password></server>";

function settingsFile(text: string): { home: string; settings: string } {
  const home = tempHome();
  mkdirSync(join(home, ".m2"));
  const settings = join(home, ".m2", "settings.xml");
  writeFileSync(settings, text);
  return { home, settings };
}

const STOPS: [string, string, string, RegExp][] = [
  ["a <proxy> without <host>", `<settings>\n  <servers>${SERVER}</servers>\n  <proxies>\n    <proxy><port>8080</port></proxy>\n  </proxies>\n</settings>\n`, ":4:5:", /a <proxy> has no <host>, which Maven rejects[\s\S]*Give the proxy its <host>, or remove the proxy/],
  ["a second <localRepository>", `<settings>\n  <localRepository>/a</localRepository>\n  <localRepository>/b</localRepository>\n  <servers>${SERVER}</servers>\n</settings>\n`, ":3:3:", /more than one <localRepository>, which Maven rejects[\s\S]*Keep one <localRepository>/],
  ["text between the servers", `<settings>\n  <servers>${SERVER}\n    oops\n  </servers>\n</settings>\n`, ":2:", /<servers> holds text between its elements, which Maven rejects[\s\S]*Remove the text/],
  ["an element inside a password", `<settings>\n  <servers>\n    <server><id>w</id><password>ab<c/>SECRETPART</password></server>\n  </servers>\n</settings>\n`, ":3:", /<password> in <server> holds an element, not only text, which Maven rejects[\s\S]*&lt;/],
  ["a mirror without <mirrorOf>", `<settings>\n  <servers>${SERVER}</servers>\n  <mirrors><mirror><id>m</id><url>https://m</url></mirror></mirrors>\n</settings>\n`, ":3:12:", /a <mirror> has no <mirrorOf>, which Maven rejects/],
];

describe("a settings file Maven's settings builder stops at", () => {
  it.each(STOPS)("with %s: every command refuses it, exit 5, saying where and what to do; the file is untouched", async (_, text, where, message) => {
    const { home, settings } = settingsFile(text);
    for (const command of [["setup", "--no-verify", "--yes"], ["setup", "--no-verify", "--yes", "--with-repositories"], ["remove", "w"], ["list"], ["verify", "--server-id", "w"]]) {
      const r = await run(command, { home, env });
      expect(r.code, command.join(" ")).toBe(5);
      expect(r.stderr).toContain(where);
      expect(r.stderr).toMatch(message);
      expect(r.stdout + r.stderr).not.toContain("SECRETPART");
    }
    expect(readFileSync(settings, "utf8")).toBe(text);
  });

  it("an element Maven does not know: setup edits the file and warns that Maven reads it only leniently", async () => {
    const text = `<settings>\n  <servers>${SERVER}</servers>\n  <foo/>\n</settings>\n`;
    const { home, settings } = settingsFile(text);
    const r = await run(["setup", "--no-verify", "--yes", "--store", "literal"], { home, env });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/line 3, column 3: <foo> in <settings> is not an element of settings.xml, which Maven's strict reader rejects/);
    expect(readFileSync(settings, "utf8")).toContain("<id>anypoint-exchange-v3</id>");
  });
});
