// Encodings exactly as Maven reads them, with Java and Maven as the judges (test/maven/SettingsProbe.java):
// the names Java gives each charset, every byte of every single-byte table, how Maven's reader finds the
// encoding (a declaration padded far from the start, UTF-16 with and without a mark), and characters
// written by anypoint-m2 in every encoding read back by Maven.
// @module-tag maven
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { M2Error } from "../src/errors";
import { decodeXml, encodingNames } from "../src/xml/encoding";
import { decodeMultiByte, JAVA_READS_OTHERWISE, NODE_DECODERS } from "../src/xml/multibyte";
import { upsertBytes } from "./helpers/engine";
import { compileProbe, type Probe } from "./helpers/maven";

function refusal(run: () => unknown): M2Error | undefined {
  try {
    run();
  } catch (e) {
    if (e instanceof M2Error) return e;
    throw e;
  }
  return undefined;
}

const work = mkdtempSync(join(tmpdir(), "anypoint-m2-charsets-"));
const ascii = (s: string): Buffer => Buffer.from(s, "latin1");
const names = encodingNames();
const canonicals = Object.keys(names);
const isUtf16 = (name: string) => /^UTF-16/.test(name);
const kindOf = (name: string) => refusal(() => decodeXml(ascii(`<?xml version="1.0" encoding="${name}"?><settings/>`))) ?? decodeXml(ascii(`<?xml version="1.0" encoding="${name}"?><settings/>`)).encoding.kind;
const singleByte = canonicals.filter((n) => {
  const kind = kindOf(n);
  return !isUtf16(n) && (kind === "table" || kind === "latin1" || kind === "ascii");
});
/** Names that anypoint-m2 used to accept (or might): Java knows none of them. */
const UNKNOWN = ["latin-1", "iso8859-11", "ISO-8859-10", "ISO-8859-14", "ISO-8859-12", "x-unknown"];

// The probe starts a JVM per batch of questions: questions are asked together, in beforeAll.
const answers = new Map<string, string>();
let probe: Probe;
function ask(lines: string[]): void {
  const got = probe.ask(lines);
  lines.forEach((line, i) => answers.set(line, got[i]!));
}
const answer = (line: string): string => answers.get(line) ?? `no answer to ${line}`;

/** What Java decodes each byte 0x00-0xFF to in `name` (undefined: nothing, Java reads U+FFFD). */
function javaTable(name: string): (string | undefined)[] {
  const [ok, , , map] = answer(`charset\t${name}`).split(" ");
  if (ok !== "ok") throw new Error(`Java has no charset ${name}`);
  return map!.split(",").map((h) => (h === "-" ? undefined : String.fromCharCode(parseInt(h, 16))));
}

let files = 0;
function saved(bytes: Uint8Array): string {
  const path = join(work, `file-${files++}.xml`);
  writeFileSync(path, bytes);
  return path;
}

/** The password Maven reads for server `id` in `path`, or its failure. */
function mavenPassword(path: string, id: string): string {
  const a = answer(`server\t${path}\t${id}`);
  return a.startsWith("ok ") ? Buffer.from(a.split(" ")[2]!, "base64").toString("utf8") : a;
}

const server = (password: Buffer) => Buffer.concat([ascii("\n<settings><servers><server><id>s</id><username>u</username><password>"), password, ascii("</password></server></servers></settings>\n")]);
const utf16le = (s: string) => Buffer.from(s, "utf16le");
const utf16be = (s: string) => Buffer.from(s, "utf16le").swap16();
const BODY = "\n<settings><servers><server><id>s</id><username>u</username><password>Sü€</password></server></servers></settings>\n";
const UTF8_MARK = Buffer.from([0xef, 0xbb, 0xbf]);
const LE_MARK = Buffer.from([0xff, 0xfe]);
const BE_MARK = Buffer.from([0xfe, 0xff]);
const padded = (spaces: number, name: string) => ascii(`<?xml version="1.0"${" ".repeat(spaces)}encoding="${name}"?>`);

type Expect = "same text" | "refused: Maven cannot read it" | "refused: Java reads U+FFFD" | "refused: its mark contradicts its declaration";
// How Maven's reader (plexus XmlStreamReader) picks the encoding; "same text": anypoint-m2 reads what it reads.
const layouts: [string, Expect, Buffer][] = [
  ["declaration padded past byte 512, ISO-8859-1", "same text", Buffer.concat([padded(600, "ISO-8859-1"), server(Buffer.from([0x53, 0xfc]))])],
  ["declaration padded past byte 512, windows-1252", "same text", Buffer.concat([padded(600, "windows-1252"), server(Buffer.from([0x53, 0xfc, 0x80]))])],
  // 44 bytes of declaration besides the padding: its '>' is byte 4096, then byte 4097.
  ["declaration ending at byte 4096", "same text", Buffer.concat([padded(4096 - 44, "windows-1252"), server(Buffer.from([0x80]))])],
  ["declaration ending past byte 4096", "refused: Maven cannot read it", Buffer.concat([padded(4096 - 43, "windows-1252"), server(Buffer.from([0x80]))])],
  ["declaration over three lines", "same text", Buffer.concat([ascii('<?xml version="1.0"\r\n  encoding\n=\n"ISO-8859-15"?>'), server(Buffer.from([0xa4]))])],
  ["single quotes, lower case ISO-8859-9, C1 bytes", "same text", Buffer.concat([ascii("<?xml version='1.0' encoding='iso-8859-9'?>"), server(Buffer.from([0x80, 0x85, 0x99, 0xf0]))])],
  ["ISO-8859-11, C1 bytes", "same text", Buffer.concat([ascii('<?xml version="1.0" encoding="ISO-8859-11"?>'), server(Buffer.from([0x80, 0x85, 0xa1]))])],
  ["no declaration", "same text", Buffer.from(BODY.trim(), "utf8")],
  ["UTF-8 with a mark and no declaration", "same text", Buffer.concat([UTF8_MARK, Buffer.from(BODY.trim(), "utf8")])],
  ["UTF-8 with a mark declaring utf8", "same text", Buffer.concat([UTF8_MARK, Buffer.from(`<?xml version="1.0" encoding="utf8"?>${BODY}`, "utf8")])],
  ["UTF-8 with a mark declaring ISO-8859-1", "refused: its mark contradicts its declaration", Buffer.concat([UTF8_MARK, ascii('<?xml version="1.0" encoding="ISO-8859-1"?>'), server(Buffer.from([0x53]))])],
  ["UTF-16LE with a mark and no declaration", "same text", Buffer.concat([LE_MARK, utf16le(BODY.trim())])],
  ["UTF-16LE with a mark declaring UTF-16", "same text", Buffer.concat([LE_MARK, utf16le(`<?xml version="1.0" encoding="UTF-16"?>${BODY}`)])],
  ["UTF-16LE with a mark declaring UTF-16BE", "refused: Maven cannot read it", Buffer.concat([LE_MARK, utf16le(`<?xml version="1.0" encoding="UTF-16BE"?>${BODY}`)])],
  ["UTF-16LE with a mark declaring unicode", "refused: Maven cannot read it", Buffer.concat([LE_MARK, utf16le(`<?xml version="1.0" encoding="unicode"?>${BODY}`)])],
  ["UTF-16BE with a mark declaring unicode", "same text", Buffer.concat([BE_MARK, utf16be(`<?xml version="1.0" encoding="unicode"?>${BODY}`)])],
  ["UTF-16LE without a mark declaring UTF-16", "same text", utf16le(`<?xml version="1.0" encoding="UTF-16"?>${BODY}`)],
  ["UTF-16LE without a mark declaring UTF-16LE", "same text", utf16le(`<?xml version="1.0" encoding="UTF-16LE"?>${BODY}`)],
  ["UTF-16BE without a mark declaring UTF-16", "same text", utf16be(`<?xml version="1.0" encoding="UTF-16"?>${BODY}`)],
  ["UTF-16LE without a mark or an encoding", "refused: Maven cannot read it", utf16le(`<?xml version="1.0"?>${BODY}`)],
  ["UTF-16LE without a mark declaring UTF-16BE", "refused: Maven cannot read it", utf16le(`<?xml version="1.0" encoding="UTF-16BE"?>${BODY}`)],
  ["UTF-16LE without a mark declaring ISO-8859-1", "refused: Maven cannot read it", utf16le(`<?xml version="1.0" encoding="ISO-8859-1"?>${BODY}`)],
  ["windows-1252 with byte 0x81", "refused: Java reads U+FFFD", Buffer.concat([ascii('<?xml version="1.0" encoding="windows-1252"?>'), server(Buffer.from([0x53, 0x81]))])],
  ["ISO-8859-11 with byte 0xDB", "refused: Java reads U+FFFD", Buffer.concat([ascii('<?xml version="1.0" encoding="ISO-8859-11"?>'), server(Buffer.from([0xdb]))])],
  ["ISO-8859-10, unknown to Java", "refused: Maven cannot read it", Buffer.concat([ascii('<?xml version="1.0" encoding="ISO-8859-10"?>'), server(Buffer.from([0x53]))])],
];
const layoutPaths = layouts.map(([, , bytes]) => saved(bytes));

const EXTRA = "€…™\u0080\u0081\u0085\u0099\u00A0ßΩЖ漢字ไทย😀\u{10FFFF}";

/** A settings file declaring `name`, in it (UTF-16 with a mark). */
function emptyFile(name: string): Buffer {
  const text = `<?xml version="1.0" encoding="${name}"?>\n<settings>\n</settings>\n`;
  if (name === "UTF-16BE") return Buffer.concat([BE_MARK, utf16be(text)]);
  if (isUtf16(name)) return Buffer.concat([LE_MARK, utf16le(text)]);
  return ascii(text);
}

/** For each encoding: the password written (every character a single-byte table holds, and more) and where. */
const written = new Map<string, { password: string; bytes: Buffer; path: string }>();
function write(name: string, password: string): void {
  const bytes = Buffer.from(upsertBytes(emptyFile(name), { id: "s", username: "~~~Client~~~", password }).bytes);
  written.set(name, { password, bytes, path: saved(bytes) });
}

const hexOf = (sequence: number[]) => sequence.map((b) => b.toString(16).padStart(2, "0")).join("");
const multiByte = Object.keys(NODE_DECODERS);

/**
 * Every byte sequence that anypoint-m2's multi-byte decoding (Node's decoder, ASCII put right) reads as one
 * character: all of 1 and 2 bytes, EUC-JP's 3, and GB18030's 4 with leads 81-84 (the BMP, where it and
 * Java differ) and 90-93. In order, as the table JAVA_READS_OTHERWISE lists them.
 */
function nodeSequences(name: string): Sequence[] {
  const decoder = NODE_DECODERS[name]!;
  const candidates: number[][] = [];
  for (let a = 0; a < 0x100; a++) candidates.push([a]);
  for (let a = 0x80; a < 0x100; a++) for (let b = 0; b < 0x100; b++) candidates.push([a, b]);
  if (decoder === "euc-jp") for (let b = 0xa1; b < 0xff; b++) for (let c = 0xa1; c < 0xff; c++) candidates.push([0x8f, b, c]);
  if (decoder.startsWith("gb")) {
    for (const a of [0x81, 0x82, 0x83, 0x84, 0x90, 0x91, 0x92, 0x93]) {
      for (let b = 0x30; b <= 0x39; b++) for (let c = 0x81; c < 0xff; c++) for (let d = 0x30; d <= 0x39; d++) candidates.push([a, b, c, d]);
    }
  }
  // Decoded leniently (throwing for each invalid one is slow): no valid sequence reads as U+FFFD.
  return candidates.flatMap((sequence) => {
    const text = decodeMultiByte(name, Uint8Array.from(sequence), false);
    return [...text].length === 1 && text !== "\uFFFD" ? [{ sequence, text, java: "" }] : [];
  });
}

/** JAVA_READS_OTHERWISE's format: runs of sequences Java reads otherwise, as "first-last" or one sequence. */
function otherwiseTable(list: Sequence[]): string {
  const tokens: string[] = [];
  for (const length of [1, 2, 3, 4]) {
    let run: [string, string] | undefined;
    for (const s of [...list.filter((x) => x.sequence.length === length), undefined]) {
      if (s && s.java !== s.text) {
        run = [run?.[0] ?? hexOf(s.sequence), hexOf(s.sequence)];
      } else if (run) {
        tokens.push(run[0] === run[1] ? run[0] : `${run[0]}-${run[1]}`);
        run = undefined;
      }
    }
  }
  return tokens.join(" ");
}

interface Sequence {
  sequence: number[];
  /** What anypoint-m2 reads, and what Java reads (U+FFFD for nothing). */
  text: string;
  java: string;
}
const sequences = new Map<string, Sequence[]>();

beforeAll(() => {
  probe = compileProbe();
  ask([...canonicals, ...UNKNOWN].map((n) => `charset\t${n}`));
  let printable = "";
  for (let c = 0x21; c < 0x7f; c++) printable += String.fromCharCode(c);
  for (const name of canonicals) {
    if (refusal(() => decodeXml(emptyFile(name)))) continue;
    const held = singleByte.includes(name) ? javaTable(name).slice(0x21).filter((c) => c !== undefined).join("") : `${printable}éü`;
    write(name, `cid~?~${held}${EXTRA}`);
  }
  for (const name of multiByte) sequences.set(name, nodeSequences(name));
  const units = (name: string) => `units\t${name}\t${sequences.get(name)!.map((s) => hexOf(s.sequence)).join(",")}`;
  ask([
    ...multiByte.map(units),
    ...layoutPaths.flatMap((path) => [`read\t${path}`, `server\t${path}\ts`]),
    ...[...written.values()].map(({ path }) => `server\t${path}\ts`),
  ]);
  for (const name of multiByte) {
    const [ok, decoded] = answer(units(name)).split(" ");
    if (ok !== "ok") throw new Error(`Java cannot decode ${name}`);
    decoded!.split(",").forEach((cps, i) => {
      sequences.get(name)![i]!.java = cps === "-" ? "\uFFFD" : String.fromCodePoint(...cps.split("+").map((h) => parseInt(h, 16)));
    });
  }
});

describe("encoding names", () => {
  it("are exactly the names Java gives each charset anypoint-m2 edits", () => {
    expect(canonicals.length).toBeGreaterThan(30);
    const lower = (list: string[]) => new Set(list.map((s) => s.toLowerCase()));
    canonicals.forEach((name) => {
      const [ok, canonical, aliases] = answer(`charset\t${name}`).split(" ");
      expect({ name, ok, canonical }).toEqual({ name, ok: "ok", canonical: name });
      expect(lower(names[name]!), name).toEqual(lower([canonical!, ...aliases!.split(",")]));
    });
  });

  it("each name in a declaration picks its charset", () => {
    const checked = canonicals.filter((n) => !isUtf16(n)).flatMap((canonical) => names[canonical]!.map((name) => [canonical, name] as const));
    expect(checked.length).toBeGreaterThan(200);
    for (const [canonical, name] of checked) {
      expect(decodeXml(ascii(`<?xml version="1.0" encoding="${name}"?><settings/>`)).encoding.name, name).toBe(canonical);
    }
  });

  it("a name Java does not know is refused: Maven could not read the file", () => {
    expect(UNKNOWN.map((n) => answer(`charset\t${n}`))).toEqual(UNKNOWN.map(() => "fail: unsupported"));
    for (const name of UNKNOWN) {
      const e = refusal(() => decodeXml(ascii(`<?xml version="1.0" encoding="${name}"?><settings/>`)));
      expect({ name, exitCode: e?.exitCode, message: e?.message }).toEqual({ name, exitCode: 5, message: `the declared encoding "${name}" is not supported` });
    }
  });
});

describe("single-byte tables", () => {
  it("decode every byte 0x00-0xFF as Java does, and refuse the bytes Java has no character for", () => {
    expect(singleByte).toEqual(expect.arrayContaining(["ISO-8859-1", "US-ASCII", "windows-1252", "ISO-8859-9", "x-iso-8859-11", "KOI8-U"]));
    const mismatches: string[] = [];
    let checked = 0;
    for (const name of singleByte) {
      const java = javaTable(name);
      const prefix = `<?xml version="1.0" encoding="${name}"?>\n<settings><!-- `;
      for (let b = 0; b <= 0xff; b++) {
        const bytes = Buffer.concat([ascii(prefix), Buffer.from([b]), ascii(" --></settings>\n")]);
        const e = refusal(() => decodeXml(bytes));
        const ours = e ? undefined : decodeXml(bytes).text.charAt(prefix.length);
        if (e && (e.exitCode !== 5 || !e.message.includes(`is not valid ${name}`))) mismatches.push(`${name} 0x${b.toString(16)}: ${e.message}`);
        if (ours !== java[b]) mismatches.push(`${name} 0x${b.toString(16)}: Java ${java[b]?.codePointAt(0)?.toString(16) ?? "none"}, ours ${ours?.codePointAt(0)?.toString(16) ?? "refused"}`);
        checked++;
      }
    }
    expect(checked).toBe(256 * singleByte.length);
    expect(mismatches).toEqual([]);
  });
});

describe("Maven's reader and anypoint-m2 pick the same encoding", () => {
  it.each(layouts.map(([label, expected], i) => [label, expected, i] as const))("%s: %s", (_, expected, i) => {
    const bytes = layouts[i]![2];
    const read = answer(`read\t${layoutPaths[i]}`);
    const javaText = read.startsWith("ok ") ? Buffer.from(read.split(" ")[2]!, "base64").toString("utf8") : undefined;
    const maven = mavenPassword(layoutPaths[i]!, "s");
    const e = refusal(() => decodeXml(bytes));
    if (expected === "same text") {
      expect(e?.message).toBeUndefined();
      expect(decodeXml(bytes).text).toBe(javaText);
      expect(maven).not.toMatch(/^fail/);
      return;
    }
    expect(e?.exitCode).toBe(5);
    if (expected === "refused: Maven cannot read it") expect(maven).toMatch(/^fail/);
    if (expected === "refused: Java reads U+FFFD") expect(javaText).toContain("\uFFFD");
    if (expected === "refused: its mark contradicts its declaration") expect(javaText).not.toContain("\uFFFD");
  });
});

describe("characters written by anypoint-m2 are read back by Maven", () => {
  it("every character a single-byte table holds is written as its byte, any other as a reference", () => {
    expect(singleByte.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const name of singleByte) {
      const java = javaTable(name);
      const { password, bytes } = written.get(name)!;
      const expected = Buffer.concat(
        [...password].map((c) => {
          if (c === "&" || c === "<" || c === ">") return ascii(c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;");
          const byte = java.indexOf(c);
          return byte >= 0 ? Buffer.from([byte]) : ascii(`&#x${c.codePointAt(0)!.toString(16).toUpperCase()};`);
        }),
      );
      const start = bytes.indexOf("<password>") + "<password>".length;
      if (Buffer.compare(bytes.subarray(start, bytes.indexOf("</password>")), expected) !== 0) problems.push(`${name}: written bytes differ`);
    }
    expect(problems).toEqual([]);
  });

  it.each(canonicals)("%s", (name) => {
    expect(written.has(name), `${name} is refused`).toBe(true);
    const { password, path } = written.get(name)!;
    expect(mavenPassword(path, "s")).toBe(password);
  });
});

describe("multi-byte charsets: anypoint-m2 reads what Java reads, or refuses the file", () => {
  it.each(multiByte)("%s: the sequences Java reads otherwise are exactly those listed", (name) => {
    const list = sequences.get(name)!;
    expect(list.length).toBeGreaterThan(5000);
    expect(otherwiseTable(list), `JAVA_READS_OTHERWISE["${name}"] should be`).toBe(JAVA_READS_OTHERWISE[name]);
  });

  it.each(multiByte)("%s: a file of every sequence Java reads alike reads as Java reads it; each other sequence is refused", (name) => {
    const list = sequences.get(name)!;
    const alike = list.filter((s) => s.java === s.text);
    const otherwise = list.filter((s) => s.java !== s.text);
    expect(alike.length).toBeGreaterThan(5000);
    const declaration = `<?xml version="1.0" encoding="${name}"?>`;
    const file = Buffer.from([...ascii(declaration), ...alike.flatMap((s) => s.sequence)]);
    expect(decodeXml(file).text === declaration + alike.map((s) => s.java).join("")).toBe(true);
    const accepted = otherwise.filter((s) => !refusal(() => decodeXml(Buffer.from([...ascii(declaration), ...s.sequence]))));
    expect(accepted.map((s) => hexOf(s.sequence))).toEqual([]);
  });
});
