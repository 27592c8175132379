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

/**
 * The part of `value` Maven takes for an encrypted password: the text between the first `{` and the next
 * `}` not escaped by a backslash (plexus-cipher's pattern `.*?[^\\]?\{(.*?[^\\])\}.*`), or undefined
 * when Maven sees no encrypted value in it. Maven tries to decrypt any such value, so a literal password
 * containing braces meets the same fate.
 */
export function encryptedPart(value: string): string | undefined {
  return /[^\\]?\{(.*?[^\\])\}/.exec(value)?.[1];
}

/** Decrypts a value (decorated or not) with `passphrase`; undefined when it does not decrypt with it. */
export function decrypt(value: string, passphrase: string): string | undefined {
  const bare = encryptedPart(value) ?? value;
  let all: Buffer;
  try {
    all = Buffer.from(bare, "base64");
  } catch {
    return undefined;
  }
  if (all.length < SALT_SIZE + 1 + CHUNK_SIZE) return undefined;
  const padLength = all[SALT_SIZE]!;
  const end = all.length - padLength;
  if (padLength > CHUNK_SIZE || end <= SALT_SIZE + 1 || (end - SALT_SIZE - 1) % CHUNK_SIZE !== 0) return undefined;
  const { key, iv } = keyAndIv(passphrase, all.subarray(0, SALT_SIZE));
  try {
    const decipher = crypto().createDecipheriv("aes-128-cbc", key, iv);
    const clear = Buffer.concat([decipher.update(all.subarray(SALT_SIZE + 1, end)), decipher.final()]);
    return clear.toString("utf8");
  } catch {
    return undefined;
  }
}

/** The passphrase Maven encrypts the master password in settings-security.xml with. */
export const MASTER_PASSPHRASE = "settings.security";
