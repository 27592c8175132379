/**
 * What of an unexpected answer may be shown to people. A proxy or gateway that answers instead of Anypoint
 * may echo what it was sent (the client secret, the proxy's password) encoded in ways no list of encodings
 * foresees: cut short, split by markup, reversed, in base32 or UTF-16. So no raw body text is ever shown.
 * A JSON answer shows only a few short fields that error answers use; anything else is described (its kind,
 * its size), never quoted. A field is still withheld when any 8-character run of a credential shows in it in
 * any encoding this module knows, or when it looks like a token.
 */

/** The fields of a JSON error answer that are shown, in this order. */
export const SHOWN_FIELDS = ["error", "error_description", "message", "code"] as const;
/** A field longer than this is not a short message: it is not shown (nor searched). */
const FIELD_LIMIT = 1000;
const FIELD_CHARS = 120;
/** The run length looked for; a credential with fewer letters and digits cannot be told from chance text. */
const RUN = 8;
const ROUNDS = 4;

const JSON_ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function jsonUnescape(text: string): string {
  return text.replace(/\\(?:u([0-9a-fA-F]{4})|(["\\/bfnrt]))/g, (_, hex: string | undefined, c: string) => (hex ? String.fromCharCode(Number.parseInt(hex, 16)) : JSON_ESCAPES[c]!));
}

function htmlUnescape(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z]+);/g, (whole, name: string) => {
    if (!name.startsWith("#")) return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
    const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function percentDecode(text: string): string {
  return text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      // Not UTF-8: one character per byte.
      return run.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    }
  });
}

/** The text as sent, then decoded (JSON, HTML, percent) again and again, for text encoded twice. */
function decodings(text: string): string[] {
  const versions = [text];
  for (let round = 0; round < ROUNDS; round++) {
    const next = percentDecode(htmlUnescape(jsonUnescape(versions[versions.length - 1]!)));
    if (next === versions[versions.length - 1]) break;
    versions.push(next);
  }
  return versions;
}

/**
 * The ASCII letters and digits, lower case: what survives any escaping, re-spacing, re-casing, markup
 * between the characters or Unicode normalisation of a value (NFKD splits "é" into "e" and an accent, and
 * full-width letters into plain ones; upper then lower case folds "ß" and "SS" alike).
 */
function skeleton(text: string): string {
  return text.normalize("NFKD").toUpperCase().toLowerCase().replace(/[^a-z0-9]/g, "");
}

/**
 * The ASCII letters and digits with every other character dropped, escapes no decoder knew (&uuml;, a stray
 * %C3) first: what is left of a value whose non-ASCII characters were written some unknown way.
 */
function bare(text: string): string {
  return text.replace(/&#?[a-zA-Z0-9]+;|%[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|[^\x00-\x7f]/g, "").toLowerCase().replace(/[^a-z0-9]/g, "");
}

/**
 * The characters of a base-2^bits encoding (base64: 6, base32: 5) that depend on `bytes` alone, for each
 * position the bytes can have in a longer encoded stream; so "id:secret" (Basic) or a blob holding it is
 * caught too.
 */
function cores(bytes: Buffer, bits: 5 | 6): string[] {
  const group = bits === 6 ? 3 : 5;
  return Array.from({ length: group }, (_, offset) => {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const encoded = bits === 6 ? padded.toString("base64").replace(/=+$/, "") : base32(padded);
    // Character i carries bits [bits*i, bits*i + bits); keep those that fall inside `bytes`.
    const first = Math.ceil((8 * offset) / bits);
    const last = Math.floor((8 * (offset + bytes.length)) / bits) - 1;
    return encoded.slice(first, last + 1);
  });
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 4648 base32, without padding. */
function base32(bytes: Buffer): string {
  let out = "";
  let buffer = 0;
  let held = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    held += 8;
    while (held >= 5) {
      out += BASE32[(buffer >>> (held - 5)) & 31];
      held -= 5;
    }
    buffer &= (1 << held) - 1;
  }
  return held > 0 ? out + BASE32[(buffer << (5 - held)) & 31] : out;
}

/** Every RUN-character stretch of a string. */
function runs(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i + RUN <= text.length; i++) found.push(text.slice(i, i + RUN));
  return found;
}

/** How a text is looked at (a view of it) and what of a credential is looked for in that view. */
interface Probe {
  view: (text: string) => string;
  runs: string[];
}

const compact = (text: string) => text.replace(/\s+/g, "");
const base64View = (text: string) => compact(text).replace(/-/g, "+").replace(/_/g, "/");

/** What to look for of one credential; undefined when it is too short to be told from chance text. */
function probes(credential: string): Probe[] | undefined {
  const utf8 = Buffer.from(credential, "utf8");
  const utf16le = Buffer.from(credential, "utf16le");
  const utf16be = Buffer.from(utf16le).swap16();
  const letters = skeleton(credential);
  const ascii = bare(credential);
  if (letters.length < RUN || ascii.length < RUN) return undefined;
  const folded = (text: string) => text.normalize("NFKC").toLowerCase();
  const reversed = [...credential].reverse().join("");
  return [
    // As it is (punctuation and all, any case), cut short; and reversed.
    { view: folded, runs: [...runs(folded(credential)), ...runs(folded(reversed))] },
    // Its letters and digits: re-spaced, re-cased, split by markup; and reversed.
    { view: skeleton, runs: [...runs(letters), ...runs(skeleton(reversed))] },
    { view: bare, runs: runs(ascii) },
    { view: skeleton, runs: runs(utf8.toString("hex")) },
    { view: base64View, runs: [utf8, utf16le, utf16be].flatMap((bytes) => cores(bytes, 6)).flatMap(runs) },
    { view: (text) => compact(text).toUpperCase(), runs: [utf8, utf16le, utf16be].flatMap((bytes) => cores(bytes, 5)).flatMap(runs) },
  ];
}

const TOKEN_LIKE = /\b(?:access|refresh|id)[_-]?token\b|eyJ[\w-]{8,}\.[\w-]{8,}/i;

/**
 * Whether a short text may show a credential: any 8-character run of one, in any encoding known here,
 * or anything like a token. A credential too short to search for makes every text suspect.
 */
export function holdsCredentials(text: string, credentials: string[]): boolean {
  const versions = decodings(text);
  if (versions.some((v) => TOKEN_LIKE.test(v))) return true;
  return credentials.some((credential) => {
    const looked = probes(credential);
    if (!looked) return true;
    return versions.some((version) =>
      looked.some(({ view, runs: wanted }) => {
        const seen = view(version);
        return wanted.some((run) => seen.includes(run));
      }),
    );
  });
}

/** Text a terminal shows as it is: control and direction characters become spaces, runs of space one. */
export function printable(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** A short value as it may be shown, or undefined: not short text, empty, or it may hold a credential. */
export function shownValue(value: unknown, credentials: string[]): string | undefined {
  const text = typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
  if (text === undefined || text.length > FIELD_LIMIT || holdsCredentials(text, credentials)) return undefined;
  const shown = printable(text);
  if (shown === "") return undefined;
  return shown.length > FIELD_CHARS ? `${shown.slice(0, FIELD_CHARS)}…` : shown;
}

/** "2 KB", "57 bytes". */
function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} byte${bytes === 1 ? "" : "s"}` : `${Math.round(bytes / 1024)} KB`;
}

/** The media type of a Content-Type header, lower case, when it is one and shows no credential. */
function mediaType(contentType: string | undefined, credentials: string[]): string | undefined {
  const type = contentType?.split(";")[0]!.trim().toLowerCase();
  if (!type || type.length > 80 || !/^[a-z0-9][\w!#$&^.+-]*\/[a-z0-9][\w!#$&^.+-]*$/.test(type)) return undefined;
  return holdsCredentials(type, credentials) ? undefined : type;
}

/** What kind of body this is, in words: "an HTML page", "a text/plain body". */
function kind(type: string | undefined): string {
  if (type === undefined) return "a body of no stated type";
  if (type === "text/html" || type === "application/xhtml+xml") return "an HTML page";
  if (type === "application/xml" || type === "text/xml" || type.endsWith("+xml")) return "an XML document";
  return `${/^[aeiou]/.test(type) ? "an" : "a"} ${type} body`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // JSON.parse's error quotes the text: it never reaches a message.
    return undefined;
  }
}

/**
 * What an unexpected answer was, for a message: the shown fields of a JSON error answer, or the body's
 * kind and size; never its text. `bytes`: the body's size as received.
 */
export function describeBody(text: string, contentType: string | undefined, bytes: number, credentials: string[]): string {
  if (bytes === 0 || text.trim() === "") return "an empty body";
  const json = parseJson(text);
  if (json !== null && typeof json === "object" && !Array.isArray(json)) {
    const fields = SHOWN_FIELDS.filter((name) => name in json).map((name) => {
      const shown = shownValue((json as Record<string, unknown>)[name], credentials);
      return shown === undefined ? `${name} withheld (not short text, or it may hold a credential)` : `${name} ${JSON.stringify(shown)}`;
    });
    if (fields.length > 0) return `JSON with ${fields.join(", ")}`;
    return `JSON without ${SHOWN_FIELDS.slice(0, -1).join(", ")} or ${SHOWN_FIELDS.at(-1)}, ${size(bytes)}`;
  }
  const type = mediaType(contentType, credentials);
  if (json !== undefined) return `JSON that is not an object, ${size(bytes)}`;
  return `${kind(type)}${type?.includes("json") ? " that is not JSON" : ""}, ${size(bytes)}`;
}
