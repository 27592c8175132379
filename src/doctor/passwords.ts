/**
 * How doctor opens a password encrypted with Maven's master password: the seam between doctor and the
 * password stores. Doctor asks only `decrypt(value)`; the security file is found and read as setup, verify,
 * list and rotate read it (src/io/security.ts: --security-file, else the `settings.security` property, else
 * `<user.home>/.m2/settings-security.xml`, `<relocation>` followed, Maven 4's files refused), and a value is
 * opened with src/settings/stores.ts. Nothing here ever returns or prints the master password.
 */
import type { Io } from "../world";
import { M2Error } from "../errors";
import { readMaster, type SecurityLocation } from "../io/security";
import { MAVEN4_HINT } from "../maven/security";
import { decryptPassword } from "../settings/stores";

export type Decrypted = { clear: string } | { problem: string; fix: string };

export interface PasswordReader {
  /** The clear text of an encrypted value (`{…}`), or why Maven could not have it either. */
  decrypt(value: string): Decrypted;
}

type SecurityIo = Pick<Io, "env" | "cwd" | "home" | "fs" | "stderr">;

/** The reader Maven 3 would be: the security file at `location`, read once, when first needed. */
export function securityFilePasswords(io: SecurityIo, location: SecurityLocation): PasswordReader {
  let master: { master: string; file: string } | { problem: string; fix: string } | undefined;
  const open = () => {
    try {
      return readMaster(location, io, "an encrypted password needs Maven's master password to be opened");
    } catch (e) {
      if (!(e instanceof M2Error)) throw e;
      return { problem: `${e.details.file ? `${e.details.file}: ` : ""}${e.message}`, fix: e.details.hint ?? "Check the security file." };
    }
  };
  return {
    decrypt(value) {
      master ??= open();
      if ("problem" in master) return master;
      const decrypted = decryptPassword(value, master.master);
      if ("clear" in decrypted) return decrypted;
      return decrypted.failure === "maven4"
        ? { problem: "it is a Maven 4 value ({[name=…]…}), which anypoint-m2 cannot check", fix: MAVEN4_HINT }
        : { problem: `it does not decrypt with the master password of ${master.file}`, fix: "Encrypt it again with mvn --encrypt-password (with this security file), or run anypoint-m2 setup again." };
    },
  };
}
