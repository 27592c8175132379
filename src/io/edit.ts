/** Read, change, write: the one path every command that edits settings.xml goes through. */
import { M2Error } from "../errors";
import { applyEditsToBytes, decodeXml } from "../xml/encoding";
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
 * when `create` is set, and is left alone otherwise. `beforeWrite` runs once the change is known and
 * may throw to stop it. Nothing is written when nothing changes.
 */
export async function editSettings(
  fs: Fs,
  path: string,
  operation: (text: string) => SettingsChange,
  { create, beforeWrite }: { create: boolean; beforeWrite?: () => Promise<void> },
): Promise<EditOutcome> {
  const file = await readSettingsFile(fs, path);
  const unchanged = (warnings: string[]): EditOutcome => ({ settings: path, change: "unchanged", warnings, backup: undefined, created: false, mode: file.mode });
  if (file.bytes === undefined) {
    if (!create) return unchanged([]);
    const result = operation(template);
    await beforeWrite?.();
    const decoded = decodeXml(Buffer.from(template, "utf8"));
    const bytes = applyEditsToBytes(Buffer.from(template, "utf8"), decoded, result.edits);
    await writeSettingsFile(fs, file, bytes);
    return { settings: path, change: result.change, warnings: result.warnings, backup: undefined, created: true, mode: undefined };
  }
  let decoded, result;
  try {
    decoded = decodeXml(file.bytes);
    result = operation(decoded.text);
  } catch (e) {
    throw e instanceof M2Error ? e.inFile(path) : e;
  }
  await beforeWrite?.();
  if (result.edits.length === 0) return unchanged(result.warnings);
  const bytes = applyEditsToBytes(file.bytes, decoded, result.edits);
  if (Buffer.compare(bytes, file.bytes) === 0) return unchanged(result.warnings);
  const written = await writeSettingsFile(fs, file, bytes);
  return { settings: path, change: result.change, warnings: result.warnings, ...written, mode: file.mode };
}
