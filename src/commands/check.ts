/**
 * The credential check shared by setup, verify, rotate and doctor: where Anypoint is, which proxy, then the
 * token request. What the project may decide of that is src/io/trust.ts's to say.
 */
import { endpoint, resolveBaseUrl, type EndpointChoice } from "../anypoint/endpoint";
import { chooseProxy, type ProxyChoice } from "../anypoint/proxy";
import type { Identity } from "../anypoint/token";
import { M2Error } from "../errors";
import { chosenByProject } from "../io/paths";
import { credentialProxies } from "../io/trust";
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
      return checkCredentials({ base, clientId, clientSecret, timeoutSeconds: args.timeout, proxy, log, skip });
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
