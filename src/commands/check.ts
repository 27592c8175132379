/** The credential check shared by setup and verify: where Anypoint is, which proxy, then the token request. */
import { endpoint, resolveBaseUrl, type EndpointChoice } from "../anypoint/endpoint";
import { chooseProxy } from "../anypoint/proxy";
import type { Identity } from "../anypoint/token";
import { readProxies } from "../settings/proxies";

export interface ConnectionArgs extends EndpointChoice {
  timeout: number;
}

export interface Check {
  base: URL;
  /** Requests a token; throws M2Error (3 or 4) when Anypoint does not give one. */
  run(clientId: string, clientSecret: string, settingsText: string | undefined): Promise<Identity>;
}

/** Resolves the endpoint at once (usage errors before any work); the request itself comes later. */
export function prepareCheck(args: ConnectionArgs, env: Record<string, string | undefined>, log?: (message: string) => void): Check {
  const base = resolveBaseUrl(args, env);
  return {
    base,
    async run(clientId, clientSecret, settingsText) {
      const proxies = settingsText === undefined ? [] : readProxies(settingsText, env);
      const proxy = chooseProxy(endpoint(base, "accounts/api/v2/oauth2/token"), env, proxies);
      const { checkCredentials } = await import("../anypoint/token");
      return checkCredentials({ base, clientId, clientSecret, timeoutSeconds: args.timeout, proxy, log });
    },
  };
}

/** "connected app "ci-publisher" in organization 1234-..." or "" when Anypoint did not say. */
export function describeIdentity({ app, orgId }: Identity): string {
  return [app ? `connected app "${app}"` : "", orgId ? `organization ${orgId}` : ""].filter(Boolean).join(" in ");
}
