/** setup's change to settings.xml, as a pure function of the file's text: the servers, and the repositories when asked. */
import { CONNECTED_APP_USERNAME, SEPARATOR } from "../../domain";
import { Exit, M2Error } from "../../errors";
import type { Operation } from "../../io/edit";
import { mavenProperties } from "../../io/paths";
import { encrypt, encryptedPart } from "../../maven/cipher";
import { fieldValue, readSettings, serversWithIds } from "../../settings/model";
import { andRepositories, mergeRepositories } from "../../settings/repositories";
import { literalCopies, scrubMovedSecrets, upsertServers, type ChangeKind, type ServerInput } from "../../settings/servers";
import { decryptPassword, envPassword, envTraps, passwordTraps, sharedStore, storeOf } from "../../settings/stores";
import type { KeptStore } from "./storage";
import type { SettingsValues } from "../../io/trust";
import type { Io } from "../../world";
import type { Inputs } from "./inputs";

/** What one planning did to the server and to the repositories (the file's change covers both). */
export interface SetupReport {
  server: ChangeKind;
  repositories?: ChangeKind;
  /** No store was named, and the servers already share one other than literal: the run keeps it (index.ts). */
  kept?: NonNullable<KeptStore>;
}

/**
 * The change to the file, as a pure function of its text. Ids are matched as Maven will resolve them: from
 * the environment Maven runs in (not the env file) and its properties. One operation serves one set of
 * inputs: a new encrypted password is made once, here, so that every plan of it writes the same bytes.
 */
export function operation(inputs: Inputs, io: Io): Operation<SetupReport> {
  const { env, properties } = inputs.values;
  const clear = `${inputs.clientId}${SEPARATOR}${inputs.clientSecret}`;
  const encrypted = inputs.storage.store === "encrypted" ? encrypt(clear, inputs.storage.security!.master) : undefined;
  return (text) => {
    refuseTraps(inputs, io);
    const current = inputs.storage.store === "encrypted" ? currentPasswords(text, inputs.serverIds, inputs.values) : undefined;
    const ids = inputs.aliases ? inputs.serverIds.slice(0, 1) : inputs.serverIds;
    const aliases = inputs.aliases ? { aliases: inputs.serverIds.slice(1) } : {};
    const servers = ids.map((id) => ({ id, ...aliases, username: CONNECTED_APP_USERNAME, ...storedPassword(inputs, current?.get(id), encrypted) }));
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
    if (!inputs.withRepositories) return { ...change, report: server };
    const repositories = { serverIds: inputs.serverIds, exchangeUrl: inputs.exchange!.url };
    const both = andRepositories(text, change, (middle) => mergeRepositories(middle, repositories, env, properties));
    return { ...both, report: { ...server, repositories: both.repositories } };
  };
}

/**
 * The password as the chosen store writes it (the operation has refused, again, what Maven would not read back
 * as these credentials). An encrypted value already in the file (`current`) that decrypts to the same
 * credentials is kept, so that running setup again changes nothing; else `encrypted`, made for this run.
 */
function storedPassword(inputs: Inputs, current: string | undefined, encrypted: string | undefined): Pick<ServerInput, "password" | "envReferences"> {
  const { storage } = inputs;
  const clear = `${inputs.clientId}${SEPARATOR}${inputs.clientSecret}`;
  if (storage.store === "literal") return { password: clear };
  if (storage.store === "env") return { password: envPassword(storage.variables!.id, storage.variables!.secret), envReferences: true };
  const { master } = storage.security!;
  if (current !== undefined && storeOf(current) === "encrypted" && current === `{${encryptedPart(current)}}`) {
    const decrypted = decryptPassword(current, master);
    if ("clear" in decrypted && decrypted.clear === clear) return { password: current };
  }
  return { password: encrypted! };
}

/** The password each id's server has now (the one Maven uses), all found in one pass over the file. */
export function currentPasswords(text: string, ids: readonly string[], { env, properties }: SettingsValues): Map<string, string | undefined> {
  const model = readSettings(text);
  const { matches } = serversWithIds(model, ids, env, properties);
  return new Map([...matches].map(([id, list]) => [id, fieldValue(model, list[0]?.password)]));
}

/** The store's traps for these credentials (src/settings/stores.ts), as Maven will run: in this environment. */
export function traps(inputs: Inputs, io: Io) {
  const { store, variables } = inputs.storage;
  if (store === "env" && !inputs.clientId) return envTraps(variables!, io.env, mavenProperties(io));
  return passwordTraps(store, inputs.clientId, inputs.clientSecret, { env: io.env, properties: mavenProperties(io), variables });
}

export function refuseTraps(inputs: Inputs, io: Io): void {
  const refused = traps(inputs, io).find((t) => t.refuse);
  if (refused) throw new M2Error(Exit.usage, refused.message, { hint: refused.hint });
}
