/**
 * Which proxy a request to Anypoint goes through: HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case) when
 * any is set, else the active <proxy> of the settings.xml being edited, where Maven users declared theirs.
 * Not undici's EnvHttpProxyAgent, which (measured) ignores ALL_PROXY, sends https through HTTP_PROXY, lets an
 * empty https_proxy hide HTTPS_PROXY, honours "*" in NO_PROXY only alone, never says which variable it used,
 * and knows no settings.xml; its ProxyAgent does the dispatching.
 */
import { Exit, M2Error } from "../errors";
import { hideCredentials } from "./endpoint";

export interface ProxyChoice {
  url: URL;
  /** "user:password" for the proxy, when it needs one. */
  auth?: { username: string; password: string };
  /** Where it was configured, for messages: "HTTPS_PROXY" or "settings.xml <proxy> corp". */
  source: string;
}

/**
 * A <proxy> of settings.xml, as src/settings/proxies.ts reads it: the fields the choice needs. Declared here,
 * so that this module knows proxies, not settings.xml's model.
 */
export interface DeclaredProxy {
  /** The id to show in messages. */
  shownId: string | undefined;
  active: boolean;
  protocol: string;
  host: string | undefined;
  /** As written: checked here, when the proxy is used. */
  port: string;
  username: string | undefined;
  password: string | undefined;
  /** Encrypted with Maven's master password: the proxy is tried without credentials. */
  encryptedPassword: boolean;
  nonProxyHosts: string | undefined;
  /** 1-based line of the <proxy>, for messages. */
  line: number;
}

export const PROXY_VARIABLES = ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"];

function variable(env: Record<string, string | undefined>, name: string): string | undefined {
  return env[name.toLowerCase()] || env[name.toUpperCase()] || undefined;
}

/** NO_PROXY: comma or space separated host names (a suffix matches subdomains), host:port, or "*". */
export function bypassedByNoProxy(target: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = target.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = target.port || (target.protocol === "https:" ? "443" : "80");
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((raw) => {
      if (raw === "*") return true;
      const m = /^(.*?)(?::(\d+))?$/.exec(raw.toLowerCase().replace(/^\[|\](?=:|$)/g, ""))!;
      const entry = m[1]!.replace(/^\*?\./, "");
      if (m[2] && m[2] !== port) return false;
      return host === entry || host.endsWith(`.${entry}`);
    });
}

/** Maven's nonProxyHosts: "|"-separated (commas tolerated) host patterns with * wildcards. */
export function bypassedByNonProxyHosts(target: URL, nonProxyHosts: string | undefined): boolean {
  if (!nonProxyHosts) return false;
  const host = target.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return nonProxyHosts
    .split(/[|,]/)
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean)
    .some((pattern) => new RegExp(`^${pattern.replace(/[.+?^${}()[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(host));
}

/** The schemes undici's ProxyAgent speaks. */
const PROXY_SCHEMES = ["http:", "https:", "socks:", "socks5:"];

/** A proxy variable's value as a URL (scheme optional, as curl takes it); a usage error naming it otherwise. */
function fromEnvValue(value: string, source: string): ProxyChoice {
  const unusable = (why: string) =>
    new M2Error(Exit.usage, `${source} is not a usable proxy URL (${why}): ${hideCredentials(value)}`, {
      hint: `Set ${source} to http://host:port (with credentials: http://user:password@host:port), or unset it.`,
    });
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw unusable("not a URL");
  }
  if (!PROXY_SCHEMES.includes(url.protocol)) throw unusable(`${url.protocol.slice(0, -1)} is not a proxy scheme`);
  let auth: ProxyChoice["auth"];
  try {
    auth = url.username ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) } : undefined;
  } catch {
    throw unusable("a malformed %-escape in its user name or password");
  }
  url.username = "";
  url.password = "";
  return { url, auth, source };
}

/** A settings.xml proxy's URL; an unusable host or port is a usage error naming the proxy and its line. */
function fromSettings(proxy: DeclaredProxy, scheme: string): URL {
  const unusable = (what: string) =>
    new M2Error(Exit.usage, `settings.xml <proxy>${proxy.shownId ? ` ${proxy.shownId}` : ""}: ${what}`, {
      line: proxy.line,
      hint: "Fix that <proxy> (Maven needs it right too), or set HTTPS_PROXY, which takes precedence.",
    });
  const port = Number(proxy.port);
  if (!/^\d+$/.test(proxy.port) || port < 1 || port > 65535) throw unusable(`port "${proxy.port}" is not a port number (1 to 65535)`);
  let url: URL | undefined;
  try {
    url = new URL(`${scheme}://${proxy.host}:${port}`);
  } catch {
    url = undefined;
  }
  // A host with a path, user or query in it parses, but not as that host.
  if (!url || /[/?#@\\]/.test(proxy.host!)) throw unusable(`host "${hideCredentials(proxy.host!)}" is not a host name`);
  return url;
}

export function chooseProxy(target: URL, env: Record<string, string | undefined>, settingsProxies: readonly DeclaredProxy[]): ProxyChoice | undefined {
  if (PROXY_VARIABLES.some((name) => env[name])) {
    if (bypassedByNoProxy(target, variable(env, "no_proxy"))) return undefined;
    const scheme = target.protocol === "https:" ? "https_proxy" : "http_proxy";
    const value = variable(env, scheme) ?? variable(env, "all_proxy");
    if (!value) return undefined;
    const name = env[scheme] ? scheme : env[scheme.toUpperCase()] ? scheme.toUpperCase() : env.all_proxy ? "all_proxy" : "ALL_PROXY";
    return fromEnvValue(value, name);
  }
  const protocol = target.protocol.replace(":", "");
  const active = settingsProxies.filter((p) => p.active && p.host);
  // The first active proxy for this protocol; else the first plain HTTP one, which tunnels HTTPS too.
  const proxy = active.find((p) => p.protocol === protocol) ?? active.find((p) => p.protocol === "http");
  if (!proxy || bypassedByNonProxyHosts(target, proxy.nonProxyHosts)) return undefined;
  return {
    url: fromSettings(proxy, proxy.protocol === "https" ? "https" : "http"),
    // An encrypted password cannot be used yet: the proxy is tried without credentials.
    auth: proxy.username && !proxy.encryptedPassword ? { username: proxy.username, password: proxy.password ?? "" } : undefined,
    source: `settings.xml <proxy>${proxy.shownId ? ` ${proxy.shownId}` : ""}`,
  };
}
