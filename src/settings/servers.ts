/**
 * The settings.xml operations: pure functions from text to edits. Nothing here touches a file.
 * Every edit is as small as it can be: a new `<server>` inserted, or the text of `<username>` and
 * `<password>` replaced; every other character stays as the user wrote it.
 */
import { Exit, M2Error, lineColumn } from "../errors";
import type { Edit } from "../xml/edit";
import { detectEol, detectIndentUnit, indentAt, lineIndent } from "../xml/layout";
import type { XmlElement } from "../xml/scan";
import type { Env, Properties } from "./interpolate";
import { fieldValue, readSettings, serverEntries, serversWithId, serversWithIds, type ServerEntry, type SettingsModel } from "./model";
import { insertAfter, insertFirst, MARKER, markerBefore, removeSpan } from "../xml/lines";
import { checkValue, escapeText } from "./value";
import { CONNECTED_APP_USERNAME } from "../domain";
import { storeOf } from "./stores";
import { noteAt, TOKEN_USERNAME } from "./token";

export interface ServerInput {
  id: string;
  username: string;
  password: string;
  /** The password holds `${env.X}` references on purpose (the env store); see checkValue. */
  envReferences?: boolean;
  /** The token store's expiry note (settings/token.ts), right after </password>; none removes one there. */
  note?: string;
  /** Other ids this server stands for, as `<aliases>` (settings 1.3.0, read by Maven 3.10: src/maven/version.ts). */
  aliases?: readonly string[];
}

export type OnExisting = "update" | "keep" | "fail";
export type ChangeKind = "added" | "updated" | "unchanged" | "removed";

export interface SettingsChange {
  edits: Edit[];
  change: ChangeKind;
  warnings: string[];
  /** For an upsert: what happens to each server, in the order given. */
  servers?: ServerChange[];
  /**
   * Edits to the text as it was that make the backup: what must not stay in any file kept (a secret the
   * change moves out of the file) taken out. None: the backup is the previous version as it was.
   */
  scrub?: Edit[];
}

/** Elements that Maven's reference order puts before <servers>; a new <servers> goes after the last of them. */
const BEFORE_SERVERS = new Set(["localRepository", "interactiveMode", "usePluginRegistry", "offline", "pluginGroups"]);

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const lineOf = (text: string, offset: number): number => lineColumn(text, offset).line;

export interface UpsertOptions {
  /**
   * Update only a connected-app entry (username ~~~Client~~~): replacing the credentials of another kind of
   * server (a Nexus user, say) is refused with exit 5 unless `onExisting` was chosen explicitly.
   */
  onlyConnectedApp?: boolean;
}

/**
 * Adds the server, or updates the first server with its id as `onExisting` says. Ids are matched as Maven
 * resolves them: `<id>${env.X}</id>` is the server "anypoint-exchange-v3" when X says so (`env` is the
 * environment Maven will run in, `properties` its -D and system properties known here).
 */
export function upsertServer(
  text: string,
  server: ServerInput,
  onExisting: OnExisting = "update",
  env: Env = {},
  properties: Properties = {},
  options: UpsertOptions = {},
): SettingsChange {
  return upsertServers(text, [server], onExisting, env, properties, options);
}

/** What happened to one server of an upsert. */
export interface ServerChange {
  id: string;
  change: ChangeKind;
  /** The username and password of the server Maven used for the id before the change, as written, when it had a password. */
  previous?: { username?: string; password: string };
}

/**
 * Adds or updates several servers in one change (each as upsertServer does it for one): one set of edits,
 * so one write, one backup and one lock for them all. The new ones go in together, in the order given,
 * so that a file without <servers> gets one <servers> holding them all. The same id given twice counts once.
 */
export function upsertServers(
  text: string,
  servers: readonly ServerInput[],
  onExisting: OnExisting = "update",
  env: Env = {},
  properties: Properties = {},
  options: UpsertOptions = {},
): SettingsChange & { servers: ServerChange[] } {
  const ids = new Set<string>();
  const unique = servers.filter((s) => !ids.has(s.id) && Boolean(ids.add(s.id)));
  for (const server of unique) checkServer(server);
  const model = readSettings(text);
  // Every id in one pass over the servers: a pom's thousands of ids cost one look at each server.
  const found = serversWithIds(model, unique.map((s) => s.id), env, properties);
  const warnings: string[] = doubtWarnings(model, unique.map((s) => ({ id: s.id, first: found.matches.get(s.id)![0] })), found.uncertain);
  const lenient = model.mavenWarning;
  if (lenient) warnings.unshift(`line ${lenient.line}, column ${lenient.column}: ${lenient.message}`);
  const edits: Edit[] = [];
  const added: ServerInput[] = [];
  const results: ServerChange[] = [];
  for (const server of unique) {
    const planned = planServer(model, server, found.matches.get(server.id)!, onExisting, options);
    warnings.push(...planned.warnings);
    if (planned.change === "added") added.push(server);
    edits.push(...planned.edits);
    const first = found.matches.get(server.id)![0];
    const password = fieldValue(model, first?.password);
    const username = fieldValue(model, first?.username);
    const previous = password === undefined ? undefined : { password, ...(username !== undefined ? { username } : {}) };
    results.push({ id: server.id, change: planned.change, ...(previous ? { previous } : {}) });
  }
  if (added.length > 0) edits.push(insertServers(model, added));
  const changed = results.filter((r) => r.change !== "unchanged");
  const change: ChangeKind = changed.length === 0 ? "unchanged" : changed.some((r) => r.change === "updated") ? "updated" : "added";
  return { edits, change, warnings, servers: results };
}

/**
 * For a change that moves credentials out of the file (the env and encrypted stores): the edits that give
 * each of these servers, in the previous version kept as the backup, the password it now has, where that
 * was a connected app's (username ~~~Client~~~, in any case) written as is. So no file anypoint-m2 writes or
 * keeps holds the secret, and the backup still gives back everything else as it was. Anyone else's password
 * (a Nexus user's, replaced with --on-existing update) stays in the backup: that is what the backup is for.
 */
export function scrubMovedSecrets(text: string, servers: readonly ServerInput[], env: Env = {}, properties: Properties = {}): Edit[] {
  const model = readSettings(text);
  const edits: Edit[] = [];
  for (const server of servers) {
    const first = serversWithId(model, server.id, env, properties)[0];
    const password = first?.password;
    const written = fieldValue(model, password);
    const username = fieldValue(model, first?.username);
    if (!password || password.selfClosing || written === undefined || written === server.password) continue;
    if (username?.toLowerCase() !== CONNECTED_APP_USERNAME.toLowerCase() || storeOf(written) !== "literal") continue;
    edits.push({ offset: password.openEnd, length: password.closeStart - password.openEnd, content: escapeText(server.password) });
  }
  return edits;
}

/**
 * Servers whose password is `clear` as written (a literal copy of the secret), but the one Maven uses for each
 * of `ids`: what setup moving the secret to another store for `ids` leaves in the file, named with their lines;
 * `shadowed`: a later server with one of `ids`, which Maven ignores and setup does not update.
 */
export function literalCopies(text: string, clear: string, ids: readonly string[], env: Env = {}, properties: Properties = {}): { id: string; line: number; shadowed: boolean }[] {
  const model = readSettings(text);
  const moved = new Set(ids);
  const seen = new Set<string>();
  const copies: { id: string; line: number; shadowed: boolean }[] = [];
  for (const e of serverEntries(model, env, properties)) {
    const used = e.id !== undefined && moved.has(e.id) && !seen.has(e.id);
    if (e.id !== undefined) seen.add(e.id);
    if (used || fieldValue(model, e.password) !== clear) continue;
    copies.push({ id: e.shown ?? "(no id)", line: lineOf(text, e.element.start), shadowed: e.id !== undefined && moved.has(e.id) });
  }
  return copies;
}

/** The checks on what is to be written, before the file is looked at. */
function checkServer(server: ServerInput): void {
  if (server.id.includes("${")) {
    throw new M2Error(Exit.usage, `the server id "${server.id}" contains "\${": Maven would replace it with a property's value when it reads settings.xml`, {
      hint: "Give the id your pom.xml uses for the repository, e.g. --server-id anypoint-exchange-v3; a server written as <id>${env.X}</id> is found through the environment.",
    });
  }
  checkValue("server id", server.id);
  for (const alias of server.aliases ?? []) {
    if (alias.includes("${")) throw new M2Error(Exit.usage, `the alias "${alias}" contains "\${": Maven would replace it with a property's value`, { hint: "Give the ids your pom.xml uses." });
    checkValue("alias", alias);
  }
  checkValue("username", server.username);
  checkValue("password", server.password, { envReferences: server.envReferences });
}

/** One server of an upsert: its edits when it exists ("added" means it is to be inserted with the others). */
function planServer(model: SettingsModel, server: ServerInput, matches: readonly ServerEntry[], onExisting: OnExisting, options: UpsertOptions): SettingsChange {
  const { text } = model;
  const warnings: string[] = [];
  if (server.password.includes("${") && !server.envReferences) {
    warnings.push("the password contains '${', which Maven reads as the start of a property reference");
  }
  const first = matches[0];
  if (!first) return { edits: [], change: "added", warnings };

  const firstLine = lineOf(text, first.element.start);
  if (first.written !== undefined) warnings.push(`the server at line ${firstLine} has the id ${first.written}, which Maven reads as "${server.id}" in this environment`);
  if (matches.length > 1) {
    const lines = matches.slice(1).map((m) => lineOf(text, m.element.start));
    warnings.push(
      `server id "${server.id}" appears ${matches.length} times; Maven uses the first (line ${firstLine}), so only that one is considered; the others are at line ${lines.join(", ")}`,
    );
  }
  if (onExisting === "fail") {
    throw new M2Error(Exit.unsafe, `a server with id "${server.id}" already exists`, {
      line: firstLine,
      hint: "Use --on-existing update to replace its credentials, or choose another --server-id.",
    });
  }
  if (onExisting === "keep") return { edits: [], change: "unchanged", warnings };
  const username = fieldValue(model, first.username);
  if (options.onlyConnectedApp && username !== CONNECTED_APP_USERNAME && username !== TOKEN_USERNAME) {
    throw new M2Error(Exit.unsafe, `server "${server.id}" is not an Anypoint connected app: its username is ${username === undefined ? "missing" : `"${username}"`}`, {
      line: firstLine,
      hint: "Pass --on-existing update to replace its credentials with the connected app's, or choose another --server-id.",
    });
  }
  const edits = updateServer(model, first, server);
  const aliases = serverAliases(model, first.element).filter((a) => !server.aliases?.includes(a));
  if (edits.length > 0 && aliases.length > 0) {
    warnings.push(`server "${server.id}" also stands for ${aliases.map((a) => `"${a}"`).join(", ")} (its <aliases>): ${aliases.length === 1 ? "that id gets" : "those ids get"} these credentials too, in a Maven that reads <aliases> (3.10)`);
  }
  return { edits, change: edits.length > 0 ? "updated" : "unchanged", warnings };
}

/**
 * Removes every server with the id as Maven resolves ids (Maven would fall back to a later duplicate if only
 * the first went); an id given with `${` removes the servers written so.
 */
export function removeServer(text: string, id: string, env: Env = {}, properties: Properties = {}): SettingsChange {
  const model = readSettings(text);
  const doubtful: ServerEntry[] = [];
  const matches = serversWithId(model, id, env, properties, doubtful);
  const warnings =
    matches.length > 1
      ? [`server id "${id}" appeared ${matches.length} times (lines ${matches.map((m) => lineOf(text, m.element.start)).join(", ")}); all were removed`]
      : [];
  for (const m of matches) {
    if (m.written !== undefined && m.written !== id) warnings.push(`the server at line ${lineOf(text, m.element.start)} has the id ${m.written}, which Maven reads as "${id}" in this environment`);
  }
  if (matches.length === 0) warnings.push(...doubtWarnings(model, [{ id, first: undefined }], doubtful));
  const created = model.servers && createdAndEmptied(text, model.servers, matches);
  return {
    edits: created !== undefined ? [removeSpan(text, created, model.servers!.end)] : matches.map((m) => removal(text, m.element)),
    change: matches.length > 0 ? "removed" : "unchanged",
    warnings,
  };
}

/**
 * Where the <servers> setup created starts (its MARKER) when removing `matches` leaves nothing in it but
 * blanks: then it goes too, and the file is as it was before setup. A <servers> the user wrote stays.
 */
function createdAndEmptied(text: string, servers: XmlElement, matches: readonly ServerEntry[]): number | undefined {
  const marker = markerBefore(text, servers);
  if (marker === undefined || matches.length === 0 || servers.selfClosing) return undefined;
  let rest = "";
  let at = servers.openEnd;
  for (const m of [...matches].sort((a, b) => a.element.start - b.element.start)) {
    rest += text.slice(at, m.element.start);
    at = m.element.end;
  }
  rest += text.slice(at, servers.closeStart);
  return /^[ \t\r\n]*$/.test(rest) ? marker : undefined;
}

/**
 * Servers before the one Maven will use for an id (all of them when there is none) whose id holds an
 * expression that Maven may resolve to that id from a system property or a -D option not visible here: one
 * warning per such server, naming the ids it may take (a few, and how many more).
 */
function doubtWarnings(model: SettingsModel, ids: readonly { id: string; first: ServerEntry | undefined }[], doubtful: readonly ServerEntry[]): string[] {
  if (doubtful.length === 0) return [];
  // Where each id's server is (Infinity: none), sorted: the ids a doubtful server comes before are a suffix.
  const firsts = ids.map(({ id, first }) => ({ id, at: first ? first.element.start : Infinity })).sort((a, b) => a.at - b.at);
  return doubtful.flatMap((e) => {
    let lo = 0;
    let hi = firsts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (firsts[mid]!.at > e.element.start) hi = mid;
      else lo = mid + 1;
    }
    const before = firsts.slice(lo, lo + 4).map((f) => f.id);
    const more = firsts.length - lo - before.length;
    if (before.length === 0) return [];
    const named = before.length === 1 ? `"${before[0]}"` : `one of ${before.map((id) => `"${id}"`).join(", ")}${more > 0 ? ` (or ${more} more)` : ""}`;
    return [
      `the server at line ${lineOf(model.text, e.element.start)} has the id ${e.written}: Maven replaces ${e.unknown!.map((n) => `\${${n}}`).join(", ")} when it runs ` +
        `(a Java system property or a -D option), which anypoint-m2 cannot see; if that makes it ${named}, Maven uses that server instead`,
    ];
  });
}

/** The server's <aliases> made `aliases`: the one it has replaced, else a new one after its <id>. */
function aliasesEdit(model: SettingsModel, entry: ServerEntry, aliases: readonly string[]): Edit {
  const { text } = model;
  const eol = detectEol(text);
  const [existing] = entry.element.children("aliases");
  const anchor = existing ?? entry.idElement!;
  const indent = indentAt(text, anchor.start) ?? "";
  const outer = indentAt(text, entry.element.start);
  const inner = outer !== undefined && indent.startsWith(outer) && indent.length > outer.length ? indent.slice(outer.length) : detectIndentUnit(text, model.settings);
  const xml = aliasesXml(aliases, indent, inner, eol);
  if (existing) return { offset: existing.start, length: existing.end - existing.start, content: xml };
  return { offset: anchor.end, length: 0, content: `${indentAt(text, anchor.start) === undefined ? "" : eol + indent}${xml}` };
}

/** The edit that removes a server: src/xml/lines.ts removeSpan, the inverse of how one is added. */
const removal = (text: string, element: XmlElement): Edit => removeSpan(text, element.start, element.end);

interface Layout {
  eol: string;
  unit: string;
}

function serverXml(server: ServerInput, indent: string, inner: string, { eol }: Layout): string {
  const field = (name: string, value: string): string => `${eol}${indent}${inner}<${name}>${escapeText(value)}</${name}>`;
  const aliases = server.aliases?.length ? `${eol}${indent}${inner}${aliasesXml(server.aliases, indent + inner, inner, eol)}` : "";
  return (
    `<server>${field("id", server.id)}${aliases}${field("username", server.username)}${field("password", server.password)}${server.note ?? ""}` +
    `${eol}${indent}</server>`
  );
}

/** `<aliases>` with one `<alias>` a line, the element itself at `indent` (its first line's indent is the caller's). */
function aliasesXml(aliases: readonly string[], indent: string, inner: string, eol: string): string {
  return `<aliases>${aliases.map((a) => `${eol}${indent}${inner}<alias>${escapeText(a)}</alias>`).join("")}${eol}${indent}</aliases>`;
}

/** The aliases a server lists, as Maven reads them (each trimmed). */
export function serverAliases(model: SettingsModel, server: XmlElement): string[] {
  return server.children("aliases").flatMap((a) => a.children("alias").map((x) => fieldValue(model, x) ?? ""));
}

/** Servers one after the other, each on lines of its own at `indent` (the first line's indent is the caller's). */
function serversXml(servers: readonly ServerInput[], indent: string, inner: string, layout: Layout): string {
  return servers.map((server) => serverXml(server, indent, inner, layout)).join(`${layout.eol}${indent}`);
}

/** The step between a <server>'s indentation and its children's in this file, if any server shows one. */
function serverInnerUnit(model: SettingsModel, fallback: string): string {
  const text = model.text;
  let element = model.servers?.child("server");
  for (let looked = 0; element && looked < 50; element = element.next("server"), looked++) {
    const outer = indentAt(text, element.start);
    const child = element.child();
    const inner = child && indentAt(text, child.start);
    if (outer !== undefined && inner !== undefined && inner.length > outer.length && inner.startsWith(outer)) return inner.slice(outer.length);
  }
  return fallback;
}

function insertServers(model: SettingsModel, added: readonly ServerInput[]): Edit {
  const { text, settings, servers } = model;
  const layout: Layout = { eol: detectEol(text), unit: detectIndentUnit(text, settings) };
  const { eol, unit } = layout;
  const inner = serverInnerUnit(model, unit);

  if (servers && !servers.selfClosing) {
    const serversIndent = lineIndent(text, servers.start);
    let last = servers.child("server");
    for (let after = last?.next("server"); after; after = after.next("server")) last = after;
    const indent = (last && indentAt(text, last.start)) ?? serversIndent + unit;
    const xml = serversXml(added, indent, inner, layout);
    // New lines go right after the line that holds the last thing in <servers> (element or comment), so
    // that line keeps its trailing spaces and line ending, and the lines that close <servers> stay as they are.
    let p = servers.closeStart;
    while (p > servers.openEnd && isSpace(text.charCodeAt(p - 1))) p--;
    const trailing = text.slice(p, servers.closeStart);
    const lineBreak = /\r\n|\r|\n/.exec(trailing);
    if (lineBreak) return { offset: p + lineBreak.index + lineBreak[0].length, length: 0, content: `${indent}${xml}${eol}` };
    // </servers> shares a line with the last server (or with other text, in a <servers> of several lines):
    // the new one goes on lines of its own before it, and removing it gives that line back as it was.
    if (servers.children().length > 0 || /[\r\n]/.test(text.slice(servers.openEnd, p))) return { offset: p, length: 0, content: `${eol}${indent}${xml}` };
    // An empty <servers></servers> on one line is opened up.
    return { offset: p, length: trailing.length, content: `${eol}${indent}${xml}${eol}${serversIndent}` };
  }

  if (servers) {
    // <servers/>: open it up, keeping its start tag as written.
    const serversIndent = lineIndent(text, servers.start);
    const indent = serversIndent + unit;
    const content = `>${eol}${indent}${serversXml(added, indent, inner, layout)}${eol}${serversIndent}</servers>`;
    return { offset: servers.openEnd - 2, length: 2, content };
  }

  // No <servers>: create one, marked (so that removing its last server takes it out again), after the last
  // element Maven's reference order puts before it, else first, as the repositories' sections are placed.
  const anchor = settings.children().filter((c) => BEFORE_SERVERS.has(c.name)).pop();
  const make = (indent: string) =>
    `${MARKER}${eol}${indent}<servers>${eol}${indent}${unit}${serversXml(added, indent + unit, inner, layout)}${eol}${indent}</servers>`;
  return anchor ? insertAfter(text, anchor, make, layout) : insertFirst(text, settings, make, layout);
}

function updateServer(model: SettingsModel, entry: ServerEntry, server: ServerInput): Edit[] {
  const edits: Edit[] = [];
  if (server.aliases?.length && serverAliases(model, entry.element).join("\n") !== server.aliases.join("\n")) edits.push(aliasesEdit(model, entry, server.aliases));
  const missing: [string, string][] = [];
  for (const [name, value] of [["username", server.username], ["password", server.password]] as const) {
    const element = entry[name];
    if (!element) missing.push([name, value]);
    else if (fieldValue(model, element) !== value) {
      edits.push(
        element.selfClosing
          ? { offset: element.start, length: element.end - element.start, content: `<${name}>${escapeText(value)}</${name}>` }
          : { offset: element.openEnd, length: element.closeStart - element.openEnd, content: escapeText(value) },
      );
    }
  }
  if (missing.length > 0) {
    // After <username> when only the password is missing, else after <id>.
    const anchor = (missing.length === 1 && missing[0]![0] === "password" ? entry.username : entry.idElement)!;
    const indent = indentAt(model.text, anchor.start);
    const eol = detectEol(model.text);
    const content = missing
      .map(([name, value]) => `${indent === undefined ? "" : eol + indent}<${name}>${escapeText(value)}</${name}>${name === "password" ? (server.note ?? "") : ""}`)
      .join("");
    edits.push({ offset: anchor.end, length: 0, content });
  }
  const password = entry.password;
  const note = password && noteAt(model.text, password.end);
  if (password && (note?.text ?? undefined) !== server.note) edits.push({ offset: password.end, length: note ? note.text.length : 0, content: server.note ?? "" });
  return edits;
}
