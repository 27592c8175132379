/** Read, change, write: the one path every command that edits settings.xml goes through. */
import { dirname } from "node:path";
import { Exit, M2Error } from "../errors";
import { applyEdits, type Edit } from "../xml/edit";
import { changeBytes, type ByteChange } from "../settings/bytes";
import type { ChangeKind, ServerChange, SettingsChange } from "../settings/servers";
import template from "../../templates/settings.xml?raw";
import { blank, fileError, makeFolders, readSettingsFile, settingsText, unchangedSince, writeSettingsFile, type SettingsFile } from "./files";
import type { Fs } from "../world";
import { acquireLock } from "./lock";

/**
 * A change to the file as a pure function of its text: the edits, and whatever else the operation learned
 * making them (`report`, generic: what a command prints of it). Planning and writing hand back the report of
 * the very text they planned or wrote, so a command learns nothing through a closure. An operation without a
 * report leaves it undefined (R's default).
 */
export type Operation<R = undefined> = (text: string) => SettingsChange & { report?: R };

export interface EditOutcome<R = undefined> {
  settings: string;
  change: ChangeKind;
  /** For an upsert: what happens to each server (all "unchanged" when the file does not change). */
  servers?: ServerChange[];
  warnings: string[];
  backup: string | undefined;
  /** The backup is the previous version with the secrets the change moved out of the file taken out (SettingsChange.scrub). */
  backupScrubbed: boolean;
  created: boolean;
  /** The file did not exist: the change creates it (for previews: "new file"). */
  newFile: boolean;
  /** The file's mode before the edit (undefined for a new file). */
  mode: number | undefined;
  /** The text before and after (after === before when nothing changes); for previews. */
  before: string;
  after: string;
  /** The edits that make `after` of `before`, when they are known (a preview diffs them, not the whole file). */
  edits?: readonly Edit[];
  /** The resulting file's bytes (for --stdout). */
  bytes: Uint8Array;
  /** The operation's report for the text these bytes were made of (under the lock, the text written). */
  report: R;
}

export interface Plan<R = undefined> {
  path: string;
  file: SettingsFile;
  result: ByteChange<R>;
  /** What the operation learned planning this change (its report). */
  report: R;
  /** Whether a missing file is started from the template (setup) or left alone (remove). */
  create: boolean;
}

/**
 * Reads the settings file and applies `read` to its text, naming the file in any error. `value` is
 * undefined when the file does not exist or is blank (setup starts those from the template).
 */
export function readSettingsText<T>(fs: Fs, path: string, read: (text: string) => T): { exists: boolean; value: T | undefined } {
  const file = readSettingsFile(fs, path);
  try {
    const text = settingsText(file);
    return { exists: file.bytes !== undefined, value: text === undefined ? undefined : read(text) };
  } catch (e) {
    throw e instanceof M2Error ? e.inFile(path) : e;
  }
}

/**
 * Reads the settings file and computes `operation` on it: what would change, without a lock and without
 * writing. File and content errors come from here, before any check or prompt.
 */
export function planEdit<R = undefined>(fs: Fs, path: string, operation: Operation<R>, create: boolean): Plan<R> {
  const file = readSettingsFile(fs, path);
  try {
    const start = file.bytes === undefined || blank(file.bytes) ? Buffer.from(template, "utf8") : file.bytes;
    const result = changeBytes(start, operation);
    return { path, file, result, report: result.report as R, create };
  } catch (e) {
    // A usage error is about the values given, not about the file.
    throw e instanceof M2Error && e.exitCode !== Exit.usage ? e.inFile(path) : e;
  }
}

const textAfter = (result: ByteChange<unknown>): string => (result.change === "unchanged" ? result.text : applyEdits(result.text, result.edits));

/** What a plan did, or would do (no `written`: a dry run, or nothing to write). */
export function outcomeOf<R>(p: Plan<R>, written?: { backup: string | undefined; created: boolean; warnings: string[] }): EditOutcome<R> {
  const absent = p.file.bytes === undefined && !p.create;
  return {
    settings: p.path,
    change: absent ? "unchanged" : p.result.change,
    ...(p.result.servers ? { servers: p.result.servers.map((s) => (p.result.change === "unchanged" ? { ...s, change: "unchanged" as const } : s)) } : {}),
    warnings: [...p.result.warnings, ...(written?.warnings ?? [])],
    backup: written?.backup,
    backupScrubbed: written?.backup !== undefined && p.result.backup !== undefined,
    created: written?.created ?? false,
    newFile: p.file.bytes === undefined && p.create,
    mode: p.file.mode,
    // A blank file was planned from the template; the preview shows the change from what is really there.
    before: p.file.bytes === undefined ? "" : blank(p.file.bytes) ? Buffer.from(p.file.bytes).toString("latin1") : p.result.text,
    after: absent ? "" : textAfter(p.result),
    ...(p.file.bytes !== undefined && !blank(p.file.bytes) && p.result.change !== "unchanged" ? { edits: p.result.edits } : {}),
    // Joined only when asked for (--stdout): a write takes the parts.
    get bytes() {
      return absent ? new Uint8Array() : p.result.bytes;
    },
    report: p.report,
  };
}

/**
 * Writes a plan under the lock: unless its status shows the file untouched since the plan read it, the file
 * is read again there and, when another run changed it since, `operation` is computed again on what is there now. Nothing is written when nothing changes.
 */
export async function writePlan<R>(fs: Fs, first: Plan<R>, operation: Operation<R>, lockWaitMs: number): Promise<EditOutcome<R>> {
  if (first.result.change === "unchanged" || (first.file.bytes === undefined && !first.create)) return outcomeOf(first);
  let lock;
  try {
    makeFolders(fs, dirname(first.file.target));
    lock = await acquireLock(fs, first.file.target, { waitMs: lockWaitMs });
  } catch (e) {
    throw e instanceof M2Error ? e : fileError("lock", first.path, e);
  }
  try {
    const fresh = unchangedSince(fs, first.file) ? first : replan(fs, first, operation);
    if (fresh.result.change === "unchanged" || (fresh.file.bytes === undefined && !fresh.create)) return outcomeOf(fresh);
    // An empty file holds nothing to keep: it does not replace a backup that may hold the user's settings
    // (`setup --stdout > settings.xml` empties the file; its .bak is then the only copy left).
    return outcomeOf(fresh, writeSettingsFile(fs, fresh.file, fresh.result.parts, { backup: !blank(fresh.file.bytes ?? new Uint8Array()), backupContent: fresh.result.backup }));
  } finally {
    lock.release();
  }
}

/** The plan again, on the file as it is under the lock: the same plan when its bytes are the same. */
function replan<R>(fs: Fs, first: Plan<R>, operation: Operation<R>): Plan<R> {
  const current = readSettingsFile(fs, first.path);
  const same = current.bytes === undefined ? first.file.bytes === undefined : first.file.bytes !== undefined && Buffer.compare(current.bytes, first.file.bytes) === 0;
  return same ? { ...first, file: current } : planEdit(fs, first.path, operation, first.create);
}

export interface EditOptions {
  /** Start a missing file from templates/settings.xml; otherwise a missing file is left alone. */
  create: boolean;
  /** Compute and return the change, write nothing. */
  dryRun?: boolean;
  /** How long to wait for another run's lock, in ms. */
  lockWaitMs?: number;
}

/** Plan, then write (unless a dry run): for commands with nothing to do in between. */
export async function editSettings<R = undefined>(fs: Fs, path: string, operation: Operation<R>, options: EditOptions): Promise<EditOutcome<R>> {
  const plan = planEdit(fs, path, operation, options.create);
  return options.dryRun ? outcomeOf(plan) : writePlan(fs, plan, operation, options.lockWaitMs ?? 10_000);
}
