/** `verify`: reads a server as Maven would (every store) and proves its connected app with a token request. */
import { Exit, M2Error } from "../errors";
import { loadEnvironment } from "../io/envfile";
import { readSettingsText } from "../io/edit";
import { settingsPath } from "../io/paths";
import { settingsValues } from "../io/trust";
import { readMaster, securityLocation } from "../io/security";
import { readMaster4, security4File } from "../io/security4";
import { storedCredentials } from "../settings/stored";
import { serversUsedFor, tokenWarning, type ServerSummary } from "../settings/list";
import { describeExpiry, type TokenState } from "../settings/token";
import { applyImpliedRegion, describeIdentity, prepareCheck, type ConnectionArgs } from "./check";
import type { Io } from "../world";
import { refuseStdoutOntoSettings } from "./stdout";
import { announceEnvFile, debug, report, type OutputArgs } from "./output";
import { DEFAULT_SERVER_ID } from "../domain";
import { findPom, loadPom, pomExchange, type ProjectPom } from "../project/load";
import { repositoryUrls } from "../settings/repositories";
import { defaultFacade, describeProbe, givenExchangeUrl, probeExchange, probeJson, uniqueTargets, type ExchangeArgs, type ProbeTarget } from "./probe";

export interface VerifyArgs extends ConnectionArgs, ExchangeArgs, OutputArgs {
  /** Also probe Exchange's Maven facade (exit 9 unless every repository accepts). */
  exchange?: boolean;
  pom?: string;
  serverId?: string;
  settings?: string;
  envFile?: string | false;
  securityFile?: string;
  mavenReadsSecurityFile?: boolean;
}

export async function verify(args: VerifyArgs, io: Io): Promise<void> {
  const loaded = await loadEnvironment(io.fs, io.env, args.envFile, io.cwd);
  const { env } = loaded;
  announceEnvFile(io, args, loaded);
  const path = settingsPath(args, io);
  refuseStdoutOntoSettings(io, path, "verify");
  const { exists, value: text } = readSettingsText(io.fs, path, (t) => t);
  if (!text) throw new M2Error(Exit.usage, `${path} ${exists ? "is empty" : "does not exist"}`, { hint: "Run anypoint-m2 setup first." });
  const pomPath = findPom(io, args.pom);
  const pom = pomPath ? loadPom(io, pomPath) : undefined;
  const notes: string[] = [];
  const serverId = args.serverId ?? defaultServerId(args, io, text, pom, notes);
  // The control plane of the pom's Exchange repositories with this id, unless something says where Anypoint is.
  const endpoint = { ...args };
  if (pomPath) applyImpliedRegion(pomExchange(pom).filter((r) => r.id === serverId), pomPath, endpoint, env, notes);
  if (!args.quiet) for (const note of notes) io.stderr(note);
  const check = prepareCheck(endpoint, io, env);
  debug(io, `settings: ${path}; control plane: ${check.base.origin}`);
  // The security file is read only when the password is encrypted; its errors are about it, not settings.xml.
  const fromSecurity = new WeakSet<object>();
  const fromSecurityFile = <T>(read: () => T) => () => {
    try {
      return read();
    } catch (e) {
      if (e instanceof M2Error) fromSecurity.add(e);
      throw e;
    }
  };
  let token;
  try {
    token = tokenServer(args, io, text, serverId);
  } catch (e) {
    throw e instanceof M2Error ? e.inFile(path) : e;
  }
  if (token) {
    const { summary, state } = token;
    const when = summary.token!.expiresAt ? describeExpiry(summary.token!.expiresAt, Date.now()) : "has no expiry note";
    if (state === "expired") throw new M2Error(Exit.rejected, `server "${serverId}" holds an Anypoint token that ${when}`, { file: path, line: summary.line, hint: "Store a new one: anypoint-m2 setup --store token (or run the build through anypoint-m2 exec)." });
    report(io, args, { settings: path, serverId, verified: false, token: { expiresAt: summary.token!.expiresAt, state }, warnings: [tokenWarning(summary)].filter((w): w is string => w !== undefined) }, [
      `Server "${serverId}" in ${path} holds an Anypoint token (~~~Token~~~) that ${when}; a token is not checked by using it.`,
    ]);
    return;
  }
  const purpose = `the password of server "${serverId}" is encrypted`;
  const master = fromSecurityFile(() => readMaster(securityLocation(args, io), io, purpose));
  const master4 = fromSecurityFile(() => readMaster4(security4File(args, io), io, `${purpose} in Maven 4's format`));
  let stored;
  // ${env.X} as Maven resolves it: from the environment only, not from an env file.
  const values = settingsValues(args, io);
  try {
    stored = storedCredentials(text, serverId, values.env, values.properties, { master, master4 });
  } catch (e) {
    throw e instanceof M2Error && !fromSecurity.has(e) ? e.inFile(path) : e;
  }
  if (stored.securityFile) debug(io, `password decrypted with the master password of ${stored.securityFile}`);
  // Usage errors of the probe before any request.
  const targets = args.exchange ? exchangeTargets(args, loaded.env, check.base, serverId, text, path, values, pom) : undefined;
  const identity = await check.run(stored.clientId, stored.clientSecret, text, path);
  const who = describeIdentity(identity);
  const probed = targets
    ? await probeExchange(args, io, env, { targets: targets.list, clientId: stored.clientId, clientSecret: stored.clientSecret, coordinates: targets.coordinates, settingsText: text, settingsPath: path })
    : undefined;
  report(
    io,
    args,
    {
      settings: path,
      serverId: serverId,
      verified: true,
      ...(identity.app ? { app: identity.app } : {}),
      ...(identity.orgId ? { orgId: identity.orgId } : {}),
      ...(probed ? { exchange: probeJson(probed) } : {}),
      warnings: [],
    },
    [`Anypoint (${check.base.host}) accepted the credentials of server "${serverId}" in ${path}${who ? `: ${who}` : ""}.`, ...(probed ?? []).map(describeProbe)],
  );
  if (probed?.some((p) => p.result !== "accepted")) io.exitCode = Exit.exchange;
}

/**
 * Where Maven sends this server's credentials: --exchange-url; else the pom's Exchange repositories with its
 * id; else the settings profiles' repositories with it; else the control plane's facade.
 */
function exchangeTargets(
  args: VerifyArgs,
  env: Record<string, string | undefined>,
  base: URL,
  serverId: string,
  text: string,
  path: string,
  values: ReturnType<typeof settingsValues>,
  pom: ProjectPom | undefined,
): { list: ProbeTarget[]; coordinates?: { groupId?: string; artifactId?: string } } {
  const given = givenExchangeUrl(args, env, base);
  const pomPath = pom?.path;
  const coordinates = pom?.report ? { groupId: pom.report.groupId, artifactId: pom.report.artifactId } : undefined;
  if (given) return { list: [{ id: serverId, url: given, source: "given" }], coordinates };
  const fromPom = pomExchange(pom).filter((r) => r.id === serverId && r.url && !r.urlFromEnv).map((r): ProbeTarget => ({ id: serverId, url: r.url!, source: "pom", file: pomPath, line: r.line }));
  if (fromPom.length > 0) return { list: uniqueTargets(fromPom), coordinates };
  const fromSettings = repositoryUrls(text, serverId, values.env, values.properties).map((r): ProbeTarget => ({ id: serverId, url: r.url, source: "settings", file: path, line: r.line }));
  if (fromSettings.length > 0) return { list: fromSettings, coordinates };
  const fallback = defaultFacade(base);
  if (!fallback) {
    throw new M2Error(Exit.usage, `no Exchange repository with id "${serverId}" in the pom or the settings file, and the Exchange Maven URL of the control plane at ${base.origin} is not known`, {
      hint: "Give it with --exchange-url (or ANYPOINT_EXCHANGE_URL).",
    });
  }
  return { list: [{ id: serverId, url: fallback, source: "default" }], coordinates };
}

/**
 * The server id without --server-id: the first of the pom's Exchange repository ids that has a server in the
 * settings file (said in `notes`), else the default. An id the pom takes from the environment is not taken:
 * its value would be shown.
 */
function defaultServerId(args: VerifyArgs, io: Io, text: string, pom: ProjectPom | undefined, notes: string[]): string {
  const values = settingsValues(args, io);
  const ids = [...new Set(pomExchange(pom).filter((r) => !r.idFromEnv).map((r) => r.id!))];
  const id = ids.find((candidate) => serversUsedFor(text, [candidate], values.env, values.properties).length > 0);
  if (id === undefined) return DEFAULT_SERVER_ID;
  notes.push(`Server id from ${pom!.path}: ${id}${ids.length > 1 ? ` (the first of its Exchange repository ids, ${ids.join(", ")}, with a server in the settings file)` : ""}.`);
  return id;
}

/** The server Maven uses for `id`, when it is the token store's. */
function tokenServer(args: VerifyArgs, io: Io, text: string, id: string): { summary: ServerSummary; state: TokenState } | undefined {
  const values = settingsValues(args, io);
  const [summary] = serversUsedFor(text, [id], values.env, values.properties);
  return summary?.token ? { summary, state: summary.token.state } : undefined;
}
