/**
 * The file layer: read settings.xml, and write it so that the file on disk is always either the old or
 * the new complete content (temp file in the same folder, flushed, renamed over the target).
 * The file system is passed in, so that tests can run it on memfs.
 */
import type * as fsp from "node:fs/promises";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { Exit, M2Error } from "../errors";

export type Fs = Pick<typeof fsp, "readFile" | "open" | "rename" | "lstat" | "stat" | "readlink" | "mkdir" | "unlink" | "chmod" | "chown">;

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

function fileError(action: string, path: string, e: unknown): M2Error {
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
async function followLinks(fs: Fs, path: string): Promise<string> {
  let current = path;
  for (let hops = 0; hops < 40; hops++) {
    let stat;
    try {
      stat = await fs.lstat(current);
    } catch (e) {
      if (code(e) === "ENOENT") return current;
      throw e;
    }
    if (!stat.isSymbolicLink()) return current;
    const link = await fs.readlink(current, "utf8");
    current = isAbsolute(link) ? link : resolve(dirname(current), link);
  }
  throw Object.assign(new Error("too many symbolic links"), { code: "ELOOP" });
}

export async function readSettingsFile(fs: Fs, path: string): Promise<SettingsFile> {
  try {
    const target = await followLinks(fs, path);
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(target);
    } catch (e) {
      if (code(e) === "ENOENT") return { path, target, bytes: undefined, mode: undefined, uid: undefined, gid: undefined };
      throw e;
    }
    const stat = await fs.stat(target);
    return { path, target, bytes, mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid };
  } catch (e) {
    throw e instanceof M2Error ? e : fileError("read", path, e);
  }
}

/** Writes bytes to `target` atomically; `like` gives the mode (and owner) to keep. */
async function writeAtomic(fs: Fs, target: string, bytes: Uint8Array, like: { mode: number; uid?: number; gid?: number }): Promise<void> {
  const dir = dirname(target);
  const temp = join(dir, `.${basename(target)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  let handle: fsp.FileHandle | undefined;
  let renamed = false;
  try {
    handle = await fs.open(temp, "wx", 0o600);
    await handle.writeFile(bytes);
    await handle.chmod(like.mode);
    if (like.uid !== undefined && like.gid !== undefined && process.getuid?.() === 0) {
      await handle.chown(like.uid, like.gid).catch(() => undefined);
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(temp, target);
    renamed = true;
    await syncDir(fs, dir);
  } finally {
    await handle?.close().catch(() => undefined);
    if (!renamed) await fs.unlink(temp).catch(() => undefined);
  }
}

async function syncDir(fs: Fs, dir: string): Promise<void> {
  // Makes the rename durable; not every file system lets a folder be opened for that.
  try {
    const h = await fs.open(dir, "r");
    try {
      await h.sync();
    } finally {
      await h.close();
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
export async function writeSettingsFile(fs: Fs, file: SettingsFile, bytes: Uint8Array): Promise<WriteResult> {
  try {
    if (file.bytes === undefined) {
      await fs.mkdir(dirname(file.target), { recursive: true, mode: 0o700 });
      await writeAtomic(fs, file.target, bytes, { mode: 0o600 });
      return { backup: undefined, created: true };
    }
    const backup = `${file.path}.bak`;
    await writeAtomic(fs, backup, file.bytes, { mode: 0o600, uid: file.uid, gid: file.gid });
    await writeAtomic(fs, file.target, bytes, { mode: file.mode ?? 0o600, uid: file.uid, gid: file.gid });
    return { backup, created: false };
  } catch (e) {
    throw e instanceof M2Error ? e : fileError("write", file.path, e);
  }
}
