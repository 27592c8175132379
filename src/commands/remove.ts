import { editSettings } from "../io/edit";
import { settingsPath } from "../io/paths";
import { removeServer } from "../settings/servers";
import type { Io } from "./io";
import { report } from "./output";

export async function remove(args: { id: string; settings?: string; json: boolean }, io: Io): Promise<void> {
  const path = settingsPath(args.settings, io.home);
  const outcome = await editSettings(io.fs, path, (text) => removeServer(text, args.id), { create: false });
  report(
    io,
    args.json,
    { settings: path, serverId: args.id, change: outcome.change, backup: outcome.backup ?? null, warnings: outcome.warnings },
    outcome.change === "removed"
      ? [`Removed server "${args.id}" from ${path}.`, ...(outcome.backup ? [`Previous version saved as ${outcome.backup}.`] : [])]
      : [`No server "${args.id}" in ${path}; nothing changed.`],
  );
}
