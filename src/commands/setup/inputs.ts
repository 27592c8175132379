/**
 * setup's first step: everything it needs to know before it plans, settled once from flags, stdin, the
 * environment, the env file, the pom and the wizard (which asks only for what is still missing). What comes
 * out is read-only: a later step that learns better (the wizard's corrected credentials) makes new inputs.
 */
import { requireCredentials } from "../../anypoint/credentials";
import { resolveBaseUrl, type EndpointChoice } from "../../anypoint/endpoint";
import { checkOrgId, type ExchangeMaven } from "../../anypoint/exchange";
import type { OnExisting } from "../../settings/servers";
import type { Store } from "../../settings/stores";
import { prepareCheck, WRITE_UNCHECKED, type Check, type ConnectionArgs } from "../check";
import { canPrompt, givenCredentials } from "../credentials";
import type { Io } from "../../world";
import type { OutputArgs } from "../output";
import { refuseTraps } from "./plan";
import { DEFAULT_SERVER_ID, splitCharacters } from "../../domain";
import { Exit, M2Error } from "../../errors";
import { applyImpliedRegion, projectIds, readProject, refuseTokenForDeployment, type Project } from "./project";
import { askFirst, askRepositories, type Answers, type Wizard } from "./questions";
import { derivedWarning, exchangeFor, type RepositoryArgs } from "./repositories";
import { settleStorage, type KeptStore, type Storage } from "./storage";
import { currentServers } from "./plan";
import { settingsValues, type SettingsValues } from "../../io/trust";
import { readSettingsText } from "../../io/edit";
import { sharedStore } from "../../settings/stores";
import type { MirrorTarget } from "../../settings/mirrors";
import { mirrorTargets } from "./mirrors";
import { mavenVersion } from "../../io/maven-version";
import { readsAliases } from "../../maven/version";

/** --aliases: refused (exit 2) with fewer than two ids, or for a Maven that ignores <aliases>, naming it. */
function refuseAliases(args: SetupArgs, io: Io, serverIds: readonly string[]): void {
  if (serverIds.length < 2) {
    throw new M2Error(Exit.usage, "--aliases writes several ids as one server, but there is one id", { hint: "Repeat --server-id, or take the pom's ids with --from-pom." });
  }
  const maven = mavenVersion(args, io);
  if (!maven) {
    throw new M2Error(Exit.usage, "--aliases needs a Maven that reads <aliases> (3.10), and no mvn was found to tell which Maven will read the file", {
      hint: "Pass --maven-version with the version of the Maven your builds run, or drop --aliases: each id then gets a server of its own.",
    });
  }
  if (!readsAliases(maven)) {
    throw new M2Error(Exit.usage, `Maven ${maven.version} (${maven.source}) ignores <aliases>: a build would get no credentials for ${serverIds.slice(1).map((id) => `"${id}"`).join(", ")}`, {
      hint: "Drop --aliases (each id then gets a server of its own), or pass --maven-version if another Maven, 3.10 or later on the 3.x line, reads this file.",
    });
  }
}

export interface SetupArgs extends ConnectionArgs, OutputArgs, RepositoryArgs {
  clientId?: string;
  clientSecret?: string;
  clientSecretStdin?: boolean;
  /** Every --server-id given, each once. */
  serverId?: string[];
  /** Take the server ids of the pom's Exchange repositories. */
  fromPom?: boolean;
  /** Write the ids as one server, the first with the others as its <aliases>. */
  aliases?: boolean;
  /** The Maven that will read the file (src/io/maven-version.ts), when not the one found. */
  mavenVersion?: string;
  pom?: string;
  settings?: string;
  onExisting?: OnExisting;
  /** Write a client ID or secret holding ~ or ? for a deploy server all the same. */
  force?: boolean;
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
  excludeFromMirrors?: boolean;
}

/** Everything setup needs to know before it plans: settled once, by flags, environment or wizard. */
export type Inputs = Readonly<{
  env: Record<string, string | undefined>;
  clientId: string;
  clientSecret: string;
  /** The servers to write, each with the same credentials, in one change. */
  serverIds: readonly string[];
  /** The ids came from the pom (so the pom already names them). */
  fromPom: boolean;
  /** One server for them all: the first id, with the others as its <aliases> (--aliases). */
  aliases?: boolean;
  /** undefined: update a connected-app entry, refuse to replace anyone else's credentials. */
  onExisting: OnExisting | undefined;
  check: Check | undefined;
  wizard: Wizard | undefined;
  warnings: readonly string[];
  /** Add the Exchange and MuleSoft repositories too (--with-repositories, or the wizard's answer). */
  withRepositories: boolean;
  /** --org-id, checked. */
  orgId: string | undefined;
  /** The id the publish snippet names: the pom's distributionManagement id among serverIds, else the first. */
  publishId: string;
  /** The Exchange Maven facade, when the repositories or a publish URL need it. */
  exchange: ExchangeMaven | undefined;
  storage: Storage;
  /** What `${…}` in the settings file resolves from (io/trust.ts settingsValues), to match its servers. */
  values: SettingsValues;
  /** --exclude-from-mirrors (or the wizard's yes): each id written, as the mirrors are asked about it. */
  mirrorTargets?: readonly MirrorTarget[];
  /** --store token: the token the check got, and when it expires (ISO 8601) when Anypoint said; set after the check. */
  token?: { value: string; expiresAt?: string };
}>;

/** Flags, stdin, environment and env file first; the wizard asks only for what is still missing. */
export async function settleInputs(args: SetupArgs, io: Io, path: string): Promise<Inputs> {
  const { env, found: given } = await givenCredentials(args, io);
  const wizard = canPrompt(io, args) ? await import("../../wizard/wizard") : undefined;
  // --pom names the pom to take ids from: outside the wizard it means --from-pom, which needs a pom and adds
  // its ids to the --server-id given. Without either, the pom in the folder (if any) still gives the ids
  // when no --server-id does: the wizard offers them, every other mode takes them.
  const fromPom = Boolean(args.fromPom) || (args.pom !== undefined && !wizard);
  const named = [...(args.serverId ?? [])];
  const project = readProject(args, io, fromPom);
  const pomIds = projectIds(project);
  const takesPomIds = fromPom || (!wizard && named.length === 0 && project.path !== undefined);
  // The pom's own problems matter where its ids are taken or offered; beside a --server-id it is only compared.
  const projectWarnings = takesPomIds || wizard ? [...project.warnings] : [];
  const givenIds = fromPom ? [...new Set([...named, ...pomIds])] : named.length > 0 ? named : takesPomIds ? pomIds : [];
  if (takesPomIds && pomIds.length === 0) projectWarnings.push(`no server id from the pom: ${givenIds.length > 0 ? "using the --server-id given" : `using the default, ${DEFAULT_SERVER_ID} (pass --server-id to choose the id)`}`);
  const strangers = fromPom || pomIds.length === 0 ? [] : named.filter((id) => !pomIds.includes(id));
  if (strangers.length > 0) projectWarnings.push(unusedIds(strangers, pomIds, project.path!));
  const asGiven: Answers = { endpoint: { region: args.region, host: args.host, baseUrl: args.baseUrl }, found: given, serverIds: givenIds, onExisting: args.onExisting };
  // The wizard shows the pom's warnings before its questions; otherwise they are the run's warnings.
  const answers = wizard ? await askFirst(wizard, io, { path, verify: args.verify, env, project, warnings: projectWarnings.splice(0) }, asGiven) : asGiven;
  const { found, onExisting } = answers;
  const endpoint: EndpointChoice = { ...answers.endpoint };
  const serverIds = answers.serverIds.length > 0 ? answers.serverIds : [DEFAULT_SERVER_ID];
  if (args.aliases) refuseAliases(args, io, serverIds);
  const notes: string[] = [];
  const fromThePom = takesPomIds && !wizard ? pomIds.filter((id) => serverIds.includes(id)) : [];
  if (fromThePom.length > 0) notes.push(`Server id${fromThePom.length > 1 ? "s" : ""} from ${project.path}: ${fromThePom.join(", ")}.`);
  if (project.path) applyImpliedRegion(project, serverIds, endpoint, env, args.verify, notes);
  if (!args.quiet) for (const note of notes) io.stderr(note);

  // The wizard offers the store the servers already have; elsewhere the plan finds it (keepStore), at no
  // cost to a run on a file without one.
  const values = settingsValues(args, io);
  const storage = await settleStorage(args, io, wizard, wizard ? keptStore(io, path, serverIds, values) : undefined);
  if (storage.store === "token") refuseTokenForDeployment(args, io, serverIds);
  let withRepositories = args.withRepositories;
  if (wizard && withRepositories === undefined) {
    const answer = await askRepositories(wizard, io, { path, args, env, endpoint, serverIds });
    withRepositories = answer.withRepositories;
    if (answer.region !== undefined) endpoint.region = answer.region;
  }
  const check = args.verify ? prepareCheck({ ...endpoint, timeout: args.timeout, settings: args.settings, quiet: args.quiet }, io, env, WRITE_UNCHECKED) : undefined;
  // The env store writes only references: without a check, an image build needs no credentials at all.
  const { clientId, clientSecret, warnings } =
    storage.store === "env" && !args.verify && (!found.clientId || !found.clientSecret)
      ? { clientId: "", clientSecret: "", warnings: found.warnings }
      : requireCredentials(found);
  if (!args.force) refuseSplitCharacters(clientId, clientSecret, serverIds, project);
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
    aliases: Boolean(args.aliases),
    publishId: project.repositories.find((r) => r.section.startsWith("distributionManagement") && chosenIds.has(r.id!))?.id ?? serverIds[0]!,
    onExisting,
    check,
    wizard,
    warnings: [...projectWarnings, ...warnings],
    withRepositories: withRepositories ?? false,
    orgId,
    exchange,
    storage,
    values,
    ...(args.excludeFromMirrors ? { mirrorTargets: mirrorTargets(args, io, serverIds, exchange?.url) } : {}),
  };
  refuseTraps(inputs, io);
  return inputs;
}

/** The warning for --server-id values that no Exchange repository of the pom uses: Maven would never send them. */
function unusedIds(ids: string[], pomIds: string[], pom: string): string {
  const many = ids.length > 1;
  return `--server-id ${ids.join(", ")} ${many ? "are not ids" : "is not the id"} of an Exchange repository in ${pom}, which uses ${pomIds.join(", ")}: Maven sends a server's credentials only to the repository with its id`;
}

/** The store the file's servers for these ids already share, if any; a file that cannot be read has none (planning says why). */
function keptStore(io: Io, path: string, serverIds: readonly string[], values: SettingsValues): KeptStore {
  try {
    return readSettingsText(io.fs, path, (text) => sharedStore([...currentServers(text, serverIds, values).values()])).value;
  } catch {
    return undefined;
  }
}

/**
 * Inputs whose store was not named, when the plan found the servers sharing one (SetupReport.kept): that store,
 * so that running setup again never writes the secret back into the file; a note says so.
 */
export async function keepStore(args: SetupArgs, io: Io, inputs: Inputs, kept: NonNullable<KeptStore>): Promise<Inputs> {
  if (!args.quiet) {
    const many = inputs.serverIds.length > 1;
    const fresh = kept.store === "token" ? " (a new token is requested)" : "";
    io.stderr(`note: the password stays in the ${kept.store} store the server${many ? "s" : ""} already ha${many ? "ve" : "s"}${fresh}; pass --store literal to write it as is`);
  }
  return { ...inputs, storage: await settleStorage(args, io, undefined, kept) };
}

/**
 * mule-maven-plugin splits a server's password at each `~` and `?` (StringUtils.split(password, "~?~")): a
 * client ID or secret holding one, for a server the pom's deployment blocks name, would deploy with wrong
 * values. Refused (exit 2) unless --force.
 */
function refuseSplitCharacters(clientId: string, clientSecret: string, serverIds: readonly string[], project: Project): void {
  const deploys = serverIds.filter((id) => project.deploymentIds.includes(id));
  if (deploys.length === 0) return;
  const held = splitCharacters(clientId, clientSecret);
  if (held.length === 0) return;
  throw new M2Error(Exit.usage, `${held.join(" and ")}, and ${project.path} deploys with server${deploys.length > 1 ? "s" : ""} ${deploys.map((id) => `"${id}"`).join(", ")}: mule-maven-plugin splits the password at each ~ and ?, so it would deploy with a wrong ID or secret`, {
    hint: "Use a connected app whose ID and secret hold neither (regenerate the secret), or pass --force to write it all the same (downloads from Exchange are not affected).",
  });
}
