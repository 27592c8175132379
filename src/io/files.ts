/**
 * The file layer: read settings.xml, and write it so that the file on disk is always either the old or
 * the new complete content (temp file in the same folder, flushed, renamed over the target).
 * The file system is passed in, so that tests can run it on memfs. Synchronous on purpose: a CLI has
 * nothing to do while it waits, and Node's promise-based readFile takes a round trip per 512 KiB.
 */
import type * as nodeFs from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { Exit, M2Error } from "../errors";

export type Fs = Pick<
  typeof nodeFs,
  | "readFileSync" | "openSync" | "writeSync" | "fsyncSync" | "closeSync" | "fchmodSync" | "fchownSync" | "chmodSync"
  | "renameSync" | "linkSync" | "lstatSync" | "statSync" | "readlinkSync" | "mkdirSync" | "unlinkSync" | "readdirSync"
>;

export interface SettingsFile {
  /** The path as the user named it. */
  path: string;
  /** Where the bytes live: the path with symbolic links followed. */
  target: string;
  /** undefined when the file does not exist yet. */
  bytes: Uint8Array | undefined;
  mode: number | undefined;
  uid: number | undefined;
  gid: number | undefined;
}

const code = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

export function fileError(action: string, path: string, e: unknown): M2Error {
  const c = code(e);
  if (c === "EISDIR") return new M2Error(Exit.usage, `${path} is a folder, not a settings file`, { hint: "Point --settings at a file." });
  const reason =
    c === "EACCES" || c === "EPERM" ? "permission denied"
    : c === "EROFS" ? "the file system is read-only"
    : c === "ENOSPC" ? "no space left on the device"
    : c === "ENOTDIR" ? "a part of the path is not a folder"
    : c === "ELOOP" ? "too many symbolic links"
    : ((e as Error).message ?? String(e));
  return new M2Error(Exit.writeFailed, `could not ${action} ${path}: ${reason}`, {
    hint: c === "EACCES" || c === "EPERM" ? "Check the owner and permissions of the file and its folder." : undefined,
  });
}

/** Follows a chain of symbolic links (which may end at a file that does not exist yet). */
function followLinks(fs: Fs, path: string): string {
  let current = path;
  for (let hops = 0; hops < 40; hops++) {
    let stat;
    try {
      stat = fs.lstatSync(current);
    } catch (e) {
      if (code(e) === "ENOENT") return current;
      throw e;
    }
    if (!stat.isSymbolicLink()) return current;
    const link = fs.readlinkSync(current, "utf8");
    current = isAbsolute(link) ? link : resolve(dirname(current), link);
  }
  throw Object.assign(new Error("too many symbolic links"), { code: "ELOOP" });
}

export function readSettingsFile(fs: Fs, path: string): SettingsFile {
  try {
    const target = followLinks(fs, path);
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(target);
    } catch (e) {
      if (code(e) === "ENOENT") return { path, target, bytes: undefined, mode: undefined, uid: undefined, gid: undefined };
      throw e;
    }
    const stat = fs.statSync(target);
    return { path, target, bytes, mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid };
  } catch (e) {
    throw e instanceof M2Error ? e : fileError("read", path, e);
  }
}

/**
 * A temp file name beside `path`: `.<name>[.<tag>].<pid>.<random>.tmp`. The pid lets a later run sweep
 * what a killed one left (lock.ts).
 */
export const tempBeside = (path: string, tag?: string): string =>
  join(dirname(path), `.${basename(path)}${tag ? `.${tag}` : ""}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);

export function removeQuietly(fs: Fs, path: string): void {
  try {
    fs.unlinkSync(path);
  } catch {
    /* it may not exist */
  }
}

/** Writes a complete, flushed file at `path` (which must not exist) with the mode and owner of `like`. */
function writeNew(fs: Fs, path: string, bytes: Uint8Array, like: { mode: number; uid?: number; gid?: number }): void {
  const fd = fs.openSync(path, "wx", 0o600);
  try {
    for (let written = 0; written < bytes.length; ) written += fs.writeSync(fd, bytes, written, bytes.length - written);
    fs.fchmodSync(fd, like.mode);
    if (like.uid !== undefined && like.gid !== undefined && process.getuid?.() === 0) {
      try {
        fs.fchownSync(fd, like.uid, like.gid);
      } catch {
        /* keeping the owner is best effort */
      }
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Replaces `target` atomically: a temp file in the same folder, flushed, renamed over it. */
function writeAtomic(fs: Fs, target: string, bytes: Uint8Array, like: { mode: number; uid?: number; gid?: number }): void {
  const temp = tempBeside(target);
  try {
    writeNew(fs, temp, bytes, like);
    fs.renameSync(temp, target);
  } catch (e) {
    removeQuietly(fs, temp);
    throw e;
  }
  syncDir(fs, dirname(target));
}

function syncDir(fs: Fs, dir: string): void {
  // Makes the rename durable; not every file system lets a folder be opened for that.
  try {
    const fd = fs.openSync(dir, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    /* best effort */
  }
}

export interface WriteResult {
  /** Where the previous content was kept, when there was one. */
  backup: string | undefined;
  created: boolean;
}

/**
 * Replaces the settings file with `bytes`. An existing file keeps its mode and owner and its previous
 * content goes to `<path>.bak` (0600); a new file is 0600 in a folder created 0700.
 */
export function writeSettingsFile(fs: Fs, file: SettingsFile, bytes: Uint8Array): WriteResult {
  try {
    if (file.bytes === undefined) {
      fs.mkdirSync(dirname(file.target), { recursive: true, mode: 0o700 });
      writeAtomic(fs, file.target, bytes, { mode: 0o600 });
      return { backup: undefined, created: true };
    }
    // The backup is the old file itself: hard-linked before the new content is renamed over it (no copy
    // of a large file), or written out where hard links are not possible. Made 0600 once it is the
    // backup's alone, and put in place only when the new content is.
    const backup = `${file.path}.bak`;
    const pending = tempBeside(backup);
    try {
      try {
        fs.linkSync(file.target, pending);
      } catch {
        writeNew(fs, pending, file.bytes, { mode: 0o600, uid: file.uid, gid: file.gid });
      }
      writeAtomic(fs, file.target, bytes, { mode: file.mode ?? 0o600, uid: file.uid, gid: file.gid });
      fs.chmodSync(pending, 0o600);
      fs.renameSync(pending, backup);
    } catch (e) {
      removeQuietly(fs, pending);
      throw e;
    }
    return { backup, created: false };
  } catch (e) {
    throw e instanceof M2Error ? e : fileError("write", file.path, e);
  }
}
