// Ends the run with plain lines that any CI can read, counted exactly as vitest's own summary counts
// (test/summary-reporter.test.ts checks that against vitest's "Test Files" and "Tests" lines):
//   test files: N passed, N failed, N skipped      (a file that fails to load is a failed file)
//   tests: N passed, N failed, N skipped           (then ", N todo", ", N expected fail" when there are any)
// When the corpus is absent, one line before them says which suites were skipped and how to run them.
import type { Reporter, SerializedError, TestModule } from "vitest/node";
import { corpusMissingLine } from "./helpers/corpus";

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  todo: number;
  expectedFail: number;
}

/** Vitest's rules: a passing `it.fails` is an "expected fail", not a pass; todo is not skipped. */
export function countTests(modules: ReadonlyArray<TestModule>): Counts {
  const count: Counts = { passed: 0, failed: 0, skipped: 0, todo: 0, expectedFail: 0 };
  for (const m of modules) {
    for (const t of m.children.allTests()) {
      const { state } = t.result();
      if (t.options.mode === "todo") count.todo++;
      else if (state === "passed" && t.options.fails) count.expectedFail++;
      else if (state === "passed") count.passed++;
      else if (state === "failed") count.failed++;
      else if (state === "skipped") count.skipped++;
    }
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

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const files = countFiles(modules);
    const tests = countTests(modules);
    const extra = [tests.todo ? `, ${tests.todo} todo` : "", tests.expectedFail ? `, ${tests.expectedFail} expected fail` : ""].join("");
    const errors = unhandledErrors.length ? `, ${unhandledErrors.length} unhandled error${unhandledErrors.length > 1 ? "s" : ""}` : "";
    const lines = [
      "",
      ...(corpusMissingLine ? [corpusMissingLine] : []),
      `test files: ${files.passed} passed, ${files.failed} failed, ${files.skipped} skipped${errors}`,
      `tests: ${tests.passed} passed, ${tests.failed} failed, ${tests.skipped} skipped${extra}`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  }
}
