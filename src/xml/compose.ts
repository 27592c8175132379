/**
 * Two changes in a row as one: `second` was computed on the text `first` produced, the result applies to
 * the original text. So two engines (the server, the repositories) each plan against the text they see,
 * and the file is still written through one set of edits that copies every other byte.
 */
import { applyEdits, sortEdits, type Edit } from "./edit";

interface Interval {
  from: number;
  to: number;
  /** An edit of `first`: where its content lies in the intermediate text. */
  first?: Edit;
  /** An edit of `second`, on the intermediate text. */
  second?: Edit;
}

/**
 * Edits on `text` equal to applying `first` to it, then `second` to the result. Edits of `second` that
 * touch what `first` wrote, or meet it at the same place, are merged with it into one edit, so that two
 * insertions at one offset keep their order.
 */
export function composeEdits(text: string, first: readonly Edit[], second: readonly Edit[]): Edit[] {
  const a = sortEdits(first, text.length);
  if (second.length === 0) return a;
  const middle = applyEdits(text, a);
  const intervals: Interval[] = [];
  let shift = 0;
  for (const e of a) {
    intervals.push({ from: e.offset + shift, to: e.offset + shift + e.content.length, first: e });
    shift += e.content.length - e.length;
  }
  for (const e of sortEdits(second, middle.length)) intervals.push({ from: e.offset, to: e.offset + e.length, second: e });
  // By position; at one position `first`'s content comes first (sort is stable: `second` keeps its order).
  intervals.sort((x, y) => x.from - y.from || Number(x.first === undefined) - Number(y.first === undefined));

  /** The original offset of an intermediate one that lies outside every content of `first`. */
  const original = (pos: number): number => {
    let delta = 0;
    for (const i of intervals) {
      if (i.first && i.to <= pos) delta = i.to - (i.first.offset + i.first.length);
    }
    return pos - delta;
  };

  const result: Edit[] = [];
  for (let i = 0; i < intervals.length; ) {
    const from = intervals[i]!.from;
    let to = intervals[i]!.to;
    let j = i + 1;
    while (j < intervals.length && intervals[j]!.from <= to) to = Math.max(to, intervals[j++]!.to);
    const group = intervals.slice(i, j);
    i = j;
    const firsts = group.filter((g) => g.first);
    if (firsts.length === group.length && firsts.length === 1) {
      result.push(firsts[0]!.first!);
      continue;
    }
    const head = firsts[0];
    const tail = firsts[firsts.length - 1];
    const start = head && head.from === from ? head.first!.offset : original(from);
    const end = tail && tail.to === to ? tail.first!.offset + tail.first!.length : original(to);
    const within = group.flatMap((g) => (g.second ? [{ ...g.second, offset: g.second.offset - from }] : []));
    result.push({ offset: start, length: end - start, content: applyEdits(middle.slice(from, to), within) });
  }
  return result;
}
