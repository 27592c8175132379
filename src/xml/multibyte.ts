/**
 * Multi-byte charsets (Chinese, Japanese, Korean) read as Java reads them. Node decodes them (TextDecoder,
 * ICU), but Java's decoders, which Maven uses, read some byte sequences otherwise or not at all (Big5's
 * HKSCS rows, GB2312 read as GBK, NEC rows of Shift_JIS, a few mappings). Those are listed here, measured
 * sequence by sequence against Java, and a file holding one is refused: its text would not be Maven's.
 */

/** Java's charset -> Node's decoder for the same bytes. */
export const NODE_DECODERS: Record<string, string> = {
  GBK: "gbk",
  GB2312: "gbk",
  GB18030: "gb18030",
  Big5: "big5",
  Shift_JIS: "shift_jis",
  "windows-31j": "shift_jis",
  "EUC-JP": "euc-jp",
  "EUC-KR": "euc-kr",
};

/**
 * The byte sequences (hex, one character each) and ranges of them that Java reads otherwise than Node, or
 * not at all. test/charsets.test.ts checks every 1-, 2- and 3-byte sequence and GB18030's 4-byte ones with
 * the BMP's leads, and prints this table afresh when Java or Node reads differently.
 */
export const JAVA_READS_OTHERWISE: Record<string, string> = {
  GBK: "80-ff a2e3 a892",
  GB2312: [
    "80-ff 8140-a1a0 a1a4 a1aa a240-a2b0 a2e3-a2e4 a2ef-a2f0 a2fd-a3a0 a440-a4a0 a4f4-a5a0 a5f7-a6a0",
    "a6b9-a6c0 a6d9-a7a0 a7c2-a7d0 a7f2-a8a0 a8bb-a8c4 a8ea-a9a3 a9f0-b0a0 b140-b1a0 b240-b2a0",
    "b340-b3a0 b440-b4a0 b540-b5a0 b640-b6a0 b740-b7a0 b840-b8a0 b940-b9a0 ba40-baa0 bb40-bba0",
    "bc40-bca0 bd40-bda0 be40-bea0 bf40-bfa0 c040-c0a0 c140-c1a0 c240-c2a0 c340-c3a0 c440-c4a0",
    "c540-c5a0 c640-c6a0 c740-c7a0 c840-c8a0 c940-c9a0 ca40-caa0 cb40-cba0 cc40-cca0 cd40-cda0",
    "ce40-cea0 cf40-cfa0 d040-d0a0 d140-d1a0 d240-d2a0 d340-d3a0 d440-d4a0 d540-d5a0 d640-d6a0",
    "d740-d7a0 d7fa-d8a0 d940-d9a0 da40-daa0 db40-dba0 dc40-dca0 dd40-dda0 de40-dea0 df40-dfa0",
    "e040-e0a0 e140-e1a0 e240-e2a0 e340-e3a0 e440-e4a0 e540-e5a0 e640-e6a0 e740-e7a0 e840-e8a0",
    "e940-e9a0 ea40-eaa0 eb40-eba0 ec40-eca0 ed40-eda0 ee40-eea0 ef40-efa0 f040-f0a0 f140-f1a0",
    "f240-f2a0 f340-f3a0 f440-f4a0 f540-f5a0 f640-f6a0 f740-f7a0 f840-fefe",
  ].join(" "),
  GB18030: "80 a3a0 82359037-82359134 84318236-84318335",
  Big5: [
    "80-ff 8140-a0fe a145 a14e a15a a1c2-a1c3 a1c5 a1e3 a1f2-a1f3 a1fe-a242 a244 a246-a247 a3e1",
    "c6a1-c8fe f9d6-fefe",
  ].join(" "),
  Shift_JIS: "815c 8160-8161 817c 8191-8192 81ca 8740-879c ed40-fc4b",
  "windows-31j": "",
  "EUC-JP": "80-9f 8ee0-8ee2 a1bd a1c1-a1c2 a1dd a1f1-a1f2 a2cc ada1-adfc f9a1-fcfe 8ff3a1-8ff3b7",
  "EUC-KR": "80-9f c9a1-c9fe fea1-fefe",
};

/**
 * Node's Shift_JIS decoder reads bytes 0x1A, 0x1C and 0x7F as U+001C, U+007F and U+001A. Java reads every
 * ASCII byte as itself, and those three are never part of a two-byte character, so the text is put right
 * character by character. Computed once per decoder: (Node's character -> Java's).
 */
const asciiFixes = new Map<string, Map<string, string>>();

function asciiFix(decoder: string): Map<string, string> {
  let fix = asciiFixes.get(decoder);
  if (!fix) {
    const ascii = new TextDecoder(decoder).decode(Uint8Array.from({ length: 0x80 }, (_, i) => i));
    fix = new Map();
    for (let i = 0; i < 0x80; i++) if (ascii.charCodeAt(i) !== i) fix.set(ascii[i]!, String.fromCharCode(i));
    asciiFixes.set(decoder, fix);
  }
  return fix;
}

/** Decodes with Node's decoder for Java's charset `name`; throws when `fatal` and the bytes are not valid. */
export function decodeMultiByte(name: string, body: Uint8Array, fatal: boolean): string {
  const decoder = NODE_DECODERS[name]!;
  const text = new TextDecoder(decoder, { fatal }).decode(body);
  const fix = asciiFix(decoder);
  if (fix.size === 0) return text;
  const chars = [...fix.keys()].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
  return text.replace(new RegExp(`[${chars}]`, "g"), (c) => fix.get(c)!);
}

/** Per sequence length, sorted [first, last] pairs of sequences (as big-endian numbers). */
type Ranges = Map<number, number[][]>;
const parsed = new Map<string, Ranges>();

function otherwise(name: string): Ranges {
  let ranges = parsed.get(name);
  if (!ranges) {
    ranges = new Map();
    for (const token of JAVA_READS_OTHERWISE[name]!.split(" ").filter(Boolean)) {
      const [first, last = first] = token.split("-") as [string, string?];
      const list = ranges.get(first.length / 2) ?? [];
      list.push([parseInt(first, 16), parseInt(last!, 16)]);
      ranges.set(first.length / 2, list);
    }
    parsed.set(name, ranges);
  }
  return ranges;
}

function listed(ranges: Ranges, length: number, value: number): boolean {
  const list = ranges.get(length);
  if (!list) return false;
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (value < list[mid]![0]!) hi = mid - 1;
    else if (value > list[mid]![1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

/** The length of the character starting with byte `lead` (then `next`), in bytes Node's decoder accepted. */
function sequenceLength(decoder: string, lead: number, next: number | undefined): number {
  if (lead < 0x80) return 1;
  switch (decoder) {
    case "gbk":
    case "gb18030":
      return lead === 0x80 || lead === 0xff ? 1 : next !== undefined && next >= 0x30 && next <= 0x39 ? 4 : 2;
    case "big5":
      return lead === 0x80 || lead === 0xff ? 1 : 2;
    case "shift_jis":
      return lead >= 0xa1 && lead <= 0xdf ? 1 : 2;
    case "euc-jp":
      return lead === 0x8e ? 2 : lead === 0x8f ? 3 : lead >= 0xa1 ? 2 : 1;
    default: // euc-kr
      return lead >= 0xa1 ? 2 : 1;
  }
}

/**
 * The offset of the first character of `body` that Java reads otherwise than `text` (what
 * decodeMultiByte made of it) has it, or -1. Walks the bytes and the text together; an ASCII byte whose
 * character is not where the walk expects it counts as a difference too, so a file is never judged on a
 * misaligned walk.
 */
export function firstJavaDifference(name: string, body: Uint8Array, text: string): number {
  const decoder = NODE_DECODERS[name]!;
  const ranges = otherwise(name);
  let t = 0;
  for (let i = 0; i < body.length; ) {
    const lead = body[i]!;
    if (lead < 0x80) {
      if (text.charCodeAt(t) !== lead || listed(ranges, 1, lead)) return i;
      i++;
      t++;
      continue;
    }
    const length = sequenceLength(decoder, lead, body[i + 1]);
    let value = 0;
    for (let k = 0; k < length; k++) value = value * 256 + (body[i + k] ?? 0);
    if (listed(ranges, length, value)) return i;
    t += text.codePointAt(t)! > 0xffff ? 2 : 1;
    i += length;
  }
  // Characters left over: the walk went wrong somewhere; refuse rather than guess.
  return t === text.length ? -1 : 0;
}

/**
 * Maps text offsets (ascending) to byte offsets in `body`, walking the bytes character by character as
 * firstJavaDifference does: decodeXml has already refused any file where that walk does not line up with
 * the text, so every character boundary of the text has its byte offset, next to a multi-byte character
 * or not.
 */
export function multiByteOffsets(name: string, body: Uint8Array, text: string): (offset: number) => number {
  const decoder = NODE_DECODERS[name]!;
  let t = 0;
  let i = 0;
  return (o) => {
    while (t < o) {
      i += sequenceLength(decoder, body[i]!, body[i + 1]);
      t += text.codePointAt(t)! > 0xffff ? 2 : 1;
    }
    if (t !== o) throw new Error(`text offset ${o} is inside a character`);
    return i;
  };
}
