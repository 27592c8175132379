/**
 * Adding and taking out whole blocks (an element with the comment before it) on lines of their own, so
 * that taking a block out gives back the bytes there were before it was added.
 */
import type { Edit } from "./edit";
import { indentAt, lineIndent } from "./layout";
import type { XmlElement } from "./scan";

export interface Layout {
  eol: string;
  /** One step of indentation. */
  unit: string;
}

/**
 * The line before every block anypoint-m2 adds where the user's file had nothing (a <servers>, a profile,
 * a plugin group): how removal knows what anypoint-m2 added, as what a user wrote may look the same.
 */
export const MARKER = "<!-- added by anypoint-m2 -->";

/** Where MARKER starts when it stands on the line right before `element`. */
export function markerBefore(text: string, element: XmlElement): number | undefined {
  const from = Math.max(0, element.start - MARKER.length - 256);
  const m = /<!-- added by anypoint-m2 -->(?:\r\n|\r|\n)[ \t]*$/.exec(text.slice(from, element.start));
  return m ? from + m.index : undefined;
}

const isBlank = (c: number): boolean => c === 0x20 || c === 0x09;
const isBreak = (c: number): boolean => c === 0x0a || c === 0x0d;
const isSpace = (c: number): boolean => isBlank(c) || isBreak(c);

/**
 * Appends after the last thing in `parent` (element or comment), on lines of its own; `make(indent)` is the
 * text, its first line at `indent`. `<x/>` and an empty `<x></x>` on one line are opened up.
 */
export function appendInside(text: string, parent: XmlElement, make: (indent: string) => string, { eol, unit }: Layout): Edit {
  const parentIndent = lineIndent(text, parent.start);
  if (parent.selfClosing) {
    // `<x />` becomes `<x>`: the blanks before "/>" go with it.
    let q = parent.openEnd - 2;
    while (isSpace(text.charCodeAt(q - 1))) q--;
    const indent = parentIndent + unit;
    return { offset: q, length: parent.openEnd - q, content: `>${eol}${indent}${make(indent)}${eol}${parentIndent}</${parent.name}>` };
  }
  const children = parent.children();
  const last = children[children.length - 1];
  const indent = (last && indentAt(text, last.start)) ?? parentIndent + unit;
  const block = make(indent);
  let p = parent.closeStart;
  while (p > parent.openEnd && isSpace(text.charCodeAt(p - 1))) p--;
  const trailing = text.slice(p, parent.closeStart);
  const lineBreak = /\r\n|\r|\n/.exec(trailing);
  // After the line that holds the last thing inside, so that line and the lines closing `parent` stay as they are.
  if (lineBreak) return { offset: p + lineBreak.index + lineBreak[0].length, length: 0, content: `${indent}${block}${eol}` };
  // The close tag shares a line with the last child, or with text in a parent of several lines: the block goes
  // on lines of its own before it, and removing it gives that line back as it was.
  if (children.length > 0 || /[\r\n]/.test(text.slice(parent.openEnd, p))) return { offset: p, length: 0, content: `${eol}${indent}${block}` };
  return { offset: p, length: trailing.length, content: `${eol}${indent}${block}${eol}${parentIndent}` };
}

// Comments and blanks only: what may follow an element on its line without belonging to the next one.
const commentsOnly = /^(?:[ \t]|<!--(?:(?!-->)[^])*-->)*$/;

/** Puts the block on lines of its own after `anchor` (after the comments that end its line). */
export function insertAfter(text: string, anchor: XmlElement, make: (indent: string) => string, { eol }: Layout): Edit {
  const indent = indentAt(text, anchor.start) ?? lineIndent(text, anchor.start);
  const lineBreak = /\r\n|\r|\n/.exec(text.slice(anchor.end));
  if (lineBreak && commentsOnly.test(text.slice(anchor.end, anchor.end + lineBreak.index))) {
    return { offset: anchor.end + lineBreak.index + lineBreak[0].length, length: 0, content: `${indent}${make(indent)}${eol}` };
  }
  return { offset: anchor.end, length: 0, content: `${eol}${indent}${make(indent)}` };
}

/** Puts the block on lines of its own before `next`, when `next` starts a line; otherwise right before it. */
export function insertBefore(text: string, next: XmlElement, make: (indent: string) => string, { eol }: Layout): Edit {
  const indent = indentAt(text, next.start);
  if (indent !== undefined) return { offset: next.start - indent.length, length: 0, content: `${indent}${make(indent)}${eol}` };
  return { offset: next.start, length: 0, content: `${make(lineIndent(text, next.start))}${eol}${lineIndent(text, next.start)}` };
}

/** Puts the block first in `parent`, right after its start tag, when `parent` has children. */
export function insertFirst(text: string, parent: XmlElement, make: (indent: string) => string, layout: Layout): Edit {
  const first = parent.child();
  if (!first) return appendInside(text, parent, make, layout);
  const indent = indentAt(text, first.start) ?? lineIndent(text, parent.start) + layout.unit;
  let q = parent.openEnd;
  while (q < first.start && isSpace(text.charCodeAt(q))) q++;
  // After the line break that ends the parent's start line, so that line keeps its blanks and its line ending.
  const lineBreak = /\r\n|\r|\n/.exec(text.slice(parent.openEnd, q));
  if (lineBreak) return { offset: parent.openEnd + lineBreak.index + lineBreak[0].length, length: 0, content: `${indent}${make(indent)}${layout.eol}` };
  return { offset: q, length: 0, content: `${make(indent)}${layout.eol}${indent}` };
}

/**
 * The edit that takes out text[start, end): the whole line(s) when it stands alone on them; with the line
 * break and indentation before it when it starts a line and its parent's end tag, text, or (for a block
 * anypoint-m2 marked) anything follows on that line (the inverse of how a block is added there); otherwise
 * exactly the span.
 */
export function removeSpan(text: string, start: number, end: number): Edit {
  let b = start;
  while (b > 0 && isBlank(text.charCodeAt(b - 1))) b--;
  let e = end;
  while (e < text.length && isBlank(text.charCodeAt(e))) e++;
  const startsLine = b === 0 || isBreak(text.charCodeAt(b - 1));
  if (startsLine && (e === text.length || isBreak(text.charCodeAt(e)))) {
    const eolLength = text.startsWith("\r\n", e) ? 2 : e < text.length ? 1 : 0;
    return { offset: b, length: e + eolLength - b, content: "" };
  }
  // On a line of its own up to what follows it on that line (a close tag, text, or anything after a block
  // anypoint-m2 marked): the line break before it goes, as insertAfter and appendInside put one there.
  if (startsLine && b > 0 && (text.startsWith("</", e) || text.charCodeAt(e) !== 0x3c || text.startsWith(MARKER, start))) {
    const from = text.startsWith("\r\n", b - 2) ? b - 2 : b - 1;
    return { offset: from, length: end - from, content: "" };
  }
  // After a start tag, on its line, with what follows (an element, or text) on a line of its own: the line
  // break and that line's indentation go too (the inverse of insertFirst on a line shared with the first child).
  const next = /^(?:\r\n|\r|\n)[ \t]*(?=[^\r\n])/.exec(text.slice(e));
  if (!startsLine && text.charCodeAt(b - 1) === 0x3e && next && !text.startsWith("</", e + next[0].length)) {
    return { offset: start, length: e + next[0].length - start, content: "" };
  }
  return { offset: start, length: end - start, content: "" };
}

/**
 * Edits that take out the spans, spans with nothing but whitespace between them taken out together (as
 * they were added together).
 */
export function removeSpans(text: string, spans: readonly (readonly [number, number])[]): Edit[] {
  const sorted = [...spans].sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = merged[merged.length - 1];
    if (last && /^[ \t\r\n]*$/.test(text.slice(last[1], s))) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged.map(([s, e]) => removeSpan(text, s, e));
}
