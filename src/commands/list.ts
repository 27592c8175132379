/** `list`: the servers of the settings file Maven reads, one line each (or --json), and what each password is. */
import { readSettingsText } from "../io/edit";
import { settingsPath } from "../io/paths";
import { settingsValues } from "../io/trust";
import { findMaster, securityLocation, type Master } from "../io/security";
import { listServers, tokenWarning, type ServerSummary } from "../settings/list";
import type { Io } from "../world";
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

/** This machine's master password, or why there is none (and whether Maven fails on it too). */
type Security = { master?: Master; problem?: string; mavenFails?: boolean };

/** What the password's store means here: the variables it needs, or whether this machine decrypts it. */
function storeNote(s: ServerSummary, security: Security): string | undefined {
  if (s.variables) {
    const from = `password from ${s.variables.map((v) => `$${v}`).join(", ") || "Maven properties"}`;
    return s.unset ? `${from} (${s.unset.join(", ")} not set here)` : from;
  }
  if (s.maven4) return "encrypted in Maven 4's format: not decrypted here";
  if (s.decrypts === true) return `decrypts with ${security.master!.file}`;
  if (s.decrypts === false) return security.master ? `does not decrypt with ${security.master.file}` : `does not decrypt: ${security.problem}`;
  if (s.decrypts === null) return `not decrypted here: ${security.problem}`;
  return undefined;
}

function tokenNote(s: ServerSummary): string | undefined {
  if (!s.token) return undefined;
  const { expiresAt, state } = s.token;
  return state === "unknown" ? "Anypoint token: expiry not known" : `Anypoint token: ${state === "expired" ? "EXPIRED" : state === "expiring" ? "expires within the hour" : "valid"} (${expiresAt})`;
}

function notes(s: ServerSummary, security: Security): string {
  return [s.connectedApp ? "Anypoint connected app" : undefined, tokenNote(s), storeNote(s, security), s.shadowed ? "ignored by Maven: an earlier server has this id" : undefined].filter(Boolean).join("; ");
}

/**
 * This machine's master password, when a password is encrypted; a problem with the security file is told, not
 * fatal: where Maven fails on the file too, its encrypted passwords do not decrypt.
 */
function security(args: { securityFile?: string; mavenReadsSecurityFile?: boolean }, io: Io): Security {
  const found = findMaster(securityLocation(args, io), io, "encrypted passwords need Maven's master password");
  if ("master" in found) return { master: found.master };
  const e = found.problem;
  return { problem: `${e.details.file ? `${e.details.file}: ` : ""}${e.message}`, mavenFails: found.mavenFails };
}

export function list(args: { settings?: string; securityFile?: string; mavenReadsSecurityFile?: boolean } & OutputArgs, io: Io): void {
  const path = settingsPath(args, io);
  refuseStdoutOntoSettings(io, path, "list");
  const { exists, value } = readSettingsText(io.fs, path, (text) => {
    const values = settingsValues(args, io);
    const raw = listServers(text, values.env, values.properties);
    if (!raw.some((s) => s.password === "encrypted")) return { servers: raw, security: {} };
    const found = security(args, io);
    return { servers: listServers(text, values.env, values.properties, { master: found.master?.master, mavenFails: found.mavenFails }), security: found };
  });
  const servers: ServerSummary[] = value?.servers ?? [];
  const found: Security = value?.security ?? {};
  const human =
    !exists ? [`${path} does not exist yet.`]
    : servers.length === 0 ? [`${path} has no servers.`]
    : [
        `${path}:`,
        ...table(
          ["ID", "USERNAME", "PASSWORD", "CLIENT ID", "LINE", "NOTES"],
          servers.map((s) => [cell(s.id, "(no id)"), cell(s.username), s.password, cell(s.clientId), String(s.line), notes(s, found)]),
        ),
      ];
  const securityFile = found.master ? { securityFile: found.master.file } : found.problem ? { securityProblem: found.problem } : {};
  const warnings = servers.flatMap((s) => tokenWarning(s) ?? []);
  report(io, args, { settings: path, exists, servers, ...securityFile, ...(warnings.length ? { warnings } : {}) }, human);
}
