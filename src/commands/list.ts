import { readSettingsText } from "../io/edit";
import { settingsPath } from "../io/paths";
import { listServers, type ServerSummary } from "../settings/list";
import type { Io } from "./io";
import { report, type OutputArgs } from "./output";

export function list(args: { settings?: string } & OutputArgs, io: Io): void {
  const path = settingsPath(args, io);
  const { exists, value } = readSettingsText(io.fs, path, listServers);
  const servers: ServerSummary[] = value ?? [];
  const idWidth = Math.min(40, Math.max(2, ...servers.map((s) => (s.id ?? "(no id)").length)));
  const userWidth = Math.min(40, Math.max(8, ...servers.map((s) => (s.username ?? "-").length)));
  const human =
    !exists ? [`${path} does not exist yet.`]
    : servers.length === 0 ? [`${path} has no servers.`]
    : [
        `${path}:`,
        `  ${"ID".padEnd(idWidth)}  ${"USERNAME".padEnd(userWidth)}  PASSWORD  LINE`,
        ...servers.map((s) => {
          const notes = [s.connectedApp ? "Anypoint connected app" : undefined, s.shadowed ? "ignored by Maven: an earlier server has this id" : undefined].filter(Boolean);
          return `  ${(s.id ?? "(no id)").padEnd(idWidth)}  ${(s.username ?? "-").padEnd(userWidth)}  ${s.password.padEnd(8)}  ${String(s.line).padEnd(4)}${notes.length ? `  ${notes.join("; ")}` : ""}`.trimEnd();
        }),
      ];
  report(io, args, { settings: path, exists, servers }, human);
}
