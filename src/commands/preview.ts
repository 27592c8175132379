/**
 * Previews of a change: a unified diff (computed by jsdiff) in which every password is masked: the
 * client ID of a connected app stays readable, the secret never shows, in removed, added or context lines.
 */
import { structuredPatch } from "diff";

const MASK = "********";

/** Values that are only `${env.X}` references hide nothing and are shown as they are. */
const onlyReferences = /^(\$\{[^}]+\})(~\?~\$\{[^}]+\})?$/;

function maskValue(value: string): string {
  if (value === "" || onlyReferences.test(value)) return value;
  const at = value.indexOf("~?~");
  return at > 0 ? `${value.slice(0, at)}~?~${MASK}` : MASK;
}

/** Masks the text of <password> and <passphrase> on a line, and any of `secrets` anywhere. */
function maskLine(line: string, secrets: readonly string[]): string {
  let out = line
    .replace(/(<(password|passphrase)\b[^>]*>)<!\[CDATA\[([\s\S]*?)(\]\]>|$)/g, (_, open: string, __, value: string, close: string) => `${open}<![CDATA[${maskValue(value)}${close}`)
    .replace(/(<(password|passphrase)\b[^>]*>)([^<]+)/g, (_, open: string, __, value: string) => `${open}${maskValue(value)}`);
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join(MASK);
  return out;
}

export interface DiffStyle {
  color: boolean;
  newFile?: boolean;
}

/** A unified diff of `before` -> `after` for `path`, secrets masked; "" when they are equal. */
export function maskedDiff(path: string, before: string, after: string, secrets: readonly string[], { color }: DiffStyle): string {
  if (before === after) return "";
  const patch = structuredPatch(path, path, before, after, "", "", { context: 3 });
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines = [paint("1", `--- ${path}`), paint("1", `+++ ${path}`)];
  for (const hunk of patch.hunks) {
    lines.push(paint("36", `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`));
    for (const line of hunk.lines) {
      const text = line.startsWith("\\") ? line : line[0] + maskLine(line.slice(1).replace(/\r$/, ""), secrets);
      lines.push(line[0] === "+" ? paint("32", text) : line[0] === "-" ? paint("31", text) : text);
    }
  }
  return lines.join("\n");
}
