/** A change to a text: an empty length is an insertion, empty content a removal. Offsets are UTF-16 units. */
export interface Edit {
  offset: number;
  length: number;
  content: string;
}

/** Edits sorted by offset; overlapping edits are a bug, not something to guess about. */
export function sortEdits(edits: readonly Edit[], textLength: number): Edit[] {
  // At one offset an insertion goes before a replacement that starts there.
  const sorted = [...edits].sort((a, b) => a.offset - b.offset || a.length - b.length);
  let end = 0;
  for (const e of sorted) {
    if (e.offset < end || e.length < 0 || e.offset + e.length > textLength) {
      throw new Error(`edit at ${e.offset}+${e.length} overlaps another or lies outside the text`);
    }
    end = e.offset + e.length;
  }
  return sorted;
}

export function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = "";
  let pos = 0;
  for (const e of sortEdits(edits, text.length)) {
    out += text.slice(pos, e.offset) + e.content;
    pos = e.offset + e.length;
  }
  return out + text.slice(pos);
}
