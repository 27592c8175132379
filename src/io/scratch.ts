/**
 * A private folder for a file that must not outlive the run (exec's settings file): mode 700 under the
 * system's temporary folder (TMPDIR), holding `run.pid` (this process's id and host name). The run removes
 * it whatever way it ends that lets it; one that was killed (SIGKILL, a power cut) leaves it behind, and the
 * next run sweeps it: a folder of this account whose pid file names this host and a process that no longer
 * exists. The host name and the process id namespace keep a run in another container that shares the
 * temporary folder (whose process ids this one cannot see, even with the same host name: host networking) from
 * being taken for dead; where the namespace cannot be told, nothing is swept.
 */
import * as fs from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

const PREFIX = "anypoint-m2-exec-";
const PID_FILE = "run.pid";
/** A folder without its pid file is a run between mkdtemp and writing it, or one killed right there. */
const UNCLAIMED_MS = 60_000;

export interface Scratch {
  dir: string;
  /** Writes `name` in the folder, mode 600 whatever the umask; returns its path. */
  write(name: string, bytes: Uint8Array): string;
  /** Removes the folder and all in it; safe to call more than once. */
  remove(): void;
}

export function scratchFolder(root: string): Scratch {
  sweep(root);
  const dir = fs.mkdtempSync(join(root, PREFIX));
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // Whatever the way out that runs JavaScript (an error, process.exit in a signal handler), the folder goes.
  process.once("exit", remove);
  writePrivate(join(dir, PID_FILE), Buffer.from(`${process.pid} ${hostname()} ${pidNamespace()}\n`));
  return {
    dir,
    write(name, bytes) {
      const path = join(dir, name);
      writePrivate(path, bytes);
      return path;
    },
    remove,
  };
}

/** This process's pid namespace ("pid:[4026531836]" on Linux), or "-" where it cannot be told. */
function pidNamespace(): string {
  try {
    return fs.readlinkSync("/proc/self/ns/pid").replace(/\s/g, "");
  } catch {
    return "-";
  }
}

function writePrivate(path: string, bytes: Uint8Array): void {
  const fd = fs.openSync(path, "wx", 0o600);
  try {
    fs.fchmodSync(fd, 0o600);
    for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, bytes.length - done);
  } finally {
    fs.closeSync(fd);
  }
}

/** Removes the folders of runs that are gone (see above); what cannot be read or removed is left. */
export function sweep(root: string): string[] {
  const swept: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(root).filter((n) => n.startsWith(PREFIX));
  } catch {
    return swept;
  }
  const me = process.getuid?.();
  for (const name of names) {
    const dir = join(root, name);
    try {
      const stat = fs.lstatSync(dir);
      if (!stat.isDirectory() || (me !== undefined && stat.uid !== me)) continue;
      if (!gone(dir, stat.mtimeMs)) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      swept.push(dir);
    } catch {
      /* another run swept it first, or it is not ours to remove */
    }
  }
  return swept;
}

function gone(dir: string, mtimeMs: number): boolean {
  let text: string;
  try {
    text = fs.readFileSync(join(dir, PID_FILE), "utf8");
  } catch {
    return Date.now() - mtimeMs > UNCLAIMED_MS;
  }
  const [pid, host, namespace] = text.trim().split(" ");
  const mine = pidNamespace();
  if (host !== hostname() || mine === "-" || namespace !== mine || !/^\d+$/.test(pid ?? "")) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (e) {
    // EPERM: alive, another account's.
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}
