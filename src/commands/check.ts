/** The credential check shared by setup and verify: where Anypoint is, which proxy, then the token request. */
import { endpoint, resolveBaseUrl, type EndpointChoice } from "../anypoint/endpoint";
import { chooseProxy, type ProxyChoice } from "../anypoint/proxy";
import type { Identity } from "../anypoint/token";
import { M2Error } from "../errors";
import { readProxies } from "../settings/proxies";

export interface ConnectionArgs extends EndpointChoice {
  timeout: number;
}

export interface Check {
  base: URL;
  /**
   * Requests a token; throws M2Error (3 or 4) when Anypoint does not give one, or 2 for an unusable proxy
   * in the environment or in the settings file (at settingsPath, named in the error).
   */
  run(clientId: string, clientSecret: string, settingsText: string | undefined, settingsPath?: string): Promise<Identity>;
}

/** Resolves the endpoint at once (usage errors before any work); the request itself comes later. */
export function prepareCheck(args: ConnectionArgs, env: Record<string, string | undefined>, log?: (message: string) => void): Check {
  const base = resolveBaseUrl(args, env);
  return {
    base,
    async run(clientId, clientSecret, settingsText, settingsPath) {
      const target = endpoint(base, "accounts/api/v2/oauth2/token");
      let proxy: ProxyChoice | undefined;
      try {
        proxy = chooseProxy(target, env, settingsText === undefined ? [] : readProxies(settingsText, env));
      } catch (e) {
        throw e instanceof M2Error && e.details.line !== undefined && settingsPath ? e.inFile(settingsPath) : e;
      }
      const { checkCredentials } = await import("../anypoint/token");
      return checkCredentials({ base, clientId, clientSecret, timeoutSeconds: args.timeout, proxy, log });
    },
  };
}

/** "connected app "ci-publisher" in organization 1234-..." or "" when Anypoint did not say. */
export function describeIdentity({ app, orgId }: Identity): string {
  return [app ? `connected app "${app}"` : "", orgId ? `organization ${orgId}` : ""].filter(Boolean).join(" in ");
}
