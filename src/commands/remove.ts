/** `remove`: takes servers out of the settings file (and, with --with-repositories, what setup added for them). */
import { Exit, M2Error } from "../errors";
import { editSettings, type Operation } from "../io/edit";
import { settingsPath } from "../io/paths";
import { settingsValues } from "../io/trust";
import { andRepositories, removeRepositories } from "../settings/repositories";
import { listServers } from "../settings/list";
import { includeInMirrors, type MirrorIds } from "../settings/exclude";
import { applyEdits } from "../xml/edit";
import { composeEdits } from "../xml/compose";
import { removeServer, type ChangeKind } from "../settings/servers";
import { nearest } from "./nearest";
import type { Io } from "../world";
import { debug, done, reportEdit, type OutputArgs } from "./output";
import { refuseStdoutOntoSettings } from "./stdout";

export interface RemoveArgs extends OutputArgs {
  id: string;
  settings?: string;
  dryRun?: boolean;
  stdout?: boolean;
  lockTimeout: number;
  withRepositories?: boolean;
  /** Take `!id` out of the mirrors too (what setup --exclude-from-mirrors added). */
  fromMirrors?: boolean;
}

export async function remove(args: RemoveArgs, io: Io): Promise<void> {
  if (args.stdout && (args.json || args.dryRun)) throw new M2Error(Exit.usage, "--stdout prints the settings file; it goes with neither --json nor --dry-run");
  const path = settingsPath(args, io);
  refuseStdoutOntoSettings(io, path, "remove");
  debug(io, `settings: ${path}`);
  const outcome = await editSettings(io.fs, path, operation(args, io), { create: false, dryRun: args.dryRun || args.stdout, lockWaitMs: args.lockTimeout * 1000 });
  if (args.stdout) {
    io.writeStdout(outcome.bytes);
    return;
  }
  const diff = args.dryRun ? (await import("./preview")).maskedDiff(path, outcome.before, outcome.after, [], { color: io.color && !args.json, cwd: io.cwd }) : "";
  const server = outcome.change === "removed" ? outcome.report.server : "unchanged";
  const repositories = args.withRepositories ? (outcome.change === "removed" ? outcome.report.repositories : "unchanged") : undefined;
  const mirrors = args.fromMirrors ? (outcome.change === "removed" ? (outcome.report.mirrors ?? []) : []) : undefined;
  const what = [
    server === "removed" ? `server "${args.id}"` : "",
    repositories === "removed" ? "the repositories anypoint-m2 had added" : "",
    mirrors?.length ? `the exclusion of "${args.id}" from mirror ${mirrors.map((m) => `"${m.mirror}" (line ${m.line})`).join(", ")}` : "",
  ].filter(Boolean).join(" and ");
  const prose =
    outcome.change !== "removed"
      ? [`No server "${args.id}"${args.withRepositories ? " and no repositories anypoint-m2 added" : ""}${args.fromMirrors ? ` and no mirror excluding it` : ""} in ${path}; nothing changed.`, ...(server === "removed" ? [] : otherIds(args, io, outcome.before))]
      : args.dryRun
        ? [`Dry run: would remove ${what} from ${path}; nothing written.`]
        : [done(io, `Removed ${what} from ${path}.`), ...(server !== "removed" ? [`No server "${args.id}" was there.`, ...otherIds(args, io, outcome.before)] : []), ...(outcome.backup ? [`Previous version saved as ${outcome.backup}${server === "removed" ? ` (it still holds server "${args.id}" as it was, its password too: delete it once you no longer need it)` : ""}.`] : [])];
  const result = { settings: path, serverId: args.id, change: server, ...(repositories ? { repositories } : {}), ...(mirrors ? { mirrors } : {}), backup: outcome.backup ?? null, ...(args.dryRun ? { dryRun: true, diff } : {}), warnings: outcome.warnings };
  reportEdit(io, args, result, prose, diff);
}

/** The ids the file has, when the one asked for is not among them: the nearest suggested (ids as Maven resolves them). */
function otherIds(args: RemoveArgs, io: Io, text: string): string[] {
  const { env, properties } = settingsValues(args, io);
  let ids: string[];
  try {
    ids = [...new Set(listServers(text, env, properties).flatMap((s) => (s.id === null ? [] : [s.id])))];
  } catch {
    return [];
  }
  if (ids.length === 0) return ["It has no server."];
  const near = nearest(args.id, ids);
  const shown = ids.length > 12 ? `${ids.slice(0, 10).join(", ")} and ${ids.length - 10} more (anypoint-m2 list shows them)` : ids.join(", ");
  return [`Its server ids: ${shown}.${near ? ` Did you mean "${near}"?` : ""}`];
}

/** What one planning did to the server and to the repositories (the file's change covers both). */
interface RemoveReport {
  server: ChangeKind;
  repositories?: ChangeKind;
  /** --from-mirrors: the mirrors `!id` was taken out of. */
  mirrors?: MirrorIds[];
}

/** The server out, and with --with-repositories what setup added for it, as a pure function of the file's text. */
function operation(args: RemoveArgs, io: Io): Operation<RemoveReport> {
  return (text) => {
    const { env, properties } = settingsValues(args, io);
    const server = removeServer(text, args.id, env, properties);
    const both = args.withRepositories ? andRepositories(text, server, (middle) => removeRepositories(middle, [args.id], env, properties)) : undefined;
    const first = both ?? server;
    const report: RemoveReport = { server: server.change, ...(both ? { repositories: both.repositories } : {}) };
    if (!args.fromMirrors) return { ...first, report };
    const mirrors = includeInMirrors(first.edits.length > 0 ? applyEdits(text, first.edits) : text, [args.id], env, properties);
    const edits = composeEdits(text, first.edits, mirrors.edits);
    return { ...first, edits, change: edits.length > 0 ? "removed" : "unchanged", warnings: [...first.warnings, ...mirrors.warnings], report: { ...report, mirrors: mirrors.mirrors } };
  };
}
