/**
 * The file layer: read settings.xml, and write it so that the file on disk is always either the old or
 * the new complete content (temp file in the same folder, flushed, renamed over the target).
 * The file system is passed in, so that tests can run it on memfs. Synchronous on purpose: a CLI has
 * nothing to do while it waits, and Node's promise-based readFile takes a round trip per 512 KiB.
 */
import { constants, type Stats } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { Exit, M2Error } from "../errors";
import type { Fs } from "../world";
import { decodeXml } from "../xml/encoding";


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
  /** The file's status when it was read (undefined for a missing file): see unchangedSince. */
  stamp?: Stamp;
}

/** Which file, at which version: what a later stat must match for the bytes read to be the bytes there. */
export interface Stamp {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  /** When the file was read (Date.now()). */
  readAtMs: number;
}

/** Far above any real settings.xml (a few KiB): a larger file is not one, and reading it would take minutes. */
export const MAX_SETTINGS_BYTES = 256 * 1024 * 1024;

// Opening a FIFO for reading waits for a writer, and opening a terminal can make it the controlling one:
// with O_NONBLOCK and O_NOCTTY, open() returns at once whatever the path turns out to be.
export const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

const code = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

/** Why a file operation failed, in words. */
function reasonOf(e: unknown): string {
  const c = code(e);
  return c === "EACCES" || c === "EPERM" ? "permission denied"
    : c === "EROFS" ? "the file system is read-only"
    : c === "ENOSPC" ? "no space left on the device"
    : c === "ENOTDIR" ? "a part of the path is not a folder"
    : c === "EISDIR" ? "it is a folder"
    : c === "ELOOP" ? "too many symbolic links"
    : ((e as Error).message ?? String(e));
}

export function fileError(action: string, path: string, e: unknown): M2Error {
  const c = code(e);
  return new M2Error(Exit.writeFailed, `could not ${action} ${path}: ${reasonOf(e)}`, {
    hint: c === "EACCES" || c === "EPERM" ? "Check the owner and permissions of the file and its folder." : undefined,
  });
}

/** What a path is, for messages: "a folder", "a named pipe (FIFO)", ... */
export function kindOf(stat: Stats): string {
  return stat.isDirectory() ? "a folder"
    : stat.isFIFO() ? "a named pipe (FIFO)"
    : stat.isCharacterDevice() ? "a character device"
    : stat.isBlockDevice() ? "a block device"
    : stat.isSocket() ? "a socket"
    : stat.isSymbolicLink() ? "a symbolic link"
    : "not a regular file";
}

/**
 * Only a regular file of a sane size is a settings file: reading anything else can block the run or never
 * end, and writing would replace it with a regular file.
 */
function requireSettingsFile(named: string, stat: Stats): void {
  if (!stat.isFile()) throw new M2Error(Exit.unsafe, `${named} is ${kindOf(stat)}, not a settings file`, { hint: "Point --settings at a regular file." });
  if (stat.size > MAX_SETTINGS_BYTES) {
    throw new M2Error(Exit.unsafe, `${named} is ${mib(stat.size)}; a settings file may be at most ${mib(MAX_SETTINGS_BYTES)}`, {
      hint: "A real settings.xml is a few kilobytes: check that --settings names the right file.",
    });
  }
}

const mib = (bytes: number): string => `${Math.floor(bytes / 1024 / 1024)} MiB`;

/** Follows a chain of symbolic links (which may end at a file that does not exist yet). */
export function followLinks(fs: Fs, path: string): string {
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
    const named = target === path ? path : `${path} (a link to ${target})`;
    try {
      // Checked before opening, as opening a device can act on it ...
      requireSettingsFile(named, fs.statSync(target));
    } catch (e) {
      if (code(e) === "ENOENT") return { path, target, bytes: undefined, mode: undefined, uid: undefined, gid: undefined };
      throw e;
    }
    const fd = fs.openSync(target, READ_FLAGS);
    try {
      // ... and again on what was opened, which is what is read: the path may have been replaced meanwhile.
      const readAtMs = Date.now();
      const opened = fs.fstatSync(fd, { bigint: true });
      requireSettingsFile(named, opened as unknown as Stats);
      const bytes = fs.readFileSync(fd);
      const stamp = { dev: opened.dev, ino: opened.ino, size: opened.size, mtimeNs: opened.mtimeNs, ctimeNs: opened.ctimeNs, readAtMs };
      return { path, target, bytes, mode: Number(opened.mode & 0o7777n), uid: Number(opened.uid), gid: Number(opened.gid), stamp };
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    throw e instanceof M2Error ? e : fileError("read", path, e);
  }
}

/** An empty or whitespace-only settings file: nothing to keep, and nothing Maven can read. */
export const blank = (bytes: Uint8Array): boolean => bytes.every((b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d);

/** A settings file's text, as Maven decodes it (decodeXml's error if it cannot); undefined when it is missing or blank. */
export const settingsText = (file: SettingsFile): string | undefined => (file.bytes === undefined || blank(file.bytes) ? undefined : decodeXml(file.bytes).text);

/**
 * The one way from an XML file's bytes to its text, as Maven decodes them (src/xml/encoding.ts), for files
 * anypoint-m2 only reads (the security file, a pom); settings.xml is read by readSettingsFile, which keeps
 * its bytes for the edit, and then decoded by settingsText, or by changeBytes for an edit. undefined when nothing is there. A file that is not a
 * regular one or is larger than `maxBytes` is refused with `refuse(why)`, before it is opened (a FIFO would
 * block the run); it is opened without blocking all the same. A file that cannot be read is a fileError;
 * bytes not valid in the file's encoding, decodeXml's error.
 */
export function readXmlFile(fs: Fs, path: string, maxBytes: number, refuse: (why: string) => M2Error): string | undefined {
  const stat = fs.statSync(path, { throwIfNoEntry: false });
  if (!stat) return undefined;
  if (!stat.isFile()) throw refuse(`is ${kindOf(stat)}, not a file`);
  if (stat.size > maxBytes) throw refuse(`is larger than ${maxBytes / 1024 / 1024} MiB`);
  let bytes: Uint8Array;
  try {
    const fd = fs.openSync(path, READ_FLAGS);
    try {
      bytes = fs.readFileSync(fd) as Uint8Array;
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    throw fileError("read", path, e);
  }
  return decodeXml(bytes).text;
}

/**
 * A file is "racily clean" (git's term) when it changed this close before it was read: a change made after the
 * read, within the same tick of the file system's clock (up to 10 ms on Linux) and keeping the size, could
 * leave its status as it was. Such a file is compared byte for byte instead.
 */
const RACY_MS = 20n;

/**
 * Whether the file `file` was read from is, by its status, still exactly what was read: the same path to the
 * same inode, of the same size, changed at the same nanosecond. Saves reading a large file again under the
 * lock; false whenever that cannot be told (then the caller reads and compares the bytes).
 */
export function unchangedSince(fs: Fs, file: SettingsFile): boolean {
  const was = file.stamp;
  // Timestamps in whole seconds are a coarse clock's (FAT, some network file systems).
  if (!was || was.ctimeNs % 1_000_000_000n === 0n || BigInt(was.readAtMs) * 1_000_000n - was.ctimeNs < RACY_MS * 1_000_000n) return false;
  try {
    if (followLinks(fs, file.path) !== file.target) return false;
    const now = fs.statSync(file.target, { bigint: true });
    return now.isFile() && now.dev === was.dev && now.ino === was.ino && now.size === was.size && now.mtimeNs === was.mtimeNs && now.ctimeNs === was.ctimeNs;
  } catch {
    return false;
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

export function writeAll(fs: Fs, fd: number, bytes: Uint8Array): void {
  for (let written = 0; written < bytes.length; ) written += fs.writeSync(fd, bytes, written, bytes.length - written);
}

/** Content to write: one array, or pieces written one after the other (no copy of a large file to join them). */
export type Content = Uint8Array | readonly Uint8Array[];

const pieces = (content: Content): readonly Uint8Array[] => (content instanceof Uint8Array ? [content] : content);

/** Writes a complete, flushed file at `path` (which must not exist) with the mode and owner of `like`. */
export function writeNew(fs: Fs, path: string, content: Content, like: { mode: number; uid?: number; gid?: number }): void {
  const fd = fs.openSync(path, "wx", 0o600);
  try {
    for (const piece of pieces(content)) writeAll(fs, fd, piece);
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
export function writeAtomic(fs: Fs, target: string, bytes: Content, like: { mode: number; uid?: number; gid?: number }): void {
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
  /** What went wrong after the new content was in place (nothing that undoes the write). */
  warnings: string[];
}

/**
 * `mkdir -p` with the mode, one folder at a time. Node's recursive mkdirSync spins for ever, deaf to signals,
 * where mkdir keeps failing with ENOENT under a folder that exists (/proc/self/x/y); here such a path fails.
 */
export function makeFolders(fs: Fs, dir: string, mode = 0o700): void {
  const missing: string[] = [];
  for (let at = resolve(dir); ; at = dirname(at)) {
    const stat = fs.statSync(at, { throwIfNoEntry: false });
    if (stat?.isDirectory()) break;
    if (stat) throw Object.assign(new Error(`${at} is not a folder`), { code: "ENOTDIR" });
    missing.push(at);
    if (dirname(at) === at) break;
  }
  for (const folder of missing.reverse()) {
    try {
      fs.mkdirSync(folder, { mode });
    } catch (e) {
      // Made meanwhile by another run: as good. (A link to nowhere is EEXIST too: mkdir's error says more.)
      if (code(e) !== "EEXIST" || !fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw e;
    }
  }
}

/**
 * Replaces the settings file with `bytes`. An existing file keeps its mode and owner and its previous
 * content goes to `<path>.bak` (0600) first; a new file is 0600 in a folder created 0700. An error names
 * the path that failed; when it is the backup's, the settings file was not touched.
 */
export function writeSettingsFile(fs: Fs, file: SettingsFile, bytes: Content, { backup: wanted = true, backupContent }: { backup?: boolean; backupContent?: Content } = {}): WriteResult {
  if (file.bytes === undefined || !wanted) {
    try {
      makeFolders(fs, dirname(file.target));
      writeAtomic(fs, file.target, bytes, file.bytes === undefined ? { mode: 0o600 } : { mode: file.mode ?? 0o600, uid: file.uid, gid: file.gid });
    } catch (e) {
      throw fileError("write", file.path, e);
    }
    return { backup: undefined, created: file.bytes === undefined, warnings: [] };
  }
  const mode = file.mode ?? 0o600;
  const { backup, linked } = keepPrevious(fs, file, backupContent ?? file.bytes, backupContent === undefined);
  try {
    writeAtomic(fs, file.target, bytes, { mode, uid: file.uid, gid: file.gid });
  } catch (e) {
    throw fileError("write", file.path, e);
  }
  return { backup, created: false, warnings: linked && (mode & 0o077) !== 0 ? makePrivate(fs, backup, mode) : [] };
}

/**
 * Puts the current content in `<path>.bak` before the new content goes in, so that a failure there leaves
 * the settings file as it was. The backup is the old file itself, hard-linked (no copy of a large file),
 * or a 0600 copy where links are not possible or where it is not the old file as it was (`link` false: a
 * secret the change moves out of the file taken out of it).
 */
function keepPrevious(fs: Fs, file: SettingsFile, bytes: Content, link = true): { backup: string; linked: boolean } {
  const backup = `${file.path}.bak`;
  const pending = tempBeside(backup);
  let linked = false;
  try {
    refuseSpecial(fs, backup);
    if (link) {
      try {
        fs.linkSync(file.target, pending);
        linked = true;
      } catch {
        /* a copy, below */
      }
    }
    if (!linked) writeNew(fs, pending, bytes, { mode: 0o600, uid: file.uid, gid: file.gid });
    fs.renameSync(pending, backup);
  } catch (e) {
    throw backupError(file.path, backup, e instanceof M2Error ? e : fileError("save the previous version as", backup, e));
  } finally {
    // Gone after the rename, except when the old backup was already a link to the same file.
    removeQuietly(fs, pending);
  }
  return { backup, linked };
}

/**
 * A linked backup has the mode the file had; once the new content is in, it is the backup's alone and is
 * made 0600. Should that fail, the write stands and the backup is no more readable than the file was: a
 * warning says so.
 */
function makePrivate(fs: Fs, backup: string, mode: number): string[] {
  try {
    fs.chmodSync(backup, 0o600);
    return [];
  } catch (e) {
    return [`${backup} keeps the previous version readable by others (mode ${mode.toString(8)}, as the file was): chmod failed, ${reasonOf(e)}; run: chmod 600 ${backup}`];
  }
}

/** A folder, device, pipe or socket where the backup goes is not ours to replace. */
function refuseSpecial(fs: Fs, backup: string): void {
  let stat;
  try {
    stat = fs.lstatSync(backup);
  } catch (e) {
    if (code(e) === "ENOENT") return;
    throw e;
  }
  if (!stat.isFile() && !stat.isSymbolicLink()) throw new M2Error(Exit.writeFailed, `could not save the previous version as ${backup}: it is ${kindOf(stat)}`);
}

function backupError(path: string, backup: string, e: M2Error): M2Error {
  return new M2Error(e.exitCode, e.message, { hint: `${path} was not changed. ${e.details.hint ?? `Move ${backup} out of the way and run again.`}` });
}
