/** `list`: the servers of the settings file Maven reads, one line each (or --json), and what each password is. */
import { M2Error } from "../errors";
import { readSettingsText } from "../io/edit";
import { settingsPath } from "../io/paths";
import { settingsValues } from "../io/trust";
import { findMaster, securityLocation, type Master } from "../io/security";
import { findMaster4, security4File, type Master4, type Master4Reading } from "../io/security4";
import { listServers, tokenWarning, type ServerSummary } from "../settings/list";
import { EXPIRING_MINUTES } from "../settings/token";
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
type Security = { master?: Master; problem?: string; mavenFails?: boolean; master4?: Master4; problem4?: string };

/** What the password's store means here: the variables it needs, or whether this machine decrypts it. */
function storeNote(s: ServerSummary, security: Security): string | undefined {
  if (s.variables) {
    const from = `password from ${s.variables.map((v) => `$${v}`).join(", ") || "Maven properties"}`;
    return s.unset ? `${from} (${s.unset.join(", ")} not set here)` : from;
  }
  if (s.maven4) {
    if (s.decrypts === true) return `encrypted in Maven 4's format; decrypts with ${security.master4!.file}`;
    if (s.decrypts === false) return `encrypted in Maven 4's format; does not decrypt with ${security.master4!.file}`;
    return `encrypted in Maven 4's format: not decrypted here${security.problem4 ? `: ${security.problem4}` : ""}`;
  }
  if (s.decrypts === true) return `decrypts with ${security.master!.file}`;
  if (s.decrypts === false) return security.master ? `does not decrypt with ${security.master.file}` : `does not decrypt: ${security.problem}`;
  if (s.decrypts === null) return `not decrypted here: ${security.problem}`;
  return undefined;
}

function tokenNote(s: ServerSummary): string | undefined {
  if (!s.token) return undefined;
  const { expiresAt, state } = s.token;
  return state === "unknown" ? "Anypoint token: expiry not known" : `Anypoint token: ${state === "expired" ? "EXPIRED" : state === "expiring" ? `expires within ${EXPIRING_MINUTES} min` : "valid"} (${expiresAt})`;
}

function notes(s: ServerSummary, security: Security): string {
  return [s.connectedApp ? "Anypoint connected app" : undefined, tokenNote(s), storeNote(s, security), s.shadowed ? "ignored by Maven: an earlier server has this id" : undefined].filter(Boolean).join("; ");
}

/**
 * This machine's master password, when a password is encrypted; a problem with the security file is told, not
 * fatal: where Maven fails on the file too, its encrypted passwords do not decrypt.
 */
function security(args: { securityFile?: string; mavenReadsSecurityFile?: boolean }, io: Io, needs: { maven3: boolean; maven4: boolean }): Security {
  const four = needs.maven4 ? security4(args, io) : {};
  if (!needs.maven3) return four;
  const found = findMaster(securityLocation(args, io), io, "encrypted passwords need Maven's master password");
  if ("master" in found) return { master: found.master, ...four };
  const e = found.problem;
  return { problem: `${e.details.file ? `${e.details.file}: ` : ""}${e.message}`, mavenFails: found.mavenFails, ...four };
}

/** Maven 4's master password, for Maven 4 values, or why there is none. */
function security4(args: { securityFile?: string }, io: Io): Pick<Security, "master4" | "problem4"> {
  let found: Master4Reading;
  try {
    found = findMaster4(security4File(args, io), io, "Maven 4 values need Maven 4's master password");
  } catch (e) {
    // A --security-file that is Maven 3's only: a problem for Maven 4 values, not for the list.
    if (!(e instanceof M2Error)) throw e;
    found = { problem: e };
  }
  if ("master" in found) return { master4: found.master };
  const e = found.problem;
  return { problem4: `${e.details.file ? `${e.details.file}: ` : ""}${e.message}` };
}

export function list(args: { settings?: string; securityFile?: string; mavenReadsSecurityFile?: boolean } & OutputArgs, io: Io): void {
  const path = settingsPath(args, io);
  refuseStdoutOntoSettings(io, path, "list");
  const { exists, value } = readSettingsText(io.fs, path, (text) => {
    const values = settingsValues(args, io);
    const raw = listServers(text, values.env, values.properties);
    const needs = { maven3: raw.some((s) => s.password === "encrypted" && !s.maven4), maven4: raw.some((s) => s.maven4) };
    if (!needs.maven3 && !needs.maven4) return { servers: raw, security: {} };
    const found = security(args, io, needs);
    const options = { master: found.master?.master, master4: found.master4?.master, mavenFails: found.mavenFails };
    return { servers: listServers(text, values.env, values.properties, options), security: found };
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
  const security4File = found.master4 ? { security4File: found.master4.file } : found.problem4 ? { security4Problem: found.problem4 } : {};
  const warnings = servers.flatMap((s) => tokenWarning(s) ?? []);
  report(io, args, { settings: path, exists, servers, ...securityFile, ...security4File, ...(warnings.length ? { warnings } : {}) }, human);
}
