/** What `list` shows of each server: never a password, only how it is stored (and a connected app's client ID). */
import { CONNECTED_APP_USERNAME, SEPARATOR } from "../domain";
import { lineColumn } from "../errors";
import { type Env, type Properties } from "./interpolate";
import { fieldValue, readSettings, serverEntries, serversWithIds, type ServerEntry, type SettingsModel } from "./model";
import { decryptPassword, envVariables, generationOf, isMaven4Encrypted, missingReferences, storeOf } from "./stores";
import { describeExpiry, noteAt, tokenState, TOKEN_USERNAME, type TokenState } from "./token";

/** `token`: the token store's bearer token as is (username `~~~Token~~~`), where another would say literal. */
export type PasswordForm = "none" | "empty" | "literal" | "env" | "encrypted" | "token";

export interface ServerSummary {
  /**
   * The id as Maven resolves it (`${…}` from its properties and the environment); as written when a value from
   * the environment went into it, which is never shown.
   */
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
  /** env: the environment variables the password refers to, and those not set in this environment. */
  variables?: string[];
  unset?: string[];
  /**
   * encrypted: whether it decrypts with this machine's master password (false too when Maven fails on the
   * security file: it then sends the value as written); null when that cannot be told here (a security file
   * that cannot be read here, a value in Maven 4's format).
   */
  decrypts?: boolean | null;
  /** encrypted in Maven 4's format, which Maven 3 cannot decrypt: `decrypts` is then about Maven 4's master password. */
  maven4?: boolean;
  /** Username `~~~Token~~~`: the token store's expiry note (settings/token.ts), and what it means now. */
  token?: { expiresAt: string | null; state: TokenState };
}

export interface ListOptions {
  /** This machine's master password (from its settings-security.xml), when there is one. */
  master?: string;
  /** Maven 4's master password (its settings-security4.xml's source), for Maven 4 values, when there is one. */
  master4?: string;
  /** There is none because Maven fails on the security file too: encrypted passwords do not decrypt. */
  mavenFails?: boolean;
  /** What a token's expiry is judged against (ms since the epoch); now unless given. */
  now?: number;
}

/**
 * The store as Maven treats it: `${…}` is resolved first; any `{…}` is then taken for an encrypted value. A
 * token server's value as is is its token, not a literal `clientID~?~secret`.
 */
function passwordForm(value: string | undefined, username: string | null): PasswordForm {
  if (value === undefined) return "none";
  if (value === "") return "empty";
  const store = storeOf(value);
  return store === "literal" && username === TOKEN_USERNAME ? "token" : store;
}

/** What list can say of a stored password without showing it: its variables, or whether it decrypts here. */
function storeDetails(value: string | undefined, form: PasswordForm, env: Env, properties: Properties, { master, master4, mavenFails }: ListOptions): Partial<ServerSummary> & { clientIdInside?: string | null } {
  if (form === "env") {
    const unset = missingReferences(value!, env, properties).map((n) => (n.startsWith("env.") ? n.slice(4) : n));
    return { variables: envVariables(value!), ...(unset.length ? { unset } : {}) };
  }
  if (form !== "encrypted") return {};
  const generation = generationOf(value!);
  if (generation === 4 && master4 === undefined) return { decrypts: null, maven4: true };
  if (isMaven4Encrypted(value!) && generation === 3) return { decrypts: null, maven4: true };
  if (generation === 3 && master === undefined) return { decrypts: mavenFails ? false : null };
  const decrypted = decryptPassword(value!, generation === 4 ? master4! : master!, generation);
  const maven4 = generation === 4 ? { maven4: true } : {};
  // Decrypted here: the client ID (never what follows it) can be shown, as for a literal password.
  return "clear" in decrypted ? { decrypts: true, clientIdInside: clientIdOf(decrypted.clear), ...maven4 } : { decrypts: false, ...maven4 };
}

/** The part before the first `~?~`; never anything after it. */
function clientIdOf(password: string | undefined): string | null {
  const at = password?.indexOf(SEPARATOR) ?? -1;
  return at > 0 ? password!.slice(0, at) : null;
}

export function listServers(text: string, env: Env = {}, properties: Properties = {}, options: ListOptions = {}): ServerSummary[] {
  const model = readSettings(text);
  const seen = new Set<string>();
  return serverEntries(model, env, properties).map((entry) => {
    const shadowed = entry.id !== undefined && seen.has(entry.id);
    if (entry.id !== undefined) seen.add(entry.id);
    return summary(model, entry, shadowed, env, properties, options);
  });
}

/** The server Maven uses for each of these ids that has one (ids matched as Maven resolves them), in the order given. */
export function serversUsedFor(text: string, ids: readonly string[], env: Env = {}, properties: Properties = {}, options: ListOptions = {}): ServerSummary[] {
  const model = readSettings(text);
  const { matches } = serversWithIds(model, ids, env, properties);
  return [...matches.values()].flatMap((list) => (list[0] ? [summary(model, list[0], false, env, properties, options)] : []));
}

function summary(model: SettingsModel, entry: ServerEntry, shadowed: boolean, env: Env, properties: Properties, options: ListOptions): ServerSummary {
  const username = fieldValue(model, entry.username) ?? null;
  const password = fieldValue(model, entry.password);
  const form = passwordForm(password, username);
  const { clientIdInside, ...details } = storeDetails(password, form, env, properties, options);
  const connectedApp = username === CONNECTED_APP_USERNAME;
  return {
    id: entry.shown ?? null,
    ...(entry.written !== undefined ? { idAsWritten: entry.written } : {}),
    username,
    password: form,
    connectedApp,
    clientId: connectedApp ? (clientIdInside ?? clientIdOf(password)) : null,
    line: lineColumn(model.text, entry.element.start).line,
    shadowed,
    ...details,
    ...(username === TOKEN_USERNAME ? { token: tokenOf(model, entry, options.now ?? Date.now()) } : {}),
  };
}

function tokenOf(model: SettingsModel, entry: ServerEntry, now: number): NonNullable<ServerSummary["token"]> {
  const expiresAt = entry.password ? (noteAt(model.text, entry.password.end)?.expiresAt ?? null) : null;
  return { expiresAt, state: tokenState(expiresAt ?? undefined, now) };
}

/** What to warn about a stored token: expired, or expiring within EXPIRING_MINUTES (none for the others). */
export function tokenWarning(s: ServerSummary, now: number = Date.now()): string | undefined {
  if (!s.token || (s.token.state !== "expired" && s.token.state !== "expiring")) return undefined;
  return `the token of server "${s.id ?? "(no id)"}" (line ${s.line}) ${describeExpiry(s.token.expiresAt!, now)}: store a new one (anypoint-m2 setup --store token, or exec in CI)`;
}
