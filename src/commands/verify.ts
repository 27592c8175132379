import { Exit, M2Error } from "../errors";
import { loadEnvironment } from "../io/envfile";
import { readSettingsFile } from "../io/files";
import { settingsPath } from "../io/paths";
import { storedCredentials } from "../settings/stored";
import { decodeXml } from "../xml/encoding";
import { describeIdentity, prepareCheck, type ConnectionArgs } from "./check";
import type { Io } from "./io";
import { debug, report, type OutputArgs } from "./output";
import { DEFAULT_SERVER_ID } from "./setup";

export interface VerifyArgs extends ConnectionArgs, OutputArgs {
  serverId?: string;
  settings?: string;
  envFile?: string | false;
}

export async function verify(args: VerifyArgs, io: Io): Promise<void> {
  const { env } = await loadEnvironment(io.fs, io.env, args.envFile, io.cwd);
  const check = prepareCheck(args, env, (m) => debug(io, m));
  const serverId = args.serverId ?? DEFAULT_SERVER_ID;
  const path = settingsPath(args.settings, io.home);
  debug(io, `settings: ${path}; control plane: ${check.base.origin}`);
  const file = readSettingsFile(io.fs, path);
  if (!file.bytes) throw new M2Error(Exit.usage, `${path} does not exist`, { hint: "Run anypoint-m2 setup first." });
  let text: string;
  let stored;
  try {
    text = decodeXml(file.bytes).text;
    // ${env.X} as Maven resolves it: from the environment only, not from an env file.
    stored = storedCredentials(text, serverId, io.env);
  } catch (e) {
    throw e instanceof M2Error ? e.inFile(path) : e;
  }
  const identity = await check.run(stored.clientId, stored.clientSecret, text);
  const who = describeIdentity(identity);
  report(
    io,
    args,
    { settings: path, serverId: serverId, verified: true, ...(identity.app ? { app: identity.app } : {}), ...(identity.orgId ? { orgId: identity.orgId } : {}), warnings: [] },
    [`Anypoint (${check.base.host}) accepted the credentials of server "${serverId}" in ${path}${who ? `: ${who}` : ""}.`],
  );
}
