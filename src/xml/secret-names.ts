/**
 * Which names look like they hold a credential: the one predicate behind the masked previews
 * (src/settings/mask.ts) and the scanner's error messages (src/xml/scan.ts), which never quote what such an
 * element holds. It reads element names (`<gpg.passphrase>`, `<npmAuthToken>`) and the names of properties
 * and headers (`<name>X-Api-Key</name>`) alike.
 *
 * It errs on the side of hiding: a name is read without case or separators, so `api_key`, `Api-Key` and
 * `apikey` are one name. Only a last word that says the value is an identifier or an address (`credentialsId`,
 * `tokenUrl`, `authUser`) keeps a name readable.
 */

/** Anywhere in the name, read lower case without separators: password, sonar.token, X-Api-Key, npmAuthToken. */
const SECRET_PART = /pass(?:word|phrase|wd)|secret|token|credential|auth|apikey|privatekey|accesskey|(?:pass|pwd|.key)$/;
/** A last word that names what identifies or locates a credential, not the credential itself. */
const READABLE_LAST_WORD = new Set(["id", "ids", "user", "username", "login", "name", "url", "uri", "urls", "host", "port"]);
/** Words of a name: split at `-`, `_`, `.`, `:` and where camelCase turns upper case. */
const WORD_BREAK = /[-_.:\s]+|(?<=[a-z0-9])(?=[A-Z])/;

/** Does the last word of the name say that it identifies or locates something (`<id>`, `<username>`, `<tokenUrl>`)? */
export function namesOrLocates(name: string): boolean {
  const words = name.split(WORD_BREAK).filter((word) => word !== "");
  return READABLE_LAST_WORD.has(words[words.length - 1]?.toLowerCase() ?? "");
}

/** Does an element (or a property or header) of this name look like it holds a credential? */
export function looksLikeCredential(name: string): boolean {
  const flat = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  return SECRET_PART.test(flat) && !namesOrLocates(name);
}

/**
 * May an element of this name hold a credential as its text? Those that look like one, and every `<value>`:
 * in settings files they are the values of properties and headers, which is where tokens go
 * (`<property><name>Private-Token</name><value>…`). For what a mere name cannot decide: comments, and errors.
 */
export const mayHoldCredential = (name: string): boolean => name === "value" || looksLikeCredential(name);
