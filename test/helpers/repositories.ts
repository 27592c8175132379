// The repositories engine over bytes, as setup and remove run it (through changeBytes).
import { changeBytes } from "../../src/settings/bytes";
import { mergeRepositories, removeRepositories, type RepositoriesInput } from "../../src/settings/repositories";
import { readSettings } from "../../src/settings/model";
import { decodeXml } from "../../src/xml/encoding";
import type { XmlElement } from "../../src/xml/scan";

export const US = "https://maven.anypoint.mulesoft.com/api/v3/maven";

export const mergeBytes = (bytes: Uint8Array, input: RepositoriesInput) => changeBytes(bytes, (text) => mergeRepositories(text, input));
export const unmergeBytes = (bytes: Uint8Array, serverIds: readonly string[]) => changeBytes(bytes, (text) => removeRepositories(text, serverIds));

/**
 * Whether merging opens up a section that is empty on one line (`<x/>`, `<x></x>`): removal then leaves it
 * opened up, so the file does not come back byte for byte.
 */
export function opensUpEmptySection(bytes: Uint8Array): boolean {
  const text = decodeXml(bytes).text;
  const { settings } = readSettings(text);
  const oneLine = (e: XmlElement) => e.selfClosing || !/[\r\n]/.test(text.slice(e.openEnd, e.closeStart));
  if (settings.children().length === 0) return oneLine(settings);
  return ["pluginGroups", "profiles", "activeProfiles"].some((name) => {
    const e = settings.child(name);
    return e !== undefined && e.children().length === 0 && oneLine(e);
  });
}

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

/** What the probe's "profiles" request says Maven activates, and the rest of the effective settings. */
export interface SeenProfiles {
  active: string[];
  /** "repository PROFILE ID URL" and "pluginRepository PROFILE ID URL" lines of the active profiles. */
  repositories: string[];
  pluginGroups: string[];
  strict: string;
  rest: string;
}

export function seenProfiles(answer: string): SeenProfiles {
  if (!answer.startsWith("ok ")) throw new Error(`probe: ${answer}`);
  const lines = Buffer.from(answer.slice(3), "base64").toString("utf8").split("\n");
  const field = (name: string) => lines.filter((l) => l.startsWith(`${name} `)).map((l) => l.slice(name.length + 1));
  return {
    active: field("active"),
    repositories: lines.filter((l) => /^(repository|pluginRepository) /.test(l)),
    pluginGroups: field("pluginGroup"),
    strict: field("strict")[0]!,
    rest: Buffer.from(field("rest")[0]!, "base64").toString("utf8"),
  };
}
