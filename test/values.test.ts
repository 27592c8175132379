// Values Maven cannot give back are refused (exit 2), and only those, with Maven as the judge: each
// character in a password is written by anypoint-m2, or, when refused, with the best escaping XML has, and
// read back through Maven's settings builder (test/maven/SettingsProbe.java).
// @module-tag maven
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { M2Error } from "../src/errors";
import { upsertBytes } from "./helpers/engine";
import { compileProbe } from "./helpers/maven";

const work = mkdtempSync(join(tmpdir(), "anypoint-m2-values-"));
const EMPTY = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<settings>\n</settings>\n', "utf8");
const ID = "s";

/** The closest XML has to writing `value`: for values anypoint-m2 refuses, to show what Maven makes of them. */
const escapeAnyway = (value: string): string =>
  value.replace(/[&<>\r]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;" })[c]!);

interface Attempt {
  value: string;
  refused?: M2Error;
  path: string;
}

let files = 0;
function attempt(value: string): Attempt {
  let bytes: Uint8Array;
  let refused: M2Error | undefined;
  try {
    bytes = upsertBytes(EMPTY, { id: ID, username: "~~~Client~~~", password: value }).bytes;
  } catch (e) {
    if (!(e instanceof M2Error)) throw e;
    refused = e;
    bytes = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<settings><servers><server><id>${ID}</id><password>${escapeAnyway(value)}</password></server></servers></settings>\n`, "utf8");
  }
  const path = join(work, `value-${files++}.xml`);
  writeFileSync(path, bytes);
  return { value, refused, path };
}

/** XML 1.0's Char production: a file holding anything else is not XML, whatever a lenient parser makes of it. */
const isXmlChar = (s: string): boolean => /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u.test(s);
const hex = (s: string) => [...s].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`).join(" ");

// Every code point up to U+00FF, line and paragraph separators, BOM, replacement and noncharacters, lone
// surrogates, private use, and the ends of the supplementary planes; in the middle of a value and at its end.
const codePoints = [...Array.from({ length: 0x100 }, (_, i) => i), 0x2028, 0x2029, 0xfeff, 0xfffd, 0xfffe, 0xffff, 0xd800, 0xdfff, 0xfdd0, 0xe000, 0x1f600, 0x10ffff];
const characters = codePoints.flatMap((cp) => {
  const c = String.fromCodePoint(cp);
  return [attempt(`cid~?~a${c}b`), attempt(`cid~?~a${c}`)];
});

// Maven replaces ${...} (plexus RegexBasedInterpolator, `\$\{(.+?)\}`) by properties and environment
// variables; which exist is known only when Maven runs.
const expressions = ["${user.home}", "a${env.HOME}b", "${java.version}", "${no.such.property}", "${ }", "$${user.home}", "${${user.home}}"].map((e) => attempt(`cid~?~${e}`));
const notExpressions = ["${}", "$ {user.home}", "${user.home", "{user.home}", "$user.home", "$", "{", "}${", "$}{"].map((e) => attempt(`cid~?~${e}`));

const read = new Map<string, string>();
beforeAll(() => {
  const all = [...characters, ...expressions, ...notExpressions];
  const answers = compileProbe().ask(all.map((a) => `server\t${a.path}\t${ID}`));
  all.forEach((a, i) => {
    const answer = answers[i]!;
    read.set(a.path, answer.startsWith("ok ") ? Buffer.from(answer.split(" ")[2]!, "base64").toString("utf8") : answer);
  });
});

describe("a value is refused exactly when Maven would not give it back", () => {
  it("for every character, in the middle and at the end of a value", () => {
    expect(characters.length).toBe(2 * codePoints.length);
    const wrong = characters
      .filter((a) => (a.refused !== undefined) !== (!isXmlChar(a.value) || read.get(a.path) !== a.value))
      .map((a) => `${hex(a.value.slice(6))}: ${a.refused ? `refused (${a.refused.message}) but Maven gives it back` : `written, but Maven reads ${JSON.stringify(read.get(a.path))}`}`);
    expect(wrong).toEqual([]);
  });

  it("characters XML 1.0 does not allow are refused even where Maven's parser would give them back", () => {
    const lenient = characters.filter((a) => !isXmlChar(a.value) && read.get(a.path) === a.value).map((a) => hex(a.value.slice(6)));
    expect(lenient).toEqual(["U+0061 U+FFFE U+0062", "U+0061 U+FFFE", "U+0061 U+FFFF U+0062", "U+0061 U+FFFF"]);
  });

  it("refusals are usage errors that name the character and never quote the value", () => {
    const refused = characters.filter((a) => a.refused);
    expect(refused.length).toBeGreaterThan(30);
    for (const { refused: e, value } of refused) {
      expect(e!.exitCode).toBe(2);
      expect(e!.message).not.toContain(value);
      expect(e!.message).toMatch(/U\+[0-9A-F]{4}|whitespace/);
    }
  });

  it("a carriage return is refused: Maven gives back a line feed for it, even written as &#13;", () => {
    const cr = characters.find((a) => a.value === "cid~?~a\rb")!;
    expect(cr.refused?.message).toBe("the password holds a carriage return (U+000D), which Maven reads back as a line feed");
    expect(read.get(cr.path)).toBe("cid~?~a\nb");
  });

  it("line feeds and tabs inside a value are written and given back", () => {
    for (const value of ["cid~?~a\nb", "cid~?~a\tb"]) {
      const a = characters.find((x) => x.value === value)!;
      expect({ refused: a.refused, read: read.get(a.path) }).toEqual({ refused: undefined, read: value });
    }
  });

  it("${...} expressions are refused: Maven replaces those it finds a property or variable for", () => {
    expect(expressions.map((a) => a.refused?.message)).toEqual(expressions.map(() => "the password holds a ${...} expression, which Maven replaces with a property or environment variable when it reads settings.xml"));
    const replaced = expressions.filter((a) => read.get(a.path) !== a.value).map((a) => a.value);
    expect(replaced).toEqual(["cid~?~${user.home}", "cid~?~a${env.HOME}b", "cid~?~${java.version}", "cid~?~$${user.home}"]);
  });

  it("a lone $, { or } is written and given back", () => {
    expect(notExpressions.map((a) => ({ value: a.value, refused: a.refused?.message, read: read.get(a.path) }))).toEqual(
      notExpressions.map((a) => ({ value: a.value, refused: undefined, read: a.value })),
    );
  });
});
