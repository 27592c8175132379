/**
 * What of a response body may be shown to people. A proxy or gateway that answers instead of Anypoint may
 * echo what it was sent, encoded in any of a dozen ways; a redaction would miss one. So the body is
 * decoded every way a server might have encoded it, and when any decoding holds the secret (or a token),
 * the excerpt is withheld whole.
 */

const EXCERPT_CHARS = 120;
/** A secret with fewer letters and digits than this cannot be told apart from chance text: bodies are withheld. */
const MIN_KEY = 8;
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

/** The body as sent, then decoded (JSON, HTML, percent) again and again, for bodies encoded twice. */
function decodings(body: string): string[] {
  const versions = [body];
  for (let round = 0; round < ROUNDS; round++) {
    const next = percentDecode(htmlUnescape(jsonUnescape(versions[versions.length - 1]!)));
    if (next === versions[versions.length - 1]) break;
    versions.push(next);
  }
  return versions;
}

/**
 * The ASCII letters and digits, lower case: what survives any escaping, re-spacing, re-casing or Unicode
 * normalisation of a value (NFKD splits "é" into "e" and an accent, and full-width letters into plain ones;
 * upper then lower case folds "ß" and "SS" alike).
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
 * The base64 characters that depend on the secret's bytes alone, for each of the three positions the
 * secret can have in an encoded stream; so "id:secret" (Basic) or a longer blob holding it is caught too.
 */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64").replace(/=+$/, "");
    // Character i carries bits 6i..6i+5; keep those that fall inside the secret's bytes.
    const first = Math.ceil((8 * offset) / 6);
    const last = Math.floor((8 * (offset + bytes.length)) / 6) - 1;
    return encoded.slice(first, last + 1);
  });
}

function echoes(versions: string[], secret: string): boolean {
  const keys = [skeleton(secret), bare(secret)];
  const hex = Buffer.from(secret, "utf8").toString("hex");
  const cores = base64Cores(secret);
  if (keys.some((k) => k.length < MIN_KEY) || cores.some((core) => core.length < MIN_KEY)) return true;
  return versions.some((version) => {
    const letters = skeleton(version);
    if (letters.includes(keys[0]!) || letters.includes(hex) || bare(version).includes(keys[1]!)) return true;
    const compact = version.replace(/\s+/g, "");
    const standard = compact.replace(/-/g, "+").replace(/_/g, "/");
    return cores.some((core) => compact.includes(core) || standard.includes(core));
  });
}

const TOKEN_LIKE = /\b(?:access|refresh|id)[_-]?token\b|eyJ[\w-]{8,}\.[\w-]{8,}/i;

/** Whether text shows any secret, however encoded, or anything like a token. */
export function revealsSecrets(text: string, secrets: string[]): boolean {
  const versions = decodings(text);
  return versions.some((v) => TOKEN_LIKE.test(v)) || secrets.some((s) => echoes(versions, s));
}

/** Text a terminal shows as it is: control and direction characters become spaces, runs of space one. */
export function printable(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** A short excerpt of a response body, or why there is none. */
export function bodyExcerpt(body: string, secrets: string[]): string {
  const versions = decodings(body);
  if (printable(body) === "") return "empty body";
  if (versions.some((v) => TOKEN_LIKE.test(v))) return "body withheld: it holds a token";
  if (secrets.some((s) => echoes(versions, s))) return "body withheld: it echoes the credentials";
  return printable(body).slice(0, EXCERPT_CHARS);
}
