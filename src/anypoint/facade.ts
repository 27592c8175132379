/**
 * The Exchange probe: the request Maven sends to Exchange's Maven facade, made once per repository, and what
 * the answer means. Bundled with the token request (src/anypoint/network.ts), loaded only when a probe is made.
 *
 * Maven asks as its HTTP transport does: first without credentials; the facade answers 401 with a Basic
 * challenge (a browser asks for credentials at a facade URL: mulesoft-consulting/json-logger#56), and only then
 * does Maven send `Authorization: Basic base64(~~~Client~~~:clientID~?~clientSecret)` (no preemptive
 * authentication for downloads, as Maven's resolver and wagon are configured by default). The probe makes the
 * same two requests, and the first one tells what the second cannot: a 404 to the request WITH credentials
 * is an artifact that does not exist, once the facade has asked for credentials; a 404 WITHOUT credentials
 * is a path where nothing asks for them, so not a facade (a wrong /api/vN, a wrong host).
 *
 * Never logged, shown or returned: the Authorization header, the secret, the body of any answer.
 */
import type { ProxyChoice } from "./proxy";
import { cause, connectionsFor, exchange, retriedStatus, type Answer } from "./token";
import { Budget } from "./deadline";
import { shownUrl } from "./endpoint";
import { CONNECTED_APP_USERNAME, SEPARATOR } from "../domain";

export type FacadeResult = "accepted" | "unauthorized" | "forbidden" | "not-found" | "unreachable";

export interface FacadeProbe {
  /** The repository URL, as Maven has it. */
  repositoryUrl: string;
  /** Below it, the metadata to ask for (see probePath). */
  path: string;
  clientId: string;
  clientSecret: string;
  proxy: ProxyChoice | undefined;
  timeoutSeconds: number;
  log?: (message: string) => void;
}

export interface FacadeAnswer {
  /** The URL asked, without user info. */
  url: string;
  /** The status of the request with credentials (of the one without, when that one decided); null when none came. */
  status: number | null;
  result: FacadeResult;
  /** Why, in words, for people: never a secret, never what the server sent beyond its status. */
  why: string;
}

/**
 * The metadata to probe, below the repository URL: the project's own `groupId/artifactId/maven-metadata.xml`
 * when the pom gives both (the first thing `mvn deploy` asks for, in the group the build publishes to);
 * else, under an organization's URL (…/organizations/ORG/maven), that organization's group; else a fixed
 * artifact of no organization. It need not exist: the facade's 404 for it, after asking for credentials,
 * is an acceptance (see above).
 */
export function probePath(repositoryUrl: string, coordinates: { groupId?: string; artifactId?: string } = {}): string {
  const literal = (v: string | undefined) => (v !== undefined && v !== "" && !v.includes("${") && /^[A-Za-z0-9_.-]+$/.test(v) ? v : undefined);
  const group = literal(coordinates.groupId);
  const artifact = literal(coordinates.artifactId);
  if (group && artifact) return `${group.replace(/\./g, "/")}/${artifact}/maven-metadata.xml`;
  const org = /\/organizations\/([0-9a-fA-F-]{36})\/maven\/?$/.exec(repositoryUrl)?.[1];
  return `${org ?? "com/mulesoft/anypoint-m2"}/anypoint-m2-probe/maven-metadata.xml`;
}

/** The probe URL: the path under the repository URL (which keeps its own path). */
export const probeUrl = (repositoryUrl: string, path: string): URL => new URL(path, repositoryUrl.endsWith("/") ? repositoryUrl : `${repositoryUrl}/`);

const LIKELY = "likely causes: the connected app lacks Exchange Viewer (Contributor to publish) in this business group, or it belongs to another control plane (region) than this facade";

export async function probeFacade(probe: FacadeProbe): Promise<FacadeAnswer> {
  const target = probeUrl(probe.repositoryUrl, probe.path);
  const url = shownUrl(target);
  const log = probe.log ?? (() => undefined);
  const timeoutMs = probe.timeoutSeconds * 1000;
  // Two requests, each within the timeout.
  const budget = new Budget(2 * timeoutMs);
  const connections = connectionsFor(probe.proxy, timeoutMs);
  const via = probe.proxy ? ` via ${probe.proxy.url.origin} (${probe.proxy.source})` : " (no proxy)";
  const get = async (headers: Record<string, string>, label: string): Promise<Answer | { failed: string }> => {
    const started = performance.now();
    try {
      const ms = Math.max(Math.min(timeoutMs, Math.floor(budget.left())), 1);
      const answer = await exchange(target, { method: "GET", headers: { accept: "application/xml, */*", ...headers } }, connections, { ms, message: `timed out after ${probe.timeoutSeconds} s` });
      log(`exchange probe: GET ${url}${via} ${label}: HTTP ${answer.status} in ${Math.round(performance.now() - started)} ms`);
      return answer;
    } catch (e) {
      const why = cause(e, probe.timeoutSeconds);
      log(`exchange probe: GET ${url}${via} ${label}: ${why}`);
      return { failed: why };
    }
  };
  try {
    const anonymous = await get({}, "without credentials");
    if ("failed" in anonymous) return { url, status: null, result: "unreachable", why: `could not reach ${target.origin}${probe.proxy ? ` through the proxy from ${probe.proxy.source}` : ""}: ${anonymous.failed}` };
    const first = anonymous.status;
    if (retriedStatus(first)) return { url, status: first, result: "unreachable", why: `${target.host} answered HTTP ${first} (try again later)` };
    if (first !== 401 && first !== 403) {
      return {
        url,
        status: first,
        result: "not-found",
        why:
          first >= 200 && first < 300
            ? `it answered HTTP ${first} without asking for credentials, so Maven sends none: this URL is not Exchange's Maven facade`
            : `it answered HTTP ${first} without asking for credentials, where Exchange's Maven facade asks for them first: not a facade (a wrong host, or a wrong /api/vN: v3, or v2 on Gov)`,
      };
    }
    const challenge = headerValue(anonymous.headers["www-authenticate"]);
    const unchallenged = first === 401 && !/^\s*basic\b/i.test(challenge ?? "") && !/,\s*basic\b/i.test(challenge ?? "")
      ? "; note: it asked for credentials without a Basic challenge, and Maven sends Basic credentials only when challenged"
      : "";
    const basic = Buffer.from(`${CONNECTED_APP_USERNAME}:${probe.clientId}${SEPARATOR}${probe.clientSecret}`, "utf8").toString("base64");
    const answer = await get({ authorization: `Basic ${basic}` }, "with the server's credentials");
    if ("failed" in answer) return { url, status: null, result: "unreachable", why: `could not reach ${target.origin}: ${answer.failed}` };
    const status = answer.status;
    if (status === 401) return { url, status, result: "unauthorized", why: `Exchange did not accept the credentials (HTTP 401); ${LIKELY}${unchallenged}` };
    if (status === 403) return { url, status, result: "forbidden", why: `Exchange took the credentials but refused this path (HTTP 403): the app's scopes do not reach this organization or business group${unchallenged}` };
    if (retriedStatus(status)) return { url, status, result: "unreachable", why: `${target.host} answered HTTP ${status} (try again later)` };
    if ((status >= 200 && status < 400) || status === 404) {
      const note = status === 404 ? " (404: the probe's artifact does not exist, which is expected and says nothing against the credentials)" : "";
      return { url, status, result: "accepted", why: `Exchange accepted the credentials${note}${unchallenged}` };
    }
    return { url, status, result: "not-found", why: `it answered HTTP ${status} to the credentials: not what Exchange's Maven facade answers (a wrong /api/vN, a wrong host)` };
  } finally {
    connections.destroy();
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}
