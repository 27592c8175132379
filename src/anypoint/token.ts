/**
 * Proves a connected app's credentials by asking Anypoint for a token (OAuth 2.0 client credentials),
 * then, best effort, asks who that is. Bundled apart (dist/anypoint.cjs, with undici for proxies) and
 * loaded only by runs that check credentials. The secret and the token never reach a message.
 */
import { Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { Agent, buildConnector, Pool, ProxyAgent, request as send, type Dispatcher } from "undici";
import { Exit, M2Error } from "../errors";
import { Budget, DeadlineError, within } from "./deadline";
import { endpoint, shownUrl } from "./endpoint";
import { isOrgId } from "./exchange";
import { describeBody, shownName } from "./excerpt";
import type { ProxyChoice } from "./proxy";

export interface TokenRequest {
  base: URL;
  clientId: string;
  clientSecret: string;
  /** Per attempt, from the first byte sent (a proxy's CONNECT, TLS) to the answer's last; also the longest wait between attempts. */
  timeoutSeconds: number;
  proxy: ProxyChoice | undefined;
  /** Milliseconds before the second attempt (doubled for the third); Retry-After wins when given. */
  backoffMs?: number;
  /** Diagnostics for --verbose; never given a secret. */
  log?: (message: string) => void;
  /** How the command that asked can do without the check ("pass --no-verify to write without checking"), for hints. */
  skip?: string;
}

export interface Identity {
  /** The connected app's name and organisation, when Anypoint said. */
  app?: string;
  orgId?: string;
  /** The token Anypoint gave, for the token store, and its lifetime in seconds (expires_in) when it said; not enumerable, never printed. */
  access?: { token: string; expiresIn?: number };
}

const ATTEMPTS = 3;

const orSkip = (request: TokenRequest): string => (request.skip ? `, or ${request.skip}` : "");
const RETRY_AFTER_CAP_MS = 30_000;
/** A token answer is a few hundred bytes; whatever is far larger did not come from Anypoint's token endpoint. */
export const BODY_LIMIT = 1024 * 1024;

/**
 * The longest a check can take: each attempt and the identity lookup end within the timeout, and each of
 * the waits between attempts is at most the timeout (and 30 s). README documents this bound; the check
 * keeps it by its own timers (see deadline.ts).
 */
export function longestCheckMs(timeoutSeconds: number): number {
  return (ATTEMPTS + 1) * timeoutSeconds * 1000 + (ATTEMPTS - 1) * Math.min(timeoutSeconds * 1000, RETRY_AFTER_CAP_MS);
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as text; undefined when it is larger than BODY_LIMIT (reading stopped there). */
  text: string | undefined;
  /** The body's size in bytes, as received. */
  bytes: number;
}

/** A dispatcher, and every socket it opened: a deadline destroys both. */
export interface Connections {
  dispatcher: Dispatcher;
  /** Ends every connection at once, whatever step it is in. */
  destroy(error?: Error): void;
}

/**
 * The check's dispatcher, told the timeout wherever undici takes one: connecting (TLS included, to the
 * proxy and through it), the proxy's answer to CONNECT (its client's headersTimeout; 300 s by default),
 * headers and body. And the sockets it opens are kept, so that a deadline can destroy them itself:
 * destroying the dispatcher leaves a socket that is still connecting (a TLS handshake through a proxy)
 * until undici's own connect timer.
 */
export function connectionsFor(proxy: ProxyChoice | undefined, timeoutMs: number): Connections {
  const sockets = new Set<Socket>();
  const keep = (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };
  // undici's connectors return the socket they create (not in their types): kept from its first moment.
  const tracked = (connector: buildConnector.connector): buildConnector.connector => (options, callback) => {
    const socket: unknown = connector(options, (...args) => {
      if (args[1]) keep(args[1]);
      callback(...args);
    });
    if (socket instanceof Socket) keep(socket);
  };
  const timeouts = { headersTimeout: timeoutMs, bodyTimeout: timeoutMs };
  const connect = { timeout: timeoutMs };
  let dispatcher: Dispatcher;
  if (!proxy) {
    dispatcher = new Agent({ ...timeouts, connect: tracked(buildConnector(connect)) });
  } else {
    const token = proxy.auth ? `Basic ${Buffer.from(`${proxy.auth.username}:${proxy.auth.password}`).toString("base64")}` : undefined;
    dispatcher = new ProxyAgent({
      uri: proxy.url.href,
      token,
      ...timeouts,
      proxyTls: connect,
      requestTls: connect,
      // The client that talks to the proxy (CONNECT): ProxyAgent's default, with our timeouts and tracking.
      clientFactory: (origin, options) => {
        const given = options as Pool.Options & { connect: buildConnector.connector };
        return new Pool(origin, { ...given, ...timeouts, connect: tracked(given.connect) });
      },
    });
  }
  return {
    dispatcher,
    destroy(error) {
      for (const socket of sockets) socket.destroy();
      void dispatcher.destroy(error ?? null).catch(() => undefined);
    },
  };
}

/** Reads a body up to BODY_LIMIT bytes; text undefined past that (the rest is not read). */
async function readLimited(body: Dispatcher.ResponseData["body"], declaredLength: string | string[] | undefined): Promise<Pick<Answer, "text" | "bytes">> {
  if (Number(declaredLength) > BODY_LIMIT) {
    // dump() closes the connection at once when the body is larger than it would read.
    await body.dump({ limit: BODY_LIMIT });
    return { text: undefined, bytes: Number(declaredLength) };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Leaving the loop destroys the stream: the connection is closed, nothing more is read.
    if (size > BODY_LIMIT) return { text: undefined, bytes: size };
    chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks).toString("utf8"), bytes: size };
}

/** How long one request may take, and what to say when it took longer. */
export interface Limit {
  ms: number;
  message: string;
}

/**
 * The timeout, or what is left of the whole check when that is less. (Only an answer that comes just
 * before each limit, three times, then a lookup as slow, can leave less.)
 */
export function limit(timeoutSeconds: number, budget: Budget): Limit {
  const timeoutMs = timeoutSeconds * 1000;
  if (budget.left() >= timeoutMs) return { ms: timeoutMs, message: `timed out after ${timeoutSeconds} s` };
  // undici takes whole milliseconds, and 0 as "no limit".
  return { ms: Math.max(Math.floor(budget.left()), 1), message: `timed out: the whole check may take at most ${budget.ms / 1000} s` };
}

/**
 * One request, ended by our own timer when the limit passes, whatever step it is in (a proxy's CONNECT,
 * TLS, headers, body): then the dispatcher is destroyed, with every connection it holds, and the request
 * fails with a DeadlineError. The body of a retried status is not kept.
 */
export async function exchange(url: URL, options: { method: "GET" | "HEAD" | "POST"; headers: Record<string, string>; body?: string }, { dispatcher, destroy }: Connections, { ms, message }: Limit): Promise<Answer> {
  return within(
    ms,
    message,
    async (signal) => {
      const response = await send(url, { ...options, dispatcher, signal, headersTimeout: ms, bodyTimeout: ms });
      const { statusCode: status, headers } = response;
      if (retriedStatus(status)) {
        await response.body.dump({ limit: 64 * 1024, signal });
        return { status, headers, text: "", bytes: 0 };
      }
      return { status, headers, ...(await readLimited(response.body, headers["content-length"])) };
    },
    destroy,
  );
}

export const retriedStatus = (status: number) => status === 429 || status >= 500;

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date), if it does. */
function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.max(ms, 0) : undefined;
}

/**
 * Why a request failed, in a few words: name not resolved, refused, TLS, timed out. A library's message is not
 * ours and may quote what a server sent: only its error code is shown (Node's and undici's errors all have one).
 */
export function cause(e: unknown, timeoutSeconds: number): string {
  if (e instanceof DeadlineError) return e.message;
  // undici nests the real error a few causes deep.
  const chain: (Error & { code?: unknown })[] = [];
  for (let c = e as (Error & { cause?: unknown }) | undefined; c && chain.length < 6; c = c.cause as typeof c) chain.push(c);
  const code = chain.map((c) => c.code).find((c): c is string => typeof c === "string" && /^[A-Z][A-Z0-9_]*$/.test(c));
  if (chain.some((c) => c.name === "TimeoutError") || code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") return `timed out after ${timeoutSeconds} s`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "name not resolved";
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "connection reset";
  if (code === "UND_ERR_CONNECT_TIMEOUT") return "connection timed out";
  const said = chain[chain.length - 1]?.message ?? String(e);
  // undici's: "Proxy response (407) !== 200 when HTTP Tunneling".
  const proxyStatus = /Proxy response \((\d{3})\)/.exec(said);
  if (proxyStatus) return `the proxy answered HTTP ${proxyStatus[1]}${proxyStatus[1] === "407" ? " (proxy credentials missing or wrong)" : ""}`;
  if (/CERT|TLS|SSL/.test(code ?? "") || /certificate|TLS|SSL/i.test(said)) return `TLS error${code ? ` (${code})` : ""}`;
  return code ?? "the connection failed";
}

/** A timeout gets no second wait (nothing ever hangs), and a proxy that refused will refuse again. */
const worthRetrying = (why: string) => !why.includes("timed out") && !why.startsWith("the proxy answered");

/**
 * Requests a token; resolves with who was authenticated, throws M2Error (exit 3 or 4) otherwise.
 * The attempts are our loop rather than undici's RetryAgent, which (measured) cannot resend fetch's POST
 * body, logs no attempt for --verbose, and meets a Retry-After beyond its cap by waiting the cap and
 * retrying, where this check stops at once and says what Anypoint asked.
 */
export async function checkCredentials(request: TokenRequest): Promise<Identity> {
  // The whole check's deadline: each request's limit and each wait is cut to what is left of it.
  const budget = new Budget(longestCheckMs(request.timeoutSeconds));
  const url = endpoint(request.base, "accounts/api/v2/oauth2/token");
  const where = `${url.origin}${request.proxy ? ` through the proxy from ${request.proxy.source}` : ""}`;
  const timeoutMs = request.timeoutSeconds * 1000;
  const waitCapMs = Math.min(timeoutMs, RETRY_AFTER_CAP_MS);
  const backoff = (attempt: number) => Math.min((request.backoffMs ?? 500) * 2 ** (attempt - 1), waitCapMs);
  const wait = (ms: number) => sleep(Math.min(ms, budget.left()));
  const connections = connectionsFor(request.proxy, timeoutMs);
  const log = request.log ?? (() => undefined);
  log(`token request: POST ${shownUrl(url)}${request.proxy ? ` via ${request.proxy.url.origin} (${request.proxy.source}${request.proxy.auth ? ", with proxy credentials" : ""})` : " (no proxy)"}`);
  const form = new URLSearchParams({ client_id: request.clientId, client_secret: request.clientSecret, grant_type: "client_credentials" }).toString();
  try {
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      let answer: Answer;
      try {
        answer = await exchange(url, { method: "POST", headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" }, body: form }, connections, limit(request.timeoutSeconds, budget));
      } catch (e) {
        const why = cause(e, request.timeoutSeconds);
        log(`attempt ${attempt}: ${why} after ${Math.round(performance.now() - started)} ms`);
        if (!worthRetrying(why) || attempt === ATTEMPTS) {
          throw new M2Error(Exit.unreachable, `could not reach Anypoint at ${where}: ${why}${attempt > 1 ? ` (attempt ${attempt} of ${ATTEMPTS})` : ""}`, {
            hint: `Check the network, the proxy settings and --region/--host${orSkip(request)}.`,
          });
        }
        await wait(backoff(attempt));
        continue;
      }
      log(`attempt ${attempt}: HTTP ${answer.status} in ${Math.round(performance.now() - started)} ms`);
      if (!retriedStatus(answer.status)) return await outcome(request, answer, where, connections, budget);
      if (attempt === ATTEMPTS) {
        throw new M2Error(Exit.unreachable, `Anypoint at ${where} kept failing (HTTP ${answer.status}, ${ATTEMPTS} attempts)`, {
          hint: `Try again later${orSkip(request)}.`,
        });
      }
      const asked = retryAfterMs(answer.headers["retry-after"]);
      if (asked !== undefined && asked > waitCapMs) {
        throw new M2Error(Exit.unreachable, `Anypoint at ${where} answered HTTP ${answer.status} and asked to wait ${Math.ceil(asked / 1000)} s before trying again; this check waits at most ${waitCapMs / 1000} s`, {
          hint: `Try again later (a longer --timeout waits longer, up to 30 s)${orSkip(request)}.`,
        });
      }
      await wait(asked ?? backoff(attempt));
    }
  } finally {
    // Nothing is in flight any more: no connection is kept for later.
    connections.destroy();
  }
}

/** What no message may show: the client secret and the proxy's password. (A base URL never holds one: it is refused.) */
function secretsOf(request: TokenRequest): string[] {
  return [request.clientSecret, request.proxy?.auth?.password].filter((s): s is string => Boolean(s));
}

/** What a token endpoint's answer (not one that is retried) means. */
async function outcome(request: TokenRequest, answer: Answer, where: string, connections: Connections, budget: Budget): Promise<Identity> {
  const { status, text } = answer;
  if (status === 400 || status === 401) {
    throw new M2Error(Exit.rejected, `Anypoint rejected the credentials (HTTP ${status})`, {
      hint: "Check the client ID and the secret; the connected app must act on its own behalf (client credentials grant).",
    });
  }
  if (status === 403) {
    throw new M2Error(Exit.rejected, "Anypoint refused the connected app (HTTP 403)", {
      hint: "Give the connected app the Exchange scopes it needs: Exchange Viewer to download, Exchange Contributor to publish.",
    });
  }
  const hint = "A proxy or a wrong --host/--base-url may have answered instead of Anypoint.";
  if (text === undefined) {
    throw new M2Error(Exit.unreachable, `response too large from ${where} (HTTP ${status}): more than ${BODY_LIMIT / 1024 / 1024} MiB, where a token answer is a few hundred bytes`, { hint });
  }
  const token = accessToken(text);
  if (status >= 200 && status < 300 && token) {
    const expiresIn = (parseJson(text) as { expires_in?: unknown }).expires_in;
    const access = { token, ...(typeof expiresIn === "number" && Number.isFinite(expiresIn) && expiresIn > 0 ? { expiresIn } : {}) };
    // Not enumerable: no spread or JSON of the identity can carry the token into output.
    return Object.defineProperty(await identify(request, connections, token, budget), "access", { value: access, enumerable: false });
  }
  const type = answer.headers["content-type"];
  const body = describeBody(text, Array.isArray(type) ? type[0] : type, answer.bytes);
  throw new M2Error(Exit.unreachable, `unexpected response from ${where} (HTTP ${status}${status >= 200 && status < 300 ? ", no access_token" : ""}): ${body}`, { hint });
}

/** JSON text parsed, or undefined. (JSON.parse's error quotes the text: it must never reach a message.) */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function accessToken(text: string): string | undefined {
  const token = (parseJson(text) as { access_token?: unknown } | null | undefined)?.access_token;
  return typeof token === "string" && token !== "" ? token : undefined;
}

/** Best effort: which app and organisation the token belongs to. Never fails the check. */
async function identify(request: TokenRequest, connections: Connections, token: string, budget: Budget): Promise<Identity> {
  const log = request.log ?? (() => undefined);
  const credentials = [...secretsOf(request), token];
  let answer: Answer;
  try {
    const url = endpoint(request.base, "accounts/api/me");
    answer = await exchange(url, { method: "GET", headers: { accept: "application/json", authorization: `Bearer ${token}` } }, connections, limit(request.timeoutSeconds, budget));
  } catch (e) {
    log(`app lookup: ${cause(e, request.timeoutSeconds)}`);
    return {};
  }
  log(`app lookup: HTTP ${answer.status}${answer.text === undefined ? ", more than 1 MiB: ignored" : ""}`);
  if (answer.status !== 200 || answer.text === undefined) return {};
  const me = parseJson(answer.text) as { client?: { name?: unknown; org_id?: unknown } } | null | undefined;
  // Shown to people: the app's name when it holds no credential (nor the token), the organisation's when it is an ID.
  const app = shownName(me?.client?.name, credentials);
  const orgId = typeof me?.client?.org_id === "string" && isOrgId(me.client.org_id) ? me.client.org_id : undefined;
  return { ...(app ? { app } : {}), ...(orgId ? { orgId } : {}) };
}
