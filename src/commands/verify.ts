/** `verify`: reads a server as Maven would (every store) and proves its connected app with a token request. */
import { Exit, M2Error } from "../errors";
import { loadEnvironment } from "../io/envfile";
import { readSettingsText } from "../io/edit";
import { settingsPath } from "../io/paths";
import { settingsValues } from "../io/trust";
import { readMaster, securityLocation } from "../io/security";
import { storedCredentials } from "../settings/stored";
import { serversUsedFor, tokenWarning, type ServerSummary } from "../settings/list";
import { describeExpiry, type TokenState } from "../settings/token";
import { describeIdentity, prepareCheck, type ConnectionArgs } from "./check";
import type { Io } from "../world";
import { refuseStdoutOntoSettings } from "./stdout";
import { announceEnvFile, debug, report, type OutputArgs } from "./output";
import { DEFAULT_SERVER_ID } from "../domain";

export interface VerifyArgs extends ConnectionArgs, OutputArgs {
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
  const check = prepareCheck(args, io, env);
  const serverId = args.serverId ?? DEFAULT_SERVER_ID;
  const path = settingsPath(args, io);
  refuseStdoutOntoSettings(io, path, "verify");
  debug(io, `settings: ${path}; control plane: ${check.base.origin}`);
  const { exists, value: text } = readSettingsText(io.fs, path, (t) => t);
  if (!text) throw new M2Error(Exit.usage, `${path} ${exists ? "is empty" : "does not exist"}`, { hint: "Run anypoint-m2 setup first." });
  // The security file is read only when the password is encrypted; its errors are about it, not settings.xml.
  const fromSecurity = new WeakSet<object>();
  const master = () => {
    try {
      return readMaster(securityLocation(args, io), io, `the password of server "${serverId}" is encrypted`);
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
  let stored;
  try {
    // ${env.X} as Maven resolves it: from the environment only, not from an env file.
    const values = settingsValues(args, io);
    stored = storedCredentials(text, serverId, values.env, values.properties, { master });
  } catch (e) {
    throw e instanceof M2Error && !fromSecurity.has(e) ? e.inFile(path) : e;
  }
  if (stored.securityFile) debug(io, `password decrypted with the master password of ${stored.securityFile}`);
  const identity = await check.run(stored.clientId, stored.clientSecret, text, path);
  const who = describeIdentity(identity);
  report(
    io,
    args,
    { settings: path, serverId: serverId, verified: true, ...(identity.app ? { app: identity.app } : {}), ...(identity.orgId ? { orgId: identity.orgId } : {}), warnings: [] },
    [`Anypoint (${check.base.host}) accepted the credentials of server "${serverId}" in ${path}${who ? `: ${who}` : ""}.`],
  );
}

/** The server Maven uses for `id`, when it is the token store's. */
function tokenServer(args: VerifyArgs, io: Io, text: string, id: string): { summary: ServerSummary; state: TokenState } | undefined {
  const values = settingsValues(args, io);
  const [summary] = serversUsedFor(text, [id], values.env, values.properties);
  return summary?.token ? { summary, state: summary.token.state } : undefined;
}
