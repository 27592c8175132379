// Safe together and safe when killed: concurrent runs of the built CLI on one settings.xml, runs stopped
// by a signal while they wait for the lock, and runs killed with SIGKILL at random moments.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { listServers } from "../src/settings/list";
import { start } from "./helpers/child";
import { CLI, cliEnv, run } from "./helpers/cli";
import { homeWithFixture } from "./helpers/e2e-fixtures";
import { removeBytes, upsertBytes } from "./helpers/engine";
import { validates } from "./helpers/oracle";

const env = { ANYPOINT_CLIENT_ID: "0123456789abcdef0123456789abcdef", ANYPOINT_CLIENT_SECRET: "concurrent-secret" };

describe("concurrent runs", () => {
  it("20 setups adding different ids to one file lose nothing", async () => {
    const { home, settings, original } = homeWithFixture("commented-template.xml");
    const ids = Array.from({ length: 20 }, (_, i) => `concurrent-${i}`);
    const runs = await Promise.all(ids.map((id) => run(["setup", "--no-verify", "--yes", "--server-id", id, "--settings", settings], { home, env })));
    expect(runs.map((r) => r.code)).toEqual(ids.map(() => 0));
    const after = readFileSync(settings);
    const text = after.toString("utf8");
    expect(validates(text)).toBe(true);
    const listed = listServers(text).map((s) => s.id);
    for (const id of ids) expect(listed).toContain(id);
    // Nothing else changed: taking the 20 servers out gives back the original bytes.
    let bytes: Uint8Array = after;
    for (const id of ids) bytes = removeBytes(bytes, id).bytes;
    expect(Buffer.from(bytes).equals(original)).toBe(true);
    expect(readdirSync(dirname(settings)).sort()).toEqual(["settings.xml", "settings.xml.bak"]);
  }, 60_000);
});

/** A settings.xml of about 2 MB, so that a kill often lands while it is being written. */
function bigSettings(): Buffer {
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">\n  <servers>\n'];
  for (let i = 0; i < 8000; i++) parts.push(`    <server>\n      <id>s${i}</id>\n      <username>user${i}</username>\n      <password>${"p".repeat(150)}</password>\n    </server>\n`);
  parts.push("  </servers>\n</settings>\n");
  return Buffer.from(parts.join(""), "utf8");
}

function killedRun(args: string[], home: string, afterMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(CLI, args, { env: cliEnv(home, env), stdio: "ignore" });
    const timer = setTimeout(() => child.kill("SIGKILL"), afterMs);
    child.on("error", reject);
    child.on("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe("a live lock", () => {
  it("is waited for up to --lock-timeout, then exit 6 with the file untouched", async () => {
    const { home, settings, original } = homeWithFixture("ci-env-servers.xml");
    // Held by this test process, which is alive.
    writeFileSync(`${settings}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), since: Date.now() }));
    const r = await run(["setup", "--no-verify", "--yes", "--server-id", "waits", "--settings", settings, "--lock-timeout", "0.5"], { home, env });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`locked by process ${process.pid}`);
    expect(r.ms).toBeGreaterThanOrEqual(500);
    expect(readFileSync(settings).equals(original)).toBe(true);
  });

  it.each(["SIGINT", "SIGTERM", "SIGHUP"] as const)("can be given up with %s: exit 130, nothing of the run left, the other's lock kept", async (signal) => {
    const { home, settings, original } = homeWithFixture("ci-env-servers.xml");
    const held = JSON.stringify({ pid: process.pid, host: hostname(), since: Date.now() });
    writeFileSync(`${settings}.lock`, held);
    // The run is waiting once it has tried to put its own lock in place (its temp lock file appears).
    const trying = new Promise<void>((resolve) => {
      const watcher = watch(dirname(settings), (_, name) => {
        if (String(name).startsWith(".settings.xml.lock.new.")) {
          watcher.close();
          resolve();
        }
      });
    });
    const { child, ended } = start(["setup", "--no-verify", "--yes", "--server-id", "waits", "--settings", settings, "--lock-timeout", "60"], { home, env });
    await trying;
    child.kill(signal);
    const { code, hung, stderr } = await ended;
    expect(hung).toBe(false);
    expect(code).toBe(130);
    expect(stderr).toContain(`cancelled (${signal})`);
    expect(readFileSync(settings).equals(original)).toBe(true);
    expect(readFileSync(`${settings}.lock`, "utf8")).toBe(held);
    expect(readdirSync(dirname(settings)).sort()).toEqual(["settings.xml", "settings.xml.lock"]);
  });
});

describe("a lock that is not a file", () => {
  it.each([
    ["a named pipe (FIFO)", (p: string) => spawnSync("mkfifo", [p]).status === 0 || expect.fail("mkfifo failed")],
    ["a folder", (p: string) => mkdirSync(p)],
  ])("(%s) stops the run at once with exit 6 naming it, and is left where it is", async (kind, create) => {
    const { home, settings, original } = homeWithFixture("ci-env-servers.xml");
    create(`${settings}.lock`);
    const ino = lstatSync(`${settings}.lock`).ino;
    const { code, hung, stderr } = await start(["setup", "--store", "literal", "--no-verify", "--yes", "--settings", settings, "--lock-timeout", "60"], { home, env }).ended;
    expect(hung).toBe(false);
    expect(code).toBe(6);
    expect(stderr).toContain(`${settings}.lock is ${kind}, not a lock anypoint-m2 made`);
    expect(readFileSync(settings).equals(original)).toBe(true);
    expect(lstatSync(`${settings}.lock`).ino).toBe(ino);
    expect(readdirSync(dirname(settings)).sort()).toEqual(["settings.xml", "settings.xml.lock"]);
  });
});

describe("killed runs", () => {
  it("leave the old or the new content, byte for byte, and the next run recovers the lock", async () => {
    const home = mkdtempSync(join(tmpdir(), "anypoint-m2-crash-"));
    const settings = join(home, "settings.xml");
    const original = bigSettings();
    const expected = Buffer.from(upsertBytes(original, { id: "crash-test", username: "~~~Client~~~", password: `${env.ANYPOINT_CLIENT_ID}~?~${env.ANYPOINT_CLIENT_SECRET}` }).bytes);
    const args = ["setup", "--no-verify", "--yes", "--server-id", "crash-test", "--settings", settings];
    const outcomes = { old: 0, new: 0 };
    const trials = Number(process.env.CRASH_TRIALS ?? 100);
    for (let trial = 0; trial < trials; trial++) {
      rmSync(settings, { force: true });
      writeFileSync(settings, original);
      await killedRun(args, home, 20 + Math.floor(Math.random() * 200));
      const content = readFileSync(settings);
      if (content.equals(original)) outcomes.old++;
      else if (content.equals(expected)) outcomes.new++;
      else throw new Error(`trial ${trial}: settings.xml is neither the old nor the new content`);
      // The next run is not stopped by what the killed one left behind.
      const next = await run(["setup", "--no-verify", "--yes", "--server-id", "after-crash", "--settings", settings], { home, env });
      expect(next.code, next.stderr).toBe(0);
      expect(existsSync(`${settings}.lock`)).toBe(false);
      expect(readdirSync(home).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    }
    // Both outcomes happened, or the kills did not land where it matters.
    expect(outcomes.old).toBeGreaterThan(0);
    expect(outcomes.new).toBeGreaterThan(0);
  }, 300_000);
});
