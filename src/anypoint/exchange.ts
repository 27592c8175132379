/**
 * Exchange's Maven facade: the repository a Mule build downloads assets from, and the organisation's URL
 * it publishes to. MuleSoft documents it for the US, EU and Gov control planes; for the others it is
 * derived the same way (maven. + the control plane's host) and said to be so.
 */
import { Exit, M2Error } from "../errors";
import { REGIONS } from "./endpoint";

export interface ExchangeMaven {
  /** The repository URL, e.g. https://maven.anypoint.mulesoft.com/api/v3/maven. */
  url: string;
  /** Derived from the control plane's host (maven. + host): MuleSoft does not document it there. */
  derived: boolean;
}

/** The control planes whose facade MuleSoft documents: Gov's is API v2, the others v3. */
const DOCUMENTED: Record<string, string> = {
  [REGIONS.us]: "https://maven.anypoint.mulesoft.com/api/v3/maven",
  [REGIONS.eu]: "https://maven.eu1.anypoint.mulesoft.com/api/v3/maven",
  [REGIONS.gov]: "https://maven.gov.anypoint.mulesoft.com/api/v2/maven",
};

const LOOPBACK = /^(127(\.\d{1,3}){3}|localhost|\[::1\])$/i;
const IP = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/i;

/**
 * The facade for a control plane: a URL given (`--exchange-url`, ANYPOINT_EXCHANGE_URL) as is; else the
 * documented one for its host; else maven. + its host, for a control plane at the root of a host name.
 */
export function exchangeMaven(controlPlane: URL, given?: { url: string; source: string }): ExchangeMaven {
  if (given) return { url: checkedUrl(given.url, given.source), derived: false };
  const host = controlPlane.hostname.toLowerCase();
  const documented = DOCUMENTED[host];
  if (documented) return { url: documented, derived: false };
  if (IP.test(host) || LOOPBACK.test(host) || controlPlane.pathname.replace(/\/+$/, "") !== "") {
    throw new M2Error(Exit.usage, `the Exchange Maven URL of the control plane at ${controlPlane.origin}${controlPlane.pathname.replace(/\/+$/, "")} is not known`, {
      hint: "Give it with --exchange-url (or ANYPOINT_EXCHANGE_URL), e.g. https://maven.anypoint.mulesoft.com/api/v3/maven.",
    });
  }
  return { url: `https://maven.${host}/api/v3/maven`, derived: true };
}

/** An Exchange URL given by the user: https (plain http only for loopback), no user:password@. */
function checkedUrl(raw: string, source: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new M2Error(Exit.usage, `${source} is not a URL`, { hint: "Give a full URL such as https://maven.anypoint.mulesoft.com/api/v3/maven." });
  }
  if (url.username || url.password) throw new M2Error(Exit.usage, `${source} holds a user name or password`, { hint: "Maven sends the server's credentials; remove user:password@." });
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.test(url.hostname))) {
    throw new M2Error(Exit.usage, `${source} must use https (plain http only for loopback addresses): ${url.origin}`);
  }
  return url.href;
}

/** Where an organisation publishes: …/api/vN/organizations/ORG/maven; undefined when the facade URL has another shape. */
export function publishUrl(exchangeUrl: string, orgId: string): string | undefined {
  const m = /^(.*\/api\/v\d+)\/maven\/?$/.exec(exchangeUrl);
  return m ? `${m[1]}/organizations/${encodeURIComponent(orgId)}/maven` : undefined;
}

/** Anypoint organisation (and business group) ids are UUIDs. */
export const isOrgId = (value: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

export function checkOrgId(orgId: string): string {
  const trimmed = orgId.trim();
  if (!isOrgId(trimmed)) {
    throw new M2Error(Exit.usage, "--org-id takes an organization ID, a UUID such as 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", {
      hint: "It is the organization (or business group) ID that Anypoint Access Management shows.",
    });
  }
  return trimmed;
}
