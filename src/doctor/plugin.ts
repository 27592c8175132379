/**
 * mule-maven-plugin's deployments (the pom's cloudHubDeployment, cloudhub2Deployment, runtimeFabricDeployment
 * and armDeployment blocks) against the servers they name. Pure: the blocks and a way to look a server up, in;
 * findings, out. What the plugin does, from its code (mulesoft/mule-maven-plugin):
 * - it reads a `~~~Client~~~` server as a connected app only in 3.6.2 and from 3.7.0 on (PR #580, commit
 *   0062ab2d; not in 3.6.3 to 3.6.x); others log in as a user named ~~~Client~~~;
 * - a server without <username> is a NullPointerException; `~~~Token~~~` is sent as a user login;
 * - credentials in the block override the server's, with only a WARN line;
 * - it splits the password at each `~` and `?` (diagnose.ts's split-character finding says so for these servers).
 */
import { CONNECTED_APP_USERNAME } from "../domain";
import type { PomDeployment, PomValue } from "../project/deployments";
import { TOKEN_USERNAME } from "../settings/token";
import type { Finding } from "./findings";

/** What doctor knows of a settings server: its line, and its username as Maven resolves it (undefined without one). */
export interface DeployServer {
  line: number;
  username: string | undefined;
}

/**
 * Whether this mule-maven-plugin version reads a `~~~Client~~~` server as a connected app: 3.6.2, and 3.7.0 or
 * later. Undefined for a version that is not numbers (a range, a property left unresolved).
 */
export function readsConnectedApp(version: string): boolean | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?(?=$|[-.])/.exec(version);
  if (!m) return undefined;
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  return major > 3 || (major === 3 && (minor >= 7 || (minor === 6 && patch === 2)));
}

/** A finding and the server ids it is about (setup shows those about the ids it writes). */
export type AboutFinding = { finding: Finding; ids?: string[] };

const where = (d: PomDeployment) => `${d.kind}${d.profile !== undefined ? ` (profile "${d.profile}")` : ""}`;
const shown = (v: PomValue) => (v.fromEnv ? v.written : v.value);

/** The deploy servers the blocks name, by the id Maven matches: what diagnose looks at besides the repositories. */
export function deploymentServers(deployments: readonly PomDeployment[]): Map<string, PomDeployment> {
  const out = new Map<string, PomDeployment>();
  for (const d of deployments) if (d.server && d.server.unresolved.length === 0 && d.server.value !== "" && !out.has(d.server.value)) out.set(d.server.value, d);
  return out;
}

export function pluginFindings(deployments: readonly PomDeployment[], pomPath: string, settingsPath: string, lookup: (id: string) => DeployServer | undefined): AboutFinding[] {
  const out: AboutFinding[] = [];
  const versionsSaid = new Set<string>();
  for (const d of deployments) {
    if (!d.server || d.server.value === "") continue;
    const server = d.server;
    const id = shown(server);
    if (server.unresolved.length > 0) {
      out.push({
        finding: {
          severity: "warning",
          code: "pom-unresolved",
          file: pomPath,
          line: server.line,
          message: `the <server> of ${where(d)} is ${server.written}, and ${server.unresolved.map((n) => `\${${n}}`).join(", ")} is not defined in this pom, so which server it deploys with cannot be told`,
          fix: "It may come from a parent pom or a -D option; run anypoint-m2 doctor with the server id it resolves to in a pom of your own, or check that server by hand.",
        },
      });
      continue;
    }
    const found = lookup(server.value);
    if (!found) {
      out.push({
        finding: {
          severity: "error",
          code: "deploy-no-server",
          file: pomPath,
          line: server.line,
          message: `${where(d)} deploys with server "${id}", which ${settingsPath} does not have: mule-maven-plugin has no credentials to deploy with`,
          fix: `anypoint-m2 setup --server-id ${id}`,
        },
        ids: [server.value],
      });
    } else if (found.username === undefined || found.username === "") {
      out.push({
        finding: {
          severity: "error",
          code: "deploy-no-username",
          file: settingsPath,
          line: found.line,
          message: `server "${id}", with which ${where(d)} (pom line ${d.line}) deploys, has no <username>: mule-maven-plugin fails with a NullPointerException`,
          fix: `anypoint-m2 setup --server-id ${id} --on-existing update (it writes <username>${CONNECTED_APP_USERNAME}</username>)`,
        },
        ids: [server.value],
      });
      continue;
    } else if (found.username === TOKEN_USERNAME) {
      out.push({
        finding: {
          severity: "error",
          code: "deploy-token",
          file: settingsPath,
          line: found.line,
          message: `server "${id}", with which ${where(d)} (pom line ${d.line}) deploys, holds a bearer token (${TOKEN_USERNAME}): mule-maven-plugin sends it as a user login, which Anypoint rejects`,
          fix: `Deploy with a connected app: anypoint-m2 setup --server-id ${id} --on-existing update`,
        },
        ids: [server.value],
      });
      continue;
    }
    // The version matters where the plugin is to read a ~~~Client~~~ server: this one, or the one setup writes.
    if (!found || found.username === CONNECTED_APP_USERNAME) {
      const version = d.version;
      const key = version ? `${version.line}` : "none";
      const readsIt = version && version.unresolved.length === 0 ? readsConnectedApp(version.value) : undefined;
      if (readsIt === false) {
        if (!versionsSaid.has(key)) {
          out.push({
            finding: {
              severity: "error",
              code: "plugin-version",
              file: pomPath,
              line: version!.line,
              message: `mule-maven-plugin ${shown(version!)} does not read a ${CONNECTED_APP_USERNAME} server as a connected app (only 3.6.2 and 3.7.0 or later do): ${where(d)} would log in as a user named ${CONNECTED_APP_USERNAME} with server "${id}"`,
              fix: "Use mule-maven-plugin 3.7.0 or later.",
            },
            ids: [server.value],
          });
        }
      } else if (readsIt === undefined && !versionsSaid.has(key)) {
        const why = !version
          ? "this pom gives no version for mule-maven-plugin (a parent pom's pluginManagement may)"
          : version.unresolved.length > 0
            ? `its version is ${version.written}, and ${version.unresolved.map((n) => `\${${n}}`).join(", ")} is not defined in this pom (a parent pom or a -D option may define it)`
            : `its version is ${shown(version)}, not a version number`;
        out.push({
          finding: {
            severity: "info",
            code: "plugin-version-unknown",
            file: pomPath,
            line: version?.line ?? d.line,
            message: `${why}: whether it reads a ${CONNECTED_APP_USERNAME} server as a connected app (3.6.2, and 3.7.0 or later) cannot be told here`,
            fix: "Check the version Maven uses (mvn help:effective-pom) is 3.6.2, or 3.7.0 or later.",
          },
        });
      }
      versionsSaid.add(key);
    }
    if (d.credentials.length > 0) {
      const names = d.credentials.map((c) => `<${c.name}>`).join(", ");
      out.push({
        finding: {
          severity: "warning",
          code: "deploy-credentials",
          file: pomPath,
          line: d.credentials[0]!.line,
          message: `${where(d)} gives ${names} itself besides <server>${id}</server>: mule-maven-plugin deploys with those, not the server's, saying so only in a WARN line`,
          fix: `Remove ${names} from the block to deploy with server "${id}" (or remove <server> to deploy with them).`,
        },
        ids: [server.value],
      });
    }
  }
  const first = deployments[0];
  if (first) {
    out.push({
      finding: {
        severity: "info",
        code: "deploy-scopes",
        file: pomPath,
        line: first.line,
        message: "to deploy, the connected app needs the scopes Design Center Developer and Read Applications (the plugin checks the deployment's status: without it, the app deploys and the build then fails with 403); to publish to Exchange as well, Exchange Contributor",
        fix: "Grant them to the connected app in Access Management, in the business group and environments it deploys to.",
      },
    });
  }
  return out;
}
