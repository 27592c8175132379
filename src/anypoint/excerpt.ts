/**
 * What of a server's answer may be shown to people. A proxy or gateway that answers instead of Anypoint may
 * echo what it was sent (the client secret, the proxy's password), encoded in ways no list of encodings
 * foresees. So an unexpected answer is described only by what it cannot echo: its size, its media type when
 * that is one named here, and its OAuth `error` when that is a registered code. None of its text, and no
 * other header, is ever shown.
 */

/**
 * The registered OAuth error codes (IANA's OAuth Extensions Error Registry) a token endpoint or an API may
 * answer: RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3.1, RFC 7009 §2.2.1, RFC 8628 §3.5, RFC 8707 §2,
 * RFC 9396 §5, RFC 9449 §12, RFC 9470 §3.
 */
export const OAUTH_ERRORS: ReadonlySet<string> = new Set([
  "invalid_request",
  "invalid_client",
  "invalid_grant",
  "unauthorized_client",
  "unsupported_grant_type",
  "invalid_scope",
  "access_denied",
  "unsupported_response_type",
  "server_error",
  "temporarily_unavailable",
  "invalid_token",
  "insufficient_scope",
  "unsupported_token_type",
  "authorization_pending",
  "slow_down",
  "expired_token",
  "invalid_target",
  "invalid_authorization_details",
  "invalid_dpop_proof",
  "use_dpop_nonce",
  "insufficient_user_authentication",
]);

/** The media types that are named, and how. */
const MEDIA_TYPES: Record<string, string> = {
  "text/html": "an HTML page",
  "application/xhtml+xml": "an HTML page",
  "application/xml": "an XML document",
  "text/xml": "an XML document",
  "application/json": "an application/json body",
  "application/problem+json": "an application/problem+json body",
  "text/plain": "a text/plain body",
  "application/x-www-form-urlencoded": "an application/x-www-form-urlencoded body",
  "application/octet-stream": "an application/octet-stream body",
};

/** "2 KB", "57 bytes". */
function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} byte${bytes === 1 ? "" : "s"}` : `${Math.round(bytes / 1024)} KB`;
}

/** What kind of body a Content-Type says this is, in words: "an HTML page", "a text/plain body". */
function kind(contentType: string | undefined): string {
  const type = contentType?.split(";")[0]!.trim().toLowerCase();
  if (!type) return "a body of no stated type";
  return MEDIA_TYPES[type] ?? "a body of another media type";
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // JSON.parse's error quotes the text: it never reaches a message.
    return undefined;
  }
}

/**
 * What an unexpected answer was, for a message: its kind and size, and its OAuth error code when it is
 * a registered one; never its text. `bytes`: the body's size as received.
 */
export function describeBody(text: string, contentType: string | undefined, bytes: number): string {
  if (bytes === 0 || text.trim() === "") return "an empty body";
  const json = parseJson(text);
  const error = json !== null && typeof json === "object" ? (json as { error?: unknown }).error : undefined;
  const notJson = json === undefined && /json/i.test(contentType ?? "") ? " that is not JSON" : "";
  return `${kind(contentType)}${notJson}, ${size(bytes)}${typeof error === "string" && OAUTH_ERRORS.has(error) ? `, OAuth error ${error}` : ""}`;
}

/** Text a terminal shows as it is: control and direction characters become spaces, runs of space one. */
export function printable(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * A name Anypoint gave in an answer that proved the credentials (the connected app's), as it may be shown:
 * short printable text that holds none of the credentials as it is; else undefined.
 */
export function shownName(value: unknown, credentials: string[]): string | undefined {
  if (typeof value !== "string") return undefined;
  const shown = printable(value);
  if (shown === "" || shown.length > 120) return undefined;
  const folded = shown.toLowerCase();
  return credentials.some((c) => folded.includes(c.toLowerCase())) ? undefined : shown;
}
