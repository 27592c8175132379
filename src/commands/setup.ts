import { resolveCredentials, SEPARATOR } from "../anypoint/credentials";
import type { Identity } from "../anypoint/token";
import { editSettings } from "../io/edit";
import { loadEnvironment } from "../io/envfile";
import { settingsPath } from "../io/paths";
import { CONNECTED_APP_USERNAME } from "../settings/list";
import { upsertServer, type OnExisting } from "../settings/servers";
import { describeIdentity, prepareCheck, type ConnectionArgs } from "./check";
import type { Io } from "./io";
import { report } from "./output";

export interface SetupArgs extends ConnectionArgs {
  clientId?: string;
  clientSecret?: string;
  clientSecretStdin?: boolean;
  serverId: string;
  settings?: string;
  onExisting: OnExisting;
  verify: boolean;
  envFile?: string | false;
  json: boolean;
}

export async function setup(args: SetupArgs, io: Io): Promise<void> {
  const { env, file: envFile } = await loadEnvironment(io.fs, io.env, args.envFile, io.cwd);
  const check = args.verify ? prepareCheck(args, env) : undefined;
  const { clientId, clientSecret, warnings } = resolveCredentials({
    clientId: args.clientId,
    clientSecret: args.clientSecret,
    stdinSecret: args.clientSecretStdin ? await io.readStdin() : undefined,
    env,
    envFile,
  });
  const path = settingsPath(args.settings, io.home);
  const server = { id: args.serverId, username: CONNECTED_APP_USERNAME, password: `${clientId}${SEPARATOR}${clientSecret}` };
  let identity: Identity | undefined;
  const outcome = await editSettings(io.fs, path, (text) => upsertServer(text, server, args.onExisting), {
    create: true,
    beforeWrite: async (plan) => {
      identity = await check?.run(clientId, clientSecret, plan.result.text);
    },
  });
  warnings.push(...outcome.warnings);
  if (outcome.mode !== undefined && (outcome.mode & 0o077) !== 0 && outcome.change !== "unchanged") {
    warnings.push(`${path} can be read by other users (mode ${outcome.mode.toString(8)}) and holds a secret; run: chmod 600 ${path}`);
  }
  const who = identity ? describeIdentity(identity) : "";
  const verb = { added: "Added", updated: "Updated", unchanged: "Kept", removed: "Removed" }[outcome.change];
  report(
    io,
    args.json,
    {
      settings: path,
      serverId: args.serverId,
      change: outcome.change,
      created: outcome.created,
      backup: outcome.backup ?? null,
      verified: identity !== undefined,
      ...(identity?.app ? { app: identity.app } : {}),
      ...(identity?.orgId ? { orgId: identity.orgId } : {}),
      warnings,
    },
    [
      ...(check ? [`Anypoint (${check.base.host}) accepted the credentials${who ? ` of ${who}` : ""}.`] : []),
      `${verb} server "${args.serverId}" ${outcome.change === "added" ? "to" : "in"} ${path}${outcome.created ? " (new file)" : ""}${outcome.change === "unchanged" ? ": nothing to change" : ""}.`,
      ...(outcome.backup ? [`Previous version saved as ${outcome.backup}.`] : []),
      `Next: use <id>${args.serverId}</id> for the Exchange repository in your pom.xml.`,
    ],
  );
}
