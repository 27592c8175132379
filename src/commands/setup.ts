/**
 * setup as the pipeline it is: settle the inputs (flags, environment, env file, wizard), plan the change,
 * check the credentials, preview and confirm, then write under the lock. Each step is a plain function.
 */
import { isUtf8 } from "node:buffer";
import { gatherCredentials, requireCredentials, SEPARATOR } from "../anypoint/credentials";
import { resolveBaseUrl } from "../anypoint/endpoint";
import { checkOrgId, isOrgId, type ExchangeMaven } from "../anypoint/exchange";
import type { Identity } from "../anypoint/token";
import { Exit, M2Error } from "../errors";
import { outcomeOf, planEdit, readSettingsText, writePlan, type EditOutcome, type Plan } from "../io/edit";
import { loadEnvironment } from "../io/envfile";
import { mavenProperties, settingsPath } from "../io/paths";
import { CONNECTED_APP_USERNAME, listServers } from "../settings/list";
import { andRepositories, mergeRepositories, PROFILE_ID } from "../settings/repositories";
import { upsertServer, type ChangeKind, type OnExisting, type SettingsChange } from "../settings/servers";
import { describeIdentity, prepareCheck, type Check, type ConnectionArgs } from "./check";
import type { Io } from "./io";
import { announceEnvFile, debug, done, report, type OutputArgs } from "./output";
import { derivedWarning, exchangeFor, publishing, repositoriesByDefault, repositoryLines, type RepositoryArgs } from "./repositories";
import { refuseStdoutOntoSettings } from "./stdout";

export const DEFAULT_SERVER_ID = "anypoint-exchange-v3";

export interface SetupArgs extends ConnectionArgs, OutputArgs, RepositoryArgs {
  clientId?: string;
  clientSecret?: string;
  clientSecretStdin?: boolean;
  serverId?: string;
  settings?: string;
  onExisting?: OnExisting;
  verify: boolean;
  envFile?: string | false;
  dryRun?: boolean;
  stdout?: boolean;
  lockTimeout?: number;
  yes?: boolean;
  nonInteractive?: boolean;
}

type Wizard = typeof import("../wizard/wizard");

/** Everything setup needs to know before it plans: settled once, by flags, environment or wizard. */
interface Inputs {
  env: Record<string, string | undefined>;
  clientId: string;
  clientSecret: string;
  serverId: string;
  /** undefined: update a connected-app entry, refuse to replace anyone else's credentials. */
  onExisting: OnExisting | undefined;
  check: Check | undefined;
  wizard: Wizard | undefined;
  warnings: string[];
  /** Add the Exchange and MuleSoft repositories too (--with-repositories, or the wizard's answer). */
  withRepositories: boolean;
  /** --org-id, checked. */
  orgId: string | undefined;
  /** The Exchange Maven facade, when the repositories or a publish URL need it. */
  exchange: ExchangeMaven | undefined;
  /** What the last planning did to the server and to the repositories (the file's change covers both). */
  parts: { server?: ChangeKind; repositories?: ChangeKind };
}

/** Prompts only in a terminal, outside CI, and when not told otherwise. */
function canPrompt(io: Io, args: SetupArgs): boolean {
  return io.terminal && !io.env.CI && !args.yes && !args.nonInteractive && !args.json && !args.stdout;
}

export async function setup(args: SetupArgs, io: Io): Promise<void> {
  if (args.stdout && (args.json || args.dryRun)) throw new M2Error(Exit.usage, "--stdout prints the settings file; it goes with neither --json nor --dry-run");
  const path = settingsPath(args, io);
  refuseStdoutOntoSettings(io, path);
  const inputs = await settleInputs(args, io, path);
  debug(io, `settings: ${path}; server id: ${inputs.serverId}; control plane: ${inputs.check ? inputs.check.base.origin : "not checked (--no-verify)"}`);

  // The file's problems come before the network: plan first, then check, then plan again if the wizard
  // corrected the credentials meanwhile.
  let plan = planEdit(io.fs, path, operation(inputs, io), true);
  let identity: Identity | undefined;
  if (inputs.check) {
    const checked = await checkCredentials(io, inputs, plan);
    identity = checked.identity;
    if (checked.clientId !== inputs.clientId || checked.clientSecret !== inputs.clientSecret) {
      Object.assign(inputs, { clientId: checked.clientId, clientSecret: checked.clientSecret });
      plan = planEdit(io.fs, path, operation(inputs, io), true);
    }
  }
  if (inputs.wizard) await confirm(io, inputs, plan, Boolean(args.dryRun));
  const outcome = args.dryRun || args.stdout ? outcomeOf(plan) : await writePlan(io.fs, plan, operation(inputs, io), (args.lockTimeout ?? 10) * 1000);
  await print(args, io, inputs, outcome, identity);
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
  return publishing(exchange, inputs.serverId, orgId);
}

/**
 * The change to the file, as a pure function of its text. Ids are matched as Maven will resolve them: from
 * the environment Maven runs in (not the env file) and its properties.
 */
function operation(inputs: Inputs, io: Io): (text: string) => SettingsChange {
  const server = { id: inputs.serverId, username: CONNECTED_APP_USERNAME, password: `${inputs.clientId}${SEPARATOR}${inputs.clientSecret}` };
  const properties = mavenProperties(io);
  return (text) => {
    const change = upsertServer(text, server, inputs.onExisting ?? "update", io.env, properties, { onlyConnectedApp: inputs.onExisting === undefined });
    inputs.parts.server = change.change;
    if (!inputs.withRepositories) return change;
    const repositories = { serverIds: [inputs.serverId], exchangeUrl: inputs.exchange!.url };
    const both = andRepositories(text, change, (middle) => mergeRepositories(middle, repositories, io.env, properties));
    inputs.parts.repositories = both.repositories;
    return both;
  };
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
  const endpoint = { region: args.region, host: args.host, baseUrl: args.baseUrl };
  let serverId = args.serverId;
  let onExisting = args.onExisting;
  let withRepositories = args.withRepositories;
  const wizard = canPrompt(io, args) ? await import("../wizard/wizard") : undefined;

  if (wizard) {
    const servers = readSettingsText(io.fs, path, (text) => listServers(text, io.env, mavenProperties(io))).value ?? [];
    const endpointKnown = endpoint.region !== undefined || endpoint.host !== undefined || endpoint.baseUrl !== undefined || env.ANYPOINT_HOST || env.ANYPOINT_BASE_URL;
    if (args.verify && !endpointKnown) endpoint.region = await wizard.askRegion();
    found.clientId ??= await wizard.askClientId();
    found.clientSecret ??= await wizard.askSecret();
    serverId ??= await wizard.askServerId(servers, DEFAULT_SERVER_ID);
    const existing = servers.find((s) => s.id === serverId && !s.shadowed);
    if (existing && onExisting === undefined) onExisting = (await wizard.askUpdate(existing)) ? "update" : "keep";
    withRepositories ??= await wizard.askRepositories(repositoriesByDefault(io, path, serverId));
    // The Exchange repository is the region's: asked now when the credential check did not ask it.
    if (withRepositories && !endpointKnown && endpoint.region === undefined) endpoint.region = await wizard.askRegion();
  }

  const check = args.verify ? prepareCheck({ ...endpoint, timeout: args.timeout }, env, (m) => debug(io, m)) : undefined;
  const { clientId, clientSecret, warnings } = requireCredentials(found);
  const orgId = args.orgId === undefined ? undefined : checkOrgId(args.orgId);
  // Resolved before any work when asked for, so that an unknown facade is a usage error at once.
  const exchange = withRepositories || orgId !== undefined ? exchangeFor(check?.base ?? resolveBaseUrl(endpoint, env), args, env) : undefined;
  if (exchange && withRepositories) warnings.push(...derivedWarning(exchange));
  return { env, clientId, clientSecret, serverId: serverId ?? DEFAULT_SERVER_ID, onExisting, check, wizard, warnings, withRepositories: withRepositories ?? false, orgId, exchange, parts: {} };
}

/** The secret piped in: refused from a terminal (it would echo as typed) and when it is not valid UTF-8. */
async function readSecretFromStdin(io: Io): Promise<string> {
  if (io.stdinTerminal) {
    throw new M2Error(Exit.usage, "--client-secret-stdin reads a piped secret, but standard input is a terminal, where the secret would show as you type it", {
      hint: "Pipe the secret in (printf %s \"$SECRET\" | anypoint-m2 setup ... --client-secret-stdin), or leave the flag out to be asked for it hidden.",
    });
  }
  const bytes = await io.readStdin();
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
  io.stdout((await import("./preview")).maskedDiff(plan.path, preview.before, preview.after, [inputs.clientSecret], { color: io.color, cwd: io.cwd }));
  if (dryRun) return;
  const question = preview.newFile ? `Create ${plan.path} (new file) with this content?` : `Write this to ${plan.path}?`;
  if (!(await inputs.wizard!.askConfirm(question))) throw new M2Error(Exit.cancelled, "not confirmed; nothing was written");
}

async function print(args: SetupArgs, io: Io, inputs: Inputs, outcome: EditOutcome, identity: Identity | undefined): Promise<void> {
  const { serverId, check, wizard } = inputs;
  const path = outcome.settings;
  const warnings = [...inputs.warnings, ...outcome.warnings];
  if (args.stdout) {
    if (!args.quiet) for (const w of warnings) io.stderr(`warning: ${w}`);
    io.writeStdout(outcome.bytes);
    return;
  }
  if (outcome.mode !== undefined && (outcome.mode & 0o077) !== 0 && outcome.change !== "unchanged" && !args.dryRun) {
    warnings.push(`${path} can be read by other users (mode ${outcome.mode.toString(8)}) and holds a secret; run: chmod 600 ${path}`);
  }
  const diff =
    args.dryRun && !wizard ? (await import("./preview")).maskedDiff(path, outcome.before, outcome.after, [inputs.clientSecret], { color: io.color && !args.json, cwd: io.cwd }) : "";
  const who = identity ? describeIdentity(identity) : "";
  // The file's change covers the repositories too; the server line says what happened to the server.
  const change = inputs.parts.server ?? outcome.change;
  const verb = (args.dryRun ? { added: "Would add", updated: "Would update", unchanged: "Would keep", removed: "" } : { added: "Added", updated: "Updated", unchanged: "Kept", removed: "" })[change];
  const repositories = inputs.withRepositories ? inputs.parts.repositories ?? "unchanged" : undefined;
  const publish = publishTarget(args, io, inputs, identity);
  const lines = [
    ...(check && !wizard ? [done(io, `Anypoint (${check.base.host}) accepted the credentials${who ? ` of ${who}` : ""}.`)] : []),
    done(io, `${verb} server "${serverId}" ${change === "added" ? "to" : "in"} ${path}${outcome.created || (args.dryRun && outcome.newFile) ? " (new file)" : ""}${change === "unchanged" ? ": nothing to change" : ""}.`),
    ...(repositories ? repositoryLines(repositories, inputs.exchange!, Boolean(args.dryRun)) : []),
    ...(args.dryRun ? ["Dry run: nothing written."] : []),
    ...(outcome.backup ? [`Previous version saved as ${outcome.backup}.`] : []),
    ...(args.dryRun || repositories ? [] : [`Next: use <id>${serverId}</id> for the Exchange repository in your pom.xml.`]),
    ...(publish ? [`To publish to Exchange, put this in your pom.xml (its groupId is the organization ID):`, publish.distributionManagement] : []),
  ];
  const result = {
    settings: path,
    serverId,
    change,
    created: outcome.created,
    backup: outcome.backup ?? null,
    verified: identity !== undefined,
    ...(identity?.app ? { app: identity.app } : {}),
    ...(identity?.orgId ? { orgId: identity.orgId } : {}),
    ...(repositories ? { repositories: { profile: PROFILE_ID, change: repositories, url: inputs.exchange!.url } } : {}),
    ...(publish ? { publishUrl: publish.url, distributionManagement: publish.distributionManagement } : {}),
    ...(args.dryRun ? { dryRun: true, diff } : {}),
    warnings,
  };
  // A dry run's stdout is the patch alone, so that it can be saved and applied; the prose goes to stderr.
  if (args.dryRun && !args.json) {
    if (!args.quiet) for (const w of warnings) io.stderr(`warning: ${w}`);
    if (diff) io.stdout(diff);
    if (!args.quiet) for (const line of lines) io.stderr(line);
    return;
  }
  report(io, args, result, lines);
}
