/** Where the Anypoint control plane is: a region, a host, or a full URL; never a silent pick between them. */
import { Exit, M2Error } from "../errors";

export const REGIONS = {
  us: "anypoint.mulesoft.com",
  eu: "eu1.anypoint.mulesoft.com",
  gov: "gov.anypoint.mulesoft.com",
  ca: "ca1.platform.mulesoft.com",
  jp: "jp1.platform.mulesoft.com",
} as const;

export type Region = keyof typeof REGIONS;

export interface EndpointChoice {
  region?: string;
  host?: string;
  baseUrl?: string;
}

const LOOPBACK = /^(127(\.\d{1,3}){3}|localhost|\[::1\])$/i;

/**
 * A URL, or a value meant as one, as it may be shown: everything between its `scheme://` (or its start,
 * without one) and its LAST "@" becomes "***". A user name or password may hold "@", "/", ":" or a space,
 * and the value may not parse at all; only the last "@" surely ends a userinfo, so all before it goes
 * (a path holding "@" loses its host too: more hidden, never less).
 */
export function hideCredentials(value: string): string {
  const at = value.lastIndexOf("@");
  if (at < 0) return value;
  const scheme = /^\s*[a-z][a-z0-9+.-]*:[/\\]{2}/i.exec(value)?.[0] ?? "";
  return `${scheme}***${value.slice(at)}`;
}

/** Free text (an error's message) with every URL-like word in it passed through hideCredentials. */
export function hideCredentialsInText(text: string): string {
  return text
    .split(/(\s+)/)
    .map((word) => (/\s/.test(word) ? word : hideCredentials(word)))
    .join("");
}

/** A URL as it may be shown: without its user name and password. */
export function shownUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.username = "";
  copy.password = "";
  return copy.href;
}

const NO_USERINFO_HINT = "Anypoint takes the connected app's credentials, not these: remove user:password@.";

function fromHost(host: string, source: string): URL {
  if (host.includes("@")) throw new M2Error(Exit.usage, `${source} holds a user name or password; give the host name alone`, { hint: NO_USERINFO_HINT });
  if (host.includes("://") || host.includes("/")) {
    throw new M2Error(Exit.usage, `${source} takes a host name without scheme or path, not "${host}"`, { hint: "Use --base-url (or ANYPOINT_BASE_URL) for a full URL." });
  }
  try {
    return new URL(`https://${host}`);
  } catch {
    throw new M2Error(Exit.usage, `${source} "${host}" is not a host name`);
  }
}

function fromUrl(raw: string, source: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new M2Error(Exit.usage, `${source} "${hideCredentials(raw)}" is not a URL`, { hint: "Give a full URL such as https://anypoint.mulesoft.com." });
  }
  if (url.username || url.password) {
    throw new M2Error(Exit.usage, `${source} holds a user name or password`, { hint: NO_USERINFO_HINT });
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.test(url.hostname))) {
    throw new M2Error(Exit.usage, `${source} must use https (plain http only for loopback addresses): ${url.origin}`);
  }
  return url;
}

/**
 * The control plane's base URL. Flags win over the environment; two choices at the same level
 * (say --region and --host, or ANYPOINT_HOST and ANYPOINT_BASE_URL) are a usage error.
 */
export function resolveBaseUrl(flags: EndpointChoice, env: Record<string, string | undefined>): URL {
  const fromFlags = [
    flags.region !== undefined ? "--region" : undefined,
    flags.host !== undefined ? "--host" : undefined,
    flags.baseUrl !== undefined ? "--base-url" : undefined,
  ].filter((x): x is string => x !== undefined);
  if (fromFlags.length > 1) {
    throw new M2Error(Exit.usage, `${fromFlags.join(" and ")} both say where Anypoint is; give one of them`);
  }
  if (flags.region !== undefined) {
    const host = REGIONS[flags.region as Region];
    if (!host) throw new M2Error(Exit.usage, `unknown region "${flags.region}"`, { hint: `Regions: ${Object.keys(REGIONS).join(", ")}.` });
    return new URL(`https://${host}`);
  }
  if (flags.host !== undefined) return fromHost(flags.host, "--host");
  if (flags.baseUrl !== undefined) return fromUrl(flags.baseUrl, "--base-url");
  const envHost = env.ANYPOINT_HOST || undefined;
  const envUrl = env.ANYPOINT_BASE_URL || undefined;
  if (envHost && envUrl) throw new M2Error(Exit.usage, "ANYPOINT_HOST and ANYPOINT_BASE_URL are both set; unset one of them");
  if (envHost) return fromHost(envHost, "ANYPOINT_HOST");
  if (envUrl) return fromUrl(envUrl, "ANYPOINT_BASE_URL");
  return new URL(`https://${REGIONS.us}`);
}

/** base + path, keeping any path prefix of the base (private endpoints). */
export function endpoint(base: URL, path: string): URL {
  return new URL(path.replace(/^\//, ""), base.href.endsWith("/") ? base : `${base.href}/`);
}
