// The test suite itself: its closing lines count what vitest counts, the corpus suites and those of a
// missing program are skipped (with one line each saying how many tests did not run and how to run them),
// and CI installs the programs, then refuses to run without the corpus or with a test skipped.
// Each case runs vitest on scratch test files in a temporary project that has no corpus beside it.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { corpusBeside, CORPUS_TESTS } from "./helpers/corpus";
import { TOOLS } from "./helpers/tools";

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
  // (Put together: vitest reads that comment anywhere in a file, this one included.)
  "zsh-needed.test.ts": `// @module${"-tag"} zsh
import { describe, it } from "vitest";
it("runs zsh", () => {});
describe("in zsh", () => { it("one", () => {}); it("two", () => {}); });`,
};

/** The scratch project's config: the real one's tags and REQUIRE_ALL check, without the build. */
const CONFIG = `import { defineConfig } from "vitest/config";
import { testTags } from "./test/helpers/tools.ts";
export default defineConfig({ test: { include: ["test/**/*.test.ts"], globalSetup: ["test/require-all.ts"], tags: testTags(), strictTags: true } });
`;

let project: string;
let fakeCorpus: string;
/** ANYPOINT_M2_MAVENS naming stand-ins for the three Maven homes of the matrix. */
let fakeMavens: string;
/** A PATH with node only, and one with node and every tool. */
let bin: string;
let withTools: string;
/** A Maven 4 home (only what test/helpers/mavens.ts looks at), for the runs that have every tool. */
let maven4: string;

beforeAll(() => {
  const tmp = mkdtempSync(join(tmpdir(), "anypoint-m2-suite-"));
  project = join(tmp, "project");
  mkdirSync(join(project, "test", "helpers"), { recursive: true });
  symlinkSync(join(repo, "node_modules"), join(project, "node_modules"));
  cpSync(join(repo, "test", "summary-reporter.ts"), join(project, "test", "summary-reporter.ts"));
  for (const file of ["require-all.ts", "helpers/corpus.ts", "helpers/tools.ts", "helpers/mavens.ts"]) cpSync(join(repo, "test", file), join(project, "test", file));
  // test/helpers/mavens.ts reads a Maven home's version with the tool's own code.
  cpSync(join(repo, "src"), join(project, "src"), { recursive: true });
  writeFileSync(join(project, "vitest.config.ts"), CONFIG);
  writeFileSync(join(project, "package.json"), '{ "type": "module" }');
  // Programs on the PATH: node, and stand-ins for the tools (or not).
  mkdirSync(join(tmp, "bin"));
  symlinkSync(process.execPath, join(tmp, "bin", "node"));
  mkdirSync(join(tmp, "tools"));
  for (const tool of TOOLS) for (const program of tool.programs) writeFileSync(join(tmp, "tools", program), "#!/bin/sh\n", { mode: 0o755 });
  bin = join(tmp, "bin");
  withTools = `${bin}:${join(tmp, "tools")}`;
  maven4 = join(tmp, "apache-maven-4.0.0-rc-4");
  mkdirSync(join(maven4, "lib"), { recursive: true });
  writeFileSync(join(maven4, "lib", "maven-core-4.0.0-rc-4.jar"), "");
  for (const [name, source] of Object.entries(SCRATCH)) writeFileSync(join(project, "test", name), source);
  mkdirSync(join(project, ".ci"));
  cpSync(join(repo, ".ci", "run"), join(project, ".ci", "run"));
  // Maven homes as test/helpers/mavens.ts knows them: a lib/maven-core jar whose name has the version.
  fakeMavens = ["3.9.16", "3.10.0", "4.0.0-rc-4"]
    .map((v) => {
      mkdirSync(join(tmp, "mavens", v, "lib"), { recursive: true });
      writeFileSync(join(tmp, "mavens", v, "lib", `maven-core-${v}.jar`), "");
      return join(tmp, "mavens", v);
    })
    .join(":");
  fakeCorpus = join(tmp, "elsewhere", "corpus");
  mkdirSync(join(fakeCorpus, "real"), { recursive: true });
  writeFileSync(join(fakeCorpus, "real", "01-a.xml"), "<settings/>");
});

/** Runs vitest in the scratch project with only the environment given (PATH: node only, unless given), colours off. */
function vitest(env: Record<string, string> = {}): { code: number | null; stdout: string; out: string } {
  const r = spawnSync(process.execPath, [VITEST, "run", "--reporter=default", "--reporter=./test/summary-reporter.ts"], {
    cwd: project,
    env: { PATH: bin, NO_COLOR: "1", ...(env.PATH === withTools ? { ANYPOINT_M2_MAVENS: maven4 } : {}), ...env },
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
    expect(vitestFiles).toEqual({ failed: 4, passed: 2, skipped: 2 });
    expect(vitestTests).toEqual({ failed: 2, passed: 4, "expected fail": 1, skipped: 13, todo: 1 });
    expect(line(out, /^tests: (.+)$/m)).toEqual(vitestTests);
    expect(line(out, /^test files: (.+)$/m)).toEqual(vitestFiles);
    // The two lines close the run; the last is one CI reads: "word: N passed, N failed, N skipped".
    expect(stdout.trimEnd().split("\n").slice(-2).map((l) => l.split(":")[0])).toEqual(["test files", "tests"]);
    expect(stdout.trimEnd().split("\n").at(-1)).toMatch(/^[a-z]+: \d+ passed, \d+ failed, \d+ skipped/);
  });
});

describe("a missing program", () => {
  it("skips the tests that need it, and one line says how many did not run and how to install it", () => {
    const { out } = plainRun();
    expect(out).toMatch(/zsh-needed\.test\.ts \(3 tests \| 3 skipped\)/);
    expect(out).toContain("\nzsh: zsh not found, so 3 tests did not run; to run them: apt-get install zsh\n");
    // Programs no test of the project needs are not named.
    expect(out).not.toMatch(/^(maven|tmux): /m);
    expect(out).toContain(`\nnot run: ${CORPUS_TESTS + 3} tests, for want of the corpus or a program\n`);
  });

  it("with it on the PATH, they run and nothing is said", () => {
    const { out } = vitest({ PATH: withTools, ANYPOINT_M2_CORPUS: fakeCorpus });
    expect(out).toMatch(/zsh-needed\.test\.ts \(3 tests\)/);
    expect(out).not.toMatch(/^(zsh|not run): /m);
  });
});

describe("ANYPOINT_M2_REQUIRE_ALL=1 (CI)", () => {
  it("a missing program stops the run before any test, naming it and how to install it", () => {
    const { code, out } = vitest({ ANYPOINT_M2_REQUIRE_ALL: "1", ANYPOINT_M2_CORPUS: fakeCorpus });
    expect(code).toBe(1);
    expect(out).toContain("ANYPOINT_M2_REQUIRE_ALL=1, so every test must run, but: java, javac, mvn not found (apt-get install default-jdk-headless maven); tmux not found (apt-get install tmux); zsh not found (apt-get install zsh); openssl not found (apt-get install openssl); java, javac, a Maven 4 home in ANYPOINT_M2_MAVENS not found (unpack apache-maven-4.0.0-rc-N-bin.tar.gz");
    expect(out).toMatch(/^tests: 0 passed, 0 failed, 0 skipped$/m);
  });

  it("a missing corpus stops the run before any test", () => {
    const { code, out } = vitest({ ANYPOINT_M2_REQUIRE_ALL: "1", PATH: withTools });
    expect(code).toBe(1);
    expect(out).toContain("ANYPOINT_M2_REQUIRE_ALL=1, so every test must run, but: corpus: not found");
    expect(out).toMatch(/^tests: 0 passed, 0 failed, 0 skipped$/m);
  });

  it("a skipped test fails the run, and so does a count of corpus tests other than CORPUS_TESTS; a line before the counts says each", () => {
    const { code, stdout } = vitest({ ANYPOINT_M2_REQUIRE_ALL: "1", PATH: withTools, ANYPOINT_M2_CORPUS: fakeCorpus, ANYPOINT_M2_MAVENS: fakeMavens });
    expect(code).toBe(1);
    // The scratch tests tag none.
    expect(stdout).toContain(`\ncorpus: 0 tests are tagged corpus, but CORPUS_TESTS in test/helpers/corpus.ts says ${CORPUS_TESTS}: set it to 0\n`);
    expect(stdout).toMatch(/\nskipped: 8 tests, and ANYPOINT_M2_REQUIRE_ALL=1 allows none\ntest files: /);
  });
});

describe("the Maven matrix (ANYPOINT_M2_MAVENS)", () => {
  it("without it, one line names the legs that did not run and how to run them", () => {
    const { out } = vitest({ PATH: withTools, ANYPOINT_M2_CORPUS: fakeCorpus, ANYPOINT_M2_MAVENS: "" });
    expect(out.match(/^maven matrix: /gm)).toHaveLength(1);
    expect(out).toContain("\nmaven matrix: no Maven 3.9, 3.10, 4.0 in ANYPOINT_M2_MAVENS, so those legs (");
    expect(out).toContain("to run them: ANYPOINT_M2_MAVENS=$(.ci/mavens) npm test\n");
  });

  it("with a home of each line, nothing is said; with one missing, the line names it", () => {
    expect(vitest({ PATH: withTools, ANYPOINT_M2_CORPUS: fakeCorpus, ANYPOINT_M2_MAVENS: fakeMavens }).out).not.toMatch(/^maven matrix: /m);
    const two = fakeMavens.split(":").slice(0, 2).join(":");
    expect(vitest({ PATH: withTools, ANYPOINT_M2_CORPUS: fakeCorpus, ANYPOINT_M2_MAVENS: two }).out).toContain("\nmaven matrix: no Maven 4.0 in ANYPOINT_M2_MAVENS");
  });

  it("ANYPOINT_M2_REQUIRE_ALL=1: a missing leg stops the run before any test, naming it", () => {
    const { code, out } = vitest({ ANYPOINT_M2_REQUIRE_ALL: "1", PATH: withTools, ANYPOINT_M2_CORPUS: fakeCorpus, ANYPOINT_M2_MAVENS: fakeMavens.split(":")[0]! });
    expect(code).toBe(1);
    expect(out).toContain("ANYPOINT_M2_REQUIRE_ALL=1, so every test must run, but: ");
    expect(out).toContain("no Maven 3.10, 4.0 in ANYPOINT_M2_MAVENS");
    expect(out).toMatch(/^tests: 0 passed, 0 failed, 0 skipped$/m);
  });

  it("a folder that is not a Maven home stops the run, naming it", () => {
    const { code, out } = vitest({ PATH: withTools, ANYPOINT_M2_CORPUS: fakeCorpus, ANYPOINT_M2_MAVENS: fakeCorpus });
    expect(code).toBe(1);
    expect(out).toContain(`ANYPOINT_M2_MAVENS: ${fakeCorpus} is not a Maven home`);
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
    const { out } = vitest({ ANYPOINT_M2_CORPUS: fakeCorpus, PATH: withTools });
    expect(out).not.toContain("corpus: not found");
    expect(out).toMatch(/corpus-needed\.test\.ts \(2 tests\)/);
  });

  it("a given location without the corpus stops the run, naming it", () => {
    const { code, out } = vitest({ ANYPOINT_M2_CORPUS: join(fakeCorpus, "real") });
    expect(code).toBe(1);
    expect(out).toContain(`corpus at ANYPOINT_M2_CORPUS=${join(fakeCorpus, "real")}: no real/*.xml there`);
    expect(out).not.toMatch(/^tests: /m);
  });

  it(".ci/run installs the programs, then fails when the corpus is not beside the clone", () => {
    // A PATH with bash and the commands the script uses, and an apt-get that notes what it was asked.
    const path = join(project, "..", "ci-bin");
    mkdirSync(path);
    for (const program of ["bash", "dirname", "env"]) symlinkSync(`/usr/bin/${program}`, join(path, program));
    writeFileSync(join(path, "apt-get"), `#!/bin/sh\necho "$@" >> ${join(path, "apt-get.log")}\n`, { mode: 0o755 });
    const r = spawnSync(join(project, ".ci", "run"), [], { env: { PATH: path }, encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("installing: default-jdk-headless maven xmlstarlet tmux zsh");
    expect(readFileSync(join(path, "apt-get.log"), "utf8")).toContain("install -y -qq --no-install-recommends default-jdk-headless maven xmlstarlet tmux zsh");
    expect(r.stderr).toContain(`CI needs the shared corpus: no real/*.xml in ${corpusBeside(project)}`);
  });
});
