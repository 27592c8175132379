import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const corpusDir = join(import.meta.dirname, "..", "..", "..", "shared", "corpus", "real");

export interface CorpusFile {
  name: string;
  path: string;
  bytes: Buffer;
  /** Files 56-60 are malformed upstream (SOURCES.md). */
  malformed: boolean;
}

export function corpus(): CorpusFile[] {
  return readdirSync(corpusDir)
    .filter((f) => f.endsWith(".xml"))
    .sort()
    .map((name) => ({ name, path: join(corpusDir, name), bytes: readFileSync(join(corpusDir, name)), malformed: Number.parseInt(name, 10) >= 56 }));
}
