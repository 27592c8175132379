/**
 * Proves a connected app's credentials by asking Anypoint for a token (OAuth 2.0 client credentials),
 * then, best effort, asks who that is. Bundled apart (dist/anypoint.cjs, with undici for proxies) and
 * loaded only by runs that check credentials. The secret and the token never reach a message.
 */
import { Agent, fetch, ProxyAgent, type Dispatcher, type Response } from "undici";
import { Exit, M2Error } from "../errors";
import { endpoint } from "./endpoint";
import type { ProxyChoice } from "./proxy";

export interface TokenRequest {
  base: URL;
  clientId: string;
  clientSecret: string;
  /** Per attempt. */
  timeoutSeconds: number;
  proxy: ProxyChoice | undefined;
  /** Milliseconds before the second attempt (doubled for the third); Retry-After wins when given. */
  backoffMs?: number;
  /** Diagnostics for --verbose; never given a secret. */
  log?: (message: string) => void;
}

export interface Identity {
  /** The connected app's name and organisation, when Anypoint said. */
  app?: string;
  orgId?: string;
}

const ATTEMPTS = 3;
const RETRY_AFTER_CAP_MS = 30_000;

function dispatcherFor(proxy: ProxyChoice | undefined): Dispatcher {
  if (!proxy) return new Agent();
  const token = proxy.auth ? `Basic ${Buffer.from(`${proxy.auth.username}:${proxy.auth.password}`).toString("base64")}` : undefined;
  return new ProxyAgent({ uri: proxy.url.href, token });
}

/** Removes the secret, the token and any access_token value from text shown to people. */
function redact(text: string, secrets: string[]): string {
  let out = text.replace(/("access_token"\s*:\s*")[^"]*/g, "$1***");
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join("***");
  return out;
}

function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get("retry-after");
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), RETRY_AFTER_CAP_MS) : undefined;
}

/** Why a request failed, in a few words: name not resolved, refused, TLS, timed out. */
function cause(e: unknown, timeoutSeconds: number): string {
  // undici nests the real error a few causes deep.
  const chain: (Error & { code?: unknown })[] = [];
  for (let c = e as (Error & { cause?: unknown }) | undefined; c && chain.length < 6; c = c.cause as typeof c) chain.push(c);
  if (chain.some((c) => c.name === "TimeoutError")) return `timed out after ${timeoutSeconds} s`;
  const code = chain.map((c) => c.code).find((c): c is string => typeof c === "string");
  const message = chain[chain.length - 1]?.message ?? String(e);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "name not resolved";
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "connection reset";
  if (code === "UND_ERR_CONNECT_TIMEOUT") return "connection timed out";
  const proxyStatus = /Proxy response \((\d+)\)/.exec(message);
  if (proxyStatus) return `the proxy answered HTTP ${proxyStatus[1]}${proxyStatus[1] === "407" ? " (proxy credentials missing or wrong)" : ""}`;
  if (/CERT|TLS|SSL/i.test(code ?? "") || /certificate|TLS|SSL/i.test(message)) return `TLS error (${code ?? message})`;
  return code ? `${code}: ${message}` : message;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Requests a token; resolves with who was authenticated, throws M2Error (exit 3 or 4) otherwise. */
export async function checkCredentials(request: TokenRequest): Promise<Identity> {
  const url = endpoint(request.base, "accounts/api/v2/oauth2/token");
  const where = `${url.origin}${request.proxy ? ` through the proxy from ${request.proxy.source}` : ""}`;
  const dispatcher = dispatcherFor(request.proxy);
  // The secret as sent (form-encoded) and as a server might echo it back.
  const secrets = [request.clientSecret, encodeURIComponent(request.clientSecret), new URLSearchParams({ s: request.clientSecret }).toString().slice(2)];
  const log = request.log ?? (() => undefined);
  log(`token request: POST ${url.href}${request.proxy ? ` via ${request.proxy.url.origin} (${request.proxy.source}${request.proxy.auth ? ", with proxy credentials" : ""})` : " (no proxy)"}`);
  try {
    let lastProblem = "";
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      let response: Response;
      let text: string;
      const started = Date.now();
      try {
        response = await fetch(url, {
          method: "POST",
          headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ client_id: request.clientId, client_secret: request.clientSecret, grant_type: "client_credentials" }).toString(),
          redirect: "manual",
          dispatcher,
          signal: AbortSignal.timeout(request.timeoutSeconds * 1000),
        });
        text = await response.text();
        log(`attempt ${attempt}: HTTP ${response.status} in ${Date.now() - started} ms`);
      } catch (e) {
        const why = cause(e, request.timeoutSeconds);
        log(`attempt ${attempt}: ${why} after ${Date.now() - started} ms`);
        // A server that did not answer within the timeout gets no second wait (nothing ever hangs), and a
        // proxy that refused will refuse again.
        if (why.startsWith("timed out") || why.startsWith("the proxy answered") || attempt === ATTEMPTS) {
          throw new M2Error(Exit.unreachable, `could not reach Anypoint at ${where}: ${why}${attempt > 1 ? ` (attempt ${attempt} of ${ATTEMPTS})` : ""}`, {
            hint: "Check the network, the proxy settings and --region/--host, or pass --no-verify to write without checking.",
          });
        }
        lastProblem = why;
        await sleep((request.backoffMs ?? 500) * 2 ** (attempt - 1));
        continue;
      }
      if (response.status === 429 || response.status >= 500) {
        lastProblem = `HTTP ${response.status}`;
        if (attempt === ATTEMPTS) break;
        await sleep(retryAfterMs(response) ?? (request.backoffMs ?? 500) * 2 ** (attempt - 1));
        continue;
      }
      if (response.status === 400 || response.status === 401) {
        throw new M2Error(Exit.rejected, `Anypoint rejected the credentials (HTTP ${response.status})`, {
          hint: "Check the client ID and the secret; the connected app must act on its own behalf (client credentials grant).",
        });
      }
      if (response.status === 403) {
        throw new M2Error(Exit.rejected, "Anypoint refused the connected app (HTTP 403)", {
          hint: "Give the connected app the Exchange scopes it needs: Exchange Viewer to download, Exchange Contributor to publish.",
        });
      }
      let token: unknown;
      try {
        token = (JSON.parse(text) as { access_token?: unknown } | null)?.access_token;
      } catch {
        token = undefined;
      }
      if (response.ok && typeof token === "string" && token !== "") {
        return await identify(request, dispatcher, token);
      }
      const excerpt = redact(text.replace(/\s+/g, " ").trim(), secrets).slice(0, 120);
      throw new M2Error(
        Exit.unreachable,
        `unexpected response from ${where} (HTTP ${response.status}${response.ok ? ", no access_token" : ""}): ${excerpt || "empty body"}`,
        { hint: "A proxy or a wrong --host/--base-url may have answered instead of Anypoint." },
      );
    }
    throw new M2Error(Exit.unreachable, `Anypoint at ${where} kept failing (${lastProblem}, ${ATTEMPTS} attempts)`, {
      hint: "Try again later, or pass --no-verify to write without checking.",
    });
  } finally {
    await dispatcher.close().catch(() => undefined);
  }
}

/** Best effort: which app and organisation the token belongs to. Never fails the check. */
async function identify(request: TokenRequest, dispatcher: Dispatcher, token: string): Promise<Identity> {
  try {
    const response = await fetch(endpoint(request.base, "accounts/api/me"), {
      headers: { accept: "application/json", authorization: `Bearer ${token}` },
      dispatcher,
      signal: AbortSignal.timeout(request.timeoutSeconds * 1000),
    });
    if (!response.ok) return {};
    const me = (await response.json()) as { client?: { name?: unknown; org_id?: unknown } } | null;
    const app = typeof me?.client?.name === "string" ? me.client.name : undefined;
    const orgId = typeof me?.client?.org_id === "string" ? me.client.org_id : undefined;
    return { app, orgId };
  } catch {
    return {};
  }
}
