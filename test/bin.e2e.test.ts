// The command as it is installed: dist/cli.cjs, the package's bin, is the bundle itself, run through its #!
// line; the parts it loads on demand (dist/yargs.cjs, ...) lie beside it.
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { version } from "../package.json";
import { CLI, cliEnv, tempHome } from "./helpers/cli";

/** A copy of dist/ to spoil, and `anypoint-m2 args` run from it through its #! line. */
function copyOfDist(): { home: string; dir: string; run: (args: string[], env?: Record<string, string>) => ReturnType<typeof spawnSync> } {
  const home = tempHome();
  const dir = join(home, "dist");
  cpSync(dirname(CLI), dir, { recursive: true });
  return { home, dir, run: (args, env = {}) => spawnSync(join(dir, "cli.cjs"), args, { cwd: home, env: cliEnv(home, env), encoding: "utf8", timeout: 10_000 }) };
}

describe("the command", () => {
  it("runs however the built file is run: as an executable, by node, by node --", () => {
    const home = tempHome();
    const settings = join(home, "settings.xml");
    const ways: [string, string[]][] = [
      [CLI, []],
      [process.execPath, [CLI]],
      [process.execPath, ["--", CLI]],
    ];
    for (const [command, before] of ways) {
      const r = spawnSync(command, [...before, "list", "--settings", settings], { cwd: home, env: cliEnv(home), encoding: "utf8", timeout: 10_000 });
      expect(r.status, `${[command, ...before].join(" ")}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toBe(`${settings} does not exist yet.\n`);
    }
  });

  it("says that a part of it run as if it were the command is not the command, and fails", () => {
    const parts = readdirSync(dirname(CLI)).filter((name) => name.endsWith(".cjs") && name !== "cli.cjs");
    expect(parts).toEqual(expect.arrayContaining(["help.cjs", "anypoint.cjs", "wizard.cjs", "preview.cjs", "doctor.cjs"]));
    for (const part of parts) {
      const r = spawnSync(process.execPath, [join(dirname(CLI), part), "list"], { env: cliEnv(tempHome()), encoding: "utf8", timeout: 10_000 });
      expect(r.status, part).toBe(1);
      expect(r.stderr).toBe(`anypoint-m2: ${part} is a part of anypoint-m2, not the command: run cli.cjs beside it\n`);
    }
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

  it("says in one line that the current folder is gone, and needs it only for what is relative to it", () => {
    const { home } = copyOfDist();
    const gone = join(home, "gone");
    const inGone = (...args: string[]) => {
      mkdirSync(gone);
      return spawnSync("bash", ["-c", `cd "$0" && rmdir "$0" && exec "$@"`, gone, CLI, ...args], { env: cliEnv(home), encoding: "utf8", timeout: 10_000 });
    };
    // list looks for the settings file Maven reads (.mvn/ of the project); help is laid out by yargs, which reads the folder as it loads.
    for (const args of [["list"], ["--help"], ["list", "--help"]]) {
      const r = inGone(...args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toBe("anypoint-m2: the current folder no longer exists (ENOENT)\n  Change to a folder that exists and run again.\n");
    }
    // The arguments are read without it.
    expect(inGone("--version")).toMatchObject({ status: 0, stdout: `${version}\n` });
    expect(inGone("list", "--bogus")).toMatchObject({ status: 2, stderr: expect.stringMatching(/^anypoint-m2: unknown option for list: --bogus\n/) });
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
    rmSync(join(dir, "help.cjs"));
    const r = run(["--help", "--json"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^anypoint-m2: unexpected failure: Cannot find module '\.\/help\.cjs'$/m);
    expect(r.stderr).not.toContain("Require stack");
  });
});
