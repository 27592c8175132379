/** Read, change, write: the one path every command that edits settings.xml goes through. */
import { M2Error } from "../errors";
import { changeBytes } from "../settings/bytes";
import type { ChangeKind, SettingsChange } from "../settings/servers";
import template from "../../templates/settings.xml?raw";
import { readSettingsFile, writeSettingsFile, type Fs } from "./files";

export interface EditOutcome {
  settings: string;
  change: ChangeKind;
  warnings: string[];
  backup: string | undefined;
  created: boolean;
  /** The file's mode before the edit (undefined for a new file). */
  mode: number | undefined;
}

/**
 * Applies `operation` to the settings file. A file that does not exist starts from templates/settings.xml
 * when `create` is set, and is left alone otherwise. `beforeWrite` runs once the change is known (with the
 * file's current text) and may throw to stop it. Nothing is written when nothing changes.
 */
export async function editSettings(
  fs: Fs,
  path: string,
  operation: (text: string) => SettingsChange,
  { create, beforeWrite }: { create: boolean; beforeWrite?: (text: string) => Promise<void> },
): Promise<EditOutcome> {
  const file = readSettingsFile(fs, path);
  if (file.bytes === undefined && !create) {
    return { settings: path, change: "unchanged", warnings: [], backup: undefined, created: false, mode: undefined };
  }
  let result;
  try {
    result = changeBytes(file.bytes ?? Buffer.from(template, "utf8"), operation);
  } catch (e) {
    throw e instanceof M2Error ? e.inFile(path) : e;
  }
  await beforeWrite?.(result.text);
  const base = { settings: path, change: result.change, warnings: result.warnings, mode: file.mode };
  if (result.change === "unchanged") return { ...base, backup: undefined, created: false };
  return { ...base, ...writeSettingsFile(fs, file, result.bytes) };
}
