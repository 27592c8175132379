/** Finds what Maven reads in a settings.xml: the `<settings>` root, its one `<servers>`, each `<server>`. */
import { unsafeAt } from "../errors";
import { javaTrim, scanXml, textContent, type XmlDocument, type XmlElement } from "../xml/scan";
import { interpolate, mavenMayResolve, type Env, type Properties } from "./interpolate";
import { mavenWarning, rejection, SETTINGS, type MavenWarning } from "./schema";

export interface ServerEntry {
  element: XmlElement;
  /**
   * The id as Maven reads it (trimmed, `${…}` resolved), or undefined when the server has no <id>. For
   * matching only: it may hold an environment variable's value, so what is shown is `shown`.
   */
  id: string | undefined;
  /** The id to show: `id`, or the id as written when a value from the environment went into it. */
  shown: string | undefined;
  /** The id as written (trimmed), when it holds `${…}`. */
  written?: string;
  /** Expressions in the id that Maven may resolve from what is not visible here (system properties, -D). */
  unknown?: string[];
  idElement: XmlElement | undefined;
  username: XmlElement | undefined;
  password: XmlElement | undefined;
}

export interface SettingsModel {
  doc: XmlDocument;
  text: string;
  settings: XmlElement;
  servers: XmlElement | undefined;
  /** What Maven's settings builder warns about in the file (its strict reader's first complaint), if anything. */
  mavenWarning: MavenWarning | undefined;
}

/**
 * The settings file as Maven reads it. Where Maven's settings builder stops (a second <servers>, a server's
 * second <password>, a mirror without <url>...: src/settings/schema.ts), it is refused, exit 5, found in the
 * scanner's one pass over the file.
 */
export function readSettings(text: string): SettingsModel {
  const doc = scanXml(text, SETTINGS);
  const settings = doc.root;
  if (settings.name !== "settings") {
    const prefixed = settings.name.endsWith(":settings");
    throw unsafeAt(
      text,
      settings.start,
      prefixed
        ? `the root element is <${settings.name}>: with a namespace prefix Maven reads no servers from it`
        : `the root element is <${settings.name}>, not <settings>: this is not a Maven settings file`,
      prefixed ? "Write the root as <settings xmlns=\"...\"> without a prefix." : "Point --settings at your Maven settings.xml.",
    );
  }
  const { stop, warning } = doc.report;
  if (stop) throw rejection(text, stop);
  return { doc, text, settings, servers: settings.child("servers"), mavenWarning: warning && mavenWarning(text, warning) };
}

/**
 * An id as Maven reads it: trimmed, `${…}` resolved from Maven's properties and the environment (an
 * expression nothing defines stays as written, as Maven leaves it), trimmed again as Maven reads it back.
 */
export function resolveId(written: string, env: Env = {}, properties: Properties = {}): { id: string; unknown: string[]; shown: string } {
  const trimmed = javaTrim(written);
  if (!written.includes("${")) return { id: trimmed, unknown: [], shown: trimmed };
  const { value, unresolved, fromEnv, tooLong } = interpolate(trimmed, env, properties);
  const id = javaTrim(value);
  // Ids are short; one that a property makes longer than MAX_ID is kept as written (thousands of such ids,
  // each a copy of one long -D value, would otherwise fill the memory and the output).
  if (id.length > MAX_ID) return { id: trimmed, unknown: [], shown: trimmed };
  return { id, unknown: unresolved.filter((n) => mavenMayResolve(n) && n !== tooLong), shown: fromEnv ? trimmed : id };
}

/** Far above any real id (Maven's ids name repositories and servers: a few dozen characters). */
const MAX_ID = 4096;

/** A server's fields (each is there at most once: readSettings refuses a repeat, as Maven does). */
function entry(text: string, element: XmlElement, env: Env, properties: Properties): ServerEntry {
  const [idElement, username, password] = [element.child("id"), element.child("username"), element.child("password")];
  const written = idElement ? javaTrim(textContent(text, idElement)) : undefined;
  if (written === undefined || !written.includes("${")) return { element, id: written, shown: written, idElement, username, password };
  const { id, unknown, shown } = resolveId(written, env, properties);
  return { element, id, shown, written, unknown, idElement, username, password };
}

/** Every <server> of the settings' own <servers>, in order, ids as Maven resolves them. */
export function serverEntries(model: SettingsModel, env: Env = {}, properties: Properties = {}): ServerEntry[] {
  return (model.servers?.children("server") ?? []).map((element) => entry(model.text, element, env, properties));
}

/**
 * Whether the <id> `field` holds `id` as Maven reads it: 1 yes, 0 no, -1 no but it
 * holds an expression Maven may resolve from what is not visible here. Content with no reference (`&`), no
 * markup (a comment, CDATA) and no `$` is compared as written, trimmed; other content is decoded and resolved.
 * An `id` that itself holds `${` is compared as written.
 */
function compareId(text: string, field: XmlElement, id: string, env: Env, properties: Properties): 1 | 0 | -1 {
  const from = field.openEnd;
  const to = field.closeStart;
  plainRe.lastIndex = from;
  plainRe.test(text);
  if (plainRe.lastIndex >= to) {
    // Thousands of servers are compared in a large file, mostly before V8 has compiled this: the usual
    // content (no white space around it) is compared with a few calls, without a slice.
    if (text.charCodeAt(from) > 0x20 && text.charCodeAt(to - 1) > 0x20) return to - from === id.length && text.startsWith(id, from) ? 1 : 0;
    return javaTrim(text.slice(from, to)) === id ? 1 : 0;
  }
  const written = javaTrim(textContent(text, field));
  if (id.includes("${")) return written === id ? 1 : 0;
  const resolved = resolveId(written, env, properties);
  return resolved.id === id ? 1 : resolved.unknown.length > 0 ? -1 : 0;
}

/** Text with no reference, no markup and no `$`: as a sticky run, it reaches the end of such content. */
const plainRe = /[^&<$]*/y;

/**
 * The servers with this id as Maven resolves ids, in order (Maven uses the first); fast on files with many
 * servers (ids compared in place, entries made only of the servers found). `doubtful`, when given, collects
 * the servers whose id Maven may still resolve to `id` from a system property or a -D option not visible here.
 */
export function serversWithId(model: SettingsModel, id: string, env: Env = {}, properties: Properties = {}, doubtful?: ServerEntry[]): ServerEntry[] {
  const matches: ServerEntry[] = [];
  for (let server = model.servers?.child("server"); server; server = server.next("server")) {
    const field = server.child("id");
    const found = field ? compareId(model.text, field, id, env, properties) : 0;
    if (found === 1) matches.push(entry(model.text, server, env, properties));
    else if (found === -1) doubtful?.push(entry(model.text, server, env, properties));
  }
  return matches;
}

/** The servers of several ids, found in one pass; `uncertain` are those whose id Maven may resolve otherwise. */
export interface ServersByIds {
  matches: Map<string, ServerEntry[]>;
  /** Servers whose id holds an expression Maven may resolve from what is not visible here, in order. */
  uncertain: ServerEntry[];
}

/**
 * serversWithId for many ids at once: one pass over the servers, whatever the number of ids (setup --from-pom
 * with a pom of thousands of repositories on a file of thousands of servers). A server in `uncertain` is
 * doubtful for each id it does not match.
 */
export function serversWithIds(model: SettingsModel, ids: readonly string[], env: Env = {}, properties: Properties = {}): ServersByIds {
  if (ids.length === 1) {
    // One id (the usual setup): compared in place, without a slice of each server's id.
    const uncertain: ServerEntry[] = [];
    return { matches: new Map([[ids[0]!, serversWithId(model, ids[0]!, env, properties, uncertain)]]), uncertain };
  }
  const matches = new Map(ids.map((id) => [id, [] as ServerEntry[]]));
  const uncertain: ServerEntry[] = [];
  const { text } = model;
  for (let server = model.servers?.child("server"); server; server = server.next("server")) {
    const field = server.child("id");
    if (!field) continue;
    plainRe.lastIndex = field.openEnd;
    plainRe.test(text);
    if (plainRe.lastIndex >= field.closeStart) {
      matches.get(javaTrim(text.slice(field.openEnd, field.closeStart)))?.push(entry(text, server, env, properties));
      continue;
    }
    const found = entry(text, server, env, properties);
    // An id given with `${` is the server written so; any other, the server Maven resolves to it.
    if (found.written !== undefined && found.written.includes("${")) matches.get(found.written)?.push(found);
    if (!found.id!.includes("${")) matches.get(found.id!)?.push(found);
    if (found.unknown?.length) uncertain.push(found);
  }
  return { matches, uncertain };
}

/** A field's value as Maven reads it: character data, trimmed. */
export function fieldValue(model: SettingsModel, element: XmlElement | undefined): string | undefined {
  return element ? javaTrim(textContent(model.text, element)) : undefined;
}
