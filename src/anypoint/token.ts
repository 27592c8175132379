/**
 * Proves a connected app's credentials by asking Anypoint for a token (OAuth 2.0 client credentials).
 * Loaded only by commands that check credentials. Neither the secret nor the token ever reaches a message.
 */
import { Exit, M2Error } from "../errors";

export const DEFAULT_BASE_URL = "https://anypoint.mulesoft.com";

export interface TokenRequest {
  baseUrl: string | undefined;
  clientId: string;
  clientSecret: string;
  timeoutSeconds: number;
}

function baseUrlOf(raw: string | undefined): URL {
  let url: URL;
  try {
    url = new URL(raw ?? DEFAULT_BASE_URL);
  } catch {
    throw new M2Error(Exit.usage, `the base URL "${raw}" is not a URL`, { hint: "Pass a full URL such as https://anypoint.mulesoft.com." });
  }
  const loopback = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new M2Error(Exit.usage, `the base URL must use https (plain http only for loopback addresses): ${url.origin}`);
  }
  return url;
}

/** Requests a token; resolves when Anypoint accepts the credentials, throws M2Error (exit 3 or 4) otherwise. */
export async function checkCredentials(request: TokenRequest): Promise<void> {
  const base = baseUrlOf(request.baseUrl);
  const url = new URL("accounts/api/v2/oauth2/token", base.href.endsWith("/") ? base : `${base.href}/`);
  const body = new URLSearchParams({ client_id: request.clientId, client_secret: request.clientSecret, grant_type: "client_credentials" });
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
      body,
      signal: AbortSignal.timeout(request.timeoutSeconds * 1000),
    });
  } catch (e) {
    throw unreachable(url, e);
  }
  const text = await response.text().catch(() => "");
  if (response.status === 400 || response.status === 401) {
    throw new M2Error(Exit.rejected, `Anypoint rejected the credentials (HTTP ${response.status})`, {
      hint: "Check the client ID and secret of the connected app; it must act on its own behalf (client credentials grant).",
    });
  }
  if (response.status === 403) {
    throw new M2Error(Exit.rejected, "Anypoint refused the connected app (HTTP 403)", {
      hint: "Give the connected app the Exchange scopes it needs (Exchange Viewer to download, Exchange Contributor to publish).",
    });
  }
  let token: unknown;
  try {
    token = (JSON.parse(text) as { access_token?: unknown }).access_token;
  } catch {
    token = undefined;
  }
  if (!response.ok || typeof token !== "string" || token === "") {
    const excerpt = text.replace(/\s+/g, " ").slice(0, 80);
    const safe = [request.clientSecret, typeof token === "string" ? token : ""]
      .filter((secret) => secret.length > 0)
      .reduce((t, secret) => t.split(secret).join("***"), excerpt);
    throw new M2Error(Exit.unreachable, `unexpected response from ${url.origin} (HTTP ${response.status}): ${safe || "empty body"}`);
  }
}

function unreachable(url: URL, e: unknown): M2Error {
  const err = e as Error & { cause?: { code?: string } };
  const code = err.cause?.code;
  const why =
    err.name === "TimeoutError" ? "timed out"
    : code === "ENOTFOUND" || code === "EAI_AGAIN" ? "name not resolved"
    : code === "ECONNREFUSED" ? "connection refused"
    : code?.startsWith("ERR_TLS") || code?.includes("CERT") ? "TLS error"
    : (code ?? err.message);
  return new M2Error(Exit.unreachable, `could not reach Anypoint at ${url.origin}: ${why}`, {
    hint: "Check the network and proxy settings, or pass --no-verify to write without checking.",
  });
}
