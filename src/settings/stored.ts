/**
 * A connected app's credentials as Maven would read them from a server: first with the id, `${…}` resolved,
 * then a password holding `{…}` decrypted with the master password, as Maven 3's settings decrypter does.
 */
import { Exit, lineColumn, M2Error } from "../errors";
import { CONNECTED_APP_USERNAME, SEPARATOR } from "../domain";
import { fieldValue, readSettings, serverEntries, serversWithId } from "./model";
import { interpolate, type Env, type Properties } from "./interpolate";
import { javaTrim } from "../xml/scan";
import { MAVEN4_HINT } from "../maven/security";
import { decryptPassword, generationOf, storeOf } from "./stores";

export interface StoredCredentials {
  clientId: string;
  clientSecret: string;
  line: number;
  /** Where the master password came from, when the password was encrypted. */
  securityFile?: string;
}

export interface StoredOptions {
  /** The master password, asked for only when the password is encrypted (it may throw, e.g. no security file). */
  master?: () => { master: string; file: string };
  /** Maven 4's master password, asked for only when the password is a Maven 4 value. */
  master4?: () => { master: string; file: string };
}

/** `env` and `properties`: what Maven resolves `${…}` in ids, usernames and passwords from (see interpolate.ts). */
export function storedCredentials(text: string, id: string, env: Env = {}, properties: Properties = {}, options: StoredOptions = {}): StoredCredentials {
  const model = readSettings(text);
  const entry = serversWithId(model, id, env, properties)[0];
  if (!entry) {
    const ids = serverEntries(model, env, properties).map((e) => e.shown).filter((x): x is string => x !== undefined);
    throw new M2Error(Exit.usage, `there is no server "${id}"`, {
      hint: ids.length ? `Servers in the file: ${ids.join(", ")}. Pass --server-id.` : "Run anypoint-m2 setup first.",
    });
  }
  const { line } = lineColumn(text, entry.element.start);
  const problem = (message: string, hint?: string) => new M2Error(Exit.usage, `server "${id}": ${message}`, { line, hint });
  const resolve = (field: "username" | "password"): string => {
    const raw = fieldValue(model, entry[field]);
    if (raw === undefined || raw === "") throw problem(`it has no ${field}`, "Run anypoint-m2 setup to write the connected app's credentials.");
    // Maven reads the interpolated file back, trimming values again.
    const { value: interpolated, unresolved } = interpolate(raw, env, properties);
    const value = javaTrim(interpolated);
    if (unresolved.length > 0) {
      const names = unresolved.map((n) => (n.startsWith("env.") ? n.slice(4) : n));
      throw problem(`its ${field} refers to ${unresolved.map((n) => `\${${n}}`).join(", ")}, not set in this environment`, `Set ${names.join(" and ")}, as Maven will need ${names.length > 1 ? "them" : "it"} too.`);
    }
    return value;
  };
  if (resolve("username") !== CONNECTED_APP_USERNAME) {
    throw problem(`it is not an Anypoint connected app (its username is not ${CONNECTED_APP_USERNAME})`);
  }
  let password = resolve("password");
  let securityFile: string | undefined;
  // After ${…} is resolved, Maven takes any {…} for an encrypted value (a literal with braces too).
  if (storeOf(password) === "encrypted") {
    const generation = generationOf(password);
    const found = generation === 4 ? options.master4?.() : options.master?.();
    if (!found) throw problem("its password is encrypted with Maven's master password, and no security file was given");
    const decrypted = decryptPassword(password, found.master, generation);
    if ("failure" in decrypted) {
      throw decrypted.failure === "maven4"
        ? problem("its password is encrypted in Maven 4's format, which Maven 3 (and anypoint-m2) cannot decrypt", MAVEN4_HINT)
        : generation === 4
          ? problem(`its password is a Maven 4 value that does not decrypt with the master password ${found.file} gives (Maven 4 would stop the build)`, "Check the master source's password, or run anypoint-m2 setup --store encrypted to write it again.")
          : problem(
            `its password holds {…}, which Maven takes for an encrypted value, and it does not decrypt with the master password of ${found.file}`,
            "Maven 3 would send the text as written and Maven 4 would stop the build: run anypoint-m2 setup --store encrypted to write it again, or pass the right --security-file.",
          );
    }
    password = decrypted.clear;
    securityFile = found.file;
  }
  const at = password.indexOf(SEPARATOR);
  if (at <= 0 || at + SEPARATOR.length === password.length) {
    throw problem(`its password is not in the form clientID${SEPARATOR}clientSecret`);
  }
  return { clientId: password.slice(0, at), clientSecret: password.slice(at + SEPARATOR.length), line, ...(securityFile ? { securityFile } : {}) };
}
