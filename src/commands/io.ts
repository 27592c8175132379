/** What a command may touch of the outside world; tests and the real binary each supply one. */
import type { Fs } from "../io/files";

export interface Io {
  env: Record<string, string | undefined>;
  home: string;
  cwd: string;
  fs: Fs;
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
  /** Set by a command that finishes with a non-zero code without an error. */
  exitCode?: number;
}
