/**
 * The mule-maven-plugin deployments a pom declares: each `cloudHubDeployment`, `cloudhub2Deployment`,
 * `runtimeFabricDeployment` or `armDeployment` in the plugin's `<configuration>` (or an execution's), in
 * `<plugins>` or `<pluginManagement>`, at the top and in each profile; with the plugin's version (its own
 * `<version>`, else this pom's `<pluginManagement>`'s), the `<server>` it names and the credentials it
 * gives itself, each resolved as the pom's repositories are (src/project/pom.ts). Pure: elements in, a list out.
 */
import { lineColumn } from "../errors";
import type { Interpolated } from "../settings/interpolate";
import { javaTrim, textContent, type XmlElement } from "../xml/scan";

export const DEPLOYMENT_KINDS = ["cloudHubDeployment", "cloudhub2Deployment", "runtimeFabricDeployment", "armDeployment"] as const;
export type DeploymentKind = (typeof DEPLOYMENT_KINDS)[number];
/** The block's own credentials, which the plugin takes over the server's (with only a WARN line). */
export const DEPLOYMENT_CREDENTIALS = ["username", "password", "connectedAppClientId", "connectedAppClientSecret"] as const;

/** A value of the pom as written and as resolved. */
export interface PomValue {
  /** As Maven resolves it (expressions nothing defines stay as written). */
  value: string;
  written: string;
  line: number;
  /** Expressions left unresolved, without `${` `}`. */
  unresolved: string[];
  /** A value from the environment went into it: shown as written only. */
  fromEnv?: true;
}

export interface PomDeployment {
  kind: DeploymentKind;
  /** Line of the block's element. */
  line: number;
  profile?: string;
  /** The plugin's version; undefined when this pom gives none (a parent's pluginManagement may). */
  version?: PomValue;
  /** The `<server>` it names, if any. */
  server?: PomValue;
  /** The credentials it gives itself (names as in DEPLOYMENT_CREDENTIALS), with their lines. */
  credentials: { name: string; line: number }[];
}

type Resolve = (written: string) => Interpolated;

const PLUGIN = "mule-maven-plugin";

/** The mule-maven-plugin elements of a project or profile: in build/plugins and build/pluginManagement/plugins. */
function plugins(owner: XmlElement): { plugin: XmlElement; managed: boolean }[] {
  const build = owner.child("build");
  const of = (plugins: XmlElement | undefined, managed: boolean) =>
    (plugins?.children("plugin") ?? []).filter((p) => p.child("artifactId") !== undefined).map((plugin) => ({ plugin, managed }));
  return [...of(build?.child("plugins"), false), ...of(build?.child("pluginManagement")?.child("plugins"), true)];
}

export function readDeployments(text: string, owners: { owner: XmlElement; profile?: string; resolve: Resolve }[]): PomDeployment[] {
  const line = (element: XmlElement) => lineColumn(text, element.start).line;
  const value = (element: XmlElement | undefined, resolve: Resolve): PomValue | undefined => {
    if (!element) return undefined;
    const written = javaTrim(textContent(text, element));
    const resolved = resolve(written);
    return { value: javaTrim(resolved.value), written, line: line(element), unresolved: resolved.unresolved, ...(resolved.fromEnv ? { fromEnv: true as const } : {}) };
  };
  const isMule = (p: XmlElement) => javaTrim(textContent(text, p.child("artifactId")!)) === PLUGIN;
  // The version the project's own pluginManagement gives, for a plugin that names none.
  const top = owners[0];
  const managed = top ? plugins(top.owner).find((p) => p.managed && isMule(p.plugin) && p.plugin.child("version")) : undefined;
  const managedVersion = managed && top ? value(managed.plugin.child("version"), top.resolve) : undefined;
  const out: PomDeployment[] = [];
  for (const { owner, profile, resolve } of owners) {
    for (const { plugin } of plugins(owner).filter((p) => isMule(p.plugin))) {
      const version = value(plugin.child("version"), resolve) ?? managedVersion;
      const configurations = [plugin.child("configuration"), ...(plugin.child("executions")?.children("execution") ?? []).map((e) => e.child("configuration"))];
      for (const configuration of configurations) {
        for (const block of configuration?.children() ?? []) {
          if (!(DEPLOYMENT_KINDS as readonly string[]).includes(block.name)) continue;
          const server = value(block.child("server"), resolve);
          out.push({
            kind: block.name as DeploymentKind,
            line: line(block),
            ...(profile !== undefined ? { profile } : {}),
            ...(version ? { version } : {}),
            ...(server ? { server } : {}),
            credentials: DEPLOYMENT_CREDENTIALS.flatMap((name) => {
              const element = block.child(name);
              return element && javaTrim(textContent(text, element)) !== "" ? [{ name, line: line(element) }] : [];
            }),
          });
        }
      }
    }
  }
  return out;
}
