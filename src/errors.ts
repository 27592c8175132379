/** Exit codes: the contract with scripts. Documented in README and `--help`. */
export const Exit = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  rejected: 3,
  unreachable: 4,
  unsafe: 5,
  writeFailed: 6,
  /** doctor found at least one error. */
  problems: 7,
  /** rotate could not compare a copy (it may still hold the old secret); what it could change was written. */
  unchecked: 8,
  /** verify --exchange: Exchange's Maven facade did not accept the credentials (or could not be asked). */
  exchange: 9,
  /** exec: the command could not be run (not executable), as a shell says it. */
  cannotExecute: 126,
  /** exec: the command was not found, as a shell says it. */
  commandNotFound: 127,
  cancelled: 130,
} as const;

export type ExitCode = (typeof Exit)[keyof typeof Exit];

export interface ErrorDetails {
  /** What the user can do about it. */
  hint?: string;
  /** The file the error is about. */
  file?: string;
  /** 1-based position in that file. */
  line?: number;
  column?: number;
}

const BRAND = Symbol.for("anypoint-m2.M2Error");

/** The one error type of anypoint-m2: a message for people and an exit code for scripts. */
export class M2Error extends Error {
  readonly [BRAND] = true;

  constructor(
    readonly exitCode: ExitCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = "M2Error";
  }

  /** `instanceof` by brand: each lazy bundle (yargs, network, prompts, previews) has its own copy of this class; build.mjs says why. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as { [BRAND]?: boolean })[BRAND] === true;
  }

  /** The same error, told about the file it concerns. */
  inFile(file: string): M2Error {
    return new M2Error(this.exitCode, this.message, { ...this.details, file });
  }
}

/**
 * 1-based line and column of a UTF-16 offset; CRLF, LF and lone CR each end a line. A first call scans up to
 * the offset; a second call about the same text indexes its line starts once, so that a report naming the line
 * of each of 20,000 repositories or servers stays linear in the file.
 */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  if (text !== indexed.text) {
    indexed = { text, starts: undefined };
    return scanLines(text, offset);
  }
  const starts = (indexed.starts ??= lineStarts(text));
  let lo = 0;
  let hi = starts.length - 1;
  const at = Math.min(Math.max(offset, 0), text.length);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

/** The text last asked about, and its line starts once asked twice. */
let indexed: { text: string | undefined; starts: number[] | undefined } = { text: undefined, starts: undefined };

/**
 * The offsets of the characters that end a line, in order, up to `offset`: LF, and CR not followed by LF.
 * Found with indexOf (the engine's own search), not a loop over every character: a 5 MB file is scanned in a
 * few milliseconds even before the loop would be optimised.
 */
function* lineEnds(text: string, offset: number): Generator<number> {
  let nl = text.indexOf("\n");
  let cr = text.indexOf("\r");
  while (nl !== -1 || cr !== -1) {
    const isCr = cr !== -1 && (nl === -1 || cr < nl);
    const i = isCr ? cr : nl;
    if (i >= offset) return;
    if (isCr) cr = text.indexOf("\r", cr + 1);
    else nl = text.indexOf("\n", nl + 1);
    // CR LF ends its line at the LF.
    if (!isCr || text.charCodeAt(i + 1) !== 10) yield i;
  }
}

function scanLines(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (const i of lineEnds(text, Math.min(offset, text.length))) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (const i of lineEnds(text, text.length)) starts.push(i + 1);
  return starts;
}

/** An error about a place in a settings file: exit 5, nothing written. */
export function unsafeAt(text: string, offset: number, message: string, hint?: string): M2Error {
  return new M2Error(Exit.unsafe, message, { ...lineColumn(text, offset), hint });
}
