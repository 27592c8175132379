/**
 * The credential check shared by setup, verify, rotate and doctor: where Anypoint is, which proxy, then the
 * token request. What the project may decide of that is src/io/trust.ts's to say.
 */
import { endpoint, REGIONS, resolveBaseUrl, type EndpointChoice } from "../anypoint/endpoint";
import { chooseProxy, type ProxyChoice } from "../anypoint/proxy";
import type { Identity } from "../anypoint/token";
import { Exit, M2Error } from "../errors";
import { chosenByProject } from "../io/paths";
import { credentialProxies } from "../io/trust";
import { facadeHost, regionOfHost } from "../project/exchange";
import { impliedRegion } from "../project/load";
import type { PomRepository } from "../project/pom";
import type { Io } from "../world";
import { debug } from "./output";

export interface ConnectionArgs extends EndpointChoice {
  timeout: number;
  /** The settings file named by the user; without it, the one Maven reads (which a project may have chosen). */
  settings?: string;
  quiet?: boolean;
}

export interface Check {
  base: URL;
  /**
   * Requests a token; throws M2Error (3 or 4) when Anypoint does not give one, or 2 for an unusable proxy
   * in the environment or in the settings file (at settingsPath, named in the error).
   */
  run(clientId: string, clientSecret: string, settingsText: string | undefined, settingsPath?: string): Promise<Identity>;
}

/** The way round the check for the commands that write: said in the hints of a check that could not be made. */
export const WRITE_UNCHECKED = "pass --no-verify to write without checking";

/** What a run that wrote without asking Anypoint says (a warning, in the text and in --json's warnings). */
export const notChecked = (what: string, why = "--no-verify"): string =>
  `${what} not checked with Anypoint (${why}): a wrong client ID or secret shows only when Maven gets a 401; anypoint-m2 verify checks what is stored`;

/** How src/anypoint/token.ts says a 400 or 401 from the token endpoint. */
const REJECTED = "Anypoint rejected the credentials (HTTP";
const OTHER_PLANE = `This was the default control plane, us (${REGIONS.us}): a connected app of another control plane gets this answer here too; give its region (--region ${Object.keys(REGIONS).filter((r) => r !== "us").join(", ")}).`;

/** Said once per run, however many checks doctor makes. */
const warned = new WeakSet<Io>();

/**
 * Resolves the endpoint at once (usage errors before any work); the request itself comes later. `env` is the
 * environment with the env file under it (where Anypoint is, the proxy variables); the settings file's
 * `${env.X}` is resolved from the environment alone (`io.env`), as Maven does.
 */
export function prepareCheck(args: ConnectionArgs, io: Io, env: Record<string, string | undefined>, skip?: string): Check {
  const base = resolveBaseUrl(args, env);
  const log = (message: string) => debug(io, message);
  return {
    base,
    async run(clientId, clientSecret, settingsText, settingsPath) {
      const proxy = proxyFor(args, io, env, endpoint(base, "accounts/api/v2/oauth2/token"), settingsText, settingsPath);
      const { checkCredentials } = await import("../anypoint/network");
      try {
        return await checkCredentials({ base, clientId, clientSecret, timeoutSeconds: args.timeout, proxy, log, skip });
      } catch (e) {
        // The default control plane, which nothing chose: an app of another one is rejected here alike.
        if (!(e instanceof M2Error) || !e.message.startsWith(REJECTED) || endpointGiven(args, env)) throw e;
        throw new M2Error(e.exitCode, e.message, { ...e.details, hint: `${e.details.hint ?? ""} ${OTHER_PLANE}`.trim() });
      }
    },
  };
}

/**
 * The proxy a request to `target` goes through: the environment's, else the settings file's <proxy> (not
 * one a project chose: then a warning, once per run). The token request and the Exchange probe share it.
 */
export function proxyFor(args: ConnectionArgs, io: Io, env: Record<string, string | undefined>, target: URL, settingsText: string | undefined, settingsPath?: string): ProxyChoice | undefined {
  try {
    const { proxies, ignored } = credentialProxies(settingsText, io.env, chosenByProject(args, io));
    const proxy = chooseProxy(target, env, proxies);
    if (ignored && !proxy && !args.quiet && !warned.has(io)) {
      warned.add(io);
      io.stderr(`warning: ${ignored}`);
    }
    return proxy;
  } catch (e) {
    throw e instanceof M2Error && e.details.line !== undefined && settingsPath ? e.inFile(settingsPath) : e;
  }
}

/** "connected app "ci-publisher" in organization 1234-..." or "" when Anypoint did not say. */
export function describeIdentity({ app, orgId }: Identity): string {
  return [app ? `connected app "${app}"` : "", orgId ? `organization ${orgId}` : ""].filter(Boolean).join(" in ");
}

/** Whether the flags or the environment say where Anypoint is. */
export function endpointGiven(endpoint: EndpointChoice, env: Record<string, string | undefined>): boolean {
  return Boolean(endpoint.region !== undefined || endpoint.host !== undefined || endpoint.baseUrl !== undefined || env.ANYPOINT_HOST || env.ANYPOINT_BASE_URL);
}

/**
 * The control plane these Exchange repositories of the pom at `path` imply, set in `endpoint` (and said in
 * `notes`) when nothing else says where Anypoint is; a region given that differs is a usage error. A host or
 * URL that is no region's (a private endpoint) is not compared. Setup, verify and rotate share it.
 */
export function applyImpliedRegion(used: readonly PomRepository[], path: string, endpoint: EndpointChoice, env: Record<string, string | undefined>, notes: string[]): void {
  const implied = impliedRegion(used, path);
  if (!implied) return;
  if (!endpointGiven(endpoint, env)) {
    endpoint.region = implied;
    notes.push(`Control plane: ${implied}, as the pom's Exchange repositories are on ${facadeHost(implied)}.`);
    return;
  }
  const named = regionOfHost(resolveBaseUrl(endpoint, env).host);
  if (named !== undefined && named !== implied) {
    throw new M2Error(Exit.usage, `the pom's Exchange repositories (${[...new Set(used.map((r) => r.shown))].join(", ")}) are on ${facadeHost(implied)}, the ${implied} control plane, but ${endpoint.region !== undefined ? "--region" : "the control plane given"} says ${named}`, {
      file: path,
      hint: `Leave out --region to use ${implied}, or give the --server-id values of the ${named} control plane.`,
    });
  }
}
