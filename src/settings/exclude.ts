/**
 * Server ids out of the mirrors that would take them (setup --exclude-from-mirrors), and back in (remove
 * --from-mirrors): `!id` appended to, or taken out of, a mirror's <mirrorOf>, the smallest edit, every other
 * character as the user wrote it. Which mirror takes which id is Maven's selector (./mirrors.ts); Maven reads
 * mirrorOf's entries untrimmed, so `!id` goes in with no space: `*,!id`.
 */
import { Exit, M2Error } from "../errors";
import { applyEdits, type Edit } from "../xml/edit";
import type { XmlElement } from "../xml/scan";
import type { Env, Properties } from "./interpolate";
import { matchesLayout, matchesPattern, readMirrors, type MirrorTarget, type SettingsMirror } from "./mirrors";
import { readSettings } from "./model";
import type { ChangeKind, SettingsChange } from "./servers";
import { escapeText } from "./value";

/** One mirror and the ids it is about. */
export interface MirrorIds {
  mirror: string;
  line: number;
  mirrorOf: string;
  ids: string[];
}

export interface MirrorsChange extends SettingsChange {
  change: ChangeKind;
  /** The mirrors edited, with the ids excluded from (or put back into) each. */
  mirrors: MirrorIds[];
  /** Mirrors whose mirrorOf names an id outright: the user meant it, so they are reported, not edited. */
  named: MirrorIds[];
}

/** Characters Java's trim() takes off, as Maven trims mirrorOf. */
const isTrimmable = (code: number): boolean => code <= 0x20;

/** Each <mirror> element with the mirror Maven reads of it, in order. */
function mirrorsWithElements(text: string, env: Env, properties: Properties): { element: XmlElement; mirror: SettingsMirror }[] {
  const model = readSettings(text);
  const mirrors = readMirrors(model, env, properties);
  const elements = model.settings.child("mirrors")?.children("mirror") ?? [];
  return elements.map((element, i) => ({ element, mirror: mirrors[i]! }));
}

/** The mirrorOf's value as written: where it starts and ends once trimmed. */
function valueSpan(text: string, mirrorOf: XmlElement): { from: number; to: number } {
  let from = mirrorOf.openEnd;
  let to = mirrorOf.closeStart;
  while (to > from && isTrimmable(text.charCodeAt(to - 1))) to--;
  while (from < to && isTrimmable(text.charCodeAt(from))) from++;
  return { from, to };
}

/** An entry that names the id itself (not `!id`, not a wildcard): the mirror is meant for it. */
const namesId = (mirrorOf: string, id: string): boolean => mirrorOf === id || mirrorOf.split(",").includes(id);

/**
 * Adds `!id` to each mirror that would take a target (by Maven's rules for its id, URL and layout), except
 * mirrors `exempt` says serve it as they are (a mirror that is itself Exchange), mirrors under a target's id
 * (Maven sends them that server's credentials: these), and mirrors that name the id.
 * Already excluded ids match no more: running it again changes nothing.
 */
export function excludeFromMirrors(text: string, targets: readonly MirrorTarget[], env: Env = {}, properties: Properties = {}, exempt: (m: SettingsMirror) => boolean = () => false): MirrorsChange {
  const edits: Edit[] = [];
  const mirrors: MirrorIds[] = [];
  const named: MirrorIds[] = [];
  for (const { element, mirror } of mirrorsWithElements(text, env, properties)) {
    const pattern = mirror.mirrorOf;
    const child = element.child("mirrorOf");
    if (pattern === undefined || !child || !mirror.id || !mirror.url || exempt(mirror) || targets.some((t) => t.id === mirror.id)) continue;
    const taken = targets.filter((t) => matchesLayout(t.layout ?? "default", mirror.mirrorOfLayouts) && matchesPattern(t, pattern));
    const ids = [...new Set(taken.map((t) => t.id))];
    const about = (list: string[]): MirrorIds => ({ mirror: mirror.shown.id!, line: mirror.line, mirrorOf: mirror.shown.mirrorOf!, ids: list });
    const explicit = ids.filter((id) => namesId(pattern, id));
    if (explicit.length > 0) named.push(about(explicit));
    const excluded = ids.filter((id) => !explicit.includes(id));
    if (excluded.length === 0) continue;
    const { to } = valueSpan(text, child);
    edits.push({ offset: to, length: 0, content: excluded.map((id) => `,!${escapeText(id)}`).join("") });
    mirrors.push(about(excluded));
  }
  confirm(text, edits, mirrors, env, properties, (before, ids) => `${before},${ids.map((id) => `!${id}`).join(",")}`);
  return { edits, change: edits.length > 0 ? "updated" : "unchanged", warnings: [], mirrors, named };
}

/**
 * Takes `!id` out of every mirror's mirrorOf, for each id: what excludeFromMirrors added. A mirrorOf that
 * would be left empty (Maven refuses a mirror without one) is left as it is, with a warning.
 */
export function includeInMirrors(text: string, ids: readonly string[], env: Env = {}, properties: Properties = {}): MirrorsChange {
  const edits: Edit[] = [];
  const mirrors: MirrorIds[] = [];
  const warnings: string[] = [];
  const removed = new Set(ids.map((id) => `!${id}`));
  for (const { element, mirror } of mirrorsWithElements(text, env, properties)) {
    const child = element.child("mirrorOf");
    const pattern = mirror.mirrorOf;
    if (pattern === undefined || !child) continue;
    const entries = pattern.split(",");
    const kept = entries.filter((e) => !removed.has(e));
    if (kept.length === entries.length) continue;
    const taken = [...new Set(entries.filter((e) => removed.has(e)).map((e) => e.slice(1)))];
    const { from, to } = valueSpan(text, child);
    // Only a value written as it reads (no reference, entity, comment or CDATA) is rewritten.
    if (kept.length === 0 || text.slice(from, to) !== pattern) {
      warnings.push(`mirror "${mirror.shown.id}" (line ${mirror.line}) excludes ${taken.map((id) => `"${id}"`).join(", ")} in a <mirrorOf> left as it is (${kept.length === 0 ? "nothing else would be left in it" : "its value is not written as plain text"}): edit it by hand`);
      continue;
    }
    edits.push({ offset: from, length: to - from, content: kept.join(",") });
    mirrors.push({ mirror: mirror.shown.id!, line: mirror.line, mirrorOf: mirror.shown.mirrorOf!, ids: taken });
  }
  confirm(text, edits, mirrors, env, properties, (before) => before.split(",").filter((e) => !removed.has(e)).join(","));
  return { edits, change: edits.length > 0 ? "updated" : "unchanged", warnings, mirrors, named: [] };
}

/**
 * That the edited file reads as meant: each edited mirror's mirrorOf is what `expected` makes of the one before
 * (an entity or a reference at the value's end could make it read otherwise); else nothing is written.
 */
function confirm(text: string, edits: Edit[], changed: MirrorIds[], env: Env, properties: Properties, expected: (before: string, ids: string[]) => string): void {
  if (edits.length === 0) return;
  const before = new Map(readMirrors(readSettings(text), env, properties).map((m) => [m.line, m.mirrorOf]));
  const after = new Map(readMirrors(readSettings(applyEdits(text, edits)), env, properties).map((m) => [m.line, m.mirrorOf]));
  for (const m of changed) {
    const want = expected(before.get(m.line)!, m.ids);
    if (after.get(m.line) !== want) {
      throw new M2Error(Exit.unsafe, `the <mirrorOf> of mirror "${m.mirror}" (line ${m.line}) would not read as ${want} after the edit`, {
        line: m.line,
        hint: `Edit it by hand: <mirrorOf>${escapeText(want)}</mirrorOf>.`,
      });
    }
  }
}
