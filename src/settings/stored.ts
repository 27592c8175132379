/** A connected app's credentials as Maven would read them from a server: first with the id, `${…}` resolved. */
import { Exit, lineColumn, M2Error } from "../errors";
import { CONNECTED_APP_USERNAME } from "./list";
import { fieldValue, readSettings, serverEntries, serversWithId } from "./model";
import { interpolate, isEncrypted, type Env, type Properties } from "./interpolate";
import { SEPARATOR } from "../anypoint/credentials";
import { javaTrim } from "../xml/scan";

export interface StoredCredentials {
  clientId: string;
  clientSecret: string;
  line: number;
}

/** `env` and `properties`: what Maven resolves `${…}` in ids, usernames and passwords from (see interpolate.ts). */
export function storedCredentials(text: string, id: string, env: Env = {}, properties: Properties = {}): StoredCredentials {
  const model = readSettings(text);
  const entry = serversWithId(model, id, env, properties)[0];
  if (!entry) {
    const ids = serverEntries(model, env, properties).map((e) => e.id).filter((x): x is string => x !== undefined);
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
      throw problem(`its ${field} refers to ${unresolved.map((n) => `\${${n}}`).join(", ")}, not set in this environment`, "Set the variable, as Maven would need it too.");
    }
    if (isEncrypted(value)) {
      throw problem(`its ${field} is encrypted with Maven's master password, which verify does not support yet`);
    }
    return value;
  };
  if (resolve("username") !== CONNECTED_APP_USERNAME) {
    throw problem(`it is not an Anypoint connected app (its username is not ${CONNECTED_APP_USERNAME})`);
  }
  const password = resolve("password");
  const at = password.indexOf(SEPARATOR);
  if (at <= 0 || at + SEPARATOR.length === password.length) {
    throw problem(`its password is not in the form clientID${SEPARATOR}clientSecret`);
  }
  return { clientId: password.slice(0, at), clientSecret: password.slice(at + SEPARATOR.length), line };
}
