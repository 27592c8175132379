// dist/cli.cjs runs the bundle from V8's code cache of it (src/launch.ts): the cache the build made fits the
// Node that runs the tests, and the command works the same without a cache or with one that does not fit.
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, cliEnv, tempHome } from "./helpers/cli";

const version = (JSON.parse(readFileSync(join(import.meta.dirname, "..", "package.json"), "utf8")) as { version: string }).version;

/** Whether the launcher in `dir` compiles the bundle without a cache, asked of a plain `node` (no flags). */
function uncached(dir: string): boolean {
  const r = spawnSync(process.execPath, ["-e", `process.stdout.write(String(require(${JSON.stringify(join(dir, "cli.cjs"))}).app().uncached))`], {
    env: { PATH: process.env.PATH ?? "" },
    encoding: "utf8",
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as boolean;
}

/** A copy of dist/ to spoil, and `anypoint-m2 args` run from it through its #! line. */
function copyOfDist(): { dir: string; run: (args: string[]) => ReturnType<typeof spawnSync> } {
  const home = tempHome();
  const dir = join(home, "dist");
  cpSync(dirname(CLI), dir, { recursive: true });
  return { dir, run: (args) => spawnSync(join(dir, "cli.cjs"), args, { cwd: home, env: cliEnv(home), encoding: "utf8" }) };
}

describe("the code cache", () => {
  it("is taken by the Node that built it", () => {
    expect(uncached(dirname(CLI))).toBe(false);
  });

  it("is not needed: without one the bundle is compiled as usual", () => {
    const { dir, run } = copyOfDist();
    rmSync(join(dir, "app.cache"));
    expect(uncached(dir)).toBe(true);
    expect(run(["--version"])).toMatchObject({ status: 0, stdout: `${version}\n` });
    expect(run(["list", "--json"])).toMatchObject({ status: 0 });
  });

  it("is refused when it does not fit (another bundle, another Node), and the command still works", () => {
    const { dir, run } = copyOfDist();
    writeFileSync(join(dir, "app.cache"), readFileSync(join(dir, "app.cache")).subarray(0, 100));
    expect(uncached(dir)).toBe(true);
    // A bundle of another length: V8 tells a cache made for other source by its length.
    writeFileSync(join(dir, "app.cjs"), `${readFileSync(join(dir, "app.cjs"), "utf8")}\n// another build\n`);
    cpSync(join(dirname(CLI), "app.cache"), join(dir, "app.cache"));
    expect(uncached(dir)).toBe(true);
    expect(run(["--version"])).toMatchObject({ status: 0, stdout: `${version}\n` });
  });
});
