/**
 * The repositories a Mule build needs, merged into settings.xml as pure text -> edits (like servers.ts): a
 * profile `anypoint-exchange` holding the region's Exchange Maven facade (one repository per server id,
 * its id the server id, so that Maven sends that server's credentials) and MuleSoft's releases repository
 * (also as plugin repository), activated in <activeProfiles>, and the plugin group org.mule.tools. The
 * blocks come from templates/repositories.xml, written in the file's own indentation and line ending.
 *
 * Every block added is preceded, on its own line, by MARKER: that is how removal knows what anypoint-m2
 * added (a plugin group or an activation the user wrote looks the same) and takes out exactly that.
 */
import template from "../../templates/repositories.xml?raw";
import { Exit, M2Error, lineColumn, unsafeAt } from "../errors";
import { composeEdits } from "../xml/compose";
import { applyEdits, type Edit } from "../xml/edit";
import { detectEol, detectIndentUnit, indentAt } from "../xml/layout";
import { appendInside, insertAfter, insertBefore, insertFirst, MARKER, markerBefore, removeSpans, type Layout } from "../xml/lines";
import { javaTrim, scanXml, textContent, type XmlDocument, type XmlElement } from "../xml/scan";
import type { Env, Properties } from "./interpolate";
import { readSettings, resolveId, serverEntries } from "./model";
import type { ChangeKind, SettingsChange } from "./servers";
import { checkValue, escapeText } from "./value";

export const PROFILE_ID = "anypoint-exchange";
export const PLUGIN_GROUP = "org.mule.tools";
export const RELEASES_ID = "mulesoft-releases";
export { MARKER };

export interface RepositoriesInput {
  /** Each gets an Exchange repository with its id. */
  serverIds: readonly string[];
  /** The Exchange Maven facade of the region. */
  exchangeUrl: string;
  /** A URL of its own for some ids (the one the project's pom gives the id); the others get exchangeUrl. */
  urls?: Readonly<Record<string, string>>;
}

/** The URL of the Exchange repository with this id. */
const urlOf = (input: RepositoriesInput, id: string): string => (input.urls && Object.hasOwn(input.urls, id) ? input.urls[id]! : input.exchangeUrl);

export interface RepositoriesChange extends SettingsChange {
  /** "added": the profile is new; "updated": something in or around it changed; "removed" by removal. */
  change: ChangeKind;
}

/** Elements Maven's reference order puts before <pluginGroups>; a new one goes after the last of them. */
const BEFORE_PLUGIN_GROUPS = new Set(["localRepository", "interactiveMode", "usePluginRegistry", "offline"]);
/** A profile's two lists, with the element each holds. */
const LISTS = [
  ["repositories", "repository"],
  ["pluginRepositories", "pluginRepository"],
] as const;
type ListName = (typeof LISTS)[number][0];
type Section = "pluginGroups" | "profiles" | "activeProfiles";

interface Context {
  text: string;
  env: Env;
  properties: Properties;
}

/** The only child `name` of `parent`; a second one is refused: Maven's strict reader rejects it, its lenient one reads the last. */
function single(text: string, parent: XmlElement, name: string): XmlElement | undefined {
  const [found, second] = parent.children(name);
  if (second) {
    throw unsafeAt(text, second.start, `<${parent.name}> has more than one <${name}>: Maven's strict reader rejects that, and its lenient one reads only the last`, `Merge them into one <${name}> and run again.`);
  }
  return found;
}

/** The settings' sections this engine adds to. */
function sectionsOf(text: string, settings: XmlElement): Record<Section, XmlElement | undefined> {
  return { pluginGroups: single(text, settings, "pluginGroups"), profiles: single(text, settings, "profiles"), activeProfiles: single(text, settings, "activeProfiles") };
}

/** An element's text as Maven reads it: trimmed, `${…}` resolved. */
function valueOf(c: Context, element: XmlElement | undefined): string | undefined {
  return element ? resolveId(javaTrim(textContent(c.text, element)), c.env, c.properties).id : undefined;
}

const idOf = (c: Context, element: XmlElement): string | undefined => valueOf(c, element.child("id"));

/** What to show of an element's text: as Maven reads it, or as written when a value from the environment went into it. */
function shownOf(c: Context, element: XmlElement | undefined): string | undefined {
  return element ? resolveId(javaTrim(textContent(c.text, element)), c.env, c.properties).shown : undefined;
}

function profileIn(c: Context, profiles: XmlElement | undefined): XmlElement | undefined {
  return profiles?.children("profile").find((p) => idOf(c, p) === PROFILE_ID);
}

/** Two URLs that differ only by a final slash name the same repository. */
const sameUrl = (a: string | undefined, b: string): boolean => a !== undefined && a.replace(/\/+$/, "") === b.replace(/\/+$/, "");

/** The template with the Exchange repository written once per server id, as a scanned document. */
function expandedTemplate(input: RepositoriesInput): XmlDocument {
  const doc = scanXml(template);
  const repositories = doc.root.child("profiles")!.child("profile")!.child("repositories")!.children("repository");
  const exchange = repositories.find((r) => textContent(template, r.child("id")!) === "EXCHANGE_REPOSITORY_ID");
  const one = template.slice(exchange!.start, exchange!.end);
  const copies = input.serverIds.map((id) => one.replace("EXCHANGE_REPOSITORY_ID", escapeText(id)).replace("EXCHANGE_URL", escapeText(urlOf(input, id))));
  return scanXml(template.slice(0, exchange!.start) + copies.join(`\n${indentAt(template, exchange!.start)}`) + template.slice(exchange!.end));
}

/** Template blocks, written for the file: its indentation unit and line ending, each after MARKER. */
class Blocks {
  readonly doc: XmlDocument;
  constructor(
    input: RepositoriesInput,
    private readonly layout: Layout,
  ) {
    this.doc = expandedTemplate(input);
  }

  /** The template element at this path from <settings>. */
  at(...path: string[]): XmlElement {
    return path.reduce((element, name) => element.child(name)!, this.doc.root);
  }

  /** The item of a profile list with this id. */
  item(list: ListName, id: string): XmlElement {
    const [, name] = LISTS.find(([l]) => l === list)!;
    const c: Context = { text: this.doc.text, env: {}, properties: {} };
    return this.at("profiles", "profile", list).children(name).find((r) => idOf(c, r) === id)!;
  }

  /** The elements, each after MARKER, one after another at `indent`. */
  marked(elements: XmlElement[]): (indent: string) => string {
    const { eol } = this.layout;
    return (indent) => elements.map((e) => `${MARKER}${eol}${indent}${this.render(e, indent)}`).join(`${eol}${indent}`);
  }

  /** An element of the template with its first line at `indent` and each level one unit deeper. */
  private render(element: XmlElement, indent: string): string {
    const { text } = this.doc;
    const base = indentAt(text, element.start) ?? "";
    return text
      .slice(element.start, element.end)
      .split(/\r?\n/)
      .map((line, i) => {
        if (i === 0) return line;
        const rest = line.startsWith(base) ? line.slice(base.length) : line.trimStart();
        const depth = Math.floor((rest.length - rest.trimStart().length) / 2);
        return indent + this.layout.unit.repeat(depth) + rest.trimStart();
      })
      .join(this.layout.eol);
  }
}

function checkInput(input: RepositoriesInput): void {
  if (input.serverIds.length === 0) throw new Error("mergeRepositories needs at least one server id");
  for (const id of input.serverIds) {
    if (id.includes("${")) throw new M2Error(Exit.usage, `the server id "${id}" contains "\${": Maven would replace it with a property's value when it reads settings.xml`);
    checkValue("server id", id);
  }
  checkValue("Exchange URL", input.exchangeUrl);
  for (const id of input.serverIds) checkValue(`URL of repository "${id}"`, urlOf(input, id));
}

/** What the wanted items of a profile list are: each Exchange repository and MuleSoft's releases. */
function wanted(input: RepositoriesInput, list: ListName): { id: string; url: string }[] {
  const releases = { id: RELEASES_ID, url: "https://repository.mulesoft.org/releases/" };
  return list === "repositories" ? [...input.serverIds.map((id) => ({ id, url: urlOf(input, id) })), releases] : [releases];
}

/**
 * Adds what is missing: the profile (or, in a profile of that id that exists, the repositories it lacks,
 * and the URL of one that differs), its activation and the plugin group. Nothing else changes; running it
 * again changes nothing. `env` and `properties` resolve `${…}` in ids as Maven does.
 */
export function mergeRepositories(text: string, input: RepositoriesInput, env: Env = {}, properties: Properties = {}): RepositoriesChange {
  checkInput(input);
  const { settings } = readSettings(text);
  const c: Context = { text, env, properties };
  const layout: Layout = { eol: detectEol(text), unit: detectIndentUnit(text, settings) };
  const blocks = new Blocks(input, layout);
  const sections = sectionsOf(text, settings);
  const profile = profileIn(c, sections.profiles);
  const edits: Edit[] = [];
  const missing: Section[] = [];
  const has = (section: XmlElement, item: string, value: string): boolean => section.children().some((e) => e.name === item && valueOf(c, e) === value);

  if (!sections.pluginGroups) missing.push("pluginGroups");
  else if (!has(sections.pluginGroups, "pluginGroup", PLUGIN_GROUP)) {
    edits.push(appendInside(text, sections.pluginGroups, blocks.marked([blocks.at("pluginGroups", "pluginGroup")]), layout));
  }
  if (!sections.profiles) missing.push("profiles");
  else if (!profile) edits.push(appendInside(text, sections.profiles, blocks.marked([blocks.at("profiles", "profile")]), layout));
  else edits.push(...updateProfile(c, profile, input, blocks, layout));
  if (!sections.activeProfiles) missing.push("activeProfiles");
  else if (!has(sections.activeProfiles, "activeProfile", PROFILE_ID)) {
    edits.push(appendInside(text, sections.activeProfiles, blocks.marked([blocks.at("activeProfiles", "activeProfile")]), layout));
  }
  edits.push(...createSections(text, settings, sections, missing, blocks, layout));
  const change: ChangeKind = !profile ? "added" : edits.length > 0 ? "updated" : "unchanged";
  return { edits, change, warnings: elsewhere(c, sections.profiles, profile, input) };
}

/** New <pluginGroups>, <profiles>, <activeProfiles>: where Maven's reference order puts them. */
function createSections(
  text: string,
  settings: XmlElement,
  sections: Record<Section, XmlElement | undefined>,
  missing: Section[],
  blocks: Blocks,
  layout: Layout,
): Edit[] {
  if (missing.length === 0) return [];
  const make = (names: Section[]) => blocks.marked(names.map((n) => blocks.at(n)));
  // Several insertions at one place would overlap: into an empty <settings> they go as one block.
  if (settings.children().length === 0) return [appendInside(text, settings, make(missing), layout)];
  const edits: Edit[] = [];
  if (missing.includes("pluginGroups")) {
    const anchor = settings.children().filter((e) => BEFORE_PLUGIN_GROUPS.has(e.name)).pop();
    edits.push(anchor ? insertAfter(text, anchor, make(["pluginGroups"]), layout) : insertFirst(text, settings, make(["pluginGroups"]), layout));
  }
  const rest = missing.filter((n) => n !== "pluginGroups");
  if (rest.length === 2) edits.push(appendInside(text, settings, make(rest), layout));
  else if (rest[0] === "profiles") edits.push(insertBefore(text, sections.activeProfiles!, make(rest), layout));
  else if (rest[0] === "activeProfiles") edits.push(insertAfter(text, sections.profiles!, make(rest), layout));
  return edits;
}

/** In a profile `anypoint-exchange` that exists: the lists and items it lacks are added, a different URL replaced. */
function updateProfile(c: Context, profile: XmlElement, input: RepositoriesInput, blocks: Blocks, layout: Layout): Edit[] {
  const edits: Edit[] = [];
  const newLists: XmlElement[] = [];
  for (const [list, item] of LISTS) {
    const container = single(c.text, profile, list);
    if (!container) {
      newLists.push(blocks.at("profiles", "profile", list));
      continue;
    }
    const missing: XmlElement[] = [];
    for (const want of wanted(input, list)) {
      const found = container.children(item).find((e) => idOf(c, e) === want.id);
      if (found) edits.push(...urlEdits(c, found, want.url, layout));
      else missing.push(blocks.item(list, want.id));
    }
    if (missing.length > 0) edits.push(appendInside(c.text, container, blocks.marked(missing), layout));
  }
  if (newLists.length > 0) edits.push(appendInside(c.text, profile, blocks.marked(newLists), layout));
  return edits;
}

/** The repository's <url> made `url`: its text replaced, or the element added after <id>. */
function urlEdits(c: Context, repository: XmlElement, url: string, { eol }: Layout): Edit[] {
  const element = repository.child("url");
  if (!element) {
    const id = repository.child("id")!;
    const indent = indentAt(c.text, id.start);
    return [{ offset: id.end, length: 0, content: `${indent === undefined ? "" : eol + indent}<url>${escapeText(url)}</url>` }];
  }
  if (sameUrl(valueOf(c, element), url)) return [];
  return element.selfClosing
    ? [{ offset: element.start, length: element.end - element.start, content: `<url>${escapeText(url)}</url>` }]
    : [{ offset: element.openEnd, length: element.closeStart - element.openEnd, content: escapeText(url) }];
}

/** Other profiles that declare one of these repository ids with another URL: Maven then uses only one of them. */
function elsewhere(c: Context, profiles: XmlElement | undefined, ours: XmlElement | undefined, input: RepositoriesInput): string[] {
  const warnings: string[] = [];
  for (const p of profiles?.children("profile") ?? []) {
    if (ours && p.start === ours.start) continue;
    for (const [list, item] of LISTS) {
      for (const e of p.child(list)?.children(item) ?? []) {
        const id = idOf(c, e);
        const want = wanted(input, list).find((w) => w.id === id);
        const url = valueOf(c, e.child("url"));
        if (want && !sameUrl(url, want.url)) {
          warnings.push(
            `profile "${shownOf(c, p.child("id")) ?? "default"}" (line ${lineColumn(c.text, e.start).line}) also declares the ${item} "${id}", with URL ${shownOf(c, e.child("url")) ?? "none"}; ` +
              `when both profiles are active Maven uses only one of them for that id`,
          );
        }
      }
    }
  }
  return warnings;
}

/**
 * Takes out what mergeRepositories added for these server ids: their Exchange repositories and, when no
 * other repository is left in the profile that anypoint-m2 added or that serves a server of the file (one
 * the user wrote there for another server), MuleSoft's releases, the profile itself (when anypoint-m2 added
 * it), its activation and the plugin group. Only blocks after MARKER (and what is inside them) are taken
 * out; what the user wrote stays, and so does a URL that was updated.
 */
export function removeRepositories(text: string, serverIds: readonly string[], env: Env = {}, properties: Properties = {}): RepositoriesChange {
  const model = readSettings(text);
  const { settings } = model;
  const c: Context = { text, env, properties };
  const sections = sectionsOf(text, settings);
  const servers = new Set(serverEntries(model, env, properties).map((e) => e.id));
  const marked = (e: XmlElement): boolean => markerBefore(text, e) !== undefined;
  const taken: XmlElement[] = [];
  const profile = profileIn(c, sections.profiles);
  let shared = true;

  if (profile) {
    // Added by anypoint-m2 itself, or inside the <profiles> it added.
    const profileOurs = marked(profile) || marked(sections.profiles!);
    const lists = LISTS.map(([list]) => single(text, profile, list)).filter((e): e is XmlElement => e !== undefined);
    const going = new Set<number>();
    const releases: XmlElement[] = [];
    for (const list of lists) {
      const listOurs = profileOurs || marked(list);
      for (const e of list.children()) {
        const ours = listOurs || marked(e);
        const id = idOf(c, e);
        if (ours && list.name === "repositories" && id !== undefined && serverIds.includes(id)) going.add(e.start);
        else if (ours && id === RELEASES_ID) releases.push(e);
        // Another repository anypoint-m2 added (for another server id) still needs what they share, and so
        // does one the user wrote there for a server of this file.
        else if (ours || (id !== undefined && !serverIds.includes(id) && servers.has(id))) shared = false;
      }
    }
    if (shared) for (const e of releases) going.add(e.start);
    const emptied = (list: XmlElement): boolean => list.children().every((e) => going.has(e.start));
    const whole = shared && profileOurs && profile.children().every((e) => e.name === "id" || (lists.some((l) => l.start === e.start) && emptied(e)));
    if (whole) {
      const onlyChild = sections.profiles!.children().length === 1 && marked(sections.profiles!);
      taken.push(onlyChild ? sections.profiles! : profile);
    } else {
      for (const list of lists) {
        if ((profileOurs || marked(list)) && emptied(list) && list.children().length > 0) taken.push(list);
        else taken.push(...list.children().filter((e) => going.has(e.start)));
      }
    }
  }
  if (shared) {
    for (const [section, item, value] of [
      [sections.activeProfiles, "activeProfile", PROFILE_ID],
      [sections.pluginGroups, "pluginGroup", PLUGIN_GROUP],
    ] as const) {
      if (!section) continue;
      const sectionOurs = marked(section);
      const ours = section.children().filter((e) => e.name === item && valueOf(c, e) === value && (sectionOurs || marked(e)));
      if (sectionOurs && ours.length === section.children().length) taken.push(section);
      else taken.push(...ours);
    }
  }
  const edits = removeSpans(text, taken.map((e) => [markerBefore(text, e) ?? e.start, e.end] as const));
  return { edits, change: edits.length > 0 ? "removed" : "unchanged", warnings: [] };
}

/**
 * A change to the server, then the repositories' change computed on the text that produced, as one change
 * to the original text. Its `change` is the file's; `repositories` says what happened to them.
 */
export function andRepositories(text: string, first: SettingsChange, then: (text: string) => RepositoriesChange): SettingsChange & { repositories: ChangeKind } {
  const second = then(first.edits.length > 0 ? applyEdits(text, first.edits) : text);
  const change: ChangeKind = first.change !== "unchanged" || second.edits.length === 0 ? first.change : second.change === "removed" ? "removed" : "updated";
  return { ...first, edits: composeEdits(text, first.edits, second.edits), change, warnings: [...first.warnings, ...second.warnings], repositories: second.change };
}

/** Whether any profile of the settings declares a repository with this id (as Maven resolves ids). */
export function declaresRepository(text: string, id: string, env: Env = {}, properties: Properties = {}): boolean {
  const { settings } = readSettings(text);
  const c: Context = { text, env, properties };
  return (settings.child("profiles")?.children("profile") ?? []).some((p) => p.child("repositories")?.children("repository").some((r) => idOf(c, r) === id));
}

/**
 * The URLs of the settings' profile repositories with this id (as Maven resolves ids and URLs), each once,
 * with the line of the repository: where Maven sends that server's credentials when no pom names the id.
 */
export function repositoryUrls(text: string, id: string, env: Env = {}, properties: Properties = {}): { url: string; line: number }[] {
  const { settings } = readSettings(text);
  const c: Context = { text, env, properties };
  const found = new Map<string, number>();
  for (const p of settings.child("profiles")?.children("profile") ?? []) {
    for (const r of p.child("repositories")?.children("repository") ?? []) {
      const url = idOf(c, r) === id ? valueOf(c, r.child("url")) : undefined;
      if (url && !found.has(url)) found.set(url, lineColumn(text, r.start).line);
    }
  }
  return [...found].map(([url, line]) => ({ url, line }));
}
