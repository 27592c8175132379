// The repositories engine over bytes, as setup and remove run it (through changeBytes).
import { changeBytes } from "../../src/settings/bytes";
import { mergeRepositories, removeRepositories, type RepositoriesInput } from "../../src/settings/repositories";
import { decodeXml } from "../../src/xml/encoding";

export const US = "https://maven.anypoint.mulesoft.com/api/v3/maven";

export const mergeBytes = (bytes: Uint8Array, input: RepositoriesInput) => changeBytes(bytes, (text) => mergeRepositories(text, input));
export const unmergeBytes = (bytes: Uint8Array, serverIds: readonly string[]) => changeBytes(bytes, (text) => removeRepositories(text, serverIds));

/** A section that was empty comes back opened up (`<x>` and `</x>` on lines of their own): the same for this. */
const closeEmpty = (text: string) =>
  text.replace(/<(settings|pluginGroups|profiles|activeProfiles|repositories|pluginRepositories)(\s[^>]*?)?\s*(?:\/>|>\s*<\/\1>)/g, (_, name: string, attributes = "") => `<${name}${attributes.trimEnd()}/>`);

/**
 * Whether taking the repositories out of `merged` gives back `original`: byte for byte, or, where the file
 * had a section that was empty, with that section opened up and nothing else different.
 */
export function unmergeRestores(original: Uint8Array, merged: Uint8Array, serverIds: readonly string[]): { exact: boolean; restored: boolean } {
  const removed = unmergeBytes(merged, serverIds);
  return compareRestored(original, removed);
}

/** Whether `removed` is `original`: byte for byte, or with sections that were empty opened up. */
export function compareRestored(original: Uint8Array, removed: { change: string; bytes: Uint8Array }): { exact: boolean; restored: boolean } {
  if (removed.change !== "removed") return { exact: false, restored: false };
  if (Buffer.compare(Buffer.from(removed.bytes), Buffer.from(original)) === 0) return { exact: true, restored: true };
  return { exact: false, restored: closeEmpty(decodeXml(removed.bytes).text) === closeEmpty(decodeXml(original).text) };
}
