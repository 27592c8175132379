import { changeBytes } from "../../src/settings/bytes";
import { removeServer, upsertServer, type OnExisting, type ServerInput } from "../../src/settings/servers";

export const upsertBytes = (bytes: Uint8Array, server: ServerInput, onExisting: OnExisting = "update") =>
  changeBytes(bytes, (text) => upsertServer(text, server, onExisting));

export const removeBytes = (bytes: Uint8Array, id: string) => changeBytes(bytes, (text) => removeServer(text, id));

/** Whether `after` is `before` with one block inserted and nothing else changed; returns the block. */
export function insertedBlock(before: Uint8Array, after: Uint8Array): Buffer | undefined {
  const b = Buffer.from(before);
  const a = Buffer.from(after);
  if (a.length < b.length) return undefined;
  let prefix = 0;
  while (prefix < b.length && b[prefix] === a[prefix]) prefix++;
  let suffix = 0;
  while (suffix < b.length - prefix && b[b.length - 1 - suffix] === a[a.length - 1 - suffix]) suffix++;
  if (prefix + suffix !== b.length) return undefined;
  return a.subarray(prefix, a.length - suffix);
}
