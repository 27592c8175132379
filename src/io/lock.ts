/**
 * An inter-process lock around read-modify-write of a settings file: `<file>.lock` beside it, created
 * atomically with its owner's pid and host already in it (written to a temp file, then hard-linked into
 * place, so a lock is never seen empty). A lock whose process is gone is taken over; a live one is waited
 * for, up to a bound, then exit 6.
 */
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { Exit, M2Error } from "../errors";
import { removeQuietly, tempBeside, type Fs } from "./files";

export interface Lock {
  path: string;
  release(): void;
}

interface Owner {
  pid: number;
  host: string;
  since: number;
}

/** How long a lock from another host is trusted, since its process cannot be checked from here. */
const FOREIGN_LOCK_MS = 10 * 60_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readOwner(fs: Fs, path: string): { owner: Owner | undefined; ino: number } | undefined {
  try {
    const ino = fs.statSync(path).ino;
    let owner: Owner | undefined;
    try {
      owner = JSON.parse(fs.readFileSync(path, "utf8") as string) as Owner;
    } catch {
      owner = undefined;
    }
    return { owner, ino };
  } catch {
    return undefined;
  }
}

function stale(owner: Owner | undefined): boolean {
  if (!owner || typeof owner.pid !== "number") return true;
  if (owner.host !== hostname()) return Date.now() - owner.since > FOREIGN_LOCK_MS;
  return owner.pid !== process.pid && !alive(owner.pid);
}

/** Removes a stale lock, unless someone replaced it meanwhile (then puts theirs back). */
function breakLock(fs: Fs, path: string, ino: number): void {
  const aside = tempBeside(path, "stale");
  try {
    fs.renameSync(path, aside);
  } catch {
    return;
  }
  try {
    if (fs.statSync(aside).ino !== ino) fs.linkSync(aside, path);
  } catch {
    /* a new lock already took its place */
  }
  removeQuietly(fs, aside);
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function acquireLock(fs: Fs, target: string, { waitMs = 10_000, pollMs = 25 }: { waitMs?: number; pollMs?: number } = {}): Promise<Lock> {
  const path = `${target}.lock`;
  const mine: Owner = { pid: process.pid, host: hostname(), since: Date.now() };
  const deadline = Date.now() + waitMs;
  const candidate = tempBeside(path, "new");
  const fd = fs.openSync(candidate, "wx", 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(mine));
  } finally {
    fs.closeSync(fd);
  }
  try {
    for (;;) {
      try {
        fs.linkSync(candidate, path);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      const held = readOwner(fs, path);
      if (held && stale(held.owner)) {
        breakLock(fs, path, held.ino);
        continue;
      }
      if (Date.now() >= deadline) {
        const who = held?.owner ? `process ${held.owner.pid}${held.owner.host !== hostname() ? ` on ${held.owner.host}` : ""}` : "another process";
        throw new M2Error(Exit.writeFailed, `${target} is locked by ${who}`, {
          hint: `Another anypoint-m2 is editing it; try again. If no other run is going on, remove ${path}.`,
        });
      }
      await sleep(pollMs);
    }
  } finally {
    removeQuietly(fs, candidate);
  }
  const ino = fs.statSync(path).ino;
  sweep(fs, target);
  return {
    path,
    release() {
      try {
        if (fs.statSync(path).ino === ino) fs.unlinkSync(path);
      } catch {
        /* already gone */
      }
    },
  };
}
