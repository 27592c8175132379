/**
 * Maven 3's password encryption, as plexus-cipher 2.0 (in Maven 3.8's lib/) does it: what
 * `mvn --encrypt-password` writes and what Maven decrypts. Pure functions over node:crypto.
 *
 * A value is `{BASE64}`; BASE64 holds salt (8 random bytes) | pad length (1 byte) | AES-128-CBC/PKCS5 of
 * the UTF-8 text | that many random bytes. Key and IV are SHA-256(passphrase as UTF-8 | salt), split in two.
 * It hides a password from a casual reader only: the master password that opens it sits beside it.
 */
import type * as Crypto from "node:crypto";

/** node:crypto, loaded when first used: most runs never encrypt, and loading it costs start-up time. */
const crypto = (): typeof Crypto => process.getBuiltinModule("node:crypto");

const SALT_SIZE = 8;
const CHUNK_SIZE = 16;

function keyAndIv(passphrase: string, salt: Uint8Array): { key: Buffer; iv: Buffer } {
  const digest = crypto().createHash("sha256").update(Buffer.from(passphrase, "utf8")).update(salt).digest();
  return { key: digest.subarray(0, 16), iv: digest.subarray(16, 32) };
}

/** Encrypts `clear` with `passphrase`, decorated with braces as Maven writes it. */
export function encrypt(clear: string, passphrase: string, random: (size: number) => Uint8Array = (size) => crypto().randomBytes(size)): string {
  const salt = random(SALT_SIZE);
  const { key, iv } = keyAndIv(passphrase, salt);
  const cipher = crypto().createCipheriv("aes-128-cbc", key, iv);
  const encrypted = Buffer.concat([cipher.update(clear, "utf8"), cipher.final()]);
  const padLength = CHUNK_SIZE - ((SALT_SIZE + encrypted.length + 1) % CHUNK_SIZE);
  const all = Buffer.concat([salt, Buffer.from([padLength]), encrypted, random(padLength)]);
  return `{${all.toString("base64")}}`;
}

/** Java's `.`: any character but a line terminator. */
const DOT = "[^\\n\\r\\u0085\\u2028\\u2029]";
/** plexus-cipher's pattern, `.*?[^\\]?\{(.*?[^\\])\}.*`, with Java's `.`, over the whole value. */
const WHOLE = new RegExp(`^${DOT}*?[^\\\\]?\\{(${DOT}*?[^\\\\])\\}${DOT}*$`);

/**
 * The part of `value` Maven takes for an encrypted password, or undefined when Maven sees no encrypted value
 * in it. plexus-cipher asks `matches() || find()` of its pattern. matches() is the whole value, with Java's
 * `.` stopping at a line break: so a line break after the braces (`{ENC}\nx`) hides them from it. Where it
 * fails, find() goes on from a place inside the value that Java's failed match leaves behind (measured, not
 * documented); without a line break it finds nothing either, and with one it is not followed here. So what
 * is found here is what Maven finds, and a value Maven sends as written is never taken for encrypted (a test
 * holds it to that); the few values of several lines Maven does try to decrypt are taken as written.
 */
export function encryptedPart(value: string): string | undefined {
  return WHOLE.exec(value)?.[1];
}

/** The value of each base64 digit, -1 for any other character (and for `=`). */
const DIGITS = new Int8Array(128).fill(-1);
[..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"].forEach((c, i) => (DIGITS[c.charCodeAt(0)] = i));
const PAD = 0x3d;

/**
 * plexus-cipher 2.0's own Base64.decodeBase64 (an old commons-codec), byte for byte, as PBECipher.decrypt64 calls it
 * on the text's bytes: every character but the 64 digits and `=` is dropped (`-`, `_`, white space, non-ASCII);
 * trailing `=` are cut; each whole group of four then gives three bytes, fewer when its third or fourth is `=`
 * (a `=` in first or second place counts as -1), and a short last group gives zero bytes. The output has room
 * for (length without trailing `=`) minus (number of groups) bytes: when `=` in the middle makes the groups
 * write past it, Java throws, and undefined says so here.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  const data: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === PAD || (c < 128 && DIGITS[c]! >= 0)) data.push(c);
  }
  if (data.length === 0) return new Uint8Array(0);
  const groups = data.length >> 2;
  let last = data.length;
  while (data[last - 1] === PAD) if (--last === 0) return new Uint8Array(0);
  const out = new Uint8Array(last - groups);
  const digit = (c: number) => (c === PAD ? -1 : DIGITS[c]!);
  for (let g = 0, o = 0; g < groups; g++, o += 3) {
    const [c1, c2, m0, m1] = data.slice(g * 4, g * 4 + 4) as [number, number, number, number];
    const b1 = digit(c1);
    const b2 = digit(c2);
    const bytes = [(b1 << 2) | (b2 >> 4)];
    if (m0 !== PAD) bytes.push(((b2 & 0xf) << 4) | ((digit(m0) >> 2) & 0xf));
    if (m0 !== PAD && m1 !== PAD) bytes.push((digit(m0) << 6) | digit(m1));
    if (o + bytes.length > out.length) return undefined;
    bytes.forEach((b, k) => (out[o + k] = b & 0xff));
  }
  return out;
}

/**
 * UTF-8 bytes as Java's decoder reads them (`new String(bytes, "UTF8")`): as Node's, but for an encoded
 * surrogate (ED A0..BF), which Java replaces with one U+FFFD for its two or three bytes where Node puts one for each.
 */
function javaUtf8(bytes: Buffer): string {
  let out = "";
  let from = 0;
  for (let i = 0; i + 1 < bytes.length; i++) {
    if (bytes[i] !== 0xed || bytes[i + 1]! < 0xa0 || bytes[i + 1]! > 0xbf) continue;
    out += `${bytes.toString("utf8", from, i)}\uFFFD`;
    const third = bytes[i + 2];
    i += third !== undefined && third >= 0x80 && third <= 0xbf ? 2 : 1;
    from = i + 1;
  }
  return out + bytes.toString("utf8", from);
}

/**
 * Decrypts a value (decorated or not) with `passphrase` as PBECipher.decrypt64 does; undefined when Maven's
 * cipher fails on it. The pad length is read as Java's signed byte; what follows it must be whole AES blocks,
 * and none at all is the empty text (Java's Cipher.doFinal of nothing gives nothing).
 */
export function decrypt(value: string, passphrase: string): string | undefined {
  const bare = encryptedPart(value) ?? value;
  const all = decodeBase64(bare);
  if (!all || all.length <= SALT_SIZE) return undefined;
  const padLength = (all[SALT_SIZE]! << 24) >> 24;
  const end = all.length - padLength;
  if (padLength < 0 || end < SALT_SIZE + 1) return undefined;
  if (end === SALT_SIZE + 1) return "";
  const { key, iv } = keyAndIv(passphrase, all.subarray(0, SALT_SIZE));
  try {
    const decipher = crypto().createDecipheriv("aes-128-cbc", key, iv);
    const clear = Buffer.concat([decipher.update(all.subarray(SALT_SIZE + 1, end)), decipher.final()]);
    return javaUtf8(clear);
  } catch {
    return undefined;
  }
}

/** The passphrase Maven encrypts the master password in settings-security.xml with. */
export const MASTER_PASSPHRASE = "settings.security";
