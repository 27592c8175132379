/**
 * The token store: a `~~~Token~~~` server whose password is a bearer token from the connected app (about an
 * hour). The token is opaque, so when it expires is written beside it: a comment right after `</password>`,
 * `<!-- anypoint-m2: token expires 2026-12-08T03:50:00.000Z -->`. Maven's reader skips comments; the note
 * travels with the server (a copy of the file, exec's private copy) where a file beside settings.xml would
 * not, and setup replaces it with the token (or removes it when the server gets another store).
 */
export const TOKEN_USERNAME = "~~~Token~~~";

const NOTE = /^<!-- anypoint-m2: token expires ([0-9T:.Z-]+) -->/;

export const tokenNote = (expiresAt: string): string => `<!-- anypoint-m2: token expires ${expiresAt} -->`;

/** The note written right at `offset` (a password's end), if there is one. */
export function noteAt(text: string, offset: number): { text: string; expiresAt: string } | undefined {
  const m = NOTE.exec(text.slice(offset, offset + 120));
  return m ? { text: m[0], expiresAt: m[1]! } : undefined;
}

export type TokenState = "expired" | "expiring" | "valid" | "unknown";

/**
 * A token with less than this left is "expiring": a build started now may outlive it. A fresh token (about an
 * hour) is valid: telling it as expiring would make every run after setup a warning.
 */
export const EXPIRING_MINUTES = 10;

/** Expired, or expiring within EXPIRING_MINUTES, as of `now`. */
export function tokenState(expiresAt: string | undefined, now: number): TokenState {
  const at = expiresAt === undefined ? NaN : Date.parse(expiresAt);
  if (Number.isNaN(at)) return "unknown";
  return at <= now ? "expired" : at - now < EXPIRING_MINUTES * 60_000 ? "expiring" : "valid";
}

/** "expired 5 min ago", "expires in 42 min": for messages. */
export function describeExpiry(expiresAt: string, now: number): string {
  const minutes = Math.round((Date.parse(expiresAt) - now) / 60_000);
  return minutes <= 0 ? `expired at ${expiresAt}${minutes < 0 ? ` (${-minutes} min ago)` : ""}` : `expires at ${expiresAt} (in ${minutes} min)`;
}
