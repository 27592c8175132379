/**
 * The world handle: what a command may touch of the outside world (environment, files, terminal). Tests and
 * the real binary (src/bin.ts) each supply one. On the ground floor, so that every layer may take it.
 */
import type * as nodeFs from "node:fs";

/** The synchronous file calls anypoint-m2 makes: node:fs, or memfs in tests. */
export type Fs = Pick<
  typeof nodeFs,
  | "readFileSync" | "openSync" | "readSync" | "writeSync" | "fsyncSync" | "closeSync" | "fstatSync" | "fchmodSync" | "fchownSync"
  | "chmodSync" | "renameSync" | "linkSync" | "lstatSync" | "statSync" | "readlinkSync" | "mkdirSync" | "unlinkSync" | "readdirSync"
>;


export interface Io {
  env: Record<string, string | undefined>;
  /** The account's home directory (the password database, as Java reads it for user.home); $HOME is env.HOME. */
  home: string;
  cwd: string;
  fs: Fs;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Raw bytes on stdout (--stdout prints a settings file in its own encoding). */
  writeStdout(bytes: Uint8Array): void;
  /** All of stdin, as bytes; undefined when it holds more than `maxBytes`. */
  readStdin(maxBytes: number): Promise<Uint8Array | undefined>;
  /** stdin and stdout are both terminals. */
  terminal: boolean;
  /** stdin is a terminal (what is typed there shows). */
  stdinTerminal: boolean;
  /** The regular file stdout is redirected to, if any. */
  stdoutFile(): { dev: number; ino: number } | undefined;
  /** Colours on stdout: a terminal, and no NO_COLOR. */
  color: boolean;
  /** --verbose or DEBUG: diagnostics on stderr. */
  verbose?: boolean;
  /** Set by a command that finishes with a non-zero code without an error. */
  exitCode?: number;
}
