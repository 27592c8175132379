/**
 * Bytes <-> text for XML files, so that edits can be made on text and written back into the original
 * bytes: everything outside an edit is copied byte for byte, never re-encoded.
 */
import { isUtf8 } from "node:buffer";
import { Exit, M2Error } from "../errors";
import { sortEdits, type Edit } from "./edit";
import { decodeMultiByte, firstJavaDifference, multiByteOffsets, NODE_DECODERS } from "./multibyte";

type Kind = "utf-8" | "utf-16le" | "utf-16be" | "latin1" | "ascii" | "table" | "multibyte";

export interface XmlEncoding {
  /** Java's name for it, e.g. "UTF-8", "ISO-8859-1", "windows-1252" (the charset Maven decodes the file with). */
  name: string;
  kind: Kind;
  /** Bytes of byte-order mark before the text (kept as they are). */
  bomLength: number;
  /** For single-byte encodings other than Latin-1 and ASCII: what each byte decodes to, U+FFFD where Java has nothing. */
  chars?: string;
  /** The reverse of `chars`: character -> byte. */
  table?: Map<string, number>;
}

export interface DecodedXml {
  text: string;
  encoding: XmlEncoding;
}

const unsupported = (what: string): M2Error =>
  new M2Error(Exit.unsafe, what, {
    hint: "anypoint-m2 edits UTF-8, UTF-16, ISO-8859-1, US-ASCII, windows-1250 to windows-1258, ISO-8859-2 to -9, -11, -13 and -15, KOI8-R/U, GBK, GB2312, GB18030, Big5, Shift_JIS, windows-31j and EUC-JP/KR; convert the file to UTF-8 and run again.",
  });

/**
 * Every name Java accepts for each charset anypoint-m2 edits (canonical name first; Charset.forName ignores
 * case). Maven decodes settings.xml with the charset its declaration names, so a name missing here is one
 * Java does not know (Maven cannot read the file) or a charset anypoint-m2 does not edit.
 */
const JAVA_NAMES: Record<string, string> = {
  "UTF-8": "unicode-1-1-utf-8 UTF8",
  "UTF-16": "UTF_16 unicode utf16 UnicodeBig",
  "UTF-16LE": "UnicodeLittleUnmarked UTF_16LE X-UTF-16LE",
  "UTF-16BE": "X-UTF-16BE UTF_16BE ISO-10646-UCS-2 UnicodeBigUnmarked",
  "ISO-8859-1": "819 ISO8859-1 l1 ISO_8859-1:1987 ISO_8859-1 8859_1 iso-ir-100 latin1 cp819 ISO8859_1 IBM819 ISO_8859_1 IBM-819 csISOLatin1",
  "US-ASCII": "ANSI_X3.4-1968 cp367 csASCII iso-ir-6 ASCII iso_646.irv:1983 ANSI_X3.4-1986 ascii7 default ISO_646.irv:1991 ISO646-US IBM367 646 us",
  "windows-1250": "cp1250 cp5346",
  "windows-1251": "cp5347 ansi-1251 cp1251",
  "windows-1252": "ibm-1252 cp1252 ibm1252 cp5348",
  "windows-1253": "cp1253 cp5349",
  "windows-1254": "cp1254 cp5350",
  "windows-1255": "cp1255",
  "windows-1256": "cp1256",
  "windows-1257": "cp1257 cp5353",
  "windows-1258": "cp1258",
  "ISO-8859-2": "ISO8859-2 ibm912 l2 ISO_8859-2 8859_2 cp912 ISO_8859-2:1987 iso8859_2 iso-ir-101 latin2 912 csISOLatin2 ibm-912",
  "ISO-8859-3": "ISO8859-3 ibm913 8859_3 l3 cp913 ISO_8859-3 iso8859_3 latin3 csISOLatin3 913 ISO_8859-3:1988 ibm-913 iso-ir-109",
  "ISO-8859-4": "8859_4 latin4 l4 cp914 ISO_8859-4:1988 ibm914 ISO_8859-4 iso-ir-110 iso8859_4 csISOLatin4 iso8859-4 914 ibm-914",
  "ISO-8859-5": "ISO_8859-5:1988 csISOLatinCyrillic iso-ir-144 iso8859_5 cp915 8859_5 ibm-915 ISO_8859-5 ibm915 915 cyrillic ISO8859-5",
  "ISO-8859-6": "ASMO-708 8859_6 iso8859_6 ISO_8859-6 csISOLatinArabic ibm1089 arabic ibm-1089 1089 ECMA-114 iso-ir-127 ISO_8859-6:1987 ISO8859-6 cp1089",
  "ISO-8859-7": "greek 8859_7 greek8 ibm813 ISO_8859-7 iso8859_7 ELOT_928 cp813 ISO_8859-7:1987 sun_eu_greek csISOLatinGreek iso-ir-126 813 iso8859-7 ECMA-118 ibm-813",
  "ISO-8859-8": "8859_8 ISO_8859-8 ISO_8859-8:1988 cp916 iso-ir-138 ISO8859-8 hebrew iso8859_8 ibm-916 csISOLatinHebrew 916 ibm916",
  "ISO-8859-9": "ibm-920 ISO_8859-9 8859_9 ISO_8859-9:1989 ibm920 latin5 l5 iso8859_9 cp920 920 iso-ir-148 ISO8859-9 csISOLatin5",
  "x-iso-8859-11": "iso-8859-11 iso8859_11",
  "ISO-8859-13": "iso_8859-13 ISO8859-13 iso8859_13 8859_13",
  "ISO-8859-15": "csISO885915 Latin-9 ISO8859-15 LATIN0 ISO8859_15_FDIS ISO8859_15 cp923 8859_15 L9 ISO-8859-15 IBM923 csISOlatin9 ISO_8859-15 IBM-923 csISOlatin0 923 LATIN9",
  "KOI8-R": "koi8_r koi8 cskoi8r",
  "KOI8-U": "koi8_u",
  GBK: "CP936 windows-936",
  GB2312: "gb2312 euc-cn x-EUC-CN euccn EUC_CN gb2312-80 gb2312-1980",
  GB18030: "gb18030-2022",
  Big5: "csBig5",
  Shift_JIS: "shift_jis x-sjis sjis shift-jis ms_kanji csShiftJIS",
  "windows-31j": "MS932 windows-932 csWindows31J",
  "EUC-JP": "csEUCPkdFmtjapanese x-euc-jp eucjis Extended_UNIX_Code_Packed_Format_for_Japanese euc_jp eucjp x-eucjp",
  "EUC-KR": "ksc5601-1987 csEUCKR ksc5601_1987 ksc5601 5601 euc_kr ksc_5601 ks_c_5601-1987 euckr",
};

/** Lower-cased name -> Java's canonical name. */
let canonicalNames: Map<string, string> | undefined;

/** Java's canonical name for `label`, or undefined when Java does not know it or anypoint-m2 does not edit it. */
function javaCharset(label: string): string | undefined {
  if (!canonicalNames) {
    canonicalNames = new Map();
    for (const [canonical, aliases] of Object.entries(JAVA_NAMES)) {
      for (const name of [canonical, ...aliases.split(" ")]) canonicalNames.set(name.toLowerCase(), canonical);
    }
  }
  return canonicalNames.get(label.toLowerCase());
}

/** Every name anypoint-m2 accepts in an XML declaration, by Java's canonical name (for the tests and the README). */
export function encodingNames(): Record<string, string[]> {
  return Object.fromEntries(Object.entries(JAVA_NAMES).map(([canonical, aliases]) => [canonical, [canonical, ...aliases.split(" ")]]));
}

/**
 * Java's single-byte charsets: the WHATWG decoder (TextDecoder) that holds the same characters, and the
 * bytes Java leaves undefined (its decoder reads them as U+FFFD). WHATWG treats ISO-8859-9 and ISO-8859-11
 * as windows-1254 and windows-874, whose 0x80-0x9F are not the C1 controls of the ISO standards ("c1").
 * test/charsets.test.ts checks every byte of every table against Java.
 */
const SINGLE_BYTE: Record<string, { whatwg: string; undefinedBytes?: string; c1?: true }> = {
  "windows-1250": { whatwg: "windows-1250", undefinedBytes: "81 83 88 90 98" },
  "windows-1251": { whatwg: "windows-1251", undefinedBytes: "98" },
  "windows-1252": { whatwg: "windows-1252", undefinedBytes: "81 8D 8F 90 9D" },
  "windows-1253": { whatwg: "windows-1253", undefinedBytes: "81 88 8A 8C 8D 8E 8F 90 98 9A 9C 9D 9E 9F AA D2 FF" },
  "windows-1254": { whatwg: "windows-1254", undefinedBytes: "81 8D 8E 8F 90 9D 9E" },
  "windows-1255": { whatwg: "windows-1255", undefinedBytes: "81 8A 8C 8D 8E 8F 90 9A 9C 9D 9E 9F CA D9 DA DB DC DD DE DF FB FC FF" },
  "windows-1256": { whatwg: "windows-1256" },
  "windows-1257": { whatwg: "windows-1257", undefinedBytes: "81 83 88 8A 8C 90 98 9A 9C 9F A1 A5" },
  "windows-1258": { whatwg: "windows-1258", undefinedBytes: "81 8A 8D 8E 8F 90 9A 9D 9E" },
  "ISO-8859-2": { whatwg: "iso-8859-2" },
  "ISO-8859-3": { whatwg: "iso-8859-3", undefinedBytes: "A5 AE BE C3 D0 E3 F0" },
  "ISO-8859-4": { whatwg: "iso-8859-4" },
  "ISO-8859-5": { whatwg: "iso-8859-5" },
  "ISO-8859-6": { whatwg: "iso-8859-6", undefinedBytes: "A1 A2 A3 A5 A6 A7 A8 A9 AA AB AE AF B0 B1 B2 B3 B4 B5 B6 B7 B8 B9 BA BC BD BE C0 DB DC DD DE DF F3 F4 F5 F6 F7 F8 F9 FA FB FC FD FE FF" },
  "ISO-8859-7": { whatwg: "iso-8859-7", undefinedBytes: "AE D2 FF" },
  "ISO-8859-8": { whatwg: "iso-8859-8", undefinedBytes: "A1 BF C0 C1 C2 C3 C4 C5 C6 C7 C8 C9 CA CB CC CD CE CF D0 D1 D2 D3 D4 D5 D6 D7 D8 D9 DA DB DC DD DE FB FC FF" },
  "ISO-8859-9": { whatwg: "windows-1254", c1: true },
  "x-iso-8859-11": { whatwg: "windows-874", undefinedBytes: "DB DC DD DE FC FD FE FF", c1: true },
  "ISO-8859-13": { whatwg: "iso-8859-13" },
  "ISO-8859-15": { whatwg: "iso-8859-15" },
  "KOI8-R": { whatwg: "koi8-r" },
  "KOI8-U": { whatwg: "koi8-u" },
};

/** windows-1252 bytes 0x80-0x9F (Node decodes "windows-1252" as Latin-1, a fast path). */
const WINDOWS_1252_80_9F = "\u20AC\uFFFD\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\uFFFD\u017D\uFFFD\uFFFD\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\uFFFD\u017E\u0178";

const C1 = String.fromCharCode(...Array.from({ length: 32 }, (_, i) => 0x80 + i));

const tables = new Map<string, XmlEncoding>();

function singleByteTable(name: string): XmlEncoding {
  let encoding = tables.get(name);
  if (!encoding) tables.set(name, (encoding = buildTable(name)));
  return encoding;
}

function buildTable(name: string): XmlEncoding {
  const { whatwg, undefinedBytes, c1 } = SINGLE_BYTE[name]!;
  let chars = new TextDecoder(whatwg).decode(Uint8Array.from({ length: 256 }, (_, i) => i));
  if (whatwg === "windows-1252" && chars.charCodeAt(0x80) === 0x80) chars = chars.slice(0, 0x80) + WINDOWS_1252_80_9F + chars.slice(0xa0);
  if (c1) chars = chars.slice(0, 0x80) + C1 + chars.slice(0xa0);
  const codes = [...chars];
  for (const b of undefinedBytes?.split(" ") ?? []) codes[parseInt(b, 16)] = "\uFFFD";
  const table = new Map<string, number>();
  codes.forEach((c, byte) => c !== "\uFFFD" && table.set(c, byte));
  return { name, kind: "table", bomLength: 0, chars: codes.join(""), table };
}

/** The encoding Java reads for a name in an XML declaration. */
function byName(label: string, bomLength = 0): XmlEncoding {
  const name = javaCharset(label);
  switch (name) {
    case undefined:
      throw unsupported(`the declared encoding "${label}" is not supported`);
    case "UTF-8":
      return { name, kind: "utf-8", bomLength };
    // Java's "UTF-16" reads a byte-order mark and is big-endian without one; Maven's reader has always
    // consumed the mark by the time it decodes, so a name of UTF-16 means big-endian here.
    case "UTF-16":
    case "UTF-16BE":
      return { name: "UTF-16BE", kind: "utf-16be", bomLength };
    case "UTF-16LE":
      return { name, kind: "utf-16le", bomLength };
    case "ISO-8859-1":
      return { name, kind: "latin1", bomLength };
    case "US-ASCII":
      return { name, kind: "ascii", bomLength };
  }
  if (name in SINGLE_BYTE) return singleByteTable(name);
  return { name, kind: "multibyte", bomLength };
}

/** How far Maven's reader (plexus XmlStreamReader) looks for the end of the XML declaration. */
const PROLOG_BYTES = 4096;

/**
 * The encoding named in the XML declaration, found as plexus XmlStreamReader finds it: in the text up to
 * the first '>' within the first 4096 bytes, its line breaks dropped, by the same regular expression
 * (`<?xml`, then the last `encoding` followed by = and a quoted value). Maven upper-cases the name before
 * comparing it with "UTF-8" and "UTF-16"; `declared` keeps the file's spelling for messages.
 */
function declaredEncoding(bytes: Uint8Array, start: number, guess: "UTF-8" | "UTF-16LE" | "UTF-16BE"): string | undefined {
  const head = bytes.subarray(start, start + PROLOG_BYTES);
  const text = guess === "UTF-8" ? Buffer.from(head.buffer, head.byteOffset, head.length).toString("utf8") : new TextDecoder(guess.toLowerCase(), { ignoreBOM: true }).decode(head);
  const end = text.indexOf(">");
  if (end < 0) {
    throw new M2Error(Exit.unsafe, `the XML declaration does not end within the first ${PROLOG_BYTES} bytes of the file, where Maven looks for it`, {
      line: 1,
      hint: "Maven cannot read this file either. Shorten the <?xml ... ?> declaration (remove its padding) and run again.",
    });
  }
  const prolog = text.slice(0, end + 1).replace(/[\r\n]/g, "");
  // Java's '.' stops at line terminators, and its \s is [ \t\n\x0B\f\r].
  const m = /<\?xml[^\n\r\u0085\u2028\u2029]*encoding[ \t\n\x0B\f\r]*=[ \t\n\x0B\f\r]*("[^\n\r\u0085\u2028\u2029][^"]*"|'[^\n\r\u0085\u2028\u2029][^']*')/.exec(prolog);
  return m ? m[1]!.slice(1, -1) : undefined;
}

/**
 * Picks the encoding as Maven does (plexus XmlStreamReader, which Maven's settings reader uses): a
 * byte-order mark, else a guess from the first four bytes, and the declaration. Where Maven would read
 * the bytes in an encoding they are not in (a UTF-16 file without a mark that does not declare UTF-16,
 * a mark contradicted by the declaration), the file is refused rather than edited on a guess.
 */
function detect(bytes: Uint8Array): XmlEncoding {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0xfe && b3 === 0xff) throw unsupported("the file is UTF-32, which is not supported");
  if (b0 === 0xff && b1 === 0xfe && b2 === 0x00 && b3 === 0x00) throw unsupported("the file is UTF-32, which is not supported");
  const bom = b0 === 0xef && b1 === 0xbb && b2 === 0xbf ? "UTF-8" : b0 === 0xfe && b1 === 0xff ? "UTF-16BE" : b0 === 0xff && b1 === 0xfe ? "UTF-16LE" : undefined;
  const start = bom === "UTF-8" ? 3 : bom ? 2 : 0;
  const [c0, c1, c2, c3] = bytes.subarray(start, start + 4);
  const guess =
    c0 === 0x00 && c1 === 0x3c && c2 === 0x00 && c3 === 0x3f ? "UTF-16BE"
    : c0 === 0x3c && c1 === 0x00 && c2 === 0x3f && c3 === 0x00 ? "UTF-16LE"
    : c0 === 0x3c && c1 === 0x3f && c2 === 0x78 && c3 === 0x6d ? "UTF-8"
    : undefined;
  if (c0 === 0x4c && c1 === 0x6f && c2 === 0xa7 && c3 === 0x94) throw unsupported("the file is EBCDIC, which is not supported");
  const declared = guess ? declaredEncoding(bytes, start, guess) : undefined;

  const declaresUtf16 = declared?.toUpperCase() === "UTF-16";
  if (bom) {
    if (guess && guess !== bom) throw unsupported(`the file starts with a ${bom} byte-order mark but continues in ${guess}`);
    // After a UTF-16 mark Maven takes exactly "UTF-16" as the mark's byte order; any other name it decodes
    // the rest with, so only a name for the mark's own encoding reads the file as it is.
    if (declared && !(declaresUtf16 && bom !== "UTF-8") && byName(declared).name !== bom) {
      throw unsupported(`the file starts with a ${bom} byte-order mark but its XML declaration says "${declared}"`);
    }
    return byName(bom, start);
  }
  if (!declared) {
    if (guess && guess !== "UTF-8") throw unsupported(`the file is ${guess} without a byte-order mark and does not declare it, so Maven would read it as UTF-8`);
    return byName("UTF-8");
  }
  const encoding = declaresUtf16 && guess !== "UTF-8" ? byName(guess!) : byName(declared);
  const utf16 = encoding.kind === "utf-16le" || encoding.kind === "utf-16be";
  if (guess === "UTF-8" && utf16) throw unsupported(`the XML declaration says "${declared}" but the file has no UTF-16 byte-order mark`);
  if (guess !== "UTF-8" && encoding.name !== guess) throw unsupported(`the file is ${guess} but its XML declaration says "${declared}"`);
  return encoding;
}

function decodeWith(encoding: XmlEncoding, body: Uint8Array, fatal: boolean): string {
  switch (encoding.kind) {
    case "utf-8":
      // Validated natively, then decoded by Buffer: quicker to start than a TextDecoder.
      if (fatal && !isUtf8(body)) throw new Error("invalid UTF-8");
      return Buffer.from(body.buffer, body.byteOffset, body.length).toString("utf8");
    case "utf-16le":
    case "utf-16be":
      return new TextDecoder(encoding.kind, { fatal, ignoreBOM: true }).decode(body);
    case "multibyte":
      return decodeMultiByte(encoding.name, body, fatal);
    case "latin1":
    case "ascii":
      return Buffer.from(body.buffer, body.byteOffset, body.length).toString("latin1");
    case "table": {
      // Each byte becomes one UTF-16 code unit, written little-endian and decoded in one go.
      const codes = Uint16Array.from(encoding.chars!, (c) => c.charCodeAt(0));
      const units = Buffer.allocUnsafe(body.length * 2);
      for (let i = 0; i < body.length; i++) {
        const code = codes[body[i]!]!;
        if (code === 0xfffd && fatal) throw new Error(`no character for byte ${i}`);
        units[2 * i] = code & 0xff;
        units[2 * i + 1] = code >> 8;
      }
      return units.toString("utf16le");
    }
  }
}

/**
 * Reads the bytes of an XML file as text, in the encoding Maven reads it in. Throws M2Error (exit 5) when
 * they are not valid in it: Java would read U+FFFD there (it replaces what it cannot decode), so the text
 * would not be what the file's author wrote, and such a file is most likely declared wrongly.
 */
export function decodeXml(bytes: Uint8Array): DecodedXml {
  const encoding = detect(bytes);
  const body = bytes.subarray(encoding.bomLength);
  if (encoding.kind === "ascii") {
    const high = body.findIndex((b) => b > 0x7f);
    if (high >= 0) throw invalidByte(bytes, encoding, high + encoding.bomLength);
  }
  let text: string;
  try {
    text = decodeWith(encoding, body, true);
  } catch {
    throw invalidByte(bytes, encoding, firstInvalidOffset(body, encoding) + encoding.bomLength);
  }
  if (encoding.kind === "multibyte") {
    const at = firstJavaDifference(encoding.name, body, text);
    if (at >= 0) throw readOtherwise(bytes, encoding, at);
  }
  return { text, encoding };
}

function firstInvalidOffset(body: Uint8Array, encoding: XmlEncoding): number {
  if (encoding.kind === "table") return body.findIndex((b) => encoding.chars!.charCodeAt(b) === 0xfffd);
  // Binary search for the longest prefix that decodes; only used to report an error.
  let lo = 0;
  let hi = body.length;
  const decoder = new TextDecoder(encoding.kind === "multibyte" ? NODE_DECODERS[encoding.name]! : encoding.kind, { fatal: true, ignoreBOM: true });
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      decoder.decode(body.subarray(0, mid), { stream: true });
      decoder.decode();
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}

function lineOf(bytes: Uint8Array, offset: number): number {
  const before = Buffer.from(bytes.buffer, bytes.byteOffset, offset).toString("latin1");
  return (before.match(/\r\n|\r|\n/g)?.length ?? 0) + 1;
}

const hexByte = (byte: number | undefined): string => `0x${(byte ?? 0).toString(16).toUpperCase().padStart(2, "0")}`;

function invalidByte(bytes: Uint8Array, encoding: XmlEncoding, offset: number): M2Error {
  const line = lineOf(bytes, offset);
  return new M2Error(Exit.unsafe, `byte ${offset} (line ${line}, ${hexByte(bytes[offset])}) is not valid ${encoding.name}`, {
    line,
    hint: `Maven reads the file as ${encoding.name}, and would read U+FFFD there. Declare the file's real encoding in <?xml ... encoding="..."?> or convert the file.`,
  });
}

function readOtherwise(bytes: Uint8Array, encoding: XmlEncoding, offset: number): M2Error {
  const line = lineOf(bytes, offset);
  return new M2Error(Exit.unsafe, `byte ${offset} (line ${line}, ${hexByte(bytes[offset])}) starts a character that Java, which Maven runs on, reads otherwise in ${encoding.name} than anypoint-m2 can`, {
    line,
    hint: "Convert the file to UTF-8 (Maven reads it the same) and run again.",
  });
}

/** Encodes inserted text; a character the encoding cannot hold becomes a character reference. */
function encodeText(encoding: XmlEncoding, s: string): Uint8Array {
  switch (encoding.kind) {
    case "utf-8":
      return Buffer.from(s, "utf8");
    case "utf-16le":
      return Buffer.from(s, "utf16le");
    case "utf-16be":
      return Buffer.from(s, "utf16le").swap16();
  }
  const out: number[] = [];
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    const byte =
      encoding.kind === "latin1" ? (code <= 0xff ? code : undefined)
      : encoding.kind === "ascii" || encoding.kind === "multibyte" ? (code <= 0x7f ? code : undefined)
      : encoding.table!.get(ch);
    if (byte !== undefined) out.push(byte);
    else for (const c of `&#x${code.toString(16).toUpperCase()};`) out.push(c.charCodeAt(0));
  }
  return Uint8Array.from(out);
}

/** Maps text offsets (ascending) to byte offsets in the original file. */
function byteOffsets(bytes: Uint8Array, { text, encoding }: DecodedXml): (offset: number) => number {
  const bom = encoding.bomLength;
  switch (encoding.kind) {
    case "utf-16le":
    case "utf-16be":
      return (o) => bom + 2 * o;
    case "latin1":
    case "ascii":
    case "table":
      return (o) => bom + o;
    case "utf-8": {
      // As many characters as bytes: all ASCII, offsets are the same. Measuring the UTF-8 length of a
      // prefix reads every character before the edit (~5 ms at the end of a 5 MB file).
      if (text.length === bytes.length - bom) return (o) => bom + o;
      let lastText = 0;
      let lastByte = bom;
      return (o) => {
        lastByte += Buffer.byteLength(text.slice(lastText, o), "utf8");
        lastText = o;
        return lastByte;
      };
    }
    case "multibyte": {
      const toBody = multiByteOffsets(encoding.name, bytes.subarray(bom), text);
      return (o) => bom + toBody(o);
    }
  }
}

/**
 * Applies text edits to the original bytes: bytes outside the edits are copied, not re-encoded, so the
 * file stays byte-identical there whatever its encoding.
 */
export function applyEditsToBytes(bytes: Uint8Array, decoded: DecodedXml, edits: readonly Edit[]): Uint8Array {
  return Buffer.concat(editedParts(bytes, decoded, edits));
}

/**
 * The edited content as pieces, in order: views of the original bytes between the edits and the encoded
 * new text. Written one after the other, they need no copy of a large file into a new buffer.
 */
export function editedParts(bytes: Uint8Array, decoded: DecodedXml, edits: readonly Edit[]): Uint8Array[] {
  const toByte = byteOffsets(bytes, decoded);
  const parts: Uint8Array[] = [];
  let copied = 0;
  for (const e of sortEdits(edits, decoded.text.length)) {
    const start = toByte(e.offset);
    const end = e.length === 0 ? start : toByte(e.offset + e.length);
    parts.push(bytes.subarray(copied, start));
    parts.push(encodeText(decoded.encoding, e.content));
    copied = end;
  }
  parts.push(bytes.subarray(copied));
  return parts;
}
