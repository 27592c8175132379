// The lock on memfs: taken, released, a stale one taken over, a live one waited for and then exit 6.
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { memfs } from "memfs";
import { describe, expect, it } from "vitest";
import { Exit, M2Error } from "../src/errors";
import type { Fs } from "../src/io/files";
import { acquireLock } from "../src/io/lock";

function volume(files: Record<string, string> = {}) {
  const { fs } = memfs(files, "/");
  return { fs: fs as unknown as Fs, raw: fs };
}

/** The pid of a process that has ended. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", "0"]).pid!;
}

const owner = (pid: number, host = hostname(), since = Date.now()) => JSON.stringify({ pid, host, since });

describe("lock", () => {
  it("is created beside the file with its owner, and removed on release", async () => {
    const { fs, raw } = volume({ "/m2/settings.xml": "x" });
    const lock = await acquireLock(fs, "/m2/settings.xml");
    expect(JSON.parse(raw.readFileSync("/m2/settings.xml.lock", "utf8") as string)).toMatchObject({ pid: process.pid, host: hostname() });
    expect(raw.readdirSync("/m2").sort()).toEqual(["settings.xml", "settings.xml.lock"]);
    lock.release();
    expect(raw.readdirSync("/m2")).toEqual(["settings.xml"]);
  });

  it("takes over a lock whose process is gone, and sweeps the temp files that process left", async () => {
    const dead = deadPid();
    const { fs, raw } = volume({
      "/m2/settings.xml": "x",
      "/m2/settings.xml.lock": owner(dead),
      [`/m2/.settings.xml.${dead}.abc123.tmp`]: "half",
      [`/m2/.settings.xml.lock.new.${dead}.def456.tmp`]: "",
      [`/m2/.settings.xml.${process.pid}.mine.tmp`]: "a live run's",
    });
    const lock = await acquireLock(fs, "/m2/settings.xml", { waitMs: 0 });
    expect(raw.readdirSync("/m2").sort()).toEqual([`.settings.xml.${process.pid}.mine.tmp`, "settings.xml", "settings.xml.lock"]);
    lock.release();
  });

  it("takes over an empty or unreadable lock", async () => {
    const { fs } = volume({ "/m2/settings.xml": "x", "/m2/settings.xml.lock": "" });
    (await acquireLock(fs, "/m2/settings.xml", { waitMs: 0 })).release();
  });

  it("waits for a live lock, then exits 6 naming its owner", async () => {
    // Held by a process that is alive: the one that started this test run.
    const held = owner(process.ppid);
    const { fs, raw } = volume({ "/m2/settings.xml": "x", "/m2/settings.xml.lock": held });
    const started = Date.now();
    const error = await acquireLock(fs, "/m2/settings.xml", { waitMs: 300, pollMs: 20 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(error).toBeInstanceOf(M2Error);
    expect((error as M2Error).exitCode).toBe(Exit.writeFailed);
    expect((error as M2Error).message).toContain(`locked by process ${process.ppid}`);
    expect(raw.readFileSync("/m2/settings.xml.lock", "utf8")).toBe(held);
    expect(raw.readdirSync("/m2").sort()).toEqual(["settings.xml", "settings.xml.lock"]);
  });

  it("gets the lock once its holder releases it", async () => {
    const { fs } = volume({ "/m2/settings.xml": "x" });
    const first = await acquireLock(fs, "/m2/settings.xml");
    setTimeout(() => first.release(), 100);
    const second = await acquireLock(fs, "/m2/settings.xml", { waitMs: 2000, pollMs: 10 });
    second.release();
  });

  it("trusts a lock from another host until it is old", async () => {
    const { fs } = volume({ "/m2/settings.xml": "x", "/m2/settings.xml.lock": owner(1, "build-agent-7") });
    const error = (await acquireLock(fs, "/m2/settings.xml", { waitMs: 50 }).catch((e: unknown) => e)) as M2Error;
    expect(error.message).toContain("on build-agent-7");
    const { fs: fs2 } = volume({ "/m2/settings.xml": "x", "/m2/settings.xml.lock": owner(1, "build-agent-7", Date.now() - 3_600_000) });
    (await acquireLock(fs2, "/m2/settings.xml", { waitMs: 0 })).release();
  });
});
