/**
 * The files the Action's run may change, as they were before it and as it left them, so that the post step
 * can put each back exactly as it was: the settings file (the file a link names), its `.bak`, and the folders
 * it had to create. The content before is kept in a private folder (0700, files 0600) under RUNNER_TEMP, which
 * the runner empties when the job ends; GITHUB_STATE holds only that folder's path, as a file may hold secrets.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { dirname, join } from "node:path";
import { followLinks, writeAtomic, writeNew } from "../io/files";

/** The state the post step reads back (as STATE_snapshot): the private folder that holds the snapshot. */
export const SNAPSHOT_STATE = "snapshot";
/** The snapshot's description, in that folder. */
export const MANIFEST = "snapshot.json";

/** A path as it was seen: nothing there, a regular file (its copy kept apart, when it is a before), a link, or something else. */
export type Seen =
  | { kind: "absent" }
  | { kind: "file"; mode: number; uid: number; gid: number; sha256: string; copy?: string }
  | { kind: "link"; target: string }
  | { kind: "other" };

export interface Watched {
  path: string;
  before: Seen;
  /** As the Action left it; missing when its run ended before it could look. */
  after?: Seen;
}

export interface Snapshot {
  files: Watched[];
  /** The folders the settings file's path lacked before the run, deepest first. */
  missingFolders: string[];
}

/** What the post step does with a watched path. */
export type Verdict = "as-before" | "restore" | "remove" | "changed";

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** The same thing at a path: kind, and a file's content and mode, or a link's target. */
export function same(a: Seen, b: Seen): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "file" && b.kind === "file") return a.sha256 === b.sha256 && a.mode === b.mode;
  if (a.kind === "link" && b.kind === "link") return a.target === b.target;
  // Nothing there, or a folder or device, which setup never writes.
  return true;
}

/**
 * The post step's decision: nothing to do when the path is as it was; put it back when it is as the Action
 * left it; otherwise someone changed it after the Action wrote it, and it is not ours to touch.
 */
export function verdict({ before, after }: Watched, now: Seen): Verdict {
  if (same(now, before)) return "as-before";
  if (after === undefined || !same(now, after) || before.kind === "other") return "changed";
  return before.kind === "absent" ? "remove" : "restore";
}

/** What is at `path` now (the link itself, not what it names); `keep`: where to copy a file's bytes (0600). */
export function look(path: string, keep?: string): Seen {
  let stat;
  try {
    stat = fs.lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR") return { kind: "absent" };
    throw e;
  }
  if (stat.isSymbolicLink()) return { kind: "link", target: fs.readlinkSync(path, "utf8") };
  if (!stat.isFile()) return { kind: "other" };
  const bytes = fs.readFileSync(path);
  if (keep !== undefined) writeNew(fs, keep, bytes, { mode: 0o600 });
  return { kind: "file", mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid, sha256: sha256(bytes), ...(keep !== undefined ? { copy: keep } : {}) };
}

/** The folders of `dir` and above that do not exist, deepest first. */
function missing(dir: string): string[] {
  const folders: string[] = [];
  for (let folder = dir; !fs.existsSync(folder) && dirname(folder) !== folder; folder = dirname(folder)) folders.push(folder);
  return folders;
}

/** The settings file (the file a chain of links ends at, which is what setup writes) and its backup, as they are now; copies go to `keep`. */
export function before(settings: string, keep: string): Snapshot {
  const paths = [followLinks(fs, settings), `${settings}.bak`];
  return { files: paths.map((path, i) => ({ path, before: look(path, join(keep, String(i))) })), missingFolders: missing(dirname(paths[0]!)) };
}

/** The snapshot with each path as the Action left it. */
export function after(snapshot: Snapshot): Snapshot {
  return { ...snapshot, files: snapshot.files.map((w) => ({ ...w, after: look(w.path) })) };
}

/** Puts a path back as it was before (`restore`), or removes what the run created (`remove`). */
export function putBack(watched: Watched, what: "restore" | "remove"): void {
  const { path, before: was } = watched;
  if (what === "remove") return fs.unlinkSync(path);
  if (was.kind === "file") return writeAtomic(fs, path, fs.readFileSync(was.copy!), was);
  if (was.kind === "link") {
    const temp = `${path}.anypoint-m2-restore.${process.pid}`;
    fs.symlinkSync(was.target, temp);
    return fs.renameSync(temp, path);
  }
}

/** Removes the folders the run created, deepest first, as long as they are empty (Maven's repository cache, say, keeps them). */
export function removeEmptyFolders(folders: readonly string[]): string[] {
  const removed: string[] = [];
  for (const folder of folders) {
    try {
      fs.rmdirSync(folder);
      removed.push(folder);
    } catch {
      break;
    }
  }
  return removed;
}
