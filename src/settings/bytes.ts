/** The engine over a file's bytes: decode, compute the change as text edits, splice it into the original bytes. */
import { applyEditsToBytes, decodeXml } from "../xml/encoding";
import type { SettingsChange } from "./servers";

export interface ByteChange extends SettingsChange {
  /** The new content; the same array when nothing changes. */
  bytes: Uint8Array;
  /** The original content as text. */
  text: string;
}

export function changeBytes(bytes: Uint8Array, operation: (text: string) => SettingsChange): ByteChange {
  const decoded = decodeXml(bytes);
  const result = operation(decoded.text);
  const text = decoded.text;
  if (result.edits.length === 0) return { ...result, bytes, text };
  const next = applyEditsToBytes(bytes, decoded, result.edits);
  if (Buffer.compare(next, bytes) === 0) return { ...result, edits: [], change: "unchanged", bytes, text };
  return { ...result, bytes: next, text };
}
