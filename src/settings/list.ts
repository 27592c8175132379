/** What `list` shows of each server: never a password, only how it is stored (and a connected app's client ID). */
import { SEPARATOR } from "../anypoint/credentials";
import { isEncrypted, type Env, type Properties } from "./interpolate";
import { fieldValue, readSettings, serverEntries } from "./model";

export type PasswordForm = "none" | "empty" | "literal" | "env" | "encrypted";

export interface ServerSummary {
  /** The id as Maven resolves it (`${…}` from its properties and the environment). */
  id: string | null;
  /** The id as written, when it holds `${…}`. */
  idAsWritten?: string;
  username: string | null;
  password: PasswordForm;
  /** Username `~~~Client~~~`: an Anypoint connected app. */
  connectedApp: boolean;
  /**
   * A connected app's client ID: what its password holds before the first `~?~`, as written (a `${env.X}`
   * reference is shown, never resolved); null when it has none.
   */
  clientId: string | null;
  line: number;
  /** An earlier server has the same id; Maven ignores this one. */
  shadowed: boolean;
}

export const CONNECTED_APP_USERNAME = "~~~Client~~~";

function passwordForm(value: string | undefined): PasswordForm {
  if (value === undefined) return "none";
  if (value === "") return "empty";
  if (isEncrypted(value) && !value.includes("${")) return "encrypted";
  if (value.includes("${")) return "env";
  return "literal";
}

/** The part before the first `~?~`; never anything after it. */
function clientIdOf(password: string | undefined): string | null {
  const at = password?.indexOf(SEPARATOR) ?? -1;
  return at > 0 ? password!.slice(0, at) : null;
}

export function listServers(text: string, env: Env = {}, properties: Properties = {}): ServerSummary[] {
  const model = readSettings(text);
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) lineStarts.push(i + 1);
  }
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const seen = new Set<string>();
  return serverEntries(model, env, properties).map((entry) => {
    const username = fieldValue(model, entry.username) ?? null;
    const password = fieldValue(model, entry.password);
    const shadowed = entry.id !== undefined && seen.has(entry.id);
    if (entry.id !== undefined) seen.add(entry.id);
    return {
      id: entry.id ?? null,
      ...(entry.written !== undefined ? { idAsWritten: entry.written } : {}),
      username,
      password: passwordForm(password),
      connectedApp: username === CONNECTED_APP_USERNAME,
      clientId: username === CONNECTED_APP_USERNAME ? clientIdOf(password) : null,
      line: lineOf(entry.element.start),
      shadowed,
    };
  });
}
