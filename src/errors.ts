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

/** 1-based line and column of a UTF-16 offset; CRLF, LF and lone CR each end a line. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** An error about a place in a settings file: exit 5, nothing written. */
export function unsafeAt(text: string, offset: number, message: string, hint?: string): M2Error {
  return new M2Error(Exit.unsafe, message, { ...lineColumn(text, offset), hint });
}
