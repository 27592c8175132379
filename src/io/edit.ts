/** Read, change, write: the one path every command that edits settings.xml goes through. */
import { dirname } from "node:path";
import { M2Error } from "../errors";
import { applyEdits } from "../xml/edit";
import { decodeXml } from "../xml/encoding";
import { changeBytes, type ByteChange } from "../settings/bytes";
import type { ChangeKind, SettingsChange } from "../settings/servers";
import template from "../../templates/settings.xml?raw";
import { fileError, readSettingsFile, writeSettingsFile, type Fs, type SettingsFile } from "./files";
import { acquireLock } from "./lock";

export interface EditOutcome {
  settings: string;
  change: ChangeKind;
  warnings: string[];
  backup: string | undefined;
  created: boolean;
  /** The file's mode before the edit (undefined for a new file). */
  mode: number | undefined;
  /** The text before and after (after === before when nothing changes); for previews. */
  before: string;
  after: string;
  /** The resulting file's bytes (for --stdout). */
  bytes: Uint8Array;
}

export interface EditOptions {
  /** Start a missing file from templates/settings.xml; otherwise a missing file is left alone. */
  create: boolean;
  /**
   * Runs once the change is known; may throw to stop it. Returns true when what `operation` writes has
   * changed since (a secret asked again), so the change is computed anew.
   */
  beforeWrite?: (plan: Plan) => Promise<boolean | void>;
  /** Compute and return the change, write nothing. */
  dryRun?: boolean;
  /** How long to wait for another run's lock, in ms. */
  lockWaitMs?: number;
}

export interface Plan {
  path: string;
  file: SettingsFile;
  result: ByteChange;
}

/** An empty or whitespace-only file holds nothing to keep (Maven cannot read it): it starts from the template. */
const blank = (bytes: Uint8Array): boolean => bytes.every((b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d);

/**
 * Reads the settings file and applies `read` to its text, naming the file in any error. `value` is
 * undefined when the file does not exist or is blank (setup starts those from the template).
 */
export function readSettingsText<T>(fs: Fs, path: string, read: (text: string) => T): { exists: boolean; value: T | undefined } {
  const file = readSettingsFile(fs, path);
  if (file.bytes === undefined || blank(file.bytes)) return { exists: file.bytes !== undefined, value: undefined };
  try {
    return { exists: true, value: read(decodeXml(file.bytes).text) };
  } catch (e) {
    throw e instanceof M2Error ? e.inFile(path) : e;
  }
}

function plan(fs: Fs, path: string, operation: (text: string) => SettingsChange): Plan {
  const file = readSettingsFile(fs, path);
  try {
    const start = file.bytes === undefined || blank(file.bytes) ? Buffer.from(template, "utf8") : file.bytes;
    return { path, file, result: changeBytes(start, operation) };
  } catch (e) {
    throw e instanceof M2Error ? e.inFile(path) : e;
  }
}

const textAfter = (result: ByteChange): string => (result.change === "unchanged" ? result.text : applyEdits(result.text, result.edits));

/**
 * Applies `operation` to the settings file. The change is computed first (errors, previews and the
 * credential check come before any lock); then, under the lock, the file is read again, the change
 * computed again on what is there now, and written. Nothing is written when nothing changes.
 */
export async function editSettings(fs: Fs, path: string, operation: (text: string) => SettingsChange, options: EditOptions): Promise<EditOutcome> {
  const first = plan(fs, path, operation);
  const outcome = (p: Plan, written?: { backup: string | undefined; created: boolean; warnings: string[] }): EditOutcome => ({
    settings: path,
    change: p.file.bytes === undefined && !options.create ? "unchanged" : p.result.change,
    warnings: [...p.result.warnings, ...(written?.warnings ?? [])],
    backup: written?.backup,
    created: written?.created ?? false,
    mode: p.file.mode,
    before: p.file.bytes === undefined ? "" : p.result.text,
    after: p.file.bytes === undefined && !options.create ? "" : textAfter(p.result),
    bytes: p.file.bytes === undefined && !options.create ? new Uint8Array() : p.result.bytes,
  });
  if (first.file.bytes === undefined && !options.create) return outcome(first);
  const inputsChanged = (await options.beforeWrite?.(first)) === true;
  if (options.dryRun || first.result.change === "unchanged") return outcome(first);

  let lock;
  try {
    fs.mkdirSync(dirname(first.file.target), { recursive: true, mode: 0o700 });
    lock = await acquireLock(fs, first.file.target, { waitMs: options.lockWaitMs });
  } catch (e) {
    throw e instanceof M2Error ? e : fileError("lock", path, e);
  }
  try {
    // Read again under the lock; compute again only if another run changed the file meanwhile.
    const current = readSettingsFile(fs, path);
    const same =
      !inputsChanged &&
      (current.bytes === undefined ? first.file.bytes === undefined : first.file.bytes !== undefined && Buffer.compare(current.bytes, first.file.bytes) === 0);
    const fresh = same ? { ...first, file: current } : plan(fs, path, operation);
    if (fresh.result.change === "unchanged") return outcome(fresh);
    return outcome(fresh, writeSettingsFile(fs, fresh.file, fresh.result.bytes));
  } finally {
    lock.release();
  }
}
