/**
 * The env file: --env-file PATH, else ./.env when it exists, never with --no-env-file. Its variables go
 * under the environment's: a variable already set is never overridden. ./.env comes with the project: it
 * gives only what src/io/trust.ts lets a project give.
 */
import { join } from "node:path";
import { isUtf8 } from "node:buffer";
import { Exit, M2Error } from "../errors";
import type { Fs } from "../world";
import { projectEnv } from "./trust";
import { CLIENT_ID_ENV, CLIENT_SECRET_ENV } from "../domain";

export interface Environment {
  env: Record<string, string | undefined>;
  /** The env file that was read, if any. */
  file: string | undefined;
  /** The variables the file supplied (those the environment did not already set), in the file's order. */
  supplied: string[];
  /** Values the file's syntax cut short, by name and line; never a value. */
  warnings: string[];
}

export async function loadEnvironment(fs: Fs, env: Record<string, string | undefined>, option: string | false | undefined, cwd: string): Promise<Environment> {
  const none = { env, file: undefined, supplied: [], warnings: [] };
  if (option === false) return none;
  const path = option ?? join(cwd, ".env");
  // ./.env is read unasked: a FIFO or device there would block the run or be drained. A file named with
  // --env-file may be a pipe on purpose (--env-file <(vault read ...)).
  if (option === undefined) {
    const stat = fs.statSync(path, { throwIfNoEntry: false });
    if (stat === undefined) return none;
    if (!stat.isFile()) {
      throw new M2Error(Exit.usage, `${path} is not a regular file, so it is not read as an env file`, { hint: "Pass --no-env-file to ignore it, or --env-file PATH to read it anyway." });
    }
  }
  let content: string;
  try {
    const bytes = fs.readFileSync(path) as Uint8Array;
    // dotenv reads UTF-8 text; a UTF-16 file (as some editors save it) would silently give nothing.
    if (bytes.includes(0) || !isUtf8(bytes)) {
      throw new M2Error(Exit.usage, `the env file ${path} is not UTF-8 text${bytes[0] === 0xff || bytes[0] === 0xfe ? " (it looks like UTF-16)" : ""}`, {
        hint: "Save it as UTF-8.",
      });
    }
    content = Buffer.from(bytes).toString("utf8").replace(/^\uFEFF/, "");
  } catch (e) {
    if (e instanceof M2Error) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (option === undefined && code === "ENOENT") return none;
    throw new M2Error(Exit.usage, `could not read the env file ${path}: ${code === "ENOENT" ? "it does not exist" : (code ?? String(e))}`, {
      hint: option === undefined ? "Pass --no-env-file to ignore ./.env." : undefined,
    });
  }
  const { parse } = await import("dotenv");
  const parsed = parse(content);
  const unset = Object.keys(parsed).filter((name) => env[name] === undefined);
  // ./.env comes with the project, not from the user; --env-file names a file the user trusts.
  const { taken: supplied, ignored } = option === undefined ? projectEnv(unset, parsed) : { taken: unset, ignored: [] };
  const merged = { ...env };
  for (const name of supplied) merged[name] = parsed[name];
  const warnings = cutAtHash(content, new Set(supplied), path);
  if (ignored.length > 0) {
    warnings.push(`ignored ${ignored.join(", ")} from ${path}: from a project's .env only the credentials (and a region's ANYPOINT_HOST) are read, as a project does not choose where credentials are sent; pass --env-file ${path} to use it`);
  }
  return { env: merged, file: path, supplied, warnings };
}

/**
 * dotenv ends an unquoted value at the first `#` (`SECRET=abc#def` is "abc"). A `#` right after the `=` or inside
 * the value is most likely part of a secret. One after a space reads as the comment it looks like, except on the
 * credentials' lines: a cut client ID or secret is checked (exit 3) or, with --no-verify, written without a
 * word, so it is said there too, neutrally (a credential holds no space, but the user knows best).
 */
function cutAtHash(content: string, names: Set<string>, path: string): string[] {
  const last = new Map<string, { line: number; comment: boolean }>();
  content.split(/\r\n?|\n/).forEach((line, i) => {
    const m = /^\s*(?:export\s+)?([\w.-]+)\s*=\s*(.*)$/.exec(line);
    if (!m || !names.has(m[1]!)) return;
    const value = m[2]!;
    const hash = value.indexOf("#");
    const quoted = /^['"`]/.test(value);
    const comment = hash > 0 && /\s/.test(value[hash - 1]!);
    if (!quoted && hash !== -1 && (!comment || CREDENTIALS.has(m[1]!))) last.set(m[1]!, { line: i + 1, comment });
    else last.delete(m[1]!);
  });
  return [...last].map(([name, { line, comment }]) =>
    comment
      ? `${name} in ${path} (line ${line}) is read up to " #": dotenv takes the rest of the line as a comment; if the "#" and what follows belong to the value, put it in quotes (${name}="…")`
      : `${name} in ${path} (line ${line}) ends at "#": dotenv reads the rest of the line as a comment; put the value in quotes (${name}="…") to keep the "#"`,
  );
}

/** The variables the credentials are read from: a value cut there is used (or written) as cut. */
const CREDENTIALS = new Set([CLIENT_ID_ENV, CLIENT_SECRET_ENV]);
