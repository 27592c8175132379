import { changeBytes } from "../../src/settings/bytes";
import { listServers } from "../../src/settings/list";
import { decodeXml } from "../../src/xml/encoding";
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

/**
 * Whether removing the server `id` from `output` gives back `input`: exactly or, where the file had no
 * server so that the upsert had to create <servers> or open it up, with an empty one left behind (the
 * same text but for that element and whitespace).
 */
export function removalRestores(input: Uint8Array, output: Uint8Array, id: string): boolean {
  const removed = removeBytes(output, id);
  if (removed.change !== "removed") return false;
  if (Buffer.compare(removed.bytes, input) === 0) return true;
  const original = decodeXml(input).text;
  if (listServers(original).length > 0) return false;
  const result = decodeXml(removed.bytes).text;
  const created = result.replace(/(\r\n|\r|\n)[ \t]*<servers>\s*<\/servers>/, "");
  // Without whitespace and empty <servers> (a look-alike in a comment or PI may come first), and with
  // <settings/>, which is opened up to hold <servers>, as <settings></settings>.
  const normal = (t: string) =>
    t
      .replace(/\s+/g, "")
      .replace(/<servers(\/>|><\/servers>)/g, "")
      .replace(/<settings((?:[^>"']|"[^"]*"|'[^']*')*?)\/>/, "<settings$1></settings>");
  return created === original || normal(result) === normal(original);
}
