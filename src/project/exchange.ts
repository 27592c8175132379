/**
 * Exchange's Maven facade: which repository URLs are Anypoint Exchange, and in which control plane.
 *
 * The facade of each control plane is its host with "maven." before it (maven.anypoint.mulesoft.com,
 * maven.eu1.anypoint.mulesoft.com, maven.gov.anypoint.mulesoft.com, maven.ca1.platform.mulesoft.com,
 * maven.jp1.platform.mulesoft.com). The host decides, not the path: /api/v1, /api/v2 and /api/v3 are
 * versions of the same facade, and Maven sends the server's credentials to each. Other hosts that look like
 * it (MuleSoft's internal maven.devx.anypoint.mulesoft.com, say) are not public control planes: no region
 * here reaches their token endpoint, so they are not taken for Exchange.
 */
import { REGIONS, type Region } from "../anypoint/endpoint";

const FACADES = new Map<string, Region>((Object.entries(REGIONS) as [Region, string][]).map(([region, host]) => [`maven.${host}`, region]));

/** The facade host of a region. */
export const facadeHost = (region: Region): string => `maven.${REGIONS[region]}`;

/**
 * The host of a URL as written, read up to the first `${` when there is one: an expression in the path
 * (`…/organizations/${project.groupId}/maven`) does not hide the host; one before the host's end does, and
 * then the host is undefined. Lower case, without user info and port.
 */
export function hostOf(url: string): string | undefined {
  // A backslash, white space or a control character is read one way by Java's URI (Maven) and another by the
  // WHATWG parser that sends anypoint-m2's requests (`https://evil.example\@maven.anypoint…` goes to
  // evil.example): such a URL has no host to tell.
  if (/[\\\s\x00-\x1f\x7f]/.test(url)) return undefined;
  const known = url.includes("${") ? url.slice(0, url.indexOf("${")) : url;
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)(?::\d*)?([/?#]|$)/.exec(known);
  if (!m || m[1] === "") return undefined;
  // A host cut short by an expression (https://maven.${region}.anypoint…/) ends at the expression, not at "/".
  if (m[2] === "" && known.length < url.length) return undefined;
  const host = m[1]!.toLowerCase();
  // And it must be the host a request goes to (an escaped or non-ASCII host is normalised there: not told).
  try {
    return new URL(known).hostname.toLowerCase() === host ? host : undefined;
  } catch {
    return undefined;
  }
}

/** The control plane whose Exchange facade the URL is on, or undefined (another host, or none to tell). */
export function facadeRegion(url: string): Region | undefined {
  const host = hostOf(url);
  return host === undefined ? undefined : FACADES.get(host.replace(/\.$/, ""));
}

/** The region whose control plane is at this host, if any (anypoint.mulesoft.com is us). */
export function regionOfHost(host: string): Region | undefined {
  const h = host.toLowerCase().replace(/\.$/, "");
  return (Object.keys(REGIONS) as Region[]).find((r) => REGIONS[r] === h);
}

/**
 * For a facade URL on API v1, which Exchange no longer serves (it answers 400: mule-maven-plugin issue #414),
 * the same URL on the version it serves: v2 for Gov, v3 elsewhere (MuleSoft's docs, to-publish-assets-maven).
 * Undefined for any other URL.
 */
export function servedFacadeUrl(url: string): string | undefined {
  const region = facadeRegion(url);
  if (region === undefined || !/^[^?#]*?\/api\/v1(?=[/?#]|$)/i.test(url)) return undefined;
  return url.replace(/\/api\/v1(?=[/?#]|$)/i, `/api/${region === "gov" ? "v2" : "v3"}`);
}
