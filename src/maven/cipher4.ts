/**
 * Maven 4's password encryption, as plexus-sec-dispatcher 4 (in Maven 4's lib/) does it: the `master`
 * dispatcher with the AES/GCM/NoPadding cipher (AESGCMNoPadding.java). Pure functions over node:crypto.
 *
 * A value is `{[name=master,cipher=AES/GCM/NoPadding,version=4.0]BASE64}`; BASE64 (java.util.Base64, strict)
 * holds IV (12 random bytes) | salt (16 random bytes) | AES-256-GCM of the UTF-8 text with its 16-byte tag. The
 * key is PBKDF2WithHmacSHA512 of the master password (UTF-8) and the salt, 310,000 iterations, 256 bits.
 */
import type * as Crypto from "node:crypto";

const crypto = (): typeof Crypto => process.getBuiltinModule("node:crypto");

const IV_SIZE = 12;
const SALT_SIZE = 16;
const TAG_SIZE = 16;
const ITERATIONS = 310_000;
const KEY_SIZE = 32;
export const CIPHER4 = "AES/GCM/NoPadding";
/** The attributes Maven 4 writes (DefaultSecDispatcher.encrypt); `version` is the dispatcher's, only its presence is checked. */
const ATTRIBUTES = `name=master,cipher=${CIPHER4},version=4.0`;

const key = (master: string, salt: Uint8Array): Buffer => crypto().pbkdf2Sync(Buffer.from(master, "utf8"), salt, ITERATIONS, KEY_SIZE, "sha512");

/** Encrypts `clear` with the master password as Maven 4's `mvnenc encrypt` does, decorated. */
export function encrypt4(clear: string, master: string, random: (size: number) => Uint8Array = (size) => crypto().randomBytes(size)): string {
  const iv = random(IV_SIZE);
  const salt = random(SALT_SIZE);
  const cipher = crypto().createCipheriv("aes-256-gcm", key(master, salt), iv, { authTagLength: TAG_SIZE });
  const encrypted = Buffer.concat([cipher.update(clear, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `{[${ATTRIBUTES}]${Buffer.concat([iv, salt, encrypted]).toString("base64")}}`;
}

export interface Value4 {
  /** The attributes between `[` and `]`, trimmed as Maven trims them. */
  attributes: Record<string, string>;
  /** What follows `]`: the cipher's base64. */
  payload: string;
}

/** Thrown where Maven 4 throws while only looking at a value (its settings build then fails). */
const FAILS = Symbol("fails");

/**
 * DefaultSecDispatcher.stripAttributes: `[k=v,...]` at the start; none when there are no brackets. Maven throws on
 * `[` elsewhere or a pair without `=`, and returns null (on which its callers throw) for empty brackets.
 */
function attributesOf(inner: string): Record<string, string> {
  const start = inner.indexOf("[");
  const stop = inner.indexOf("]");
  const attributes: Record<string, string> = {};
  if (start === -1 || stop === -1 || stop <= start) return attributes;
  if (start !== 0) throw FAILS;
  const text = inner.slice(1, stop).trim();
  if (text === "") throw FAILS;
  // StringTokenizer: empty tokens are skipped.
  for (const pair of text.split(",").filter((p) => p !== "")) {
    const at = pair.indexOf("=");
    if (at < 0) throw FAILS;
    attributes[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return attributes;
}

/**
 * What Maven 4 takes a value for (DefaultSecDispatcher.isAnyEncryptedString): one of its own ("maven4": `{…}`
 * around the whole value, no other brace inside, `[attributes]` first holding `name` and `version`), a Maven 3 one
 * ("legacy": from the first `{` to the first `}` after it, no other brace, no attributes inside: decrypted with
 * Maven 3's settings-security.xml, with a warning), neither, or one it fails on as it looks ("fails": `[` not
 * first, `[]`, a pair without `=`), which stops its settings build.
 */
export function maven4Kind(value: string): "maven4" | "legacy" | "none" | "fails" {
  try {
    if (value.trim() !== "" && value.startsWith("{") && value.endsWith("}")) {
      const inner = value.slice(1, -1);
      if (!inner.includes("{") && !inner.includes("}")) {
        const attributes = attributesOf(inner);
        if (attributes.name !== undefined && attributes.version !== undefined) return "maven4";
      }
    }
    const open = value.indexOf("{");
    if (open < 0) return "none";
    const close = value.indexOf("}", open);
    if (close < 0) return "none";
    const inner = value.slice(open + 1, close);
    if (inner.includes("{")) return "none";
    return Object.keys(attributesOf(inner)).length === 0 ? "legacy" : "none";
  } catch (e) {
    if (e === FAILS) return "fails";
    throw e;
  }
}

/** A Maven 4 value's attributes and payload, when Maven 4 takes it for one of its own. */
export function value4(value: string): Value4 | undefined {
  if (maven4Kind(value) !== "maven4") return undefined;
  const inner = value.slice(1, -1);
  return { attributes: attributesOf(inner), payload: inner.slice(inner.indexOf("]") + 1) };
}

/** java.util.Base64's basic decoder: the 64 digits only, `=` padding optional but right where present. */
function strictBase64(text: string): Buffer | undefined {
  const m = /^([A-Za-z0-9+/]*)(={0,2})$/.exec(text);
  if (!m) return undefined;
  const rest = m[1]!.length % 4;
  if (rest === 1 || (m[2]!.length > 0 && (rest === 0 || rest + m[2]!.length !== 4))) return undefined;
  return Buffer.from(m[1]!, "base64");
}

/**
 * Decrypts a Maven 4 value with the master password as the `master` dispatcher does; undefined when Maven 4
 * fails on it (another dispatcher or cipher, bad base64, a wrong password: the GCM tag does not match).
 */
export function decrypt4(value: string, master: string): string | undefined {
  const parsed = value4(value);
  if (!parsed || parsed.attributes.name !== "master" || parsed.attributes.cipher !== CIPHER4) return undefined;
  const all = strictBase64(parsed.payload);
  if (!all || all.length < IV_SIZE + SALT_SIZE + TAG_SIZE) return undefined;
  const iv = all.subarray(0, IV_SIZE);
  const salt = all.subarray(IV_SIZE, IV_SIZE + SALT_SIZE);
  try {
    const decipher = crypto().createDecipheriv("aes-256-gcm", key(master, salt), iv, { authTagLength: TAG_SIZE });
    decipher.setAuthTag(all.subarray(all.length - TAG_SIZE));
    return Buffer.concat([decipher.update(all.subarray(IV_SIZE + SALT_SIZE, all.length - TAG_SIZE)), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}
