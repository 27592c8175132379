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
import { readMaster4, type Security4Location } from "../io/security4";
import { MAVEN4_HINT } from "../maven/security";
import { decryptPassword, generationOf } from "../settings/stores";

/**
 * `relocated`: Maven 3's master password came through a `<relocation>` (from the file named first to the one
 * read), which Maven 4's legacy decryption does not follow.
 */
export type Decrypted = { clear: string; relocated?: { from: string; to: string } } | { problem: string; fix: string };

export interface PasswordReader {
  /** The clear text of an encrypted value (`{…}`), or why Maven could not have it either. */
  decrypt(value: string): Decrypted;
}

type SecurityIo = Pick<Io, "env" | "cwd" | "home" | "fs" | "stderr">;

type Opened = { master: string; file: string; path?: string } | { problem: string; fix: string };

/** A master password, read once, when first needed; a problem with its file is told, not thrown. */
function once(read: () => { master: string; file: string; path?: string }): () => Opened {
  let opened: Opened | undefined;
  return () =>
    (opened ??= (() => {
      try {
        return read();
      } catch (e) {
        if (!(e instanceof M2Error)) throw e;
        return { problem: `${e.details.file ? `${e.details.file}: ` : ""}${e.message}`, fix: e.details.hint ?? "Check the security file." };
      }
    })());
}

/**
 * The reader Maven would be: Maven 3's security file at `location` for `{…}` values, Maven 4's at `location4`
 * for Maven 4 values (`{[name=master,…]…}`), each read once, when first needed (where Maven 4's file is, too:
 * a --security-file that is only Maven 3's is a problem for a Maven 4 value, not for the run).
 */
export function securityFilePasswords(io: SecurityIo, location: SecurityLocation, location4: () => Security4Location): PasswordReader {
  const master3 = once(() => readMaster(location, io, "an encrypted password needs Maven's master password to be opened"));
  const master4 = once(() => readMaster4(location4(), io, "a Maven 4 value needs Maven 4's master password to be opened"));
  return {
    decrypt(value) {
      const generation = generationOf(value);
      const master = generation === 4 ? master4() : master3();
      if ("problem" in master) return master;
      const decrypted = decryptPassword(value, master.master, generation);
      if ("clear" in decrypted) return master.path && master.path !== master.file ? { ...decrypted, relocated: { from: master.path, to: master.file } } : decrypted;
      if (generation === 4) return { problem: `it does not decrypt with the master password ${master.file} gives`, fix: "Check the master source's password, or run anypoint-m2 setup --store encrypted to write it again." };
      return decrypted.failure === "maven4"
        ? { problem: "it is a Maven 4 value ({[name=…]…}), which anypoint-m2 cannot check", fix: MAVEN4_HINT }
        : { problem: `it does not decrypt with the master password of ${master.file}`, fix: "Encrypt it again with mvn --encrypt-password (with this security file), or run anypoint-m2 setup again." };
    },
  };
}
