/**
 * The command (dist/cli.cjs): runs the CLI's bundle, dist/app.cjs, from V8's code cache of it, dist/app.cache.
 * The build writes the cache after one `setup` run, so it holds the compiled code of every function such a run
 * calls: a run then neither parses the 140 KB bundle nor compiles those functions again (~5 ms of each start on
 * a 2-core machine).
 *
 * V8 checks little of a cache: its own version (every Node 20 has the same one), its flags and the source's
 * length, and no checksum. So the cache is used only by the Node version, platform and architecture that made
 * it, and only for the very bytes of app.cjs it was made from (its file holds a copy of them, compared here,
 * which costs far less than hashing: node:crypto alone takes ~4 ms to load). Anything else (another Node, a
 * patched app.cjs, V8 flags in NODE_OPTIONS) compiles the bundle as usual. V8's data itself is not checked:
 * like the bundle itself, a file damaged on disk can crash Node or make it misbehave, and deleting
 * dist/app.cache (or reinstalling) mends it.
 *
 * Why by hand: Node 22 has module.enableCompileCache(), which Node 20 lacks (and which writes its cache under
 * the system's temp folder while the command runs); the v8-compile-cache package also writes at run time.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Script } from "node:vm";

/** The first line of dist/app.cache, then the bytes of app.cjs in base64, then V8's data. */
export interface CacheHeader {
  node: string;
  platform: string;
  arch: string;
  /** The length of the base64 of app.cjs that follows the header. */
  source: number;
}

/**
 * The name the bundle runs under, the same wherever it is installed: V8 keeps the name a cache was made
 * with in the functions it holds (a build's own path would show in stack traces everywhere else).
 */
export const BUNDLE_NAME = "anypoint-m2/dist/app.cjs";

/** The function CommonJS wraps a module in. */
export const wrap = (source: Buffer): string => `(function (exports, require, module, __filename, __dirname) {${source.toString("utf8")}\n})`;

/**
 * dist/app.cache's content: the header, the bundle's bytes and V8's data for them. The bytes are in base64,
 * so that an edit of dist/ as text (`sed -i` over its files, a patch tool) cannot change them along with
 * app.cjs and leave the cache looking like its own.
 */
export function cacheFile(source: Buffer, data: Buffer): Buffer {
  const copy = source.toString("base64");
  const header: CacheHeader = { node: process.version, platform: process.platform, arch: process.arch, source: copy.length };
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n${copy}`, "latin1"), data]);
}

/**
 * The bytes of a regular file of at most `limit` bytes. Opened without waiting (a FIFO put in its place would
 * block a plain read for ever) and looked at before it is read.
 */
function readRegular(path: string, limit: number): Buffer {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error(`${path} is not a regular file`);
    if (stat.size > limit) throw new Error(`${path} is larger than anypoint-m2's files ever are`);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Far above the bundle (~150 KB) and its cache (~350 KB). */
const LIMIT = 32 * 1024 * 1024;

/** V8's data in a cache file, when the file was made by this Node for exactly `source`. */
function cachedDataFor(file: Buffer, source: Buffer): Buffer | undefined {
  const end = file.indexOf(0x0a);
  if (end < 0) return undefined;
  const header = JSON.parse(file.toString("latin1", 0, end)) as Partial<CacheHeader>;
  if (header.node !== process.version || header.platform !== process.platform || header.arch !== process.arch || !Number.isSafeInteger(header.source) || header.source! < 0) return undefined;
  const copyEnd = end + 1 + header.source!;
  const data = file.subarray(copyEnd);
  return data.length > 0 && file.toString("latin1", end + 1, copyEnd) === source.toString("base64") ? data : undefined;
}

export interface App {
  /** The compiled bundle, from which the build makes the cache. */
  script: Script;
  /** The bundle's bytes. */
  source: Buffer;
  /** Whether the bundle was compiled without the cache (there is none, it is another's, or V8 refused it). */
  uncached: boolean;
  /** Runs the CLI on process.argv. */
  run(): void;
}

/** The bundle in `dir`, compiled with the cache beside it when there is one that fits. */
export function app(dir: string): App {
  const file = join(dir, "app.cjs");
  const source = readRegular(file, LIMIT);
  let cachedData: Buffer | undefined;
  try {
    cachedData = cachedDataFor(readRegular(join(dir, "app.cache"), LIMIT), source);
  } catch {
    /* none, or not one of ours */
  }
  const script = new Script(wrap(source), { filename: BUNDLE_NAME, cachedData });
  return {
    script,
    source,
    uncached: cachedData === undefined || script.cachedDataRejected === true,
    run: () => {
      // The bundle's own requires ("./yargs.cjs") are resolved from where it is.
      const bundle = { exports: {} as { start?: unknown } };
      (script.runInThisContext() as (...args: unknown[]) => void)(bundle.exports, createRequire(file), bundle, file, dir);
      // A bundle cut short can still be valid JavaScript (an empty file is): it then has no start().
      if (typeof bundle.exports.start !== "function") throw new Error(`${file} does not hold the command`);
      (bundle.exports.start as () => void)();
    },
  };
}

/** The folder of this file as installed: a link to it (--preserve-symlinks-main) is followed. */
export const installed = (): string => dirname(realpathSync(__filename));

if (require.main === module) {
  try {
    app(installed()).run();
  } catch (e) {
    process.stderr.write(`anypoint-m2: cannot start: ${(e as Error).message.split("\n")[0]}. The installation is incomplete: install anypoint-m2 again.\n`);
    process.exit(1);
  }
}
