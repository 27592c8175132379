/**
 * The `<mirror>`s of a settings file and which one Maven puts in front of a repository, as Maven 3's
 * resolver does it (maven-resolver's DefaultMirrorSelector, fed by Maven's DefaultRepositorySystemSessionFactory
 * with the settings' mirrors in order). Checked against that class in test/mirrors.test.ts.
 *
 * A mirrored repository is fetched from the mirror's URL with the credentials of the server whose id is the
 * mirror's id, not the repository's. Mirrors apply to what is downloaded (`<repositories>`,
 * `<pluginRepositories>`), never to `<distributionManagement>`, which Maven deploys to as written.
 */
import { lineColumn } from "../errors";
import { javaTrim, textContent, type XmlElement } from "../xml/scan";
import { interpolator, type Env, type Interpolated, type Properties } from "./interpolate";
import type { SettingsModel } from "./model";

export interface SettingsMirror {
  /** Fields as Maven reads them: `${…}` resolved, trimmed; undefined when absent. */
  id: string | undefined;
  url: string | undefined;
  mirrorOf: string | undefined;
  /** Layouts it mirrors; Maven's default is "default,legacy". */
  mirrorOfLayouts: string;
  line: number;
  /** What to show of id, url and mirrorOf: as written when a value from the environment went into it. */
  shown: { id: string | undefined; url: string | undefined; mirrorOf: string | undefined };
}

/** What the selector looks at of a repository. */
export interface MirrorTarget {
  id: string;
  url: string;
  /** The repository's layout; "default" when the pom says nothing. */
  layout?: string;
}

/** A field as Maven reads it, and as shown (as written when a value from the environment went into it). */
function field(model: SettingsModel, element: XmlElement, name: string, interpolate: (value: string) => Interpolated): { value?: string; shown?: string } {
  const child = element.child(name);
  if (!child) return {};
  const written = javaTrim(textContent(model.text, child));
  const resolved = interpolate(written);
  const value = javaTrim(resolved.value);
  return { value, shown: resolved.fromEnv ? written : value };
}

/** Every <mirror> of the settings' <mirrors>, in order (readSettings refuses a second <mirrors>, as Maven does). */
export function readMirrors(model: SettingsModel, env: Env = {}, properties: Properties = {}): SettingsMirror[] {
  const section = model.settings.child("mirrors");
  const mirrors: SettingsMirror[] = [];
  const resolve = interpolator(env, properties);
  for (const element of section?.children("mirror") ?? []) {
    const [id, url, mirrorOf] = (["id", "url", "mirrorOf"] as const).map((name) => field(model, element, name, resolve));
    mirrors.push({
      id: id!.value,
      url: url!.value,
      mirrorOf: mirrorOf!.value,
      mirrorOfLayouts: field(model, element, "mirrorOfLayouts", resolve).value ?? "default,legacy",
      line: lineColumn(model.text, element.start).line,
      shown: { id: id!.shown, url: url!.shown, mirrorOf: mirrorOf!.shown },
    });
  }
  return mirrors;
}

/**
 * The mirror Maven uses for the repository: the first whose mirrorOf is exactly its id, else the first whose
 * pattern matches it (each with a matching layout). Mirrors without mirrorOf are skipped (Maven refuses
 * such a file before it gets here).
 */
export function selectMirror(repository: MirrorTarget, mirrors: readonly SettingsMirror[]): SettingsMirror | undefined {
  return mirrorSelector(mirrors)(repository);
}

/** Patterns of one entry that match more than the id they name. */
const WILDCARDS = new Set(["*", "external:*", "external:http:*"]);

/**
 * selectMirror for many repositories under the same mirrors: the mirrors usable for each layout are sorted
 * once, an exact mirrorOf is found by id, and only patterns that can match other ids (a list, a wildcard) are
 * tried in turn; a pom of thousands of repositories costs one look each, not one per mirror.
 */
export function mirrorSelector(mirrors: readonly SettingsMirror[]): (repository: MirrorTarget) => SettingsMirror | undefined {
  const byLayout = new Map<string, { exact: Map<string, SettingsMirror>; patterns: SettingsMirror[] }>();
  const forLayout = (layout: string) => {
    const known = byLayout.get(layout);
    if (known) return known;
    const usable = mirrors.filter((m) => m.mirrorOf !== undefined && matchesLayout(layout, m.mirrorOfLayouts));
    const exact = new Map<string, SettingsMirror>();
    for (const m of usable) if (!exact.has(m.mirrorOf!)) exact.set(m.mirrorOf!, m);
    // A single entry that is no wildcard matches only the id it is, which `exact` finds first.
    const patterns = usable.filter((m) => m.mirrorOf!.includes(",") || WILDCARDS.has(m.mirrorOf!));
    byLayout.set(layout, { exact, patterns });
    return { exact, patterns };
  };
  return (repository) => {
    const { exact, patterns } = forLayout(repository.layout ?? "default");
    return exact.get(repository.id) ?? patterns.find((m) => matchesPattern(repository, m.mirrorOf!));
  };
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
export function matchesLayout(layout: string, pattern: string): boolean {
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
