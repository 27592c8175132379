/**
 * The repositories a pom.xml declares, as Maven reads them, and which of them are Anypoint Exchange: pure
 * text in, a report out. Read with our own scanner (the settings engine's); a pom it cannot read throws
 * M2Error with the line, and the callers report it rather than stop.
 *
 * What is read: `<repositories>`, `<pluginRepositories>` and `<distributionManagement>`'s `<repository>` and
 * `<snapshotRepository>`, at the top and inside each `<profile>`. `${…}` in ids and URLs is resolved as
 * Maven's model interpolation would without -P: the pom's own `<properties>` (with those of profiles marked
 * activeByDefault over them, and a profile's own over them for what that profile declares), `project.*`
 * coordinates (from `<parent>` where the pom leaves them out), `env.X` from the environment and Maven's
 * known system properties. A parent pom's properties cannot be seen: what only they define stays unresolved,
 * and a URL whose host it hides is reported, never guessed. An id that takes a value from the environment is
 * shown as written (the value may be a secret); a value past the interpolation bound is reported unresolved.
 */
import { lineColumn, unsafeAt } from "../errors";
import { hideCredentials, type Region } from "../anypoint/endpoint";
import { interpolator, MAX_VALUE, workBudget, type Env, type Interpolated, type Properties } from "../settings/interpolate";
import { javaTrim, scanXml, textContent, type XmlElement } from "../xml/scan";
import { readDeployments, type PomDeployment, type PomValue } from "./deployments";
import { facadeRegion, hostOf } from "./exchange";

export type PomSection = "repositories" | "pluginRepositories" | "distributionManagement.repository" | "distributionManagement.snapshotRepository";

export interface PomRepository {
  /** The id as Maven resolves it, for matching: not to be shown (it may hold an environment variable's value). */
  id: string | undefined;
  /** The id to show: as Maven resolves it, or as written when a value from the environment went into it. */
  shown: string | undefined;
  /** A value from the environment went into the id (`${env.X}`, or a property defined with one). */
  idFromEnv?: true;
  /** The id as written, when it holds `${…}`. */
  idAsWritten?: string;
  /** The URL as resolved (expressions nothing defines stay as written); undefined without <url>. */
  url: string | undefined;
  urlAsWritten?: string;
  /** A value from the environment (or a user's -D option) went into the URL: it is shown as written, never written. */
  urlFromEnv?: true;
  section: PomSection;
  /** The profile that declares it, if any. */
  profile?: string;
  /** <layout>, "default" when absent. */
  layout: string;
  /** Line of its <id> (else of the element itself). */
  line: number;
  /** The control plane of the Exchange facade it points at; undefined when it is not Exchange (or cannot be told). */
  region?: Region;
  /** Expressions left unresolved in its id or URL, without `${` `}`. */
  unresolved: string[];
}

export interface PomProblem {
  message: string;
  line: number;
  hint?: string;
}

export interface PomReport {
  repositories: PomRepository[];
  problems: PomProblem[];
  /** The profiles Maven activates when no -P says otherwise (activeByDefault). */
  defaultProfiles: string[];
  /** The project's groupId (its parent's when it has none) and artifactId, as written. */
  groupId?: string;
  artifactId?: string;
  /** The groupId as Maven resolves it (the parent's when the pom has none), with its line. */
  resolvedGroupId?: PomValue;
  /** The mule-maven-plugin deployment blocks (src/project/deployments.ts). */
  deployments: PomDeployment[];
}

export interface PomContext {
  /** The environment, for `${env.X}`. */
  env?: Env;
  /** Maven's system and -D properties known here (user.home, ...), but the user's own -D options. */
  properties?: Properties;
  /** The -D options the user gave (MAVEN_OPTS, MAVEN_ARGS...): resolved, but shown as written, like `${env.X}`. */
  userProperties?: Properties;
  /** The folder holding the pom, for `${basedir}` and `${project.basedir}`. */
  basedir?: string;
}

const SECTIONS: [container: string, element: string, section: PomSection][] = [
  ["repositories", "repository", "repositories"],
  ["pluginRepositories", "pluginRepository", "pluginRepositories"],
];

/** A field as Maven's model reader gives it: character data, trimmed. */
const field = (text: string, parent: XmlElement, name: string): string | undefined => {
  const element = parent.child(name);
  return element ? javaTrim(textContent(text, element)) : undefined;
};

/** The `<properties>` of a project or profile, each value trimmed as Maven's reader trims it. */
function propertiesOf(text: string, parent: XmlElement): Record<string, string> {
  const out: Record<string, string> = {};
  const properties = parent.child("properties");
  for (const p of properties?.children() ?? []) out[p.name] = javaTrim(textContent(text, p));
  return out;
}

/** `project.groupId` and friends, with `pom.` as Maven still accepts it; the parent's where the pom has none. */
function coordinates(text: string, project: XmlElement, basedir: string | undefined): Record<string, string> {
  const parent = project.child("parent");
  const out: Record<string, string> = {};
  const set = (name: string, value: string | undefined) => {
    if (value === undefined) return;
    out[`project.${name}`] = value;
    out[`pom.${name}`] = value;
  };
  for (const name of ["groupId", "artifactId", "version"]) {
    const own = field(text, project, name);
    set(name, name === "artifactId" ? own : (own ?? (parent && field(text, parent, name))));
    if (parent) set(`parent.${name}`, field(text, parent, name));
  }
  for (const name of ["name", "packaging"]) set(name, field(text, project, name));
  if (basedir !== undefined) {
    out.basedir = basedir;
    out["project.basedir"] = basedir;
  }
  return out;
}

export function readPom(text: string, context: PomContext = {}): PomReport {
  const project = scanXml(text).root;
  if (project.name !== "project") {
    throw unsafeAt(text, project.start, `the root element is <${project.name}>, not <project>: this is not a Maven pom`, "Point --pom at your project's pom.xml.");
  }
  const profiles = project.child("profiles")?.children().filter((p) => p.name === "profile") ?? [];
  const byDefault = profiles.filter((p) => {
    const activation = p.child("activation");
    return activation !== undefined && field(text, activation, "activeByDefault") === "true";
  });
  const base: Properties = {
    ...context.properties,
    ...propertiesOf(text, project),
    ...byDefault.reduce((all, p) => Object.assign(all, propertiesOf(text, p)), {}),
    ...coordinates(text, project, context.basedir),
  };
  const own = coordinates(text, project, undefined);
  const report: PomReport = {
    repositories: [],
    problems: [],
    deployments: [],
    defaultProfiles: byDefault.map((p) => field(text, p, "id") ?? "default"),
    ...(own["project.groupId"] !== undefined ? { groupId: own["project.groupId"] } : {}),
    ...(own["project.artifactId"] !== undefined ? { artifactId: own["project.artifactId"] } : {}),
  };
  // `${env.X}` from the environment; a bare `${X}` is no environment variable in a pom.
  // One budget for the whole pom: a thousand profiles with properties of their own build no more than one.
  const budget = workBudget();
  const resolver = (...layers: Properties[]) => interpolator(context.env ?? {}, layers, { bareEnv: false, budget, userProperties: context.userProperties });
  const top = resolver(base);
  read(text, project, top, undefined, report);
  const owners: Parameters<typeof readDeployments>[1] = [{ owner: project, resolve: top }];
  for (const profile of profiles) {
    const id = field(text, profile, "id") ?? "default";
    const own = propertiesOf(text, profile);
    const resolve = Object.keys(own).length > 0 ? resolver(base, own) : top;
    read(text, profile, resolve, id, report);
    owners.push({ owner: profile, profile: id, resolve });
  }
  report.deployments = readDeployments(text, owners);
  const groupElement = project.child("groupId") ?? project.child("parent")?.child("groupId");
  if (groupElement && own["project.groupId"] !== undefined) {
    const resolved = top(own["project.groupId"]);
    report.resolvedGroupId = {
      value: javaTrim(resolved.value),
      written: own["project.groupId"],
      line: lineColumn(text, groupElement.start).line,
      unresolved: resolved.unresolved,
      ...(resolved.fromEnv ? { fromEnv: true as const } : {}),
    };
  }
  return report;
}

/** Every deployment block's <server>, wherever in the pom (a plugin, its management, a profile's build). */
/** The repositories of a project or profile element, into `report`. */
type Resolve = (written: string) => Interpolated;

function read(text: string, owner: XmlElement, interpolate: Resolve, profile: string | undefined, report: PomReport): void {
  for (const [container, name, section] of SECTIONS) {
    for (const element of owner.child(container)?.children() ?? []) {
      if (element.name === name) report.repositories.push(repository(text, element, section, interpolate, profile, report));
    }
  }
  const distribution = owner.child("distributionManagement");
  for (const name of ["repository", "snapshotRepository"] as const) {
    const element = distribution?.child(name);
    if (element) report.repositories.push(repository(text, element, `distributionManagement.${name}`, interpolate, profile, report));
  }
}

function repository(text: string, element: XmlElement, section: PomSection, interpolate: Resolve, profile: string | undefined, report: PomReport): PomRepository {
  const idElement = element.child("id");
  const line = lineColumn(text, (idElement ?? element).start).line;
  const resolve = (written: string | undefined) => (written === undefined ? undefined : interpolate(written));
  const idWritten = field(text, element, "id");
  const urlWritten = field(text, element, "url");
  const id = resolve(idWritten);
  const url = resolve(urlWritten);
  const unresolved = [...new Set([...(id?.unresolved ?? []), ...(url?.unresolved ?? [])])];
  const where = `${profile ? `profile "${profile}", ` : ""}${section}`;
  const shownId = idWritten === undefined ? "without an <id>" : `"${idWritten}"`;
  const region = url ? facadeRegion(javaTrim(url.value)) : undefined;
  if (url && hostOf(javaTrim(url.value)) === undefined && url.unresolved.length > 0) {
    report.problems.push({
      line,
      message: `the URL of repository ${shownId} (${where}) is ${hideCredentials(urlWritten!)}: ${notDefined(url)}, so whether it is Exchange cannot be told`,
      hint: "It may come from a parent pom or a -D option. If it is Exchange, give its id with --server-id.",
    });
  }
  if (region && (id === undefined || id.unresolved.length > 0)) {
    report.problems.push({
      line,
      message:
        id === undefined
          ? `an Exchange repository (${where}) has no <id>, which Maven requires`
          : `the id of an Exchange repository (${where}) is ${idWritten}, and ${notDefined(id)}`,
      hint: "Give the id Maven will use with --server-id.",
    });
  }
  return {
    id: id === undefined ? undefined : javaTrim(id.value),
    shown: id === undefined ? undefined : id.fromEnv ? idWritten : javaTrim(id.value),
    ...(id?.fromEnv ? { idFromEnv: true as const } : {}),
    ...(idWritten?.includes("${") ? { idAsWritten: idWritten } : {}),
    url: url === undefined ? undefined : javaTrim(url.value),
    ...(urlWritten?.includes("${") ? { urlAsWritten: urlWritten } : {}),
    ...(url?.fromEnv ? { urlFromEnv: true as const } : {}),
    section,
    ...(profile !== undefined ? { profile } : {}),
    layout: field(text, element, "layout") || "default",
    line,
    ...(region ? { region } : {}),
    unresolved,
  };
}

/** What an unresolved value lacks: a definition, or (past the bound) a reasonable length. */
function notDefined({ unresolved, tooLong }: Interpolated): string {
  const names = unresolved.map((n) => `\${${n}}`).join(", ");
  return tooLong !== undefined
    ? `resolving ${names} passes ${MAX_VALUE / 1024} KiB (no id or URL is that long), so it is left unresolved`
    : `${names} is not defined in this pom`;
}

/** The Exchange repositories whose id is known: what setup can write servers for. */
export function exchangeRepositories(report: PomReport): PomRepository[] {
  return report.repositories.filter((r) => r.region !== undefined && r.id !== undefined && r.id !== "" && !r.id.includes("${"));
}

/** Their ids, each once, in the pom's order. */
export function exchangeIds(report: PomReport): string[] {
  return [...new Set(exchangeRepositories(report).map((r) => r.id!))];
}
