/**
 * Rotation of a connected app's secret, as pure text -> edits: every server whose password holds that client
 * ID, whatever its store. A literal copy gets the new secret as is; an encrypted one is compared after
 * decryption and written back encrypted; one that takes its secret from `${env.X}` cannot be changed in the
 * file and is reported, so that the variable is updated instead. Only the text of `<password>` changes.
 */
import { CONNECTED_APP_USERNAME, SEPARATOR } from "../domain";
import { Exit, lineColumn, M2Error } from "../errors";
import type { Edit } from "../xml/edit";
import { javaTrim } from "../xml/scan";
import { interpolate, type Env, type Properties } from "./interpolate";
import { fieldValue, readSettings, serverEntries } from "./model";
import type { SettingsChange } from "./servers";
import { decryptPassword, envVariables, generationOf, passwordTraps, references, storeOf, type Generation, type Store } from "./stores";
import { checkValue, escapeText } from "./value";

export interface RotatedServer {
  id: string | null;
  line: number;
  store: Store;
}

export interface Rotation {
  change: SettingsChange;
  /** Literal and encrypted copies given the new secret. */
  updated: RotatedServer[];
  /** Copies that already hold the new secret. */
  current: RotatedServer[];
  /** Copies whose secret comes from the environment: these variables are to be updated. */
  env: (RotatedServer & { variables: string[] })[];
  /** Servers that could not be compared: encrypted without a usable master password, or an unset client ID variable. */
  unchecked: (RotatedServer & { reason: string })[];
}

export interface RotateOptions {
  env?: Env;
  properties?: Properties;
  /** The master password, when encrypted passwords are met; undefined with why when there is none. */
  master?: () => { master: string } | { problem: string };
  /** Maven 4's master password, for Maven 4 values (`{[name=master,…]…}`), which are written back as Maven 4 values. */
  master4?: () => { master: string } | { problem: string };
  /** Encrypts a clear password with the master password of that generation (memoised by the caller, so every plan agrees). */
  encrypt?: (clear: string, master: string, generation: Generation) => string;
}

/** `clientId~?~secret` split at the first separator, or undefined when the value has none. */
function split(value: string): { id: string; secret: string } | undefined {
  const at = value.indexOf(SEPARATOR);
  return at > 0 ? { id: value.slice(0, at), secret: value.slice(at + SEPARATOR.length) } : undefined;
}

export function rotateSecret(text: string, clientId: string, secret: string, options: RotateOptions = {}): Rotation {
  const env = options.env ?? {};
  const properties = options.properties ?? {};
  const model = readSettings(text);
  const rotation: Rotation = { change: { edits: [], change: "unchanged", warnings: [] }, updated: [], current: [], env: [], unchecked: [] };
  const clear = `${clientId}${SEPARATOR}${secret}`;
  const masters: Partial<Record<Generation, { master: string } | { problem: string }>> = {};

  for (const entry of serverEntries(model, env, properties)) {
    const written = fieldValue(model, entry.password);
    const username = fieldValue(model, entry.username);
    if (written === undefined || username === undefined) continue;
    const user = javaTrim(interpolate(username, env, properties).value);
    if (user !== CONNECTED_APP_USERNAME) {
      // Exchange takes only ~~~Client~~~ for a connected app: a copy in another case is left, but said.
      if (user.toLowerCase() === CONNECTED_APP_USERNAME.toLowerCase() && written.startsWith(`${clientId}${SEPARATOR}`)) {
        const line = lineColumn(text, entry.element.start).line;
        rotation.change.warnings.push(
          `server "${entry.shown ?? "(no id)"}" (line ${line}) holds this client ID, but its username is "${user}", which Exchange does not take for a connected app; it was not changed (write ~~~Client~~~ there, or run setup for it)`,
        );
      }
      continue;
    }
    const line = lineColumn(text, entry.element.start).line;
    const store = storeOf(written);
    const server = { id: entry.shown ?? null, line, store };
    const replace = (value: string) => {
      const element = entry.password!;
      const edit: Edit = element.selfClosing
        ? { offset: element.start, length: element.end - element.start, content: `<password>${escapeText(value)}</password>` }
        : { offset: element.openEnd, length: element.closeStart - element.openEnd, content: escapeText(value) };
      rotation.change.edits.push(edit);
      rotation.updated.push(server);
    };

    if (store === "literal") {
      if (split(written)?.id !== clientId) continue;
      if (written === clear) {
        rotation.current.push(server);
        continue;
      }
      refuseLiteral(clientId, secret, server);
      checkValue("password", clear);
      replace(clear);
    } else if (store === "env") {
      const parts = split(written);
      // Which app it is: the client ID part as Maven resolves it, or the whole value (`${env.PASSWORD}`).
      const idPart = parts && interpolate(parts.id, env, properties);
      const whole = interpolate(written, env, properties);
      const resolvedId = idPart && idPart.unresolved.length === 0 ? javaTrim(idPart.value) : whole.unresolved.length === 0 ? split(javaTrim(whole.value))?.id : undefined;
      if (resolvedId === undefined) {
        const unset = (idPart ?? whole).unresolved.map((n) => `\${${n}}`).join(", ");
        rotation.unchecked.push({ ...server, reason: `its client ID comes from ${unset}, not set here` });
        continue;
      }
      if (resolvedId !== clientId) continue;
      if (parts && references(parts.secret).length === 0) {
        // The client ID from a variable, the secret written as is: only the secret's text changes.
        if (parts.secret === secret) rotation.current.push(server);
        else {
          refuseLiteral(clientId, secret, server);
          const value = `${parts.id}${SEPARATOR}${secret}`;
          checkValue("password", value, { envReferences: true });
          replace(value);
        }
        continue;
      }
      const from = parts ? parts.secret : written;
      const names = envVariables(from);
      rotation.env.push({ ...server, variables: names.length > 0 ? names : references(from) });
    } else {
      const generation = generationOf(written);
      const master = (masters[generation] ??= (generation === 4 ? options.master4 : options.master)?.() ?? { problem: "no master password was given" });
      if ("problem" in master) {
        rotation.unchecked.push({ ...server, reason: `its password is encrypted: ${master.problem}` });
        continue;
      }
      const decrypted = decryptPassword(written, master.master, generation);
      if ("failure" in decrypted) {
        rotation.unchecked.push({ ...server, reason: decrypted.failure === "maven4" ? "its password is encrypted in Maven 4's format" : `its encrypted password does not decrypt with ${generation === 4 ? "Maven 4's" : "the"} master password` });
        continue;
      }
      if (split(decrypted.clear)?.id !== clientId) continue;
      if (decrypted.clear === clear) rotation.current.push(server);
      else replace(options.encrypt!(clear, master.master, generation));
    }
  }
  rotation.change.change = rotation.change.edits.length > 0 ? "updated" : "unchanged";
  // `~` and `?` in any store; braces and `${` also for the variables to update (literal copies were refused above).
  rotation.change.warnings.push(...passwordTraps(rotation.env.length > 0 ? "env" : "encrypted", clientId, secret).map((t) => t.message));
  return rotation;
}

/** A copy written as is cannot take a secret Maven would not read back as it is (braces, `${`). */
function refuseLiteral(clientId: string, secret: string, server: RotatedServer): void {
  const refused = passwordTraps("literal", clientId, secret).find((t) => t.refuse);
  if (!refused) return;
  throw new M2Error(Exit.usage, `server "${server.id}" (line ${server.line}) stores the password as is, and ${refused.message.replace(/, so it cannot be stored as is$/, "")}`, {
    line: server.line,
    hint: `Store it encrypted first: anypoint-m2 setup --server-id ${server.id} --store encrypted; then rotate again.`,
  });
}
