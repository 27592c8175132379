/**
 * Passwords hidden from previews, found by the document's structure rather than by lines or known values:
 * the whole content of every element named like a password (text, CDATA, comments, child elements, line
 * breaks), and such elements written out inside comments, CDATA sections and processing instructions (the
 * stock settings.xml has commented examples).
 *
 * The masked text keeps every line break of the original, so it has the same lines: a diff computed on
 * the real texts can be printed with the masked lines, and a changed password still shows as a changed line.
 */
import { SEPARATOR } from "../anypoint/credentials";
import { javaTrim, scanXml, type XmlElement } from "../xml/scan";
import { escapeText } from "./value";

export const MASK = "********";

/** `password`, `passphrase`, and names ending so (`keystorePassword`, `s:password`), in any case. */
const SECRET_NAME = /(?:password|passphrase)$/i;
/** A start tag of such an element written inside a comment or CDATA section; group 2 is "/" for `<x/>`. */
const LOOSE_OPEN = /<([^\s<>/!?]*(?:password|passphrase))(?=[\s/>])[^<>]*?(\/?)>/gi;
/** A `${...}` reference alone: it names where the value comes from and hides nothing. */
const REFERENCE = /^\$\{[^}<&\s]+\}$/;
/** A client ID that can be shown as written: no markup, no reference that could hide a `~?~`, no space. */
const PLAIN_ID = /^[^<&\s]+$/;

interface Span {
  from: number;
  to: number;
}

/**
 * Only the line breaks of `text`, in order: what a mask keeps so that lines stay lines; and the indentation
 * after the last one, which is the end tag's.
 */
const lineBreaks = (text: string): string => text.replace(/[^\r\n]/g, "") + (/[\r\n]([ \t]*)$/.exec(text)?.[1] ?? "");

/**
 * What a preview shows for a password's content as written: itself when it hides nothing (empty, or
 * `${env.X}` references), the client ID of a plain `id~?~secret` text with the secret masked, else the mask.
 */
function maskContent(raw: string): string {
  const value = javaTrim(raw);
  if (value === "" || REFERENCE.test(value)) return raw;
  const at = value.indexOf(SEPARATOR);
  if (at > 0 && !value.includes("<")) {
    const id = value.slice(0, at);
    const secret = value.slice(at + SEPARATOR.length);
    if (PLAIN_ID.test(id) || REFERENCE.test(id)) return REFERENCE.test(secret) ? raw : `${id}${SEPARATOR}${MASK}${lineBreaks(raw)}`;
  }
  return MASK + lineBreaks(raw);
}

/** The content of every password-like element, in document order; their descendants are inside it. */
function elementSpans(root: XmlElement): Span[] {
  const spans: Span[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const element = stack.pop()!;
    if (SECRET_NAME.test(element.name)) {
      if (!element.selfClosing) spans.push({ from: element.openEnd, to: element.closeStart });
      continue;
    }
    const children = element.children;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return spans;
}

const endTags = new Map<string, RegExp>();
/** The end tag of a loosely found element (comments repeat the same few names: made once each). */
function endTag(name: string): RegExp {
  let re = endTags.get(name);
  if (!re) endTags.set(name, (re = new RegExp(`</${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*>`, "gi")));
  return re;
}

/** Password-like elements written out in text[from, to) that is not markup (a comment's text, say). */
function looseSpans(text: string, from: number, to: number): Span[] {
  const part = text.slice(from, to);
  const spans: Span[] = [];
  LOOSE_OPEN.lastIndex = 0;
  for (let m = LOOSE_OPEN.exec(part); m; m = LOOSE_OPEN.exec(part)) {
    if (m[2] === "/") continue;
    const close = endTag(m[1]!);
    close.lastIndex = LOOSE_OPEN.lastIndex;
    const end = close.exec(part)?.index ?? part.length;
    spans.push({ from: from + LOOSE_OPEN.lastIndex, to: from + end });
    LOOSE_OPEN.lastIndex = end;
  }
  return spans;
}

/**
 * Password-like elements inside the comments, CDATA sections and processing instructions of the
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
  for (const element of elementSpans(scanXml(text).root)) {
    for (const span of sectionSpans(text, pos, element.from)) spans.push(span);
    spans.push(element);
    pos = element.to;
  }
  for (const span of sectionSpans(text, pos, text.length)) spans.push(span);
  return spans;
}

const OPEN_ANY = /<[^\s<>/!?]*(?:password|passphrase)(?=[\s/>]|$)(?![^<>]*\/>)/gi;
const CLOSE_ANY = /<\/[^\s<>]*(?:password|passphrase)\s*>/gi;
const count = (re: RegExp, line: string): number => line.match(re)?.length ?? 0;

/**
 * For text that does not scan (never our own output, but previews must not leak even then): every line
 * that names a password, and every line between an unclosed password start tag and its end tag, is masked
 * whole.
 */
function maskLines(text: string): string {
  let depth = 0;
  return text
    .split(/(?<=\n)/)
    .map((line) => {
      const hide = depth > 0 || /password|passphrase/i.test(line);
      depth = Math.max(0, depth + count(OPEN_ANY, line) - count(CLOSE_ANY, line));
      return hide ? MASK + lineBreaks(line) : line;
    })
    .join("");
}

/**
 * `text` with every password masked, line for line. `known` secrets are also masked wherever they occur,
 * as given and as escaped in XML (a second net; the structure finds them first).
 */
export function maskSecrets(text: string, known: readonly string[] = []): string {
  let masked: string;
  try {
    const spans = documentSpans(text);
    let out = "";
    let pos = 0;
    for (const { from, to } of spans) {
      out += text.slice(pos, from) + maskContent(text.slice(from, to));
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
  return masked;
}
