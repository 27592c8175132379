/**
 * What the project's pom says to setup: the server ids of its Exchange repositories, and the control plane
 * they are in. The pom itself is read by src/project/.
 */
import type { EndpointChoice } from "../../anypoint/endpoint";
import { applyImpliedRegion as applyPomRegion } from "../check";
import { Exit, M2Error } from "../../errors";
import { findPom, loadPom, pomExchange } from "../../project/load";
import type { PomRepository } from "../../project/pom";
import type { Io } from "../../world";


/** The project's pom, when setup is to take ids from it: its Exchange repositories and what to tell the user. */
export interface Project {
  path: string | undefined;
  repositories: PomRepository[];
  warnings: string[];
  /** The server ids the pom's mule-maven-plugin deployment blocks name (resolved). */
  deploymentIds: string[];
}

/**
 * Reads the pom for --from-pom (which needs one) or to offer its ids in the wizard. A pom that cannot be read,
 * or an Exchange repository it cannot resolve, is reported, not fatal.
 */
export function readProject(args: { pom?: string; serverId?: string[] }, io: Io, required: boolean): Project {
  const path = findPom(io, args.pom);
  if (!path) {
    if (!required) return { path, repositories: [], warnings: [], deploymentIds: [] };
    throw new M2Error(Exit.usage, `--from-pom: there is no pom.xml in ${io.cwd}`, { hint: "Run it in the project's folder, or pass --pom PATH." });
  }
  const pom = loadPom(io, path);
  const warnings = pom.error
    ? [`${path}${pom.error.details.line ? `:${pom.error.details.line}` : ""}: the pom cannot be read (${pom.error.message}); its repository ids are not used`]
    : pom.report!.problems.map((p) => `${path}:${p.line}: ${p.message}`);
  // An id the pom takes from the environment is written as a server id only when --server-id names it.
  const named = new Set(args.serverId ?? []);
  const all = pomExchange(pom);
  const fromEnv = all.filter((r) => r.idFromEnv && !named.has(r.id!));
  if (fromEnv.length > 0 && required) throw idFromEnvironment(fromEnv, path);
  if (fromEnv.length > 0) warnings.push(`${path}:${fromEnv[0]!.line}: ${idsFromEnvironment(fromEnv)}; not offered as a server id (give it with --server-id)`);
  const repositories = fromEnv.length > 0 ? all.filter((r) => !fromEnv.includes(r)) : all;
  if (!pom.error && all.length === 0) warnings.push(`${path} declares no Exchange repository (a parent pom may)`);
  const deploymentIds = (pom.report?.deployments ?? []).flatMap((d) => (d.server && d.server.unresolved.length === 0 ? [d.server.value] : []));
  return { path, repositories, warnings, deploymentIds };
}

/** The ids of the project's Exchange repositories, each once, in the pom's order. */
export const projectIds = (project: Project | undefined): string[] => [...new Set(project?.repositories.map((r) => r.id!) ?? [])];

/** The pom's Exchange repositories whose ids take a value from the environment, as written (never the value). */
function idsFromEnvironment(repositories: PomRepository[]): string {
  const listed = repositories.slice(0, 3).map((r) => `${r.shown} (line ${r.line})`);
  const more = repositories.length - listed.length;
  return `the Exchange repository id${repositories.length > 1 ? "s" : ""} ${listed.join(", ")}${more > 0 ? ` and ${more} more` : ""} take${repositories.length > 1 ? "" : "s"} a value from the environment`;
}

/**
 * --from-pom refuses an id that comes from an environment variable: the variable's value (perhaps a secret,
 * as in ex-${env.ANYPOINT_CLIENT_SECRET}) would be written into settings.xml and printed.
 */
function idFromEnvironment(repositories: PomRepository[], path: string): M2Error {
  return new M2Error(Exit.usage, `${idsFromEnvironment(repositories)}: setup does not write an environment variable's value into settings.xml as a server id`, {
    file: path,
    line: repositories[0]!.line,
    hint: "Give the id Maven resolves it to with --server-id, or write the id in the pom as it is.",
  });
}

/** Where a pom uses the id: "repositories, distributionManagement". */
export function sectionsOf(repositories: PomRepository[]): Map<string, string> {
  const sections = new Map<string, Set<string>>();
  for (const r of repositories) {
    const list = sections.get(r.id!) ?? sections.set(r.id!, new Set()).get(r.id!)!;
    list.add(r.section.replace(/^distributionManagement\..*/, "distributionManagement"));
  }
  return new Map([...sections].map(([id, list]) => [id, [...list].join(", ")]));
}

export { endpointGiven } from "../check";

/** The control plane the chosen pom ids imply (check.ts's applyImpliedRegion), said in `notes` when setup checks. */
export function applyImpliedRegion(project: Project, ids: string[], endpoint: EndpointChoice, env: Record<string, string | undefined>, verify: boolean, notes: string[]): void {
  const chosen = new Set(ids);
  applyPomRegion(project.repositories.filter((r) => chosen.has(r.id!)), project.path!, endpoint, env, verify ? notes : []);
}

/**
 * --store token for a server mule-maven-plugin deploys with: refused (exit 2). The plugin's deployer takes a
 * server whose username is not ~~~Client~~~ for an Anypoint user's login, so it would send the token as a
 * username and password. The pom is --pom, else ./pom.xml; one that cannot be read names no deployment.
 */
export function refuseTokenForDeployment(args: { pom?: string }, io: Io, serverIds: readonly string[]): void {
  const path = findPom(io, args.pom);
  const pom = path === undefined ? undefined : loadPom(io, path);
  const used = pom?.report?.deployments.find((d) => d.server !== undefined && serverIds.includes(d.server.value));
  if (!used) return;
  throw new M2Error(Exit.usage, `--store token: mule-maven-plugin deploys with server "${used.server!.fromEnv ? used.server!.written : used.server!.value}" (<${used.kind}> in the pom), and would send ~~~Token~~~ as an Anypoint user's login`, {
    file: pom!.path,
    line: used.line,
    hint: "Store the connected app itself for that server (--store literal, env or encrypted), or use another --server-id for Exchange alone.",
  });
}
