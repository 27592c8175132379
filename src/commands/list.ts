import { readSettingsText } from "../io/edit";
import { mavenProperties, settingsPath } from "../io/paths";
import { listServers, type ServerSummary } from "../settings/list";
import type { Io } from "./io";
import { refuseStdoutOntoSettings } from "./stdout";
import { report, type OutputArgs } from "./output";

/** A control character (a line break inside an id, say) would break the table: shown as "?". */
const cell = (value: string | null, none = "-"): string => (value === null ? none : value.replace(/[\u0000-\u001f\u007f]/g, "?"));

/** Columns padded to their widest value (at most 40) and headed, each one; the last is not padded. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (cells: string[]) => `  ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")}`.trimEnd();
  return [line(header), ...rows.map(line)];
}

function notes(s: ServerSummary): string {
  return [s.connectedApp ? "Anypoint connected app" : undefined, s.shadowed ? "ignored by Maven: an earlier server has this id" : undefined].filter(Boolean).join("; ");
}

export function list(args: { settings?: string } & OutputArgs, io: Io): void {
  const path = settingsPath(args, io);
  refuseStdoutOntoSettings(io, path, "list");
  const { exists, value } = readSettingsText(io.fs, path, (text) => listServers(text, io.env, mavenProperties(io)));
  const servers: ServerSummary[] = value ?? [];
  const human =
    !exists ? [`${path} does not exist yet.`]
    : servers.length === 0 ? [`${path} has no servers.`]
    : [
        `${path}:`,
        ...table(
          ["ID", "USERNAME", "PASSWORD", "CLIENT ID", "LINE", "NOTES"],
          servers.map((s) => [cell(s.id, "(no id)"), cell(s.username), s.password, cell(s.clientId), String(s.line), notes(s)]),
        ),
      ];
  report(io, args, { settings: path, exists, servers }, human);
}
