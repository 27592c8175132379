// dist/cli.cjs runs the bundle from V8's code cache of it (src/launch.ts): the cache the build made fits the
// Node that runs the tests; without a cache, or with one made for other bytes or another Node, the bundle is
// compiled as usual and runs as it is.
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, cliEnv, tempHome } from "./helpers/cli";

const version = (JSON.parse(readFileSync(join(import.meta.dirname, "..", "package.json"), "utf8")) as { version: string }).version;

/** Whether the launcher in `dir` compiles the bundle there without a cache, asked of a plain `node` (no flags). */
function uncached(dir: string): boolean {
  const r = spawnSync(process.execPath, ["-e", `process.stdout.write(String(require(${JSON.stringify(join(dir, "cli.cjs"))}).app(${JSON.stringify(dir)}).uncached))`], {
    env: { PATH: process.env.PATH ?? "" },
    encoding: "utf8",
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as boolean;
}

/** A copy of dist/ to spoil, and `anypoint-m2 args` run from it through its #! line. */
function copyOfDist(): { home: string; dir: string; run: (args: string[], env?: Record<string, string>) => ReturnType<typeof spawnSync> } {
  const home = tempHome();
  const dir = join(home, "dist");
  cpSync(dirname(CLI), dir, { recursive: true });
  // A time limit: a run that waits on a FIFO fails the test instead of hanging it.
  return { home, dir, run: (args, env = {}) => spawnSync(join(dir, "cli.cjs"), args, { cwd: home, env: cliEnv(home, env), encoding: "utf8", timeout: 10_000 }) };
}

/** The cache file's parts: its header line and what follows. */
function parts(file: string): { header: Record<string, unknown>; rest: Buffer } {
  const bytes = readFileSync(file);
  const end = bytes.indexOf(0x0a);
  return { header: JSON.parse(bytes.toString("utf8", 0, end)) as Record<string, unknown>, rest: bytes.subarray(end + 1) };
}

describe("the code cache", () => {
  it("is taken by the Node that built it, and names no folder of the machine that built it", () => {
    expect(uncached(dirname(CLI))).toBe(false);
    const { header } = parts(join(dirname(CLI), "app.cache"));
    expect(header).toMatchObject({ node: process.version, platform: process.platform, arch: process.arch });
    expect(readFileSync(join(dirname(CLI), "app.cache")).includes(dirname(CLI))).toBe(false);
  });

  it("is not needed: without one the bundle is compiled as usual", () => {
    const { dir, run } = copyOfDist();
    rmSync(join(dir, "app.cache"));
    expect(uncached(dir)).toBe(true);
    expect(run(["--version"])).toMatchObject({ status: 0, stdout: `${version}\n` });
    expect(run(["list", "--json"])).toMatchObject({ status: 0 });
  });

  it("is not used for a bundle changed since, even one of the same length: the bundle's own code runs", () => {
    const { dir, run } = copyOfDist();
    const bundle = readFileSync(join(dir, "app.cjs"), "utf8");
    expect(bundle).toContain("Next: use <id>");
    writeFileSync(join(dir, "app.cjs"), bundle.replace("Next: use <id>", "NEXT: USE <id>"));
    expect(uncached(dir)).toBe(true);
    const r = run(["setup", "--no-verify", "--yes", "--client-id", "c"], { ANYPOINT_CLIENT_SECRET: "s3cr3t-launch" });
    expect(r.status, String(r.stderr)).toBe(0);
    expect(r.stdout).toContain("NEXT: USE <id>");
  });

  it("is not used when dist/ was edited as text, the cache's file included", () => {
    const { dir, run } = copyOfDist();
    // As `sed -i 's/usage:2,/usage:9,/' dist/*` would, over every file: the exit code of a usage error, which
    // V8's data holds as a number, not as this text.
    expect(readFileSync(join(dir, "app.cjs"), "latin1")).toContain("usage:2,");
    for (const name of ["app.cjs", "app.cache"]) {
      const bytes = readFileSync(join(dir, name)).toString("latin1");
      writeFileSync(join(dir, name), Buffer.from(bytes.replaceAll("usage:2,", "usage:9,"), "latin1"));
    }
    expect(uncached(dir)).toBe(true);
    expect(run(["setup", "--timeout", "abc"]).status).toBe(9);
  });

  it("is not used by another Node, nor when it is cut short", () => {
    const { dir, run } = copyOfDist();
    const cache = join(dir, "app.cache");
    const { header, rest } = parts(cache);
    writeFileSync(cache, Buffer.concat([Buffer.from(`${JSON.stringify({ ...header, node: "v20.0.0" })}\n`), rest]));
    expect(uncached(dir)).toBe(true);
    writeFileSync(cache, readFileSync(join(dirname(CLI), "app.cache")).subarray(0, 100));
    expect(uncached(dir)).toBe(true);
    writeFileSync(cache, "not a cache");
    expect(uncached(dir)).toBe(true);
    expect(run(["--version"])).toMatchObject({ status: 0, stdout: `${version}\n` });
  });
});

describe("the launcher", () => {
  it("does not wait on a FIFO put in place of the cache or the bundle", () => {
    const { dir, run } = copyOfDist();
    rmSync(join(dir, "app.cache"));
    expect(spawnSync("mkfifo", [join(dir, "app.cache")]).status).toBe(0);
    expect(run(["--version"])).toMatchObject({ status: 0, stdout: `${version}\n` });
    rmSync(join(dir, "app.cjs"));
    expect(spawnSync("mkfifo", [join(dir, "app.cjs")]).status).toBe(0);
    const r = run(["--version"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("app.cjs is not a regular file. The installation is incomplete");
  });

  it("runs through a link to it, even when Node keeps the link's path (--preserve-symlinks-main)", () => {
    const { home, dir } = copyOfDist();
    mkdirSync(join(home, "bin"));
    symlinkSync(join(dir, "cli.cjs"), join(home, "bin", "anypoint-m2"));
    for (const options of ["", "--preserve-symlinks-main"]) {
      const r = spawnSync(join(home, "bin", "anypoint-m2"), ["--help"], { cwd: home, env: cliEnv(home, { NODE_OPTIONS: options }), encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain("anypoint-m2 setup");
    }
  });

  it("says in one line that an installation without its bundle is incomplete", () => {
    const { dir, run } = copyOfDist();
    rmSync(join(dir, "app.cjs"));
    const r = run(["--version"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^anypoint-m2: cannot start: ENOENT: no such file or directory, open '.*app\.cjs'\. The installation is incomplete: install anypoint-m2 again\.\n$/);
  });

  it("says that a bundle cut short, even to nothing, is incomplete, and does not report success", () => {
    const { dir, run } = copyOfDist();
    for (const content of ["", '"use strict";\n']) {
      writeFileSync(join(dir, "app.cjs"), content);
      const r = run(["setup", "--no-verify", "--yes", "--client-id", "c"], { ANYPOINT_CLIENT_SECRET: "s" });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^anypoint-m2: cannot start: .*app\.cjs does not hold the command\. The installation is incomplete/);
    }
  });

  it("says in one line that the current folder is gone, and needs it only for what is relative to it", () => {
    const { home } = copyOfDist();
    const gone = join(home, "gone");
    const inGone = (...args: string[]) => {
      mkdirSync(gone);
      return spawnSync("bash", ["-c", `cd "$0" && rmdir "$0" && exec "$@"`, gone, CLI, ...args], { env: cliEnv(home), encoding: "utf8", timeout: 10_000 });
    };
    for (const args of [["list"], ["--version"], ["list", "--bogus"]]) {
      const r = inGone(...args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toBe("anypoint-m2: the current folder no longer exists (ENOENT)\n  Change to a folder that exists and run again.\n");
    }
    const r = inGone("list", "--settings", join(home, "settings.xml"));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("does not exist yet");
  });

  // An account the user database does not know (a container run with --user 54321), without HOME.
  const setpriv = process.getuid?.() === 0 && spawnSync("setpriv", ["--version"]).status === 0;
  it.runIf(setpriv)("with no home folder (no HOME either): one line where a command needs ~/.m2, and nothing else changes", () => {
    const dir = mkdtempSync(join(tmpdir(), "anypoint-m2-homeless-"));
    try {
      chmodSync(dir, 0o755);
      writeFileSync(join(dir, "settings.xml"), "<settings>\n  <servers>\n  </servers>\n</settings>\n", { mode: 0o644 });
      const as = (...args: string[]) =>
        spawnSync("setpriv", ["--reuid=54321", "--regid=54321", "--clear-groups", CLI, ...args], { cwd: dir, env: { PATH: process.env.PATH ?? "" }, encoding: "utf8", timeout: 10_000 });
      expect(as("--version")).toMatchObject({ status: 0 });
      const r = as("list", "--settings", join(dir, "settings.xml"));
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^anypoint-m2: .*this account has no home folder to find ~\/\.m2 in \(.*\)\n  Set HOME to the folder that holds \.m2 and run again\.\n$/);
      expect(readFileSync(join(dir, "settings.xml"), "utf8")).toBe("<settings>\n  <servers>\n  </servers>\n</settings>\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("says in one line that a lazy bundle is missing", () => {
    const { dir, run } = copyOfDist();
    rmSync(join(dir, "yargs.cjs"));
    const r = run(["--help", "--json"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^anypoint-m2: unexpected failure: Cannot find module '\.\/yargs\.cjs'$/m);
    expect(r.stderr).not.toContain("Require stack");
  });
});
