/** The engine over a file's bytes: decode, compute the change as text edits, splice it into the original bytes. */
import { decodeXml, editedParts } from "../xml/encoding";
import type { SettingsChange } from "./servers";

export interface ByteChange<R = undefined> extends SettingsChange {
  /** What the operation learned making this change (io/edit.ts's Operation), passed through untouched. */
  report?: R;
  /** The new content; the same array when nothing changes. Joined on first use: writing needs only `parts`. */
  readonly bytes: Uint8Array;
  /** The new content in pieces, in order (views of the original bytes and the new text). */
  parts: readonly Uint8Array[];
  /** The original content as text. */
  text: string;
  /** The backup in pieces, when the change scrubs it (SettingsChange.scrub); else the backup is the original. */
  backup?: readonly Uint8Array[];
}

const lengthOf = (parts: readonly Uint8Array[]): number => parts.reduce((n, p) => n + p.length, 0);

export function changeBytes<R = undefined>(bytes: Uint8Array, operation: (text: string) => SettingsChange & { report?: R }): ByteChange<R> {
  const decoded = decodeXml(bytes);
  const result = operation(decoded.text);
  const text = decoded.text;
  if (result.edits.length === 0) return { ...result, bytes, parts: [bytes], text };
  const parts = editedParts(bytes, decoded, result.edits);
  // Edits that give back the same bytes are no change (a new length always is one: no need to join them).
  let joined = lengthOf(parts) === bytes.length ? Buffer.concat(parts) : undefined;
  if (joined && Buffer.compare(joined, bytes) === 0) return { ...result, edits: [], change: "unchanged", bytes, parts: [bytes], text };
  return {
    ...result,
    parts,
    text,
    ...(result.scrub?.length ? { backup: editedParts(bytes, decoded, result.scrub) } : {}),
    get bytes() {
      return (joined ??= Buffer.concat(parts));
    },
  };
}
