import { Exit, M2Error } from "../errors";
import { editSettings } from "../io/edit";
import { settingsPath } from "../io/paths";
import { CONNECTED_APP_USERNAME } from "../settings/list";
import { upsertServer, type OnExisting } from "../settings/servers";
import type { Io } from "./io";
import { report } from "./output";

export interface SetupArgs {
  clientId?: string;
  clientSecretStdin?: boolean;
  serverId: string;
  settings?: string;
  onExisting: OnExisting;
  verify: boolean;
  baseUrl?: string;
  timeout: number;
  json: boolean;
}

const SEPARATOR = "~?~";

async function credentials(args: SetupArgs, io: Io): Promise<{ clientId: string; clientSecret: string }> {
  const clientId = args.clientId ?? io.env.ANYPOINT_CLIENT_ID;
  const clientSecret = args.clientSecretStdin ? (await io.readStdin()).replace(/\r?\n$/, "") : io.env.ANYPOINT_CLIENT_SECRET;
  const missing: string[] = [];
  if (!clientId) missing.push("client ID: pass --client-id or set ANYPOINT_CLIENT_ID");
  if (!clientSecret) missing.push(args.clientSecretStdin ? "client secret: stdin was empty" : "client secret: set ANYPOINT_CLIENT_SECRET or pass --client-secret-stdin");
  if (missing.length > 0) throw new M2Error(Exit.usage, `missing input:\n  ${missing.join("\n  ")}`);
  if (clientId!.includes(SEPARATOR)) throw new M2Error(Exit.usage, `the client ID contains "${SEPARATOR}", which separates it from the secret in the password`);
  return { clientId: clientId!, clientSecret: clientSecret! };
}

export async function setup(args: SetupArgs, io: Io): Promise<void> {
  const { clientId, clientSecret } = await credentials(args, io);
  const path = settingsPath(args.settings, io.home);
  const server = { id: args.serverId, username: CONNECTED_APP_USERNAME, password: `${clientId}${SEPARATOR}${clientSecret}` };
  let verified = false;
  const outcome = await editSettings(io.fs, path, (text) => upsertServer(text, server, args.onExisting), {
    create: true,
    beforeWrite: async () => {
      if (!args.verify) return;
      const { checkCredentials } = await import("../anypoint/token");
      await checkCredentials({ baseUrl: args.baseUrl ?? io.env.ANYPOINT_BASE_URL, clientId, clientSecret, timeoutSeconds: args.timeout });
      verified = true;
    },
  });
  const warnings = [...outcome.warnings];
  if (outcome.mode !== undefined && (outcome.mode & 0o077) !== 0 && outcome.change !== "unchanged") {
    warnings.push(`${path} can be read by other users (mode ${outcome.mode.toString(8)}) and holds a secret; run: chmod 600 ${path}`);
  }
  const verb = { added: "Added", updated: "Updated", unchanged: "Kept", removed: "Removed" }[outcome.change];
  report(
    io,
    args.json,
    { settings: path, serverId: args.serverId, change: outcome.change, created: outcome.created, backup: outcome.backup ?? null, verified, warnings },
    [
      `${verb} server "${args.serverId}" in ${path}${outcome.created ? " (new file)" : ""}${outcome.change === "unchanged" ? ": nothing to change" : ""}.`,
      ...(verified ? ["Anypoint accepted the connected app's credentials."] : []),
      ...(outcome.backup ? [`Previous version saved as ${outcome.backup}.`] : []),
      `Next: use <id>${args.serverId}</id> for the Exchange repository in your pom.xml.`,
    ],
  );
}
