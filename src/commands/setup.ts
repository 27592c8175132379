/**
 * setup as the pipeline it is: settle the inputs (flags, environment, env file, wizard), plan the change,
 * check the credentials, preview and confirm, then write under the lock. Each step is a plain function.
 */
import { isUtf8 } from "node:buffer";
import { gatherCredentials, requireCredentials } from "../anypoint/credentials";
import { resolveBaseUrl, type EndpointChoice, type Region } from "../anypoint/endpoint";
import { checkOrgId, isOrgId, type ExchangeMaven } from "../anypoint/exchange";
import type { Identity } from "../anypoint/token";
import { Exit, M2Error } from "../errors";
import { outcomeOf, planEdit, readSettingsText, writePlan, type EditOutcome, type Plan } from "../io/edit";
import { loadEnvironment } from "../io/envfile";
import { mavenProperties, settingsPath } from "../io/paths";
import { refuseTargetChosenByProject } from "../io/trust";
import { createSecurityFile, readMaster, refuseProjectMaster, securityFileExists, securityLocation } from "../io/security";
import { encrypt, encryptedPart } from "../maven/cipher";
import { securityXml } from "../maven/security";
import { listServers, serversUsedFor } from "../settings/list";
import { fieldValue, readSettings, serversWithIds } from "../settings/model";
import { andRepositories, mergeRepositories, PROFILE_ID } from "../settings/repositories";
import { scrubMovedSecrets, upsertServers, type ChangeKind, type OnExisting, type ServerInput, type SettingsChange } from "../settings/servers";
import { decryptPassword, envPassword, envTraps, passwordTraps, storeOf, type Store } from "../settings/stores";
import { checkEnvName } from "../settings/value";
import { facadeHost, regionOfHost } from "../project/exchange";
import { findPom, impliedRegion, loadPom, pomExchange } from "../project/load";
import type { PomRepository } from "../project/pom";
import { describeIdentity, prepareCheck, type Check, type ConnectionArgs } from "./check";
import type { Io } from "../world";
import { announceEnvFile, debug, done, reportEdit, type OutputArgs } from "./output";
import { derivedWarning, exchangeFor, publishing, repositoriesByDefault, repositoryLines, type RepositoryArgs } from "./repositories";
import { refuseStdoutOntoSettings } from "./stdout";
import { CLIENT_ID_ENV, CLIENT_SECRET_ENV, CONNECTED_APP_USERNAME, DEFAULT_SERVER_ID, SEPARATOR } from "../domain";

export interface SetupArgs extends ConnectionArgs, OutputArgs, RepositoryArgs {
  clientId?: string;
  clientSecret?: string;
  clientSecretStdin?: boolean;
  /** Every --server-id given, each once. */
  serverId?: string[];
  /** Take the server ids of the pom's Exchange repositories. */
  fromPom?: boolean;
  pom?: string;
  settings?: string;
  onExisting?: OnExisting;
  verify: boolean;
  envFile?: string | false;
  dryRun?: boolean;
  stdout?: boolean;
  lockTimeout: number;
  yes?: boolean;
  nonInteractive?: boolean;
  store?: Store;
  idEnv?: string;
  secretEnv?: string;
  securityFile?: string;
  mavenReadsSecurityFile?: boolean;
}

type Wizard = typeof import("../wizard/wizard");

/** Everything setup needs to know before it plans: settled once, by flags, environment or wizard. */
interface Inputs {
  env: Record<string, string | undefined>;
  clientId: string;
  clientSecret: string;
  /** The servers to write, each with the same credentials, in one change. */
  serverIds: string[];
  /** The ids came from the pom (so the pom already names them). */
  fromPom: boolean;
  /** undefined: update a connected-app entry, refuse to replace anyone else's credentials. */
  onExisting: OnExisting | undefined;
  check: Check | undefined;
  wizard: Wizard | undefined;
  warnings: string[];
  /** Add the Exchange and MuleSoft repositories too (--with-repositories, or the wizard's answer). */
  withRepositories: boolean;
  /** --org-id, checked. */
  orgId: string | undefined;
  /** The id the publish snippet names: the pom's distributionManagement id among serverIds, else the first. */
  publishId: string;
  /** The Exchange Maven facade, when the repositories or a publish URL need it. */
  exchange: ExchangeMaven | undefined;
  /** What the last planning did to the server and to the repositories (the file's change covers both). */
  parts: { server?: ChangeKind; repositories?: ChangeKind };
  storage: Storage;
}

/** How the password is written (src/settings/stores.ts), settled with the other inputs. */
interface Storage {
  store: Store;
  /** env: the variables Maven reads the credentials from when it runs. */
  variables?: { id: string; secret: string };
  /**
   * encrypted: the master password and the security file it comes from (after relocations); `create`: the
   * content of a new security file the wizard made, written once the change is confirmed.
   */
  security?: { path: string; file: string; master: string; create?: string };
  /** Values encrypted so far, by clear text: every plan of one run writes the same bytes. */
  encrypted: Map<string, string>;
}

/** Prompts only in a terminal, outside CI, and when not told otherwise. */
function canPrompt(io: Io, args: SetupArgs): boolean {
  // The flags first: looking at the terminal builds stream objects, which costs a --yes run start-up time.
  return !args.yes && !args.nonInteractive && !args.json && !args.stdout && !io.env.CI && io.terminal;
}

export async function setup(args: SetupArgs, io: Io): Promise<void> {
  if (args.stdout && (args.json || args.dryRun)) throw new M2Error(Exit.usage, "--stdout prints the settings file; it goes with neither --json nor --dry-run");
  const path = settingsPath(args, io);
  refuseStdoutOntoSettings(io, path, "setup");
  if (!args.dryRun && !args.stdout) refuseTargetChosenByProject(args, io, path);
  const inputs = await settleInputs(args, io, path);
  debug(io, `settings: ${path}; server ids: ${inputs.serverIds.join(", ")}; control plane: ${inputs.check ? inputs.check.base.origin : "not checked (--no-verify)"}`);

  // The file's problems come before the network: plan first, then check, then plan again if the wizard
  // corrected the credentials meanwhile.
  let plan = planEdit(io.fs, path, operation(inputs, io), true);
  const empty = plan.file.bytes !== undefined && outcomeOf(plan).before.trim() === "";
  if (empty && args.stdout) {
    // `--stdout | tee settings.xml` empties the file before it is read: the result would drop everything.
    throw new M2Error(Exit.unsafe, `${path} is empty, so --stdout would print a new file from the template`, {
      hint: "If its content was piped back into it (| tee, or a redirect in another command), that emptied it first: restore it (perhaps from its .bak) and print to another file.",
    });
  }
  if (empty) inputs.warnings.push(`${path} was empty (Maven cannot read such a file); it is filled from the template (an existing .bak is left as it is)`);
  let identity: Identity | undefined;
  // A server kept as it was (--on-existing keep, or "no" in the wizard) gets nothing written: nothing to prove.
  const kept = inputs.onExisting === "keep" && inputs.parts.server === "unchanged" && plan.file.bytes !== undefined;
  if (inputs.check && !kept) {
    const checked = await checkCredentials(io, inputs, plan);
    identity = checked.identity;
    if (checked.clientId !== inputs.clientId || checked.clientSecret !== inputs.clientSecret) {
      Object.assign(inputs, { clientId: checked.clientId, clientSecret: checked.clientSecret });
      plan = planEdit(io.fs, path, operation(inputs, io), true);
    }
  }
  if (inputs.wizard) await confirm(io, inputs, plan, Boolean(args.dryRun));
  if (!args.dryRun && !args.stdout) writeNewSecurityFile(io, inputs.storage, Boolean(args.quiet));
  const outcome = args.dryRun || args.stdout ? outcomeOf(plan) : await writePlan(io.fs, plan, operation(inputs, io), args.lockTimeout * 1000);
  await print(args, io, inputs, outcome, identity, kept);
}

/** The organisation's publish URL and pom block: for --org-id, else the organisation the check reported. */
function publishTarget(args: SetupArgs, io: Io, inputs: Inputs, identity: Identity | undefined) {
  // What Anypoint reported is used only when it is an organization ID.
  const orgId = inputs.orgId ?? (identity?.orgId && isOrgId(identity.orgId) ? identity.orgId : undefined);
  if (orgId === undefined) return undefined;
  let exchange = inputs.exchange;
  try {
    exchange ??= exchangeFor(inputs.check?.base ?? resolveBaseUrl(args, inputs.env), args, inputs.env);
  } catch (e) {
    // Only for an organisation nobody asked about: a control plane whose facade is not known prints no URL.
    debug(io, `no publish URL: ${(e as Error).message}`);
    return undefined;
  }
  return publishing(exchange, inputs.publishId, orgId);
}

/**
 * The change to the file, as a pure function of its text. Ids are matched as Maven will resolve them: from
 * the environment Maven runs in (not the env file) and its properties.
 */
function operation(inputs: Inputs, io: Io): (text: string) => SettingsChange {
  const properties = mavenProperties(io);
  return (text) => {
    refuseTraps(inputs, io);
    const current = inputs.storage.store === "encrypted" ? currentPasswords(text, inputs.serverIds, io) : undefined;
    const servers = inputs.serverIds.map((id) => ({ id, username: CONNECTED_APP_USERNAME, ...storedPassword(inputs, current?.get(id)) }));
    const upserted = upsertServers(text, servers, inputs.onExisting ?? "update", io.env, properties, { onlyConnectedApp: inputs.onExisting === undefined });
    // Moving the secret out of the file: the backup does not keep it either (scrubMovedSecrets says why).
    const updatedIds = new Set(upserted.servers.filter((r) => r.change === "updated").map((r) => r.id));
    const scrub = inputs.storage.store === "literal" ? [] : scrubMovedSecrets(text, servers.filter((s) => updatedIds.has(s.id)), io.env, properties);
    const change = scrub.length > 0 ? { ...upserted, scrub } : upserted;
    inputs.parts.server = change.change;
    if (!inputs.withRepositories) return change;
    const repositories = { serverIds: inputs.serverIds, exchangeUrl: inputs.exchange!.url };
    const both = andRepositories(text, change, (middle) => mergeRepositories(middle, repositories, io.env, properties));
    inputs.parts.repositories = both.repositories;
    return both;
  };
}

/** The project's pom, when setup is to take ids from it: its Exchange repositories and what to tell the user. */
interface Project {
  path: string | undefined;
  repositories: PomRepository[];
  warnings: string[];
}

/**
 * Reads the pom for --from-pom (which needs one) or to offer its ids in the wizard. A pom that cannot be read,
 * or an Exchange repository it cannot resolve, is reported, not fatal.
 */
function readProject(args: SetupArgs, io: Io, required: boolean): Project {
  const path = findPom(io, args.pom);
  if (!path) {
    if (!required) return { path, repositories: [], warnings: [] };
    throw new M2Error(Exit.usage, `--from-pom: there is no pom.xml in ${io.cwd}`, { hint: "Run it in the project's folder, or pass --pom PATH." });
  }
  const pom = loadPom(io, path);
  const warnings = pom.error
    ? [`${path}${pom.error.details.line ? `:${pom.error.details.line}` : ""}: the pom cannot be read (${pom.error.message}); its repository ids are not used`]
    : pom.report!.problems.map((p) => `${path}:${p.line}: ${p.message}`);
  // An id the pom takes from the environment is written as a server id only when --server-id names it.
  const named = new Set(args.serverId ?? []);
  const all = pomExchange(pom);
  const fromEnv = all.filter((r) => r.idFromEnv && !named.has(r.id!));
  if (fromEnv.length > 0 && required) throw idFromEnvironment(fromEnv, path);
  if (fromEnv.length > 0) warnings.push(`${path}:${fromEnv[0]!.line}: ${idsFromEnvironment(fromEnv)}; not offered as a server id (give it with --server-id)`);
  const repositories = fromEnv.length > 0 ? all.filter((r) => !fromEnv.includes(r)) : all;
  if (!pom.error && all.length === 0) warnings.push(`${path} declares no Exchange repository (a parent pom may)`);
  return { path, repositories, warnings };
}

/** The pom's Exchange repositories whose ids take a value from the environment, as written (never the value). */
function idsFromEnvironment(repositories: PomRepository[]): string {
  const listed = repositories.slice(0, 3).map((r) => `${r.shown} (line ${r.line})`);
  const more = repositories.length - listed.length;
  return `the Exchange repository id${repositories.length > 1 ? "s" : ""} ${listed.join(", ")}${more > 0 ? ` and ${more} more` : ""} take${repositories.length > 1 ? "" : "s"} a value from the environment`;
}

/**
 * --from-pom refuses an id that comes from an environment variable: the variable's value (perhaps a secret,
 * as in ex-${env.ANYPOINT_CLIENT_SECRET}) would be written into settings.xml and printed.
 */
function idFromEnvironment(repositories: PomRepository[], path: string): M2Error {
  return new M2Error(Exit.usage, `${idsFromEnvironment(repositories)}: setup does not write an environment variable's value into settings.xml as a server id`, {
    file: path,
    line: repositories[0]!.line,
    hint: "Give the id Maven resolves it to with --server-id, or write the id in the pom as it is.",
  });
}

/** Where a pom uses the id: "repositories, distributionManagement". */
function sectionsOf(repositories: PomRepository[]): Map<string, string> {
  const sections = new Map<string, Set<string>>();
  for (const r of repositories) {
    const list = sections.get(r.id!) ?? sections.set(r.id!, new Set()).get(r.id!)!;
    list.add(r.section.replace(/^distributionManagement\..*/, "distributionManagement"));
  }
  return new Map([...sections].map(([id, list]) => [id, [...list].join(", ")]));
}

/**
 * The control plane the chosen pom ids imply, used when nothing else says where Anypoint is; a region
 * given that differs is a usage error. A host or URL that is no region's (a private endpoint) is not compared.
 */
function applyImpliedRegion(project: Project, ids: string[], endpoint: EndpointChoice, env: Record<string, string | undefined>, verify: boolean, notes: string[]): void {
  const chosen = new Set(ids);
  const used = project.repositories.filter((r) => chosen.has(r.id!));
  const implied = impliedRegion(used, project.path!);
  if (!implied) return;
  const given = endpoint.region !== undefined || endpoint.host !== undefined || endpoint.baseUrl !== undefined || env.ANYPOINT_HOST || env.ANYPOINT_BASE_URL;
  if (!given) {
    endpoint.region = implied;
    if (verify) notes.push(`Control plane: ${implied}, as the pom's Exchange repositories are on ${facadeHost(implied)}.`);
    return;
  }
  const named = regionOfHost(resolveBaseUrl(endpoint, env).host);
  if (named !== undefined && named !== implied) {
    throw new M2Error(Exit.usage, `the pom's Exchange repositories (${[...new Set(used.map((r) => r.shown))].join(", ")}) are on ${facadeHost(implied)}, the ${implied} control plane, but ${endpoint.region !== undefined ? "--region" : "the control plane given"} says ${named}`, {
      file: project.path,
      hint: `Leave out --region to use ${implied}, or give the --server-id values of the ${named} control plane.`,
    });
  }
}

/**
 * The password as the chosen store writes it (the operation has refused, again, what Maven would not read back
 * as these credentials: the wizard may have corrected them). An encrypted value already in the file (`current`)
 * that decrypts to the same credentials is kept, so that running setup again changes nothing.
 */
function storedPassword(inputs: Inputs, current: string | undefined): Pick<ServerInput, "password" | "envReferences"> {
  const { storage } = inputs;
  const clear = `${inputs.clientId}${SEPARATOR}${inputs.clientSecret}`;
  if (storage.store === "literal") return { password: clear };
  if (storage.store === "env") return { password: envPassword(storage.variables!.id, storage.variables!.secret), envReferences: true };
  const { master } = storage.security!;
  if (current !== undefined && storeOf(current) === "encrypted" && current === `{${encryptedPart(current)}}`) {
    const decrypted = decryptPassword(current, master);
    if ("clear" in decrypted && decrypted.clear === clear) return { password: current };
  }
  let value = storage.encrypted.get(clear);
  if (value === undefined) storage.encrypted.set(clear, (value = encrypt(clear, master)));
  return { password: value };
}

/** The password each id's server has now (the one Maven uses), all found in one pass over the file. */
function currentPasswords(text: string, ids: readonly string[], io: Io): Map<string, string | undefined> {
  const model = readSettings(text);
  const { matches } = serversWithIds(model, ids, io.env, mavenProperties(io));
  return new Map([...matches].map(([id, list]) => [id, fieldValue(model, list[0]?.password)]));
}

/** The store's traps for these credentials (src/settings/stores.ts), as Maven will run: in this environment. */
function traps(inputs: Inputs, io: Io) {
  const { store, variables } = inputs.storage;
  if (store === "env" && !inputs.clientId) return envTraps(variables!, io.env, mavenProperties(io));
  return passwordTraps(store, inputs.clientId, inputs.clientSecret, { env: io.env, properties: mavenProperties(io), variables });
}

function refuseTraps(inputs: Inputs, io: Io): void {
  const refused = traps(inputs, io).find((t) => t.refuse);
  if (refused) throw new M2Error(Exit.usage, refused.message, { hint: refused.hint });
}

/**
 * --store, --id-env, --secret-env and --security-file; the wizard asks for the store when none was given.
 * The variable names imply the env store, a security file the encrypted one. For the encrypted store the
 * master password is read now, before any question or request; when there is no security file, the wizard
 * offers to create one, and anywhere else that is a usage error naming how to make one.
 */
async function settleStorage(args: SetupArgs, io: Io, wizard: Wizard | undefined): Promise<Storage> {
  const implied: Store | undefined = args.idEnv !== undefined || args.secretEnv !== undefined ? "env" : args.securityFile !== undefined ? "encrypted" : undefined;
  for (const [option, given, belongs] of [["--id-env", args.idEnv, "env"], ["--secret-env", args.secretEnv, "env"], ["--security-file", args.securityFile, "encrypted"], ["--maven-reads-security-file", args.mavenReadsSecurityFile || undefined, "encrypted"]] as const) {
    if (given !== undefined && (args.store ?? implied) !== belongs) {
      throw new M2Error(Exit.usage, `${option} goes with --store ${belongs}, not --store ${args.store ?? implied}`);
    }
  }
  if (args.idEnv !== undefined) checkEnvName("--id-env", args.idEnv);
  if (args.secretEnv !== undefined) checkEnvName("--secret-env", args.secretEnv);
  const store = args.store ?? implied ?? (wizard ? await wizard.askStore() : "literal");
  const storage: Storage = { store, encrypted: new Map() };
  if (store === "env") storage.variables = { id: args.idEnv ?? CLIENT_ID_ENV, secret: args.secretEnv ?? CLIENT_SECRET_ENV };
  if (store === "encrypted") {
    const location = securityLocation(args, io);
    refuseProjectMaster(location);
    const purpose = "--store encrypted needs Maven's master password";
    // Only where Maven reads one file: the wizard never makes a security file Maven would not read.
    if (wizard && !location.unusable && !securityFileExists(io.fs, location.path)) {
      const master = await wizard.askNewMaster(location.path);
      storage.security = { path: location.path, file: location.path, master, create: securityXml(master) };
    } else {
      storage.security = readMaster(location, io, purpose);
    }
  }
  return storage;
}

/** The security file the wizard made, written once the change is confirmed and before settings.xml is. */
function writeNewSecurityFile(io: Io, storage: Storage, quiet: boolean): void {
  const security = storage.security;
  if (!security?.create) return;
  createSecurityFile(io.fs, security.path, security.create);
  if (!quiet) io.stderr(`Created ${security.path} (mode 600): it holds your master password, encrypted as Maven does it; Maven reads it to decrypt the password.`);
  security.create = undefined;
}

/** Flags, stdin, environment and env file first; the wizard asks only for what is still missing. */
async function settleInputs(args: SetupArgs, io: Io, path: string): Promise<Inputs> {
  const loaded = await loadEnvironment(io.fs, io.env, args.envFile, io.cwd);
  const { env, file: envFile } = loaded;
  announceEnvFile(io, args, loaded);
  const found = gatherCredentials({
    clientId: args.clientId,
    clientSecret: args.clientSecret,
    stdinSecret: args.clientSecretStdin ? await readSecretFromStdin(io) : undefined,
    env,
    envFile,
  });
  const endpoint: EndpointChoice = { region: args.region, host: args.host, baseUrl: args.baseUrl };
  let serverIds = [...(args.serverId ?? [])];
  let onExisting = args.onExisting;
  let withRepositories = args.withRepositories;
  const wizard = canPrompt(io, args) ? await import("../wizard/wizard") : undefined;
  const notes: string[] = [];
  // --pom names the pom to take ids from: outside the wizard it means --from-pom.
  const fromPom = Boolean(args.fromPom) || (args.pom !== undefined && !wizard);
  const project = fromPom || wizard ? readProject(args, io, fromPom) : undefined;
  const projectWarnings = project?.warnings ?? [];
  const pomIds = [...new Set(project?.repositories.map((r) => r.id!) ?? [])];
  if (fromPom) {
    serverIds = [...new Set([...serverIds, ...pomIds])];
    if (pomIds.length === 0) projectWarnings.push(`no server id from the pom: ${serverIds.length > 0 ? "using the --server-id given" : `using the default, ${DEFAULT_SERVER_ID}`}`);
  }

  if (wizard) {
    const servers = readSettingsText(io.fs, path, (text) => listServers(text, io.env, mavenProperties(io))).value ?? [];
    for (const w of projectWarnings.splice(0)) io.stderr(`warning: ${w}`);
    const endpointKnown = endpoint.region !== undefined || endpoint.host !== undefined || endpoint.baseUrl !== undefined || env.ANYPOINT_HOST || env.ANYPOINT_BASE_URL;
    // The pom's repositories say which control plane, unless they disagree (then the question decides).
    let implied: Region | undefined;
    try {
      implied = impliedRegion(project!.repositories, project!.path ?? "");
    } catch {
      implied = undefined;
    }
    if (args.verify && !endpointKnown && implied) {
      endpoint.region = implied;
      io.stderr(`Control plane: ${implied}, as the pom's Exchange repositories are on ${facadeHost(implied)}.`);
    } else if (args.verify && !endpointKnown) endpoint.region = await wizard.askRegion();
    found.clientId ??= await wizard.askClientId();
    found.clientSecret ??= await wizard.askSecret();
    if (serverIds.length === 0 && pomIds.length > 0) {
      const sections = sectionsOf(project!.repositories);
      serverIds = await wizard.askServerIds(pomIds.map((id) => ({ id, where: sections.get(id)! })), project!.path!);
    }
    if (serverIds.length === 0) serverIds = [await wizard.askServerId(servers, DEFAULT_SERVER_ID)];
    // Matched as Maven resolves ids (a server written <id>${env.X}</id> is the one X names).
    const existing = readSettingsText(io.fs, path, (text) => serversUsedFor(text, serverIds, io.env, mavenProperties(io))).value ?? [];
    if (existing.length > 0 && onExisting === undefined) onExisting = (await (existing.length === 1 ? wizard.askUpdate(existing[0]!) : wizard.askUpdateAll(existing))) ? "update" : "keep";
  }
  if (serverIds.length === 0) serverIds = [DEFAULT_SERVER_ID];
  if (project?.path && (fromPom || wizard)) applyImpliedRegion(project, serverIds, endpoint, env, args.verify, notes);
  if (!args.quiet) for (const note of notes) io.stderr(note);

  const storage = await settleStorage(args, io, wizard);
  if (wizard && withRepositories === undefined) {
    const endpointKnown = endpoint.region !== undefined || endpoint.host !== undefined || endpoint.baseUrl !== undefined || env.ANYPOINT_HOST || env.ANYPOINT_BASE_URL;
    // Offered only where the Exchange Maven URL can be told (a private control plane needs --exchange-url),
    // so that a "yes" never ends the wizard in an error after every question was answered.
    let known = true;
    if (endpointKnown) {
      try {
        exchangeFor(resolveBaseUrl(endpoint, env), args, env);
      } catch {
        known = false;
      }
    }
    if (known) {
      // Yes by default unless the settings or the pom already declare a repository with one of the ids.
      withRepositories = await wizard.askRepositories(serverIds.every((id) => repositoriesByDefault(io, path, id)));
      // The Exchange repository is the region's: asked now when the credential check did not ask it.
      if (withRepositories && !endpointKnown) endpoint.region = await wizard.askRegion();
    } else if (!args.quiet) {
      io.stderr("The Exchange repositories are not offered: this control plane's Exchange Maven URL is not known (pass --exchange-url to add them).");
    }
  }
  const check = args.verify ? prepareCheck({ ...endpoint, timeout: args.timeout, settings: args.settings, quiet: args.quiet }, io, env) : undefined;
  // The env store writes only references: without a check, an image build needs no credentials at all.
  const { clientId, clientSecret, warnings } =
    storage.store === "env" && !args.verify && (!found.clientId || !found.clientSecret)
      ? { clientId: "", clientSecret: "", warnings: found.warnings }
      : requireCredentials(found);
  const orgId = args.orgId === undefined ? undefined : checkOrgId(args.orgId);
  const pomIdSet = new Set(pomIds);
  const chosenIds = new Set(serverIds);
  // Resolved before any work when asked for, so that an unknown facade is a usage error at once.
  const exchange = withRepositories || orgId !== undefined ? exchangeFor(check?.base ?? resolveBaseUrl(endpoint, env), args, env) : undefined;
  if (exchange && withRepositories) warnings.push(...derivedWarning(exchange));
  const inputs: Inputs = {
    env,
    clientId,
    clientSecret,
    serverIds,
    fromPom: serverIds.every((id) => pomIdSet.has(id)),
    publishId: project?.repositories.find((r) => r.section.startsWith("distributionManagement") && chosenIds.has(r.id!))?.id ?? serverIds[0]!,
    onExisting,
    check,
    wizard,
    warnings: [...projectWarnings, ...warnings],
    withRepositories: withRepositories ?? false,
    orgId,
    exchange,
    parts: {},
    storage,
  };
  refuseTraps(inputs, io);
  return inputs;
}

/** Far above any client secret; what a runaway pipe (`yes |`) sends is refused, not kept in memory. */
const MAX_STDIN_SECRET = 64 * 1024;

/** The secret piped in: refused from a terminal (it would echo as typed) and when it is not valid UTF-8. */
export async function readSecretFromStdin(io: Io): Promise<string> {
  if (io.stdinTerminal) {
    throw new M2Error(Exit.usage, "--client-secret-stdin reads a piped secret, but standard input is a terminal, where the secret would show as you type it", {
      hint: "Pipe the secret in (printf %s \"$SECRET\" | anypoint-m2 setup ... --client-secret-stdin), or leave the flag out to be asked for it hidden.",
    });
  }
  const bytes = await io.readStdin(MAX_STDIN_SECRET);
  if (bytes === undefined) {
    throw new M2Error(Exit.usage, `more than ${MAX_STDIN_SECRET / 1024} KiB came on stdin for --client-secret-stdin; a client secret is a short line`, {
      hint: "Pipe only the secret.",
    });
  }
  if (!isUtf8(bytes)) {
    throw new M2Error(Exit.usage, "the client secret read from stdin is not valid UTF-8", { hint: "Pipe the secret as UTF-8 text." });
  }
  return Buffer.from(bytes).toString("utf8");
}

/**
 * The token request. In the wizard a progress line shows, and a rejection offers to correct the client ID
 * and asks the secret again (three tries in all); anywhere else a rejection ends the run with exit 3.
 */
async function checkCredentials(io: Io, inputs: Inputs, plan: Plan): Promise<{ identity: Identity; clientId: string; clientSecret: string }> {
  const { check, wizard } = inputs;
  let { clientId, clientSecret } = inputs;
  for (let attempt = 1; ; attempt++) {
    if (wizard) io.stderr(`Checking the credentials with ${check!.base.host}…`);
    try {
      const identity = await check!.run(clientId, clientSecret, plan.result.text, plan.path);
      const who = describeIdentity(identity);
      if (wizard) io.stderr(done(io, `Anypoint accepted the credentials${who ? ` of ${who}` : ""}.`));
      return { identity, clientId, clientSecret };
    } catch (e) {
      if (!wizard || !(e instanceof M2Error) || e.exitCode !== Exit.rejected || attempt >= 3) throw e;
      io.stderr(`✘ ${e.message}. ${e.details.hint ?? ""}`);
      clientId = await wizard.askClientId(clientId);
      clientSecret = await wizard.askSecret("Client secret (try again)");
    }
  }
}

/** The wizard shows what will be written (secrets masked) and asks before writing. */
async function confirm(io: Io, inputs: Inputs, plan: Plan, dryRun: boolean): Promise<void> {
  const preview = outcomeOf(plan);
  if (preview.change === "unchanged") return;
  io.stdout((await import("./preview")).maskedDiff(plan.path, preview.before, preview.after, [inputs.clientSecret], { color: io.color, cwd: io.cwd }, preview.edits));
  if (dryRun) return;
  const question = preview.newFile ? `Create ${plan.path} (new file) with this content?` : `Write this to ${plan.path}?`;
  if (!(await inputs.wizard!.askConfirm(question))) throw new M2Error(Exit.cancelled, "not confirmed; nothing was written");
}

async function print(args: SetupArgs, io: Io, inputs: Inputs, outcome: EditOutcome, identity: Identity | undefined, kept: boolean): Promise<void> {
  const { serverIds, check, wizard, storage } = inputs;
  const path = outcome.settings;
  const warnings = [...inputs.warnings, ...traps(inputs, io).map((t) => t.message), ...outcome.warnings];
  if (args.stdout) {
    if (!args.quiet) for (const w of warnings) io.stderr(`warning: ${w}`);
    io.writeStdout(outcome.bytes);
    return;
  }
  // The env store writes no secret; the other two do (an encrypted one is hidden only from a casual reader).
  if (outcome.mode !== undefined && (outcome.mode & 0o077) !== 0 && outcome.change !== "unchanged" && !args.dryRun && storage.store !== "env") {
    warnings.push(`${path} can be read by other users (mode ${outcome.mode.toString(8)}) and holds a secret; run: chmod 600 ${path}`);
  }
  const diff =
    args.dryRun && !wizard ? (await import("./preview")).maskedDiff(path, outcome.before, outcome.after, [inputs.clientSecret], { color: io.color && !args.json, cwd: io.cwd }, outcome.edits) : "";
  const who = identity ? describeIdentity(identity) : "";
  const servers = outcome.servers ?? serverIds.map((id) => ({ id, change: outcome.change }));
  const newFile = outcome.created || (args.dryRun && outcome.newFile);
  const verbs: Record<ChangeKind, string> = args.dryRun
    ? { added: "Would add", updated: "Would update", unchanged: "Would keep", removed: "" }
    : { added: "Added", updated: "Updated", unchanged: "Kept", removed: "" };
  const serverLine = ({ id, change }: { id: string; change: ChangeKind }, i: number) =>
    inputs.onExisting === "keep" && change === "unchanged" && !outcome.newFile
      ? `Kept server "${id}" in ${path} as it was: the connected app's credentials were not stored there (choose another --server-id to store them).`
      : done(io, `${verbs[change]} server "${id}" ${change === "added" ? "to" : "in"} ${path}${i === 0 && newFile ? " (new file)" : ""}${change === "unchanged" ? ": nothing to change" : ""}.`);
  const next =
    inputs.fromPom ? []
    : serverIds.length === 1 ? [`Next: use <id>${serverIds[0]}</id> for the Exchange repository in your pom.xml.`]
    : [`Next: use these ids (${serverIds.map((id) => `<id>${id}</id>`).join(", ")}) for the Exchange repositories in your pom.xml.`];
  const repositories = inputs.withRepositories ? inputs.parts.repositories ?? "unchanged" : undefined;
  const publish = publishTarget(args, io, inputs, identity);
  const lines = [
    ...(check && !wizard ? [done(io, `Anypoint (${check.base.host}) accepted the credentials${who ? ` of ${who}` : ""}.`)] : []),
    ...servers.map(serverLine),
    ...(repositories ? repositoryLines(repositories, inputs.exchange!, Boolean(args.dryRun)) : []),
    ...(args.dryRun ? ["Dry run: nothing written."] : []),
    ...(outcome.backup && !outcome.backupScrubbed ? [`Previous version saved as ${outcome.backup}.`] : []),
    ...(outcome.backupScrubbed
      ? [`Previous version saved as ${outcome.backup}, with the password written as is replaced there too by the ${storage.store} one: no file keeps the secret.`]
      : []),
    ...storageLines(storage, Boolean(args.dryRun)),
    ...(args.dryRun || kept || repositories ? [] : next),
    ...(publish ? [`To publish to Exchange, put this in your pom.xml (its groupId is the organization ID):`, publish.distributionManagement] : []),
  ];
  const result = {
    settings: path,
    serverId: serverIds[0],
    change: inputs.parts.server ?? outcome.change,
    servers: servers.map(({ id, change }) => ({ serverId: id, change })),
    created: outcome.created,
    backup: outcome.backup ?? null,
    ...(outcome.backupScrubbed ? { backupWithoutSecret: true } : {}),
    verified: identity !== undefined,
    ...(identity?.app ? { app: identity.app } : {}),
    ...(identity?.orgId ? { orgId: identity.orgId } : {}),
    ...(repositories ? { repositories: { profile: PROFILE_ID, change: repositories, url: inputs.exchange!.url } } : {}),
    ...(publish ? { publishUrl: publish.url, distributionManagement: publish.distributionManagement } : {}),
    store: storage.store,
    ...(storage.variables ? { variables: [storage.variables.id, storage.variables.secret] } : {}),
    ...(storage.security ? { securityFile: storage.security.file } : {}),
    ...(args.dryRun ? { dryRun: true, diff } : {}),
    warnings,
  };
  reportEdit(io, args, result, lines, diff);
}

/** What the store means for the build: the variables Maven will need, or where its master password is. */
function storageLines({ store, variables, security }: Storage, dryRun: boolean): string[] {
  if (store === "env") {
    return [`The password is written as \${env.${variables!.id}}~?~\${env.${variables!.secret}}: Maven will need ${variables!.id} and ${variables!.secret} set when it runs.`];
  }
  if (store === "encrypted") {
    const file = security!.file === security!.path ? security!.path : `${security!.path} (relocated to ${security!.file})`;
    return [`The password is encrypted with the master password of ${file}${security!.create && dryRun ? ", which would be created" : ""}; Maven decrypts it from there.`];
  }
  return [];
}
