/** setup's change to settings.xml, as a pure function of the file's text: the servers, and the repositories when asked. */
import { CONNECTED_APP_USERNAME, SEPARATOR } from "../../domain";
import { Exit, M2Error } from "../../errors";
import type { Operation } from "../../io/edit";
import { mavenProperties } from "../../io/paths";
import { encrypt, encryptedPart } from "../../maven/cipher";
import { encrypt4 } from "../../maven/cipher4";
import { fieldValue, readSettings, serversWithIds } from "../../settings/model";
import { andRepositories, mergeRepositories } from "../../settings/repositories";
import { literalCopies, scrubMovedSecrets, upsertServers, type ChangeKind, type ServerInput, type SettingsChange } from "../../settings/servers";
import { decryptPassword, envPassword, envTraps, generationOf, passwordTraps, sharedStore, storeOf, type StoredServer } from "../../settings/stores";
import { excludeFromMirrors, type MirrorIds } from "../../settings/exclude";
import type { MirrorTarget } from "../../settings/mirrors";
import type { Env, Properties } from "../../settings/interpolate";
import { facadeRegion } from "../../project/exchange";
import { applyEdits } from "../../xml/edit";
import { composeEdits } from "../../xml/compose";
import type { KeptStore } from "./storage";
import { tokenNote, TOKEN_USERNAME } from "../../settings/token";
import type { SettingsValues } from "../../io/trust";
import type { Io } from "../../world";
import type { Inputs } from "./inputs";
import { planRepositories, type ExchangeRepository } from "./repositories";
import type { PomRepository } from "../../project/pom";

/** What one planning did to the server and to the repositories (the file's change covers both). */
export interface SetupReport {
  server: ChangeKind;
  repositories?: ChangeKind;
  /** The Exchange repositories declared (each server id's, with the URL the pom gives it or the facade's). */
  declared?: ExchangeRepository[];
  /** No store was named, and the servers already share one other than literal: the run keeps it (index.ts). */
  kept?: NonNullable<KeptStore>;
  /** --exclude-from-mirrors: the mirrors `!id` went into, and those that name an id (left as they are). */
  mirrors?: { mirrors: MirrorIds[]; named: MirrorIds[] };
}

/** The project's pom, as --with-repositories reads it (repositories.ts pomRepositories). */
export interface PomRepositories {
  path: string | undefined;
  repositories: readonly PomRepository[];
}

/**
 * The change to the file, as a pure function of its text. Ids are matched as Maven will resolve them: from
 * the environment Maven runs in (not the env file) and its properties. One operation serves one set of
 * inputs: a new encrypted password is made once, here, so that every plan of it writes the same bytes.
 * `pom` gives the repositories their URLs (--with-repositories).
 */
export function operation(inputs: Inputs, io: Io, pom: PomRepositories = { path: undefined, repositories: [] }): Operation<SetupReport> {
  const { env, properties } = inputs.values;
  const clear = `${inputs.clientId}${SEPARATOR}${inputs.clientSecret}`;
  const security = inputs.storage.security;
  const encrypted = inputs.storage.store === "encrypted" ? (security!.generation === 4 ? encrypt4 : encrypt)(clear, security!.master) : undefined;
  return (text) => {
    refuseTraps(inputs, io);
    const current = inputs.storage.store === "encrypted" ? currentServers(text, inputs.serverIds, inputs.values) : undefined;
    const username = inputs.storage.store === "token" ? TOKEN_USERNAME : CONNECTED_APP_USERNAME;
    const ids = inputs.aliases ? inputs.serverIds.slice(0, 1) : inputs.serverIds;
    const aliases = inputs.aliases ? { aliases: inputs.serverIds.slice(1) } : {};
    const servers = ids.map((id) => ({ id, ...aliases, username, ...storedPassword(inputs, current?.get(id)?.password, encrypted) }));
    const upserted = upsertServers(text, servers, inputs.onExisting ?? "update", env, properties, { onlyConnectedApp: inputs.onExisting === undefined });
    // Moving the secret out of the file: the backup does not keep it either (scrubMovedSecrets says why).
    const updatedIds = new Set(upserted.servers.filter((r) => r.change === "updated").map((r) => r.id));
    const scrub = inputs.storage.store === "literal" ? [] : scrubMovedSecrets(text, servers.filter((s) => updatedIds.has(s.id)), env, properties);
    const copies = inputs.storage.store === "literal" ? [] : literalCopies(text, clear, inputs.serverIds, env, properties);
    const left = copies.map((c) =>
      c.shadowed
        ? `a second server "${c.id}" (line ${c.line}), which Maven ignores (the first with an id wins), still holds this secret as written, in this file and its backup: delete it from the file`
        : `server "${c.id}" (line ${c.line}) still holds this secret as written, in this file and its backup: run setup with --server-id ${c.id} and --store ${inputs.storage.store} to move it out too`,
    );
    const change = { ...upserted, warnings: [...upserted.warnings, ...left], ...(scrub.length > 0 ? { scrub } : {}) };
    const kept = inputs.storage.named ? undefined : sharedStore(upserted.servers.map((s) => s.previous));
    const server = { server: change.change, ...(kept ? { kept } : {}) };
    const first = withRepositories(text, inputs, change, server, pom);
    return inputs.mirrorTargets ? andMirrors(text, first, inputs.mirrorTargets, env, properties) : first;
  };
}

/** The servers' change, and the repositories when asked (--with-repositories), each id with the pom's URL for it. */
function withRepositories(text: string, inputs: Inputs, change: SettingsChange, server: SetupReport, pom: PomRepositories): SettingsChange & { report: SetupReport } {
  const { env, properties } = inputs.values;
  if (!inputs.withRepositories) return { ...change, report: server };
  const plan = planRepositories(inputs.serverIds, inputs.exchange!.url, pom.repositories, pom.path);
  const declared = { ...server, declared: plan.repositories };
  if (plan.repositories.length === 0) return { ...change, warnings: [...change.warnings, ...plan.warnings], report: { ...declared, repositories: "unchanged" } };
  const urls = Object.fromEntries(plan.repositories.map((r) => [r.id, r.url]));
  const repositories = { serverIds: plan.repositories.map((r) => r.id), exchangeUrl: inputs.exchange!.url, urls };
  const both = andRepositories(text, change, (middle) => mergeRepositories(middle, repositories, env, properties));
  return { ...both, warnings: [...both.warnings, ...plan.warnings], report: { ...declared, repositories: both.repositories } };
}

/** The change, then `!id` in each mirror that would take an id (--exclude-from-mirrors), as one change. */
function andMirrors(text: string, first: SettingsChange & { report: SetupReport }, targets: readonly MirrorTarget[], env: Env, properties: Properties): SettingsChange & { report: SetupReport } {
  // A mirror that is itself Exchange serves the id with its own server: it stays.
  const second = excludeFromMirrors(first.edits.length > 0 ? applyEdits(text, first.edits) : text, targets, env, properties, (m) => facadeRegion(m.url!) !== undefined);
  const change = first.change !== "unchanged" || second.edits.length === 0 ? first.change : "updated";
  return {
    ...first,
    edits: composeEdits(text, first.edits, second.edits),
    change,
    warnings: [...first.warnings, ...second.warnings],
    report: { ...first.report, mirrors: { mirrors: second.mirrors, named: second.named } },
  };
}

/**
 * The password as the chosen store writes it (the operation has refused, again, what Maven would not read back
 * as these credentials). An encrypted value already in the file (`current`) that decrypts to the same
 * credentials is kept, so that running setup again changes nothing; else `encrypted`, made for this run.
 */
function storedPassword(inputs: Inputs, current: string | undefined, encrypted: string | undefined): Pick<ServerInput, "password" | "envReferences" | "note"> {
  const { storage } = inputs;
  const clear = `${inputs.clientId}${SEPARATOR}${inputs.clientSecret}`;
  if (storage.store === "literal") return { password: clear };
  // Before the check there is no token yet: the plan finds the file's problems; the run plans again with it.
  if (storage.store === "token") return { password: inputs.token?.value ?? "token", ...(inputs.token?.expiresAt ? { note: tokenNote(inputs.token.expiresAt) } : {}) };
  if (storage.store === "env") return { password: envPassword(storage.variables!.id, storage.variables!.secret), envReferences: true };
  const { master, generation = 3 } = storage.security!;
  if (current !== undefined && storeOf(current) === "encrypted" && current === `{${encryptedPart(current)}}` && generationOf(current) === generation) {
    const decrypted = decryptPassword(current, master, generation);
    if ("clear" in decrypted && decrypted.clear === clear) return { password: current };
  }
  return { password: encrypted! };
}

/** The username and password each id's server has now (the one Maven uses), all found in one pass over the file. */
export function currentServers(text: string, ids: readonly string[], { env, properties }: SettingsValues): Map<string, StoredServer> {
  const model = readSettings(text);
  const { matches } = serversWithIds(model, ids, env, properties);
  return new Map([...matches].map(([id, list]) => [id, { username: fieldValue(model, list[0]?.username), password: fieldValue(model, list[0]?.password) }]));
}

/** The store's traps for these credentials (src/settings/stores.ts), as Maven will run: in this environment. */
export function traps(inputs: Inputs, io: Io) {
  const { store, variables } = inputs.storage;
  if (store === "token") return [];
  if (store === "env" && !inputs.clientId) return envTraps(variables!, io.env, mavenProperties(io));
  return passwordTraps(store, inputs.clientId, inputs.clientSecret, { env: io.env, properties: mavenProperties(io), variables });
}

export function refuseTraps(inputs: Inputs, io: Io): void {
  const refused = traps(inputs, io).find((t) => t.refuse);
  if (refused) throw new M2Error(Exit.usage, refused.message, { hint: refused.hint });
}
