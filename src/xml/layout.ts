/** The file's own layout: line ending, indentation unit, where lines start. New text is written in it. */
import type { XmlElement } from "./scan";

/** The dominant line ending (among the first 64 K characters), or "\n" when the text has none. */
export function detectEol(text: string): string {
  const sample = text.length > 65536 ? text.slice(0, 65536) : text;
  let crlf = 0;
  let lf = 0;
  let cr = 0;
  for (let i = sample.indexOf("\r"); i >= 0; i = sample.indexOf("\r", i + 1)) {
    if (sample.charCodeAt(i + 1) === 10) crlf++;
    else cr++;
  }
  for (let i = sample.indexOf("\n"); i >= 0; i = sample.indexOf("\n", i + 1)) lf++;
  lf -= crlf;
  if (crlf === 0 && lf === 0 && cr === 0) return "\n";
  if (crlf >= lf && crlf >= cr) return "\r\n";
  return lf >= cr ? "\n" : "\r";
}

/** The whitespace before `offset` back to the start of its line, or undefined when other text precedes it there. */
export function indentAt(text: string, offset: number): string | undefined {
  let i = offset;
  while (i > 0) {
    const c = text.charCodeAt(i - 1);
    if (c === 0x20 || c === 0x09) i--;
    else if (c === 0x0a || c === 0x0d) break;
    else return undefined;
  }
  return text.slice(i, offset);
}

/**
 * The indentation unit: the most common step between a parent's indentation and its child's, among the
 * first elements of the document. "" for a flush-left file, two spaces when nothing tells.
 */
export function detectIndentUnit(text: string, root: XmlElement, sample = 400): string {
  const counts = new Map<string, number>();
  let flat = 0;
  let seen = 0;
  // Child by child, stopping at the sample.
  const visit = (parent: XmlElement, parentIndent: string | undefined): void => {
    for (let child = parent.child(); child; child = child.next()) {
      if (seen++ >= sample) return;
      const indent = indentAt(text, child.start);
      if (parentIndent !== undefined && indent !== undefined) {
        if (indent === parentIndent) flat++;
        else if (indent.startsWith(parentIndent)) {
          const step = indent.slice(parentIndent.length);
          counts.set(step, (counts.get(step) ?? 0) + 1);
        }
      }
      visit(child, indent);
    }
  };
  visit(root, indentAt(text, root.start));
  let best: string | undefined;
  let bestCount = 0;
  for (const [step, count] of counts) {
    if (count > bestCount) [best, bestCount] = [step, count];
  }
  if (best !== undefined && bestCount >= flat) return best;
  return flat > 0 ? "" : "  ";
}

/** The indentation of the line an element starts on (its leading whitespace), even when text precedes it. */
export function lineIndent(text: string, offset: number): string {
  let start = offset;
  while (start > 0 && text.charCodeAt(start - 1) !== 0x0a && text.charCodeAt(start - 1) !== 0x0d) start--;
  const m = /^[ \t]*/.exec(text.slice(start, offset));
  return m ? m[0] : "";
}
