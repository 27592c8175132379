/**
 * The `<mirror>`s of a settings file and which one Maven puts in front of a repository, as Maven 3's
 * resolver does it (maven-resolver's DefaultMirrorSelector, fed by Maven's DefaultRepositorySystemSessionFactory
 * with the settings' mirrors in order). Checked against that class in test/mirrors.test.ts.
 *
 * A mirrored repository is fetched from the mirror's URL with the credentials of the server whose id is the
 * mirror's id, not the repository's. Mirrors apply to what is downloaded (`<repositories>`,
 * `<pluginRepositories>`), never to `<distributionManagement>`, which Maven deploys to as written.
 */
import { lineColumn, unsafeAt } from "../errors";
import { javaTrim, textContent, type XmlElement } from "../xml/scan";
import { interpolate, type Env, type Properties } from "./interpolate";
import type { SettingsModel } from "./model";

export interface SettingsMirror {
  /** Fields as Maven reads them: `${…}` resolved, trimmed; undefined when absent. */
  id: string | undefined;
  url: string | undefined;
  mirrorOf: string | undefined;
  /** Layouts it mirrors; Maven's default is "default,legacy". */
  mirrorOfLayouts: string;
  line: number;
}

/** What the selector looks at of a repository. */
export interface MirrorTarget {
  id: string;
  url: string;
  /** The repository's layout; "default" when the pom says nothing. */
  layout?: string;
}

const field = (model: SettingsModel, element: XmlElement, name: string, env: Env, properties: Properties): string | undefined => {
  const child = element.child(name);
  return child ? javaTrim(interpolate(javaTrim(textContent(model.text, child)), env, properties).value) : undefined;
};

/** Every <mirror> of the settings' <mirrors>, in order. A second <mirrors> is refused, as Maven refuses it. */
export function readMirrors(model: SettingsModel, env: Env = {}, properties: Properties = {}): SettingsMirror[] {
  let section: XmlElement | undefined;
  model.settings.forEachChild("mirrors", (element) => {
    if (section) throw unsafeAt(model.text, element.start, "the file has more than one <mirrors> section, which Maven rejects", "Merge them into one <mirrors>.");
    section = element;
  });
  const mirrors: SettingsMirror[] = [];
  section?.forEachChild("mirror", (element) => {
    mirrors.push({
      id: field(model, element, "id", env, properties),
      url: field(model, element, "url", env, properties),
      mirrorOf: field(model, element, "mirrorOf", env, properties),
      mirrorOfLayouts: field(model, element, "mirrorOfLayouts", env, properties) ?? "default,legacy",
      line: lineColumn(model.text, element.start).line,
    });
  });
  return mirrors;
}

/**
 * The mirror Maven uses for the repository: the first whose mirrorOf is exactly its id, else the first whose
 * pattern matches it (each with a matching layout). Mirrors without mirrorOf are skipped (Maven refuses
 * such a file before it gets here).
 */
export function selectMirror(repository: MirrorTarget, mirrors: readonly SettingsMirror[]): SettingsMirror | undefined {
  const layout = repository.layout ?? "default";
  const usable = mirrors.filter((m) => m.mirrorOf !== undefined && matchesLayout(layout, m.mirrorOfLayouts));
  return usable.find((m) => m.mirrorOf === repository.id) ?? usable.find((m) => matchesPattern(repository, m.mirrorOf!));
}

/**
 * `*`, an exact id, or a comma-separated list of ids, `*`, `external:*` (not on localhost or a file),
 * `external:http:*` (plain HTTP, not on localhost) and `!id` (an exclusion, which ends the list). Entries are
 * not trimmed: `a, b` lists "a" and " b", as Maven reads it.
 */
export function matchesPattern(repository: MirrorTarget, pattern: string): boolean {
  if (pattern === "*" || pattern === repository.id) return true;
  let result = false;
  for (const entry of pattern.split(",")) {
    if (entry.length > 1 && entry.startsWith("!")) {
      if (entry.slice(1) === repository.id) return false;
    } else if (entry === repository.id) {
      return true;
    } else if (entry === "external:*" && isExternal(repository.url)) {
      result = true;
    } else if (entry === "external:http:*" && isExternalHttp(repository.url)) {
      result = true;
    } else if (entry === "*") {
      result = true;
    }
  }
  return result;
}

/** The same list syntax over layouts; an empty list or `*` takes any. */
function matchesLayout(layout: string, pattern: string): boolean {
  if (pattern === "" || pattern === "*" || pattern === layout) return true;
  let result = false;
  for (const entry of pattern.split(",")) {
    if (entry.length > 1 && entry.startsWith("!")) {
      if (entry.slice(1) === layout) return false;
    } else if (entry === layout) {
      return true;
    } else if (entry === "*") {
      result = true;
    }
  }
  return result;
}

/** Protocol and host as the resolver's RemoteRepository reads them from a URL (its URL_PATTERN). */
function protocolAndHost(url: string): { protocol: string; host: string } {
  const m = /^([^:/]+(:[^:/]{2,}(?=:\/\/))?):(\/\/([^@/]*@)?([^/:]+))?[^\n\r\u0085\u2028\u2029]*$/.exec(url);
  return m ? { protocol: m[1]!, host: m[5] ?? "" } : { protocol: "", host: "" };
}

const isLocal = (host: string): boolean => host === "localhost" || host === "127.0.0.1";

function isExternal(url: string): boolean {
  const { protocol, host } = protocolAndHost(url);
  return !(isLocal(host) || protocol.toLowerCase() === "file");
}

function isExternalHttp(url: string): boolean {
  const { protocol, host } = protocolAndHost(url);
  return ["http", "dav", "dav:http", "dav+http"].includes(protocol.toLowerCase()) && !isLocal(host);
}
