// The test suite itself: its closing lines count what vitest counts, the corpus suites are skipped (with
// one line saying how to run them) where there is no corpus, and CI refuses to run without the corpus.
// Each case runs vitest on scratch test files in a temporary project that has no corpus beside it.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { corpusBeside } from "./helpers/corpus";

const repo = join(import.meta.dirname, "..");
const VITEST = join(repo, "node_modules", "vitest", "vitest.mjs");

/** Scratch tests with every outcome vitest counts apart, and two that need the corpus. */
const SCRATCH: Record<string, string> = {
  "outcomes.test.ts": `
import { describe, it } from "vitest";
describe("outcomes", () => {
  it("passes", () => {});
  it("passes too", () => {});
  it.skip("is skipped", () => {});
  it.todo("is to do");
  it("skips itself", (ctx) => ctx.skip());
  it.fails("fails as expected", () => { throw new Error("expected"); });
  describe.skip("a skipped suite", () => { it("one", () => {}); it("two", () => {}); });
});`,
  "failures.test.ts": `
import { expect, it } from "vitest";
it("throws", () => { throw new Error("boom"); });
it("asserts wrongly", () => { expect(1).toBe(2); });
it("passes", () => {});`,
  "does-not-load.test.ts": `throw new Error("cannot load");`,
  "has-no-tests.test.ts": `export {};`,
  "hook-fails.test.ts": `
import { beforeAll, describe, it } from "vitest";
describe("after a failed hook", () => {
  beforeAll(() => { throw new Error("hook"); });
  it("one", () => {});
  it("two", () => {});
});
it("outside", () => {});`,
  "skipped-file.test.ts": `
import { describe, it } from "vitest";
describe.skipIf(true)("all of it", () => { it("one", () => {}); it("two", () => {}); });`,
  "corpus-needed.test.ts": `
import { describe, expect, it } from "vitest";
import { corpus, corpusFile, hasCorpus } from "./helpers/corpus";
it("reads a named corpus file", () => {
  expect(corpusFile("01-a.xml").toString()).toBe("<settings/>");
});
describe.skipIf(!hasCorpus)("the corpus suite", () => {
  it("has the files", () => expect(corpus().map((f) => f.name)).toEqual(["01-a.xml"]));
});`,
};

let project: string;
let fakeCorpus: string;

beforeAll(() => {
  const tmp = mkdtempSync(join(tmpdir(), "anypoint-m2-suite-"));
  project = join(tmp, "project");
  mkdirSync(join(project, "test", "helpers"), { recursive: true });
  symlinkSync(join(repo, "node_modules"), join(project, "node_modules"));
  cpSync(join(repo, "test", "summary-reporter.ts"), join(project, "test", "summary-reporter.ts"));
  cpSync(join(repo, "test", "helpers", "corpus.ts"), join(project, "test", "helpers", "corpus.ts"));
  for (const [name, source] of Object.entries(SCRATCH)) writeFileSync(join(project, "test", name), source);
  mkdirSync(join(project, ".ci"));
  cpSync(join(repo, ".ci", "run"), join(project, ".ci", "run"));
  fakeCorpus = join(tmp, "elsewhere", "corpus");
  mkdirSync(join(fakeCorpus, "real"), { recursive: true });
  writeFileSync(join(fakeCorpus, "real", "01-a.xml"), "<settings/>");
});

/** Runs vitest in the scratch project with only the environment given (plus PATH), colours off. */
function vitest(env: Record<string, string> = {}): { code: number | null; stdout: string; out: string } {
  const r = spawnSync(process.execPath, [VITEST, "run", "--reporter=default", "--reporter=./test/summary-reporter.ts"], {
    cwd: project,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NO_COLOR: "1", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, out: r.stdout + r.stderr };
}

/** "4 failed | 1 passed (6)" or "1 passed, 4 failed": the counts by outcome. */
function counts(list: string): Record<string, number> {
  return Object.fromEntries([...list.replace(/\(\d+\)$/, "").matchAll(/(\d+) ([a-z ]+?)\s*(?:[|,]|$)/g)].map((m) => [m[2]!, Number(m[1])]));
}
const line = (out: string, re: RegExp) => {
  const m = re.exec(out);
  expect(m, `no line ${re} in:\n${out}`).not.toBeNull();
  return counts(m![1]!.trim());
};

/** The run without a corpus, which two tests read. */
let plain: ReturnType<typeof vitest> | undefined;
const plainRun = () => (plain ??= vitest());

describe("the summary reporter", () => {
  it("counts files and tests exactly as vitest does, a file that fails to load and skipped suites included", () => {
    const { code, out, stdout } = plainRun();
    expect(code).toBe(1);
    const vitestFiles = line(out, /^ Test Files {2}(.+)$/m);
    const vitestTests = line(out, /^ {6}Tests {2}(.+)$/m);
    // The scratch files hold each kind of outcome, so the comparison below covers all of them.
    expect(vitestFiles).toEqual({ failed: 4, passed: 2, skipped: 1 });
    expect(vitestTests).toEqual({ failed: 2, passed: 4, "expected fail": 1, skipped: 10, todo: 1 });
    expect(line(out, /^tests: (.+)$/m)).toEqual(vitestTests);
    expect(line(out, /^test files: (.+)$/m)).toEqual(vitestFiles);
    // The two lines close the run.
    expect(stdout.trimEnd().split("\n").slice(-2).map((l) => l.split(":")[0])).toEqual(["test files", "tests"]);
  });
});

describe("the corpus location", () => {
  it("without a corpus: its tests are skipped and one line says how to run them", () => {
    const { out } = plainRun();
    expect(out.match(/^corpus: not found/gm)).toHaveLength(1);
    expect(out).toContain("ANYPOINT_M2_CORPUS=/path/to/corpus npm test");
    expect(out).toMatch(/corpus-needed\.test\.ts \(2 tests \| 2 skipped\)/);
  });

  it("with ANYPOINT_M2_CORPUS: the corpus tests run", () => {
    const { out } = vitest({ ANYPOINT_M2_CORPUS: fakeCorpus });
    expect(out).not.toContain("corpus: not found");
    expect(out).toMatch(/corpus-needed\.test\.ts \(2 tests\)/);
  });

  it("a given location without the corpus stops the run, naming it", () => {
    const { code, out } = vitest({ ANYPOINT_M2_CORPUS: join(fakeCorpus, "real") });
    expect(code).toBe(1);
    expect(out).toContain(`corpus at ANYPOINT_M2_CORPUS=${join(fakeCorpus, "real")}: no real/*.xml there`);
    expect(out).not.toMatch(/^tests: /m);
  });

  it(".ci/run fails before installing anything when the corpus is not beside the clone", () => {
    const r = spawnSync(join(project, ".ci", "run"), [], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`CI needs the shared corpus: no real/*.xml in ${corpusBeside(project)}`);
    expect(r.stdout).not.toContain("installing");
  });
});
