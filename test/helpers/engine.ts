import { changeBytes } from "../../src/settings/bytes";
import { readSettings } from "../../src/settings/model";
import type { XmlElement } from "../../src/xml/scan";
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
 * Whether removing the server `id` from `output` gives back `input`: byte for byte (a <servers> setup
 * created goes with its last server), except where a section without servers, written on one line, had to
 * be opened up to hold the new one: `<settings/>` comes back as `<settings>` and `</settings>` on lines of
 * their own, and a one-line `<servers/>` (or `<servers>…</servers>` holding no server) with only whitespace
 * different inside it.
 */
export function removalRestores(input: Uint8Array, output: Uint8Array, id: string): boolean {
  const removed = removeBytes(output, id);
  if (removed.change !== "removed") return false;
  if (Buffer.compare(removed.bytes, input) === 0) return true;
  const original = decodeXml(input).text;
  const result = decodeXml(removed.bytes).text;
  const { settings, servers } = readSettings(original);
  const oneLine = (e: XmlElement) => e.selfClosing || !/[\r\n]/.test(original.slice(e.openEnd, e.closeStart));
  if (!servers) {
    if (settings.children().length > 0 || !oneLine(settings)) return false;
    const closed = (t: string) => t.replace(/<settings((?:[^>"'/]|"[^"]*"|'[^']*')*?)\s*(?:\/>|>\s*<\/settings>)/, "<settings$1/>");
    return closed(result) === closed(original);
  }
  if (servers.children().length > 0 || !oneLine(servers)) return false;
  const normal = (t: string) => t.replace(/\s+/g, "").replace(/<servers\/>/g, "<servers></servers>");
  return normal(result) === normal(original);
}

/** Whether the file's <settings> holds nothing and is written on one line (`<settings/>`): an added server opens it up for good. */
export function opensUpEmptySection(bytes: Uint8Array): boolean {
  const text = decodeXml(bytes).text;
  const { settings } = readSettings(text);
  return settings.children().length === 0 && (settings.selfClosing || !/[\r\n]/.test(text.slice(settings.openEnd, settings.closeStart)));
}
