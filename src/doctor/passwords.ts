/**
 * How doctor opens a password encrypted with Maven's master password: the seam between doctor and the
 * password stores. Doctor asks only `decrypt(value)`; this default reads the security file as Maven 3's
 * DefaultSecDispatcher does (the `settings.security` property, else `<user.home>/.m2/settings-security.xml`,
 * `<relocation>` followed, `<master>` decrypted with the passphrase "settings.security") with
 * src/maven/cipher.ts. A fuller store module (--security-file, Maven 4's format) can supply its own reader.
 * Nothing here ever returns or prints the master password.
 */
import { dirname, join, resolve } from "node:path";
import type { Fs } from "../io/files";
import { decrypt, MASTER_PASSPHRASE } from "../maven/cipher";
import { decodeXml } from "../xml/encoding";
import { javaTrim, scanXml, textContent } from "../xml/scan";

export type Decrypted = { clear: string } | { problem: string; fix: string };

export interface PasswordReader {
  /** The clear text of an encrypted value (`{…}`), or why Maven could not have it either. */
  decrypt(value: string): Decrypted;
}

/** The security file Maven 3 reads, from its properties (settings.security, user.home). */
export function securityFilePath(properties: Record<string, string | undefined>, cwd: string): string {
  const named = properties["settings.security"];
  return named ? resolve(cwd, named) : join(properties["user.home"] ?? "", ".m2", "settings-security.xml");
}

type Master = { password: string } | { problem: string; fix: string };

function readMaster(fs: Fs, first: string): Master {
  const fix = `Create it with mvn --encrypt-master-password (see Maven's password encryption guide), or store the password another way.`;
  let path = first;
  for (let hops = 0; hops < 8; hops++) {
    let text: string;
    try {
      if (!fs.statSync(path, { throwIfNoEntry: false })?.isFile()) return { problem: `the security file ${path} does not exist`, fix };
      text = decodeXml(fs.readFileSync(path) as Uint8Array).text;
    } catch (e) {
      return { problem: `the security file ${path} cannot be read: ${(e as Error).message}`, fix: "Check the file and its permissions." };
    }
    let root;
    try {
      root = scanXml(text).root;
    } catch (e) {
      return { problem: `the security file ${path} is not well-formed XML: ${(e as Error).message}`, fix: "Correct it, or create it again with mvn --encrypt-master-password." };
    }
    const relocation = root.child("relocation");
    if (relocation) {
      path = resolve(dirname(path), javaTrim(textContent(text, relocation)));
      continue;
    }
    const master = root.child("master");
    const value = master ? javaTrim(textContent(text, master)) : "";
    if (!value) return { problem: `the security file ${path} has no <master>`, fix };
    const password = decrypt(value, MASTER_PASSPHRASE);
    if (password === undefined) return { problem: `the master password in ${path} does not decrypt as Maven 3 encrypts it`, fix: "Create it again with mvn --encrypt-master-password." };
    return { password };
  }
  return { problem: `the security file ${first} relocates more than 8 times`, fix: "Point its <relocation> at the file that holds <master>." };
}

/** The reader Maven 3 would be: the security file at `path`, read once, when first needed. */
export function securityFilePasswords(fs: Fs, path: string): PasswordReader {
  let master: Master | undefined;
  return {
    decrypt(value) {
      master ??= readMaster(fs, path);
      if ("problem" in master) return master;
      const clear = decrypt(value, master.password);
      return clear === undefined
        ? { problem: `it does not decrypt with the master password of ${path}`, fix: "Encrypt it again with mvn --encrypt-password (with this security file), or run anypoint-m2 setup again." }
        : { clear };
    },
  };
}
