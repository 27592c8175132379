// The lock on memfs: taken, released, a stale one taken over (its process gone, or older than the
// documented age whatever it says), a live one waited for and then exit 6, nothing left behind on any path.
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { memfs } from "memfs";
import { describe, expect, it } from "vitest";
import { Exit, M2Error } from "../src/errors";
import type { Fs } from "../src/world";
import { acquireLock, LOCK_STALE_MS, releaseHeldLocks } from "../src/io/lock";

function volume(files: Record<string, string> = {}) {
  const { fs } = memfs(files, "/");
  return { fs: fs as unknown as Fs, raw: fs };
}

/** The pid of a process that has ended. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", "0"]).pid!;
}

const owner = (pid: number, host = hostname(), since = Date.now()) => JSON.stringify({ pid, host, since });

/** Sets the lock's time (its mtime, which the file system gave it when it was written) `ms` into the past. */
function age(raw: ReturnType<typeof volume>["raw"], path: string, ms: number): void {
  const seconds = (Date.now() - ms) / 1000;
  raw.utimesSync(path, seconds, seconds);
}

const failure = (promise: Promise<unknown>): Promise<M2Error> => promise.then(() => expect.fail("expected the lock to be refused"), (e: unknown) => e as M2Error);

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

  // Each of these cannot be read as a live holder on this host: before, some were never stale (every run
  // waited, then exit 6) and others were taken over at once.
  const unverifiable: Array<[string, string]> = [
    ["from another host", owner(4242, "build-agent-7")],
    ["from another host without since", JSON.stringify({ pid: 4242, host: "build-agent-7" })],
    ["from another host with a non-numeric since", JSON.stringify({ pid: 4242, host: "build-agent-7", since: "yesterday" })],
    ["from another host with a since in the future", owner(4242, "build-agent-7", Date.now() + 86_400_000)],
    ["with pid 0", owner(0)],
    ["with pid -1", owner(-1)],
    ["with a pid that is not a number", JSON.stringify({ pid: "12", host: hostname() })],
    ["that is empty", ""],
    ["that is not JSON", "locked"],
  ];

  it.each(unverifiable)("is waited for while young, then exit 6: a lock %s", async (_, content) => {
    const { fs, raw } = volume({ "/m2/settings.xml": "x", "/m2/settings.xml.lock": content });
    age(raw, "/m2/settings.xml.lock", LOCK_STALE_MS - 60_000);
    const error = await failure(acquireLock(fs, "/m2/settings.xml", { waitMs: 0 }));
    expect(error.exitCode).toBe(Exit.writeFailed);
    expect(error.message).toMatch(/^\/m2\/settings\.xml is locked by /);
    expect(error.details.hint).toContain("taken over 10 minutes after it was written");
    expect(raw.readFileSync("/m2/settings.xml.lock", "utf8")).toBe(content);
    expect(raw.readdirSync("/m2").sort()).toEqual(["settings.xml", "settings.xml.lock"]);
  });

  it.each(unverifiable)("is taken over once older than the documented age: a lock %s", async (_, content) => {
    const { fs, raw } = volume({ "/m2/settings.xml": "x", "/m2/settings.xml.lock": content });
    age(raw, "/m2/settings.xml.lock", LOCK_STALE_MS + 60_000);
    const lock = await acquireLock(fs, "/m2/settings.xml", { waitMs: 0 });
    expect(JSON.parse(raw.readFileSync("/m2/settings.xml.lock", "utf8") as string)).toMatchObject({ pid: process.pid });
    lock.release();
    expect(raw.readdirSync("/m2")).toEqual(["settings.xml"]);
  });

  it("takes over a lock of a live process once older than the documented age (its pid was reused)", async () => {
    const { fs, raw } = volume({ "/m2/settings.xml": "x", "/m2/settings.xml.lock": owner(process.ppid) });
    age(raw, "/m2/settings.xml.lock", LOCK_STALE_MS + 60_000);
    (await acquireLock(fs, "/m2/settings.xml", { waitMs: 0 })).release();
    expect(raw.readdirSync("/m2")).toEqual(["settings.xml"]);
  });

  it("takes over a lock whose time is far in the future (a wrong clock)", async () => {
    const { fs, raw } = volume({ "/m2/settings.xml": "x", "/m2/settings.xml.lock": owner(4242, "build-agent-7") });
    age(raw, "/m2/settings.xml.lock", -(LOCK_STALE_MS + 60_000));
    (await acquireLock(fs, "/m2/settings.xml", { waitMs: 0 })).release();
    expect(raw.readdirSync("/m2")).toEqual(["settings.xml"]);
  });

  it("waits for a live lock, then exits 6 naming its owner", async () => {
    // Held by a process that is alive: the one that started this test run.
    const held = owner(process.ppid);
    const { fs, raw } = volume({ "/m2/settings.xml": "x", "/m2/settings.xml.lock": held });
    const started = Date.now();
    const error = await failure(acquireLock(fs, "/m2/settings.xml", { waitMs: 300, pollMs: 20 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(error).toBeInstanceOf(M2Error);
    expect(error.exitCode).toBe(Exit.writeFailed);
    expect(error.message).toContain(`locked by process ${process.ppid}`);
    expect(raw.readFileSync("/m2/settings.xml.lock", "utf8")).toBe(held);
    expect(raw.readdirSync("/m2").sort()).toEqual(["settings.xml", "settings.xml.lock"]);
  });

  it("names the host of a lock from another host", async () => {
    const { fs } = volume({ "/m2/settings.xml": "x", "/m2/settings.xml.lock": owner(1, "build-agent-7") });
    const error = await failure(acquireLock(fs, "/m2/settings.xml", { waitMs: 0 }));
    expect(error.message).toBe("/m2/settings.xml is locked by process 1 on build-agent-7");
  });

  it("gets the lock once its holder releases it, and not before", async () => {
    const { fs, raw } = volume({ "/m2/settings.xml": "x" });
    const first = await acquireLock(fs, "/m2/settings.xml");
    // The holder lets go when the waiter has found the lock taken twice: no timer decides the order.
    let refused = 0;
    const waiter: Fs = {
      ...fs,
      linkSync: (from, to) => {
        try {
          fs.linkSync(from, to);
        } catch (e) {
          if (++refused === 2) first.release();
          throw e;
        }
      },
    };
    const second = await acquireLock(waiter, "/m2/settings.xml", { waitMs: 10_000, pollMs: 5 });
    expect(refused).toBe(2);
    expect(raw.readdirSync("/m2").sort()).toEqual(["settings.xml", "settings.xml.lock"]);
    second.release();
    expect(raw.readdirSync("/m2")).toEqual(["settings.xml"]);
  });

  it("refuses at once a lock that is a folder, leaving it where it is and nothing else behind", async () => {
    const { fs, raw } = volume({ "/m2/settings.xml": "x", "/m2/settings.xml.lock/keep": "someone's" });
    age(raw, "/m2/settings.xml.lock", LOCK_STALE_MS + 60_000);
    const error = await failure(acquireLock(fs, "/m2/settings.xml", { waitMs: 10_000 }));
    expect(error.exitCode).toBe(Exit.writeFailed);
    expect(error.message).toBe("/m2/settings.xml.lock is a folder, not a lock anypoint-m2 made");
    expect(error.details.hint).toContain("Remove /m2/settings.xml.lock");
    expect(raw.readdirSync("/m2").sort()).toEqual(["settings.xml", "settings.xml.lock"]);
    expect(raw.readFileSync("/m2/settings.xml.lock/keep", "utf8")).toBe("someone's");
  });

  it("leaves no temp file when the disk is full while locking", async () => {
    const { fs, raw } = volume({ "/m2/settings.xml": "x" });
    const full: Fs = {
      ...fs,
      writeSync: () => {
        throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      },
    };
    await expect(acquireLock(full, "/m2/settings.xml")).rejects.toMatchObject({ code: "ENOSPC" });
    expect(raw.readdirSync("/m2")).toEqual(["settings.xml"]);
  });

  it("has nothing on disk but the lock while it waits", async () => {
    const { fs, raw } = volume({ "/m2/settings.xml": "x", "/m2/settings.xml.lock": owner(process.ppid) });
    const seen: string[][] = [];
    // Look at the folder each time the waiting run sleeps.
    const watching: Fs = {
      ...fs,
      lstatSync: ((path: string, options?: never) => {
        seen.push(raw.readdirSync("/m2").map(String).sort());
        return fs.lstatSync(path, options);
      }) as Fs["lstatSync"],
    };
    await failure(acquireLock(watching, "/m2/settings.xml", { waitMs: 100, pollMs: 10 }));
    expect(seen.length).toBeGreaterThan(1);
    for (const entries of seen) expect(entries).toEqual(["settings.xml", "settings.xml.lock"]);
  });

  it("is released by releaseHeldLocks, which the CLI runs on any exit", async () => {
    const { fs, raw } = volume({ "/m2/settings.xml": "x" });
    await acquireLock(fs, "/m2/settings.xml");
    expect(raw.existsSync("/m2/settings.xml.lock")).toBe(true);
    releaseHeldLocks();
    expect(raw.readdirSync("/m2")).toEqual(["settings.xml"]);
  });

  it("breaking a dead holder's lock never drops a live lock that took its place meanwhile", async () => {
    const { fs, raw } = volume({ "/m2/settings.xml": "x", "/m2/settings.xml.lock": owner(deadPid()) });
    const live = owner(process.ppid); // run C: took the place once the dead lock was seen
    const third = owner(process.pid); // run D: takes the place if it is ever left empty
    let swapped = false;
    // The moment this run starts breaking the dead lock, C's live lock has replaced it (the holder the
    // content named released it and exited, and C locked); should the lock be moved aside, D takes the place.
    const racing: Fs = {
      ...fs,
      openSync: ((path: string, flags: unknown, mode?: number) => {
        if (!swapped && (String(path).endsWith(".lock.break") || String(path).includes(".lock.stale."))) {
          swapped = true;
          raw.unlinkSync("/m2/settings.xml.lock");
          raw.writeFileSync("/m2/settings.xml.lock", live);
        }
        return fs.openSync(path, flags as never, mode);
      }) as Fs["openSync"],
      renameSync: ((from: string, to: string) => {
        if (!swapped && String(from).endsWith("settings.xml.lock")) {
          swapped = true;
          raw.unlinkSync("/m2/settings.xml.lock");
          raw.writeFileSync("/m2/settings.xml.lock", live);
        }
        fs.renameSync(from, to);
        if (String(from).endsWith("settings.xml.lock") && !raw.existsSync("/m2/settings.xml.lock")) raw.writeFileSync("/m2/settings.xml.lock", third);
      }) as Fs["renameSync"],
    };
    const error = await failure(acquireLock(racing, "/m2/settings.xml", { waitMs: 100 }));
    expect(error.exitCode).toBe(Exit.writeFailed);
    expect(swapped).toBe(true);
    // C still holds its lock: nobody else does.
    expect(raw.readFileSync("/m2/settings.xml.lock", "utf8")).toBe(live);
    expect((raw.readdirSync("/m2") as string[]).sort()).toEqual(["settings.xml", "settings.xml.lock"]);
  });
});
