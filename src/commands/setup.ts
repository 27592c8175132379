import { gatherCredentials, requireCredentials, SEPARATOR } from "../anypoint/credentials";
import type { Identity } from "../anypoint/token";
import { Exit, M2Error } from "../errors";
import { editSettings, readSettingsText } from "../io/edit";
import { loadEnvironment } from "../io/envfile";
import { settingsPath } from "../io/paths";
import { CONNECTED_APP_USERNAME, listServers } from "../settings/list";
import { upsertServer, type OnExisting } from "../settings/servers";
import { applyEdits } from "../xml/edit";
import { describeIdentity, prepareCheck, type Check, type ConnectionArgs } from "./check";
import type { Io } from "./io";
import { debug, done, report, type OutputArgs } from "./output";

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
}

/** Prompts only in a terminal, outside CI, and when not told otherwise. */
function canPrompt(io: Io, args: SetupArgs): boolean {
  return io.terminal && !io.env.CI && !args.yes && !args.nonInteractive && !args.json && !args.stdout;
}

export async function setup(args: SetupArgs, io: Io): Promise<void> {
  if (args.stdout && (args.json || args.dryRun)) throw new M2Error(Exit.usage, "--stdout prints the settings file; it goes with neither --json nor --dry-run");
  const { env, file: envFile } = await loadEnvironment(io.fs, io.env, args.envFile, io.cwd);
  const path = settingsPath(args, io);
  const found = gatherCredentials({
    clientId: args.clientId,
    clientSecret: args.clientSecret,
    stdinSecret: args.clientSecretStdin ? await io.readStdin() : undefined,
    env,
    envFile,
  });
  const endpoint = { region: args.region, host: args.host, baseUrl: args.baseUrl };
  let serverId = args.serverId;
  let onExisting = args.onExisting;
  const interactive = canPrompt(io, args);
  const wizard = interactive ? await import("../wizard/wizard") : undefined;

  if (wizard) {
    const servers = readSettingsText(io.fs, path, listServers).value ?? [];
    const endpointKnown = endpoint.region !== undefined || endpoint.host !== undefined || endpoint.baseUrl !== undefined || env.ANYPOINT_HOST || env.ANYPOINT_BASE_URL;
    if (args.verify && !endpointKnown) {
      endpoint.region = await wizard.askRegion();
    }
    found.clientId ??= await wizard.askClientId();
    found.clientSecret ??= await wizard.askSecret();
    serverId ??= await wizard.askServerId(servers, DEFAULT_SERVER_ID);
    const existing = servers.find((s) => s.id === serverId && !s.shadowed);
    if (existing && onExisting === undefined) onExisting = (await wizard.askUpdate(existing)) ? "update" : "keep";
    await wizard.askStorage();
  }

  const check = args.verify ? prepareCheck({ ...endpoint, timeout: args.timeout }, env, (m) => debug(io, m)) : undefined;
  const credentials = requireCredentials(found);
  const { clientId, warnings } = credentials;
  let { clientSecret } = credentials;
  serverId ??= DEFAULT_SERVER_ID;
  debug(io, `settings: ${path}; server id: ${serverId}; control plane: ${check ? check.base.origin : "not checked (--no-verify)"}${envFile ? `; env file: ${envFile}` : ""}`);

  // Read at call time: the wizard may ask the secret again after a rejection.
  const change = (text: string) =>
    upsertServer(text, { id: serverId!, username: CONNECTED_APP_USERNAME, password: `${clientId}${SEPARATOR}${clientSecret}` }, onExisting ?? "update");
  let identity: Identity | undefined;
  const outcome = await editSettings(
    io.fs,
    path,
    change,
    {
      create: true,
      dryRun: args.dryRun || args.stdout,
      lockWaitMs: (args.lockTimeout ?? 10) * 1000,
      beforeWrite: async (plan) => {
        const asked = clientSecret;
        if (check) identity = await checkWithRetries(io, check, wizard, clientId, () => clientSecret, (s) => (clientSecret = s), plan.result.text);
        const secretChanged = clientSecret !== asked;
        if (!wizard) return secretChanged;
        // Show what will be written now (with the secret as finally given).
        const after = change(plan.result.text);
        if (after.change === "unchanged") return secretChanged;
        io.stdout((await import("./preview")).maskedDiff(path, plan.result.text, applyEdits(plan.result.text, after.edits), [clientSecret], { color: io.color }));
        if (!args.dryRun && !(await wizard.askConfirm(`Write this to ${path}?`))) throw new M2Error(Exit.cancelled, "not confirmed; nothing was written");
        return secretChanged;
      },
    },
  );
  warnings.push(...outcome.warnings);
  if (args.stdout) {
    if (!args.quiet) for (const w of warnings) io.stderr(`warning: ${w}`);
    io.writeStdout(outcome.bytes);
    return;
  }
  if (outcome.mode !== undefined && (outcome.mode & 0o077) !== 0 && outcome.change !== "unchanged" && !args.dryRun) {
    warnings.push(`${path} can be read by other users (mode ${outcome.mode.toString(8)}) and holds a secret; run: chmod 600 ${path}`);
  }
  const diff = args.dryRun && !wizard ? (await import("./preview")).maskedDiff(path, outcome.before, outcome.after, [clientSecret], { color: io.color && !args.json }) : "";
  const who = identity ? describeIdentity(identity) : "";
  const verb = args.dryRun ? { added: "Would add", updated: "Would update", unchanged: "Would keep", removed: "" }[outcome.change] : { added: "Added", updated: "Updated", unchanged: "Kept", removed: "" }[outcome.change];
  report(
    io,
    args,
    {
      settings: path,
      serverId,
      change: outcome.change,
      created: outcome.created,
      backup: outcome.backup ?? null,
      verified: identity !== undefined,
      ...(identity?.app ? { app: identity.app } : {}),
      ...(identity?.orgId ? { orgId: identity.orgId } : {}),
      ...(args.dryRun ? { dryRun: true, diff } : {}),
      warnings,
    },
    [
      ...(diff ? [diff] : []),
      ...(check && !wizard ? [done(io, `Anypoint (${check.base.host}) accepted the credentials${who ? ` of ${who}` : ""}.`)] : []),
      done(io, `${verb} server "${serverId}" ${outcome.change === "added" ? "to" : "in"} ${path}${outcome.created ? " (new file)" : ""}${outcome.change === "unchanged" ? ": nothing to change" : ""}.`),
      ...(args.dryRun ? ["Dry run: nothing written."] : []),
      ...(outcome.backup ? [`Previous version saved as ${outcome.backup}.`] : []),
      ...(args.dryRun ? [] : [`Next: use <id>${serverId}</id> for the Exchange repository in your pom.xml.`]),
    ],
  );
}

/**
 * The credential check with a progress line in the wizard; a rejected secret is asked again there (three
 * tries in all), anywhere else it ends the run with exit 3.
 */
async function checkWithRetries(
  io: Io,
  check: Check,
  wizard: typeof import("../wizard/wizard") | undefined,
  clientId: string,
  secret: () => string,
  setSecret: (s: string) => void,
  settingsText: string,
): Promise<Identity> {
  for (let attempt = 1; ; attempt++) {
    if (wizard) io.stderr(`Checking the credentials with ${check.base.host}…`);
    try {
      const identity = await check.run(clientId, secret(), settingsText);
      const who = describeIdentity(identity);
      if (wizard) io.stderr(done(io, `Anypoint accepted the credentials${who ? ` of ${who}` : ""}.`));
      return identity;
    } catch (e) {
      if (!wizard || !(e instanceof M2Error) || e.exitCode !== Exit.rejected || attempt >= 3) throw e;
      io.stderr(`✘ ${e.message}. ${e.details.hint ?? ""}`);
      setSecret(await wizard.askSecret("Client secret (try again)"));
    }
  }
}
