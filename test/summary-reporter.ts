// Ends the run with plain lines that any CI can read, counted exactly as vitest's own summary counts
// (test/suite.test.ts checks that against vitest's "Test Files" and "Tests" lines):
//   test files: N passed, N failed, N skipped      (a file that fails to load is a failed file)
//   tests: N passed, N failed, N skipped           (then ", N todo", ", N expected fail" when there are any)
// Before them, one line for the corpus and one for each program (test/helpers/tools.ts) that is missing,
// saying how many tests did not run for want of it and how to get it, then the total of those; and one line
// naming the legs of the Maven matrix (test/helpers/mavens.ts) that did not run. With
// ANYPOINT_M2_REQUIRE_ALL=1 (CI) a skipped test fails the run.
import type { Reporter, SerializedError, TestCase, TestModule } from "vitest/node";
import { CORPUS_TESTS, corpusMissingLine, hasCorpus } from "./helpers/corpus";
import { missingParts, missingTools, REQUIRE_ALL_VARIABLE, requireAll } from "./helpers/tools";
import { matrixMissingLine } from "./helpers/mavens";

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  todo: number;
  expectedFail: number;
}

const allTests = (modules: ReadonlyArray<TestModule>): TestCase[] => modules.flatMap((m) => [...m.children.allTests()]);

/** Vitest's rules: a passing `it.fails` is an "expected fail", not a pass; todo is not skipped. */
export function countTests(modules: ReadonlyArray<TestModule>): Counts {
  const count: Counts = { passed: 0, failed: 0, skipped: 0, todo: 0, expectedFail: 0 };
  for (const t of allTests(modules)) {
    const { state } = t.result();
    if (t.options.mode === "todo") count.todo++;
    else if (state === "passed" && t.options.fails) count.expectedFail++;
    else if (state === "passed") count.passed++;
    else if (state === "failed") count.failed++;
    else if (state === "skipped") count.skipped++;
  }
  return count;
}

export function countFiles(modules: ReadonlyArray<TestModule>): Pick<Counts, "passed" | "failed" | "skipped"> {
  const count = { passed: 0, failed: 0, skipped: 0 };
  for (const m of modules) {
    const state = m.state();
    if (state === "passed" || state === "failed" || state === "skipped") count[state]++;
  }
  return count;
}

/**
 * What did not run for want of the corpus or a program: a line for each that some test needs, then the total
 * (a test that wants two of them counts once in it), or none when nothing is missing. `failed`: a line saying what is wrong
 * with the run itself (the corpus's count out of date).
 */
export function notRunLines(modules: ReadonlyArray<TestModule>): { lines: string[]; failed?: string } {
  const tests = allTests(modules);
  const skippedFor = (tag: string) => tests.filter((t) => t.tags.includes(tag) && t.result().state === "skipped");
  const lines: string[] = [];
  const notRun = new Set<TestCase>();
  let failed: string | undefined;
  if (corpusMissingLine) lines.push(corpusMissingLine);
  else if (requireAll()) {
    // Only a whole run (CI's) holds every corpus test.
    const tagged = tests.filter((t) => t.tags.includes("corpus")).length;
    if (tagged !== CORPUS_TESTS) failed = `corpus: ${tagged} tests are tagged corpus, but CORPUS_TESTS in test/helpers/corpus.ts says ${CORPUS_TESTS}: set it to ${tagged}`;
  }
  for (const tool of missingTools()) {
    const skipped = skippedFor(tool.tag).filter((t) => hasCorpus || !t.tags.includes("corpus"));
    if (skipped.length === 0) continue;
    for (const t of skipped) notRun.add(t);
    lines.push(`${tool.tag}: ${missingParts(tool).join(", ")} not found, so ${skipped.length} tests did not run; to run them: ${tool.install}`);
  }
  if (lines.length > 0) lines.push(`not run: ${notRun.size + (hasCorpus ? 0 : CORPUS_TESTS)} tests, for want of the corpus or a program`);
  const matrix = missingTools().some((t) => t.tag === "maven") ? undefined : matrixMissingLine();
  if (matrix) lines.push(matrix);
  return { lines, failed };
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const files = countFiles(modules);
    const tests = countTests(modules);
    const extra = [tests.todo ? `, ${tests.todo} todo` : "", tests.expectedFail ? `, ${tests.expectedFail} expected fail` : ""].join("");
    const errors = unhandledErrors.length ? `, ${unhandledErrors.length} unhandled error${unhandledErrors.length > 1 ? "s" : ""}` : "";
    const notRun = notRunLines(modules);
    const refused = requireAll() && tests.skipped > 0 ? `skipped: ${tests.skipped} tests, and ${REQUIRE_ALL_VARIABLE}=1 allows none` : undefined;
    const lines = [
      "",
      ...notRun.lines,
      ...(notRun.failed ? [notRun.failed] : []),
      ...(refused ? [refused] : []),
      `test files: ${files.passed} passed, ${files.failed} failed, ${files.skipped} skipped${errors}`,
      `tests: ${tests.passed} passed, ${tests.failed} failed, ${tests.skipped} skipped${extra}`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
    if (notRun.failed || refused) process.exitCode = 1;
  }
}
