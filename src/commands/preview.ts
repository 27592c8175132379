/**
 * Previews of a change: a unified diff (computed by jsdiff) that `patch` and `git apply` accept, in which
 * every credential is masked (src/settings/mask.ts: passwords, tokens, keys, header values): the client ID
 * of a connected app stays readable, the secret never shows, in removed, added or context lines.
 */
import { isAbsolute, relative } from "node:path";
import { FILE_HEADERS_ONLY, formatPatch, structuredPatch, type StructuredPatchHunk } from "diff";
import { maskSecrets } from "../settings/mask";

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
export function maskedDiff(path: string, before: string, after: string, secrets: readonly string[], { color, cwd }: DiffStyle): string {
  if (before === after) return "";
  const name = patchName(path, cwd);
  const real = structuredPatch(name, name, before, after, undefined, undefined, { context: 3 });
  const [maskedBefore, maskedAfter] = [linesOf(maskSecrets(before, secrets)), linesOf(maskSecrets(after, secrets))];
  const hunks = real.hunks.map((hunk) => maskHunk(hunk, maskedBefore, maskedAfter));
  const patch = formatPatch({ oldFileName: before === "" ? "/dev/null" : name, newFileName: name, oldHeader: undefined, newHeader: undefined, hunks }, FILE_HEADERS_ONLY).replace(/\n$/, "");
  return color ? paint(patch) : patch;
}
