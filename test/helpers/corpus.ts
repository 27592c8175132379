// The only place that knows where the shared corpus is. The corpus (real public settings files, poms) is
// an external conformance suite, not part of the project: its folder is ANYPOINT_M2_CORPUS, else
// ../shared/corpus beside the clone when that exists. Without either, the tests that need it (tagged
// `corpus`) are skipped or, made one per corpus file, not made at all: the summary reporter prints
// `corpusMissingLine`, which says how many tests that is; everything else runs on the project's fixtures.
// A location that is given (or present) but does not hold the corpus is an error, never a silent skip.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { TestRunner } from "vitest";

export const CORPUS_VARIABLE = "ANYPOINT_M2_CORPUS";
/** Where the corpus is when it lies beside a clone at `clone` (as CI lays it out). */
export const corpusBeside = (clone: string): string => resolve(clone, "..", "shared", "corpus");
const beside = corpusBeside(resolve(import.meta.dirname, "..", ".."));

function locate(): string | undefined {
  const given = process.env[CORPUS_VARIABLE];
  const root = given ? resolve(given) : existsSync(beside) ? beside : undefined;
  if (root === undefined) return undefined;
  const from = given ? `${CORPUS_VARIABLE}=${given}` : root;
  const real = join(root, "real");
  if (!existsSync(real) || !statSync(real).isDirectory() || !readdirSync(real).some((f) => f.endsWith(".xml"))) {
    throw new Error(`corpus at ${from}: no real/*.xml there. ${CORPUS_VARIABLE} names the corpus folder itself, the one that holds real/ and poms/.`);
  }
  return root;
}

/** The corpus folder (holding real/ and poms/), or undefined when there is none. */
export const corpusRoot = locate();
export const hasCorpus = corpusRoot !== undefined;
const realDir = corpusRoot && join(corpusRoot, "real");

const SKIP_NOTE = `needs the corpus: set ${CORPUS_VARIABLE}`;

/**
 * How many tests the corpus brings: those tagged `corpus` in a run with it. Without the corpus most of them
 * are not even made (they are one per file), so the count is kept here; a run with the corpus checks it.
 */
export const CORPUS_TESTS = 470;

/** The one line the run prints when the corpus is absent: how many tests did not run and how to run them. */
export const corpusMissingLine = hasCorpus
  ? undefined
  : `corpus: not found, so ${CORPUS_TESTS} tests did not run; to run them: ${CORPUS_VARIABLE}=/path/to/corpus npm test (the folder holding real/*.xml), or put it at ${beside}`;

export interface CorpusFile {
  name: string;
  path: string;
  bytes: Buffer;
  /** Files 56-60 are malformed upstream (SOURCES.md). */
  malformed: boolean;
}

/** Every real/*.xml file, sorted by name; none when the corpus is absent. */
export function corpus(): CorpusFile[] {
  if (!realDir) return [];
  return readdirSync(realDir)
    .filter((f) => f.endsWith(".xml"))
    .sort()
    .map((name) => ({ name, path: join(realDir, name), bytes: readFileSync(join(realDir, name)), malformed: Number.parseInt(name, 10) >= 56 }));
}

/**
 * The bytes of one named corpus file, for a test that runs on it. Without the corpus, the running test is
 * reported as skipped (its note says how to run it) instead of failing.
 */
export function corpusFile(name: string): Buffer {
  if (!realDir) {
    const test = TestRunner.getCurrentTest();
    if (!test) throw new Error(`${name}: ${corpusMissingLine}`);
    test.context.skip(`${SKIP_NOTE} (${name})`);
  }
  return readFileSync(join(realDir!, name));
}

/** real/SOURCES.md, which lists the corpus's traits and the upstream parser error of each malformed file. */
export function corpusSources(): string {
  if (!realDir) throw new Error(corpusMissingLine);
  return readFileSync(join(realDir, "SOURCES.md"), "utf8");
}
