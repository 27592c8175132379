/**
 * The common Mule misconfigurations seen in issue threads, each a finding: a client ID as <username>
 * without ~~~Client~~~; a repository on repository.mulesoft.org/nexus-ee (credentials from MuleSoft Support,
 * not a connected app); a facade URL on API v1 or with the organization ID twice; a publishing pom whose
 * groupId is not the organization of its facade URL; -DaltDeploymentRepository on API v1 in .mvn/maven.config.
 * Pure: what was read, in; findings, out.
 */
import { hideCredentials } from "../anypoint/endpoint";
import { CONNECTED_APP_USERNAME, SEPARATOR } from "../domain";
import { facadeRegion, hostOf, servedFacadeUrl } from "../project/exchange";
import type { PomReport, PomRepository } from "../project/pom";
import type { Finding } from "./findings";
import type { AboutFinding, DeployServer } from "./plugin";

/** A client ID (32 hexadecimal digits) as the username, and a secret (not clientID~?~secret) as the password. */
export const isClientIdLogin = (username: string | undefined, password: string | undefined): boolean =>
  username !== undefined && /^[0-9a-f]{32}$/i.test(username) && password !== undefined && password !== "" && !password.includes(SEPARATOR);
/** An organization or business group ID: a UUID. */
const looksLikeOrgId = (id: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/** A settings server as misconfig reads it: its username and password as Maven resolves them. */
export interface MisconfigServer {
  id: string;
  shown: string;
  /** Its line, found when a finding needs it. */
  line: () => number;
  username: string | undefined;
  password: string | undefined;
}

/** A server whose username is a client ID and whose password is a secret (not clientID~?~secret). */
export function clientIdAsUsername(servers: readonly MisconfigServer[], settingsPath: string): AboutFinding[] {
  return servers
    .filter((s) => isClientIdLogin(s.username, s.password))
    .map((s) => ({
      finding: {
        severity: "error",
        code: "client-id-as-username",
        file: settingsPath,
        line: s.line(),
        message: `server "${s.shown}" has a client ID as its <username> and the secret as its password: Exchange and mule-maven-plugin take a connected app only as <username>${CONNECTED_APP_USERNAME}</username> with the password clientID${SEPARATOR}clientSecret, and read this as a user login`,
        fix: `anypoint-m2 setup --server-id ${s.shown} --on-existing update (with that client ID and secret)`,
      },
      ids: [s.id],
    }));
}

const shownUrl = (r: PomRepository) => hideCredentials(r.urlFromEnv ? r.urlAsWritten! : r.url!);
const named = (r: PomRepository) => `repository "${r.shown}" (${r.profile !== undefined ? `profile "${r.profile}", ` : ""}${r.section})`;

/** The path's segments of a URL (no query or fragment), or undefined when it has no host. */
function segments(url: string): string[] | undefined {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/.exec(url);
  return m ? m[1]!.split("/").filter((s) => s !== "") : undefined;
}

/** The organization ID a facade URL names (…/organizations/ORG/…), when it names one. */
function organizationOf(url: string): string | undefined {
  const parts = segments(url) ?? [];
  const at = parts.findIndex((s) => s.toLowerCase() === "organizations");
  return at >= 0 ? parts[at + 1] : undefined;
}

/** The findings about the pom's repositories; `lookup`, the settings server of an id. */
export function pomMisconfig(report: PomReport, pomPath: string, settingsPath: string, lookup: (id: string) => DeployServer | undefined): AboutFinding[] {
  const out: AboutFinding[] = [];
  for (const r of report.repositories) {
    if (r.url === undefined) continue;
    const url = r.url;
    const host = hostOf(url);
    if (host === "repository.mulesoft.org" && /^\/nexus-ee(\/|$)/i.test(`/${(segments(url) ?? []).join("/")}`) && r.id !== undefined) {
      const server = lookup(r.id);
      if (!server || server.username === CONNECTED_APP_USERNAME) {
        out.push({
          finding: {
            severity: server ? "error" : "warning",
            code: "nexus-ee",
            file: server ? settingsPath : pomPath,
            line: server ? server.line : r.line,
            message: `${named(r)} is MuleSoft's enterprise repository ${shownUrl(r)}, which takes the credentials MuleSoft Support gives, not a connected app's: ${server ? `server "${r.shown}" holds a connected app (${CONNECTED_APP_USERNAME}), which it rejects` : "with no server for it, Maven sends none"}`,
            fix: `Ask MuleSoft Support for the enterprise repository's credentials and put them in server "${r.shown}" (username and password as given), or take the repository out if the build needs nothing from it.`,
          },
          ids: [r.id],
        });
      }
    }
    if (facadeRegion(url) === undefined) continue;
    const served = servedFacadeUrl(shownUrl(r));
    if (served !== undefined) {
      out.push({
        finding: {
          severity: "error",
          code: "facade-v1",
          file: pomPath,
          line: r.line,
          message: `${named(r)} is on API v1 of Exchange's Maven facade (${shownUrl(r)}), which Exchange no longer serves: it answers 400`,
          fix: `Use <url>${served}</url>.`,
        },
      });
    }
    const parts = segments(url) ?? [];
    const org = organizationOf(url);
    const twice = (org !== undefined && parts.filter((s) => s === org).length > 1) || parts.some((s, i) => i > 0 && s === parts[i - 1]);
    if (twice && !r.urlFromEnv) {
      const version = parts.find((s) => /^v\d+$/.test(s)) ?? (facadeRegion(url) === "gov" ? "v2" : "v3");
      out.push({
        finding: {
          severity: "error",
          code: "facade-org-twice",
          file: pomPath,
          line: r.line,
          message: `${named(r)} has ${org !== undefined ? `the organization ID ${org}` : "a path segment"} twice in its URL (${shownUrl(r)}): it is no path of Exchange's Maven facade`,
          fix: `Use <url>https://${hostOf(url)}/api/${version}/organizations/${org ?? "ORGANIZATION_ID"}/maven</url>.`,
        },
      });
    }
    const group = report.resolvedGroupId;
    if (r.section.startsWith("distributionManagement") && !r.urlFromEnv && org !== undefined && !org.includes("${") && group && group.unresolved.length === 0 && !group.fromEnv) {
      if (group.value !== org || !looksLikeOrgId(org)) {
        out.push({
          finding: {
            severity: "error",
            code: "group-not-org",
            file: pomPath,
            line: group.line,
            message:
              group.value !== org
                ? `the pom publishes to Exchange (${named(r)}, line ${r.line}) in organization ${org}, but its groupId is ${group.value}: Exchange takes an asset only under the organization (or business group) ID its URL names`
                : `the pom publishes to Exchange (${named(r)}, line ${r.line}) under its groupId ${group.value}, which is no organization (or business group) ID: Exchange refuses the upload`,
            fix: `Make <groupId> the ID of the organization or business group to publish to${looksLikeOrgId(org) ? ` (${org})` : ""}, and the URL …/organizations/\${project.groupId}/maven.`,
          },
        });
      }
    }
  }
  return out;
}

/** `-DaltDeploymentRepository` as .mvn/maven.config gives it, with where. */
export interface AltDeployment {
  value: string;
  file: string;
  line: number;
}

/** -DaltDeploymentRepository=id::url (or id::layout::url) on API v1 of the facade. */
export function altDeploymentFinding(alt: AltDeployment | undefined): Finding[] {
  if (!alt) return [];
  const at = alt.value.lastIndexOf("::");
  const prefix = at < 0 ? "" : alt.value.slice(0, at + 2);
  const url = alt.value.slice(prefix.length).trim();
  const served = servedFacadeUrl(url);
  if (served === undefined) return [];
  return [
    {
      severity: "error",
      code: "alt-deployment-v1",
      file: alt.file,
      line: alt.line,
      message: `-DaltDeploymentRepository sends deployments to ${hideCredentials(url)}, on API v1 of Exchange's Maven facade, which Exchange no longer serves: it answers 400`,
      fix: `Use -DaltDeploymentRepository=${prefix}${hideCredentials(served)} (or leave the option out to use the pom's distributionManagement).`,
    },
  ];
}
