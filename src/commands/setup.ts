/**
 * setup as the pipeline it is: settle the inputs (flags, environment, env file, wizard), plan the change,
 * check the credentials, preview and confirm, then write under the lock. Each step is a plain function.
 */
import { isUtf8 } from "node:buffer";
import { gatherCredentials, requireCredentials, SEPARATOR } from "../anypoint/credentials";
import type { Identity } from "../anypoint/token";
import { Exit, M2Error } from "../errors";
import { outcomeOf, planEdit, readSettingsText, writePlan, type EditOutcome, type Plan } from "../io/edit";
import { loadEnvironment } from "../io/envfile";
import { mavenProperties, settingsPath } from "../io/paths";
import { createSecurityFile, readMaster, securityFileExists, securityLocation } from "../io/security";
import { encrypt, encryptedPart } from "../maven/cipher";
import { securityXml } from "../maven/security";
import { CONNECTED_APP_USERNAME, listServers } from "../settings/list";
import { fieldValue, readSettings, serversWithId } from "../settings/model";
import { upsertServer, type OnExisting, type ServerInput, type SettingsChange } from "../settings/servers";
import { decryptPassword, DEFAULT_ID_ENV, DEFAULT_SECRET_ENV, envPassword, envTraps, passwordTraps, storeOf, type Store } from "../settings/stores";
import { checkEnvName } from "../settings/value";
import { describeIdentity, prepareCheck, type Check, type ConnectionArgs } from "./check";
import type { Io } from "./io";
import { announceEnvFile, debug, done, report, type OutputArgs } from "./output";
import { refuseStdoutOntoSettings } from "./stdout";

export const DEFAULT_SERVER_ID = "anypoint-exchange-v3";

export interface SetupArgs extends ConnectionArgs, OutputArgs {
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
  store?: Store;
  idEnv?: string;
  secretEnv?: string;
  securityFile?: string;
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
  if (!args.dryRun && !args.stdout) writeNewSecurityFile(io, inputs.storage, Boolean(args.quiet));
  const outcome = args.dryRun || args.stdout ? outcomeOf(plan) : await writePlan(io.fs, plan, operation(inputs, io), (args.lockTimeout ?? 10) * 1000);
  await print(args, io, inputs, outcome, identity);
}

/**
 * The change to the file, as a pure function of its text. Ids are matched as Maven will resolve them: from
 * the environment Maven runs in (not the env file) and its properties.
 */
function operation(inputs: Inputs, io: Io): (text: string) => SettingsChange {
  const properties = mavenProperties(io);
  return (text) => {
    const server = { id: inputs.serverId, username: CONNECTED_APP_USERNAME, ...storedPassword(inputs, io, text) };
    return upsertServer(text, server, inputs.onExisting ?? "update", io.env, properties, { onlyConnectedApp: inputs.onExisting === undefined });
  };
}

/**
 * The password as the chosen store writes it. Refuses what Maven would not read back as these credentials
 * (checked again here, as the wizard may have corrected them). An encrypted value already in the file that
 * decrypts to the same credentials is kept, so that running setup again changes nothing.
 */
function storedPassword(inputs: Inputs, io: Io, text: string): Pick<ServerInput, "password" | "envReferences"> {
  const { storage } = inputs;
  refuseTraps(inputs, io);
  const clear = `${inputs.clientId}${SEPARATOR}${inputs.clientSecret}`;
  if (storage.store === "literal") return { password: clear };
  if (storage.store === "env") return { password: envPassword(storage.variables!.id, storage.variables!.secret), envReferences: true };
  const { master } = storage.security!;
  const model = readSettings(text);
  const current = fieldValue(model, serversWithId(model, inputs.serverId, io.env, mavenProperties(io))[0]?.password);
  if (current !== undefined && storeOf(current) === "encrypted" && current === `{${encryptedPart(current)}}`) {
    const decrypted = decryptPassword(current, master);
    if ("clear" in decrypted && decrypted.clear === clear) return { password: current };
  }
  let value = storage.encrypted.get(clear);
  if (value === undefined) storage.encrypted.set(clear, (value = encrypt(clear, master)));
  return { password: value };
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
  for (const [option, given, belongs] of [["--id-env", args.idEnv, "env"], ["--secret-env", args.secretEnv, "env"], ["--security-file", args.securityFile, "encrypted"]] as const) {
    if (given !== undefined && (args.store ?? implied) !== belongs) {
      throw new M2Error(Exit.usage, `${option} goes with --store ${belongs}, not --store ${args.store ?? implied}`);
    }
  }
  if (args.idEnv !== undefined) checkEnvName("--id-env", args.idEnv);
  if (args.secretEnv !== undefined) checkEnvName("--secret-env", args.secretEnv);
  const store = args.store ?? implied ?? (wizard ? await wizard.askStore() : "literal");
  const storage: Storage = { store, encrypted: new Map() };
  if (store === "env") storage.variables = { id: args.idEnv ?? DEFAULT_ID_ENV, secret: args.secretEnv ?? DEFAULT_SECRET_ENV };
  if (store === "encrypted") {
    const location = securityLocation(args, io);
    const purpose = "--store encrypted needs Maven's master password";
    if (wizard && !securityFileExists(io.fs, location.path)) {
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
  const endpoint = { region: args.region, host: args.host, baseUrl: args.baseUrl };
  let serverId = args.serverId;
  let onExisting = args.onExisting;
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
  }

  const storage = await settleStorage(args, io, wizard);
  const check = args.verify ? prepareCheck({ ...endpoint, timeout: args.timeout }, env, (m) => debug(io, m)) : undefined;
  // The env store writes only references: without a check, an image build needs no credentials at all.
  const { clientId, clientSecret, warnings } =
    storage.store === "env" && !args.verify && (!found.clientId || !found.clientSecret)
      ? { clientId: "", clientSecret: "", warnings: found.warnings }
      : requireCredentials(found);
  const inputs: Inputs = { env, clientId, clientSecret, serverId: serverId ?? DEFAULT_SERVER_ID, onExisting, check, wizard, warnings, storage };
  refuseTraps(inputs, io);
  return inputs;
}

/** The secret piped in: refused from a terminal (it would echo as typed) and when it is not valid UTF-8. */
export async function readSecretFromStdin(io: Io): Promise<string> {
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
  const { serverId, check, wizard, storage } = inputs;
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
    args.dryRun && !wizard ? (await import("./preview")).maskedDiff(path, outcome.before, outcome.after, [inputs.clientSecret], { color: io.color && !args.json, cwd: io.cwd }) : "";
  const who = identity ? describeIdentity(identity) : "";
  const verb = (args.dryRun ? { added: "Would add", updated: "Would update", unchanged: "Would keep", removed: "" } : { added: "Added", updated: "Updated", unchanged: "Kept", removed: "" })[outcome.change];
  const lines = [
    ...(check && !wizard ? [done(io, `Anypoint (${check.base.host}) accepted the credentials${who ? ` of ${who}` : ""}.`)] : []),
    done(io, `${verb} server "${serverId}" ${outcome.change === "added" ? "to" : "in"} ${path}${outcome.created || (args.dryRun && outcome.newFile) ? " (new file)" : ""}${outcome.change === "unchanged" ? ": nothing to change" : ""}.`),
    ...(args.dryRun ? ["Dry run: nothing written."] : []),
    ...(outcome.backup ? [`Previous version saved as ${outcome.backup}.`] : []),
    ...storageLines(storage, Boolean(args.dryRun)),
    ...(args.dryRun ? [] : [`Next: use <id>${serverId}</id> for the Exchange repository in your pom.xml.`]),
  ];
  const result = {
    settings: path,
    serverId,
    change: outcome.change,
    created: outcome.created,
    backup: outcome.backup ?? null,
    verified: identity !== undefined,
    ...(identity?.app ? { app: identity.app } : {}),
    ...(identity?.orgId ? { orgId: identity.orgId } : {}),
    store: storage.store,
    ...(storage.variables ? { variables: [storage.variables.id, storage.variables.secret] } : {}),
    ...(storage.security ? { securityFile: storage.security.file } : {}),
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
