/**
 * Previews of a change: a unified diff (computed by jsdiff) that `patch` and `git apply` accept, in which
 * every credential is masked (src/settings/mask.ts: passwords, tokens, keys, header values): the client ID
 * of a connected app stays readable, the secret never shows, in removed, added or context lines.
 */
import { isAbsolute, relative } from "node:path";
import { FILE_HEADERS_ONLY, formatPatch, structuredPatch, type StructuredPatchHunk } from "diff";
import { maskSecrets } from "../settings/mask";
import { sortEdits, type Edit } from "../xml/edit";

export interface DiffStyle {
  color: boolean;
  /** The current folder: a file inside it is named relative to it, so that `patch -p0` finds it. */
  cwd?: string;
}

/** The file's name in the patch: relative to `cwd` when inside it (patch refuses absolute names), else as given. */
export function patchName(path: string, cwd: string | undefined): string {
  if (cwd === undefined) return path;
  const name = relative(cwd, path);
  return name === "" || name.startsWith("..") || isAbsolute(name) ? path : name;
}

/** Lines as jsdiff cuts them: each with its line feed (and the CR before it), the last one maybe without. */
const linesOf = (text: string): string[] => (text === "" ? [] : text.split(/(?<=\n)/));

/**
 * A hunk of the diff of the real texts, its lines taken from the masked texts (which have the same lines).
 * A context line that masks differently on the two sides (it moved into or out of a password) is shown as
 * removed and added, so neither side's secret is ever printed as the other's mask.
 */
function maskHunk(hunk: StructuredPatchHunk, before: string[], after: string[]): StructuredPatchHunk {
  const lines: string[] = [];
  const push = (sign: string, line: string | undefined): void => {
    if (line === undefined) throw new Error("preview: the masked text lost a line");
    lines.push(sign + line.replace(/\n$/, ""));
    if (!line.endsWith("\n")) lines.push("\\ No newline at end of file");
  };
  let o = hunk.oldStart - 1;
  let n = hunk.newStart - 1;
  for (const line of hunk.lines) {
    if (line.startsWith("-")) push("-", before[o++]);
    else if (line.startsWith("+")) push("+", after[n++]);
    else if (line.startsWith(" ")) {
      const [a, b] = [before[o++], after[n++]];
      if (a === b) push(" ", a);
      else {
        push("-", a);
        push("+", b);
      }
    }
  }
  return { ...hunk, lines };
}

const CONTEXT = 3;

/** The 0-based line that holds each offset, from the line starts (binary search). */
function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The start offset of each line of a text, and of the end after a final line feed (where an insertion adds lines). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * The hunks of `before` -> `after` when the edits between them are known: each edit replaces the lines it
 * touches (lines both sides share at either end are kept as context), so that thousands of edits across a large
 * file (setup --from-pom updating a server per repository) cost their own size, where jsdiff's Myers diff of the
 * whole is O(lines x changes). Hunks are cut as jsdiff cuts them: changes at most two contexts apart share one.
 */
function hunksOfEdits(before: string, after: string, edits: readonly Edit[]): StructuredPatchHunk[] {
  const [oldLines, newLines] = [linesOf(before), linesOf(after)];
  const [oldStarts, newStarts] = [lineStarts(before), lineStarts(after)];
  // Changed blocks: old lines [o, oe) become new lines [n, ne).
  const blocks: { o: number; oe: number; n: number; ne: number }[] = [];
  let shift = 0;
  for (const e of sortEdits(edits, before.length)) {
    const block = {
      o: lineAt(oldStarts, e.offset),
      oe: Math.min(lineAt(oldStarts, e.offset + e.length) + 1, oldLines.length),
      n: lineAt(newStarts, e.offset + shift),
      ne: Math.min(lineAt(newStarts, e.offset + shift + e.content.length) + 1, newLines.length),
    };
    shift += e.content.length - e.length;
    const previous = blocks.at(-1);
    if (previous && block.o <= previous.oe) {
      previous.oe = Math.max(previous.oe, block.oe);
      previous.ne = Math.max(previous.ne, block.ne);
    } else blocks.push(block);
  }
  // Lines a block keeps at its start or end are context, not change.
  const changes = blocks.flatMap((b) => {
    while (b.o < b.oe && b.n < b.ne && oldLines[b.o] === newLines[b.n]) (b.o++, b.n++);
    while (b.oe > b.o && b.ne > b.n && oldLines[b.oe - 1] === newLines[b.ne - 1]) (b.oe--, b.ne--);
    return b.o < b.oe || b.n < b.ne ? [b] : [];
  });
  const hunks: StructuredPatchHunk[] = [];
  for (let i = 0; i < changes.length; ) {
    const start = changes[i]!;
    const o = Math.max(0, start.o - CONTEXT);
    const n = start.n - (start.o - o);
    const lines: string[] = Array.from({ length: start.o - o }, () => " ");
    let end = start;
    for (;;) {
      lines.push(...Array.from({ length: end.oe - end.o }, () => "-"), ...Array.from({ length: end.ne - end.n }, () => "+"));
      const next = changes[++i];
      if (!next || next.o - end.oe > 2 * CONTEXT) break;
      lines.push(...Array.from({ length: next.o - end.oe }, () => " "));
      end = next;
    }
    const after = Math.min(CONTEXT, oldLines.length - end.oe);
    lines.push(...Array.from({ length: after }, () => " "));
    const oldCount = end.oe + after - o;
    const newCount = end.ne + after - n;
    hunks.push({ oldStart: o + 1, oldLines: oldCount, newStart: n + 1, newLines: newCount, lines });
  }
  return hunks;
}

/** Colours for a terminal: headers bold, hunk ranges cyan, removed red, added green; CRs dropped. */
function paint(patch: string): string {
  return patch
    .split("\n")
    .map((raw, i) => {
      const line = raw.replace(/\r$/, "");
      const code = i < 2 ? "1" : line.startsWith("@@") ? "36" : line[0] === "+" ? "32" : line[0] === "-" ? "31" : "";
      return code ? `\x1b[${code}m${line}\x1b[0m` : line;
    })
    .join("\n");
}

/**
 * A unified diff of `before` -> `after` for `path`, credentials masked; "" when they are equal. A file that
 * does not exist yet (`before` is "") is `--- /dev/null`. The patch applies to the file as the diff shows
 * it: lines that hold a credential do not match the real file, on purpose. No final line feed.
 */
export function maskedDiff(path: string, before: string, after: string, secrets: readonly string[], { color, cwd }: DiffStyle, edits?: readonly Edit[]): string {
  if (before === after) return "";
  const name = patchName(path, cwd);
  const real = edits && before !== "" ? hunksOfEdits(before, after, edits) : structuredPatch(name, name, before, after, undefined, undefined, { context: 3 }).hunks;
  const [maskedBefore, maskedAfter] = [linesOf(maskSecrets(before, secrets)), linesOf(maskSecrets(after, secrets))];
  const hunks = real.map((hunk) => maskHunk(hunk, maskedBefore, maskedAfter));
  const patch = formatPatch({ oldFileName: before === "" ? "/dev/null" : name, newFileName: name, oldHeader: undefined, newHeader: undefined, hunks }, FILE_HEADERS_ONLY).replace(/\n$/, "");
  return color ? paint(patch) : patch;
}
