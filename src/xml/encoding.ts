/**
 * Bytes <-> text for XML files, so that edits can be made on text and written back into the original
 * bytes: everything outside an edit is copied byte for byte, never re-encoded.
 */
import { isUtf8 } from "node:buffer";
import { Exit, M2Error } from "../errors";
import { sortEdits, type Edit } from "./edit";

type Kind = "utf-8" | "utf-16le" | "utf-16be" | "latin1" | "ascii" | "table" | "multibyte";

export interface XmlEncoding {
  /** The canonical name, e.g. "UTF-8", "ISO-8859-1", "windows-1252". */
  name: string;
  kind: Kind;
  /** Bytes of byte-order mark before the text (kept as they are). */
  bomLength: number;
  /** For single-byte encodings other than Latin-1 and ASCII: character -> byte. */
  table?: Map<string, number>;
}

export interface DecodedXml {
  text: string;
  encoding: XmlEncoding;
}

const unsupported = (what: string): M2Error =>
  new M2Error(Exit.unsafe, what, {
    hint: "anypoint-m2 edits UTF-8, UTF-16, ISO-8859-1, US-ASCII, the single-byte Windows/ISO and KOI8 encodings, GBK, GB18030, Big5, Shift_JIS and EUC; convert the file to UTF-8 and run again.",
  });

/** windows-1252 bytes 0x80-0x9F; the five it leaves undefined keep their C1 code points, as WHATWG does. */
const WINDOWS_1252_80_9F = "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178";

/**
 * ASCII-compatible multi-byte encodings (Chinese, Japanese, Korean). In all of them '<', '>' and line feeds
 * are never part of a multi-byte character, which is what maps edits back onto the bytes.
 */
const multiByteLabels = /^(gbk|gb2312|gb18030|big5|shift_jis|sjis|x-sjis|windows-31j|euc-jp|euc-kr)$/i;

const singleByteLabels = /^(windows-125[0-8]|cp125[0-8]|iso-?8859-([2-9]|1[0-5])|iso_8859-([2-9]|1[0-5])|koi8-[ru])$/i;

function singleByteTable(label: string): XmlEncoding {
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label.replace(/^cp/i, "windows-").replace(/^iso_?8859/i, "iso-8859"));
  } catch {
    throw unsupported(`the declared encoding "${label}" is not supported`);
  }
  let chars = decoder.decode(Uint8Array.from({ length: 256 }, (_, i) => i));
  // Node decodes "windows-1252" as Latin-1 (a fast path); its 0x80-0x9F are set here as the standard has them.
  if (decoder.encoding === "windows-1252") chars = chars.slice(0, 0x80) + WINDOWS_1252_80_9F + chars.slice(0xa0);
  const table = new Map<string, number>();
  for (let i = 0; i < chars.length; i++) table.set(chars[i]!, i);
  if (chars.length !== 256 || table.size !== 256) throw unsupported(`the declared encoding "${label}" is not supported`);
  return { name: decoder.encoding, kind: "table", bomLength: 0, table };
}

/** Resolves an encoding name from an XML declaration. */
function byName(label: string): XmlEncoding {
  const l = label.toLowerCase();
  if (l === "utf-8" || l === "utf8") return { name: "UTF-8", kind: "utf-8", bomLength: 0 };
  if (["iso-8859-1", "iso8859-1", "iso_8859-1", "iso8859_1", "latin1", "latin-1", "l1"].includes(l)) {
    return { name: "ISO-8859-1", kind: "latin1", bomLength: 0 };
  }
  if (["us-ascii", "ascii"].includes(l)) return { name: "US-ASCII", kind: "ascii", bomLength: 0 };
  if (singleByteLabels.test(l)) return singleByteTable(l);
  if (multiByteLabels.test(l)) return { name: new TextDecoder(l).encoding, kind: "multibyte", bomLength: 0 };
  throw unsupported(`the declared encoding "${label}" is not supported`);
}

function declaredEncoding(head: string): string | undefined {
  const m = /^<\?xml[ \t\r\n][^>]*?encoding[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)')/.exec(head);
  return m ? (m[1] ?? m[2]) : undefined;
}

function detect(bytes: Uint8Array): XmlEncoding {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0xfe && b3 === 0xff) throw unsupported("the file is UTF-32, which is not supported");
  if (b0 === 0xff && b1 === 0xfe && b2 === 0x00 && b3 === 0x00) throw unsupported("the file is UTF-32, which is not supported");
  let base: XmlEncoding | undefined;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) base = { name: "UTF-8", kind: "utf-8", bomLength: 3 };
  else if (b0 === 0xfe && b1 === 0xff) base = { name: "UTF-16BE", kind: "utf-16be", bomLength: 2 };
  else if (b0 === 0xff && b1 === 0xfe) base = { name: "UTF-16LE", kind: "utf-16le", bomLength: 2 };
  else if (b0 === 0x3c && b1 === 0x00 && b2 === 0x3f && b3 === 0x00) base = { name: "UTF-16LE", kind: "utf-16le", bomLength: 0 };
  else if (b0 === 0x00 && b1 === 0x3c && b2 === 0x00 && b3 === 0x3f) base = { name: "UTF-16BE", kind: "utf-16be", bomLength: 0 };

  if (base?.kind === "utf-16le" || base?.kind === "utf-16be") {
    const head = decodeWith(base, bytes.subarray(base.bomLength, 512 + base.bomLength), false);
    const label = declaredEncoding(head);
    if (label && !/^utf-?16(le|be)?$/i.test(label)) {
      throw unsupported(`the file is ${base.name} but its XML declaration says "${label}"`);
    }
    return base;
  }
  const head = Buffer.from(bytes.buffer, bytes.byteOffset + (base?.bomLength ?? 0), Math.min(512, bytes.length - (base?.bomLength ?? 0))).toString("latin1");
  const label = declaredEncoding(head);
  if (base) {
    if (label && byName(label).kind !== "utf-8") throw unsupported(`the file starts with a UTF-8 byte-order mark but its XML declaration says "${label}"`);
    return base;
  }
  if (label && /^utf-?16/i.test(label)) throw unsupported(`the XML declaration says "${label}" but the file has no UTF-16 byte-order mark`);
  return label ? byName(label) : { name: "UTF-8", kind: "utf-8", bomLength: 0 };
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
      return new TextDecoder(encoding.name, { fatal }).decode(body);
    case "latin1":
    case "ascii":
      return Buffer.from(body.buffer, body.byteOffset, body.length).toString("latin1");
    case "table": {
      let s = "";
      const chars = [...encoding.table!.keys()];
      for (const b of body) s += chars[b];
      return s;
    }
  }
}

/** Reads the bytes of an XML file as text. Throws M2Error (exit 5) when they are not valid in their encoding. */
export function decodeXml(bytes: Uint8Array): DecodedXml {
  const encoding = detect(bytes);
  const body = bytes.subarray(encoding.bomLength);
  if (encoding.kind === "ascii") {
    const high = body.findIndex((b) => b > 0x7f);
    if (high >= 0) throw invalidByte(bytes, encoding, high + encoding.bomLength);
  }
  try {
    return { text: decodeWith(encoding, body, true), encoding };
  } catch {
    throw invalidByte(bytes, encoding, firstInvalidOffset(body, encoding) + encoding.bomLength);
  }
}

function firstInvalidOffset(body: Uint8Array, encoding: XmlEncoding): number {
  // Binary search for the longest prefix that decodes; only used to report an error.
  let lo = 0;
  let hi = body.length;
  const decoder = new TextDecoder(encoding.kind === "multibyte" ? encoding.name : encoding.kind === "table" ? "utf-8" : encoding.kind, { fatal: true, ignoreBOM: true });
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

function invalidByte(bytes: Uint8Array, encoding: XmlEncoding, offset: number): M2Error {
  const before = Buffer.from(bytes.buffer, bytes.byteOffset, offset).toString("latin1");
  const line = (before.match(/\r\n|\r|\n/g)?.length ?? 0) + 1;
  return new M2Error(Exit.unsafe, `byte ${offset} (line ${line}) is not valid ${encoding.name}`, {
    line,
    hint: `The file's bytes do not match its encoding (${encoding.name}). Declare the right encoding in <?xml ... encoding="..."?> or convert the file.`,
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
    case "multibyte":
      return multiByteOffsets(bytes, text);
  }
}

/**
 * For multi-byte encodings: the n-th '<', '>' or line feed of the text is the n-th such byte of the file,
 * and edits start and end next to one of them, with at most ASCII (indentation) in between.
 */
function multiByteOffsets(bytes: Uint8Array, text: string): (offset: number) => number {
  const positions = new Map<number, { chars: number[]; bytes: number[] }>();
  const anchor = (code: number) => {
    let p = positions.get(code);
    if (!p) {
      p = { chars: [], bytes: [] };
      for (let i = text.indexOf(String.fromCharCode(code)); i >= 0; i = text.indexOf(String.fromCharCode(code), i + 1)) p.chars.push(i);
      for (let i = bytes.indexOf(code); i >= 0; i = bytes.indexOf(code, i + 1)) p.bytes.push(i);
      if (p.chars.length !== p.bytes.length) throw new M2Error(Exit.unsafe, "the file's bytes and its text disagree in this encoding", { hint: "Convert the file to UTF-8 and run again." });
      positions.set(code, p);
    }
    return p;
  };
  const byteOf = (code: number, at: number): number => {
    const p = anchor(code);
    let lo = 0;
    let hi = p.chars.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (p.chars[mid]! < at) lo = mid + 1;
      else hi = mid;
    }
    return p.bytes[lo]!;
  };
  return (o) => {
    if (o >= text.length) return bytes.length;
    if (text.charCodeAt(o) === 0x3c) return byteOf(0x3c, o);
    let p = o;
    while (p > 0) {
      const c = text.charCodeAt(p - 1);
      if (c === 0x3c || c === 0x3e || c === 0x0a) return byteOf(c, p - 1) + 1 + (o - p);
      if (c >= 0x80) {
        throw new M2Error(Exit.unsafe, "the change would sit right next to a multi-byte character, which anypoint-m2 cannot place safely in this encoding", {
          hint: "Convert the file to UTF-8 and run again.",
        });
      }
      p--;
    }
    return o;
  };
}

/**
 * Applies text edits to the original bytes: bytes outside the edits are copied, not re-encoded, so the
 * file stays byte-identical there whatever its encoding.
 */
export function applyEditsToBytes(bytes: Uint8Array, decoded: DecodedXml, edits: readonly Edit[]): Uint8Array {
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
  return Buffer.concat(parts);
}
