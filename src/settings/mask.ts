/**
 * Credentials hidden from previews, found by the document's structure rather than by lines or known values:
 * - the whole content of every element named like a credential (src/xml/secret-names.ts: `<password>`,
 *   `<privateKey>`, `<sonar.token>`, `<gpg.passphrase>`, ...): text, CDATA, comments, line breaks and child
 *   elements, but for children that only name or locate it (`<username>`, `<id>`, `<url>` stay readable);
 * - the `<value>` of a property whose `<name>` (or `<key>`) looks like a credential, and every `<value>` inside
 *   `<httpHeaders>`: any header can carry one (Authorization, Private-Token, ...);
 * - such elements, and every `<value>`, written out inside comments, CDATA sections and processing
 *   instructions (the stock settings.xml has commented examples, and old servers get commented out).
 * A value that is only `${env.X}` references stays readable, and so does a connected app's client ID.
 *
 * The masked text keeps every line break of the original, so it has the same lines: a diff computed on
 * the real texts can be printed with the masked lines, and a changed password still shows as a changed line.
 */
import { SEPARATOR } from "../domain";
import { javaTrim, scanXml, textContent, type XmlElement } from "../xml/scan";
import { looksLikeCredential, mayHoldCredential, namesOrLocates } from "../xml/secret-names";
import { escapeText } from "./value";

export const MASK = "********";

/** An element that holds header values: Maven's `<httpHeaders>`, and `<headers>` of other transports. */
const HEADERS = /headers$/i;
/** A start tag written inside a comment or CDATA section; group 2 is "/" for `<x/>`. */
const LOOSE_OPEN = /<([^\s<>/!?]+)(?=[\s/>])[^<>]*?(\/?)>/g;
/** A `${...}` reference alone: it names where the value comes from and hides nothing. */
const REFERENCE = /^\$\{[^}<&\s]+\}$/;
/** A client ID that can be shown as written: no markup, no reference that could hide a `~?~`, no space. */
const PLAIN_ID = /^[^<&\s]+$/;

interface Span {
  from: number;
  to: number;
  /** The content of a `<password>`: a connected app's `clientID~?~secret` shows its client ID. */
  password?: boolean;
}

/** Is this a `<password>` (with any prefix), whose connected-app client ID may show? */
const isPassword = (name: string): boolean => /(?:^|:)password$/i.test(name);

/**
 * Only the line breaks of `text`, in order: what a mask keeps so that lines stay lines; and the indentation
 * after the last one, which is the end tag's.
 */
const lineBreaks = (text: string): string => text.replace(/[^\r\n]/g, "") + (/[\r\n]([ \t]*)$/.exec(text)?.[1] ?? "");

/**
 * What a preview shows for a credential's content as written: itself when it hides nothing (blank, or a
 * `${env.X}` reference), the client ID of a password's plain `id~?~secret` text with the secret masked, else
 * the mask.
 */
function maskContent(raw: string, password: boolean): string {
  const value = javaTrim(raw);
  if (value === "" || REFERENCE.test(value)) return raw;
  const at = value.indexOf(SEPARATOR);
  if (password && at > 0 && !value.includes("<")) {
    const id = value.slice(0, at);
    const secret = value.slice(at + SEPARATOR.length);
    if (PLAIN_ID.test(id) || REFERENCE.test(id)) return REFERENCE.test(secret) ? raw : `${id}${SEPARATOR}${MASK}${lineBreaks(raw)}`;
  }
  return MASK + lineBreaks(raw);
}

/** Does `element` have a `<name>` or `<key>` child whose text looks like a credential (a property, a header)? */
function namesCredential(text: string, element: XmlElement): boolean {
  for (const field of ["name", "key"]) {
    const child = element.child(field);
    if (child && looksLikeCredential(javaTrim(textContent(text, child)))) return true;
  }
  return false;
}

interface Visit {
  element: XmlElement;
  /** Its content is a credential. */
  secret: boolean;
  /** It is inside `<httpHeaders>` (or is one). */
  headers: boolean;
}

/**
 * The content of a credential element: masked whole, but for the children that only name or locate it (a
 * `<credentials>` block's `<username>`), which are cut out of the mask and visited as any other element.
 */
function secretSpans({ element }: Visit, spans: Span[], stack: Visit[]): void {
  if (element.selfClosing) return;
  const password = isPassword(element.name);
  let from = element.openEnd;
  for (const child of element.children()) {
    if (!namesOrLocates(child.name)) continue;
    spans.push({ from, to: child.start, password });
    stack.push({ element: child, secret: false, headers: false });
    from = child.end;
  }
  spans.push({ from, to: element.closeStart, password });
}

/** The content of every credential element, in document order (a walk, not recursion: nesting can be deep). */
function elementSpans(text: string, root: XmlElement): Span[] {
  const spans: Span[] = [];
  // Asked once per name: a large file repeats the same few dozen names.
  const credential = new Map<string, boolean>();
  const isCredential = (name: string): boolean => credential.get(name) ?? credential.set(name, looksLikeCredential(name)).get(name)!;
  const stack: Visit[] = [{ element: root, secret: isCredential(root.name), headers: false }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    if (visit.secret) {
      secretSpans(visit, spans, stack);
      continue;
    }
    const headers = visit.headers || HEADERS.test(visit.element.name);
    let values: boolean | undefined;
    for (const child of visit.element.children()) {
      // Whether <value> children are secret is asked once, and only of an element that has one.
      const value = child.name === "value" && (values ??= headers || namesCredential(text, visit.element));
      stack.push({ element: child, secret: value || isCredential(child.name), headers });
    }
  }
  return spans.sort((a, b) => a.from - b.from);
}

const endTags = new Map<string, RegExp>();
/** The end tag of a loosely found element (comments repeat the same few names: made once each). */
function endTag(name: string): RegExp {
  let re = endTags.get(name);
  if (!re) endTags.set(name, (re = new RegExp(`</${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*>`, "gi")));
  return re;
}

/** Credentials, and `<value>`s, written out in text[from, to) that is not markup (a comment's text, say). */
function looseSpans(text: string, from: number, to: number): Span[] {
  const part = text.slice(from, to);
  const spans: Span[] = [];
  LOOSE_OPEN.lastIndex = 0;
  for (let m = LOOSE_OPEN.exec(part); m; m = LOOSE_OPEN.exec(part)) {
    const name = m[1]!;
    if (m[2] === "/" || !mayHoldCredential(name)) continue;
    const close = endTag(name);
    close.lastIndex = LOOSE_OPEN.lastIndex;
    const end = close.exec(part)?.index ?? part.length;
    spans.push({ from: from + LOOSE_OPEN.lastIndex, to: from + end, password: isPassword(name) });
    LOOSE_OPEN.lastIndex = end;
  }
  return spans;
}

/**
 * Credentials written out inside the comments, CDATA sections and processing instructions of the
 * well-formed text[from, to) (outside them, '<' always starts markup: attribute values cannot hold it).
 */
function sectionSpans(text: string, from: number, to: number): Span[] {
  const spans: Span[] = [];
  for (let lt = text.indexOf("<", from); lt >= 0 && lt < to; ) {
    const [open, close] = text.startsWith("<!--", lt) ? ["<!--", "-->"] : text.startsWith("<![CDATA[", lt) ? ["<![CDATA[", "]]>"] : text.startsWith("<?", lt) ? ["<?", "?>"] : [];
    if (!open || !close) {
      lt = text.indexOf("<", lt + 1);
      continue;
    }
    const end = text.indexOf(close, lt + open.length);
    for (const span of looseSpans(text, lt + open.length, end)) spans.push(span);
    lt = text.indexOf("<", end + close.length);
  }
  return spans;
}

/** Every span of a well-formed document that may hold a secret, in order, none overlapping. */
function documentSpans(text: string): Span[] {
  const spans: Span[] = [];
  let pos = 0;
  for (const element of elementSpans(text, scanXml(text).root)) {
    for (const span of sectionSpans(text, pos, element.from)) spans.push(span);
    spans.push(element);
    pos = element.to;
  }
  for (const span of sectionSpans(text, pos, text.length)) spans.push(span);
  return spans;
}

/** A start or end tag, on one line or running past its end; group 1 is "/" for an end tag, group 3 for `<x/>`. */
const ANY_TAG = /<(\/?)([^\s<>/!?]+)[^<>]*?(\/?)(?:>|$)/g;
/** Words that say a line may hold a credential, in any case, where no tag says so (prose in a comment). */
const SECRET_WORD = /pass(?:word|phrase|wd)|secret|token|credential|auth|api[-_.]?key|private[-_.]?key/i;

/**
 * For text that does not scan (never our own output, but previews must not leak even then): every line
 * that names a credential or holds a `<value>`, and every line between such an unclosed start tag and its
 * end tag, is masked whole.
 */
function maskLines(text: string): string {
  let depth = 0;
  return text
    .split(/(?<=\n)/)
    .map((line) => {
      let hide = depth > 0 || SECRET_WORD.test(line);
      for (const [, end, name, empty] of line.matchAll(ANY_TAG)) {
        if (!mayHoldCredential(name!)) continue;
        hide = true;
        if (empty !== "/") depth = Math.max(0, depth + (end === "/" ? -1 : 1));
      }
      return hide ? MASK + lineBreaks(line) : line;
    })
    .join("");
}

/**
 * `text` with every credential masked, line for line. `known` secrets are also masked wherever they occur,
 * as given and as escaped in XML (a second net; the structure finds them first).
 */
export function maskSecrets(text: string, known: readonly string[] = []): string {
  let masked: string;
  try {
    const spans = documentSpans(text);
    let out = "";
    let pos = 0;
    for (const { from, to, password } of spans) {
      out += text.slice(pos, from) + maskContent(text.slice(from, to), password === true);
      pos = to;
    }
    masked = out + text.slice(pos);
  } catch {
    masked = maskLines(text);
  }
  for (const secret of known) {
    if (secret.length < 4) continue;
    for (const form of new Set([secret, escapeText(secret)])) masked = masked.split(form).join(MASK + lineBreaks(form));
  }
  // A URL's user:password@ (a mirror's or repository's <url>, a proxy written as a URL) is a credential too.
  return masked.replace(URL_USERINFO, "$1***@");
}

/** scheme://userinfo@ — the userinfo runs to the last "@" before the host, so it holds no "/" or space. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s<>"']*@/gi;
