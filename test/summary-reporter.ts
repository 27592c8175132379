// Ends the run with one plain line, "tests: N passed, N failed, N skipped", that any CI can read.
import type { Reporter, TestModule } from "vitest/node";

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const count = { passed: 0, failed: 0, skipped: 0, pending: 0 };
    for (const m of modules) for (const t of m.children.allTests()) count[t.result().state]++;
    const failedModules = modules.filter((m) => m.state() === "failed" && !m.children.size).length;
    process.stdout.write(`\ntests: ${count.passed} passed, ${count.failed + failedModules} failed, ${count.skipped + count.pending} skipped\n`);
  }
}
