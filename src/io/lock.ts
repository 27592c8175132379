/**
 * An inter-process lock around read-modify-write of a settings file: `<file>.lock` beside it, created
 * atomically with its owner's pid and host already in it (written to a temp file, then hard-linked into
 * place, so a lock is never seen empty). A lock whose process is gone, or that is older than any run
 * holds one, is taken over; a live one is waited for, up to a bound, then exit 6.
 */
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { Exit, M2Error } from "../errors";
import { kindOf, READ_FLAGS, removeQuietly, tempBeside, writeAll } from "./files";
import type { Fs } from "../world";

export interface Lock {
  path: string;
  release(): void;
}

interface Owner {
  pid: number;
  host: string;
}

/** What was found at the lock's path. */
interface Found {
  ino: number;
  /** How far the lock's time (when it was written, by the file system's clock) is from now. */
  ageMs: number;
  /** undefined when its content does not name a process. */
  owner: Owner | undefined;
}

/**
 * A lock older than this is abandoned, whatever it says: a run holds the lock only while it reads and
 * writes the file (seconds even at the size limit). It is also the only way a lock from another host, or
 * one that names no process, ever ends, since neither can be checked from here.
 */
export const LOCK_STALE_MS = 10 * 60_000;

const code = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return code(e) === "EPERM";
  }
}

/** The owner a lock's content names: a positive pid (0 and -1 would name process groups) and a host. */
function parseOwner(text: string): Owner | undefined {
  try {
    const { pid, host } = JSON.parse(text) as Partial<Owner>;
    return Number.isSafeInteger(pid) && pid! > 0 && typeof host === "string" && host !== "" ? { pid: pid!, host } : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the lock without ever waiting on it (it may have been replaced by a FIFO meanwhile). */
function readSmall(fs: Fs, path: string): string {
  try {
    const fd = fs.openSync(path, READ_FLAGS);
    try {
      const buffer = Buffer.alloc(1024);
      return buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, 0)).toString("utf8");
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return "";
  }
}

/** The lock at `path`, undefined when there is none. Anything but a regular file is not a lock of ours. */
function inspect(fs: Fs, path: string): Found | undefined {
  let stat;
  try {
    stat = fs.lstatSync(path);
  } catch (e) {
    if (code(e) === "ENOENT") return undefined;
    throw e;
  }
  if (!stat.isFile()) {
    throw new M2Error(Exit.writeFailed, `${path} is ${kindOf(stat)}, not a lock anypoint-m2 made`, {
      hint: `Nothing was written. Remove ${path} if no other program uses it, then run again.`,
    });
  }
  return { ino: stat.ino, ageMs: Math.abs(Date.now() - stat.mtimeMs), owner: parseOwner(readSmall(fs, path)) };
}

function stale({ ageMs, owner }: Found): boolean {
  if (ageMs > LOCK_STALE_MS) return true;
  return owner !== undefined && owner.host === hostname() && owner.pid !== process.pid && !alive(owner.pid);
}

/** How old a breaker's mark may be before it is taken for the leftover of a killed run. */
const BREAK_MARK_STALE_MS = 5_000;

/**
 * Removes a stale lock. One run at a time breaks locks (`<lock>.break`, created exclusively), and it looks
 * at the lock again under that mark: a lock whose holder is dead cannot change then, so what is removed is
 * the stale lock and never a live one that took its place (renaming a lock aside and putting it back, as
 * before, could drop a live holder's lock when a third run took the place in between). Returns whether to
 * try to lock again at once.
 */
function breakLock(fs: Fs, path: string, ino: number): boolean {
  const mark = `${path}.break`;
  let fd: number;
  try {
    fd = fs.openSync(mark, "wx", 0o600);
  } catch (e) {
    if (code(e) !== "EEXIST") return false;
    // Another run is breaking it, or one was killed while it did: its mark goes after a few seconds.
    try {
      if (Date.now() - fs.lstatSync(mark).mtimeMs > BREAK_MARK_STALE_MS) fs.unlinkSync(mark);
    } catch {
      /* gone meanwhile */
    }
    return false;
  }
  fs.closeSync(fd);
  try {
    const now = inspect(fs, path);
    if (now === undefined || now.ino !== ino || !stale(now)) return true;
    fs.unlinkSync(path);
    return true;
  } catch (e) {
    if (e instanceof M2Error) throw e;
    return code(e) === "ENOENT";
  } finally {
    removeQuietly(fs, mark);
  }
}

/**
 * Tries once to put this run's lock in place. The temp file is written anew for each try, so that the
 * lock's time says when it was taken, and removed at once, so that nothing of this run is on disk while it
 * waits (a signal then has nothing to clean up).
 */
function tryLock(fs: Fs, path: string): boolean {
  const candidate = tempBeside(path, "new");
  try {
    const fd = fs.openSync(candidate, "wx", 0o600);
    try {
      writeAll(fs, fd, Buffer.from(JSON.stringify({ pid: process.pid, host: hostname(), since: Date.now() })));
    } finally {
      fs.closeSync(fd);
    }
    fs.linkSync(candidate, path);
    return true;
  } catch (e) {
    if (code(e) === "EEXIST") return false;
    throw e;
  } finally {
    removeQuietly(fs, candidate);
  }
}

function lockedError(target: string, path: string, found: Found | undefined): M2Error {
  const owner = found?.owner;
  const who = owner ? `process ${owner.pid}${owner.host !== hostname() ? ` on ${owner.host}` : ""}` : `${path}, which names no process`;
  const minutes = LOCK_STALE_MS / 60_000;
  return new M2Error(Exit.writeFailed, `${target} is locked by ${who}`, {
    hint: `Another anypoint-m2 may be editing it; try again. A lock is taken over ${minutes} minutes after it was written; if no other run is going on, remove ${path}.`,
  });
}

/**
 * Removes temp files that killed runs left beside the file: `.<name>.<pid>.<random>.tmp` (and the
 * backup's and lock's) whose process is gone.
 */
function sweep(fs: Fs, target: string): void {
  const dir = dirname(target);
  const name = basename(target);
  let entries: string[];
  try {
    entries = fs.readdirSync(dir) as string[];
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(`.${name}.`) || !entry.endsWith(".tmp")) continue;
    const pid = Number(/\.(\d+)\.[a-z0-9]+\.tmp$/.exec(entry)?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
    removeQuietly(fs, join(dir, entry));
  }
}

/** Locks this process holds; released by releaseHeldLocks when it exits early (bin.ts). */
const held = new Set<Lock>();

export function releaseHeldLocks(): void {
  for (const lock of held) lock.release();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function acquireLock(fs: Fs, target: string, { waitMs = 10_000, pollMs = 25 }: { waitMs?: number; pollMs?: number } = {}): Promise<Lock> {
  const path = `${target}.lock`;
  const deadline = Date.now() + waitMs;
  while (!tryLock(fs, path)) {
    const found = inspect(fs, path);
    if (!found) continue; // released meanwhile
    if (stale(found) && breakLock(fs, path, found.ino)) continue;
    if (Date.now() >= deadline) throw lockedError(target, path, found);
    await sleep(pollMs);
  }
  const ino = fs.statSync(path).ino;
  sweep(fs, target);
  const lock: Lock = {
    path,
    release() {
      held.delete(lock);
      try {
        if (fs.statSync(path).ino === ino) fs.unlinkSync(path);
      } catch {
        /* already gone */
      }
    },
  };
  held.add(lock);
  return lock;
}
