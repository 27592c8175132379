// Only regular files are settings files: a device, a FIFO, a socket or a folder at the settings path (or
// behind a symlink there) is refused with exit 5 before it is opened for reading, promptly, and left as it
// was; so is a file over the size limit. Where the backup goes, a folder or a FIFO stops the run with the
// settings file untouched. Device nodes need mknod (root in CI); without it those cases are skipped, saying so.
import { spawnSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync, type Stats } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempHome } from "./helpers/cli";
import { start } from "./helpers/child";

const env = { ANYPOINT_CLIENT_ID: "0123456789abcdef0123456789abcdef", ANYPOINT_CLIENT_SECRET: "special-secret" };
const EXISTING = "<settings>\n  <servers>\n  </servers>\n</settings>\n";

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

/** Whether this machine lets us make device nodes (root, or CAP_MKNOD). */
const canMknod = ((): boolean => {
  const dir = mkdtempSync(join(tmpdir(), "anypoint-m2-mknod-"));
  try {
    return spawnSync("mknod", ["-m", "666", join(dir, "probe"), "c", "1", "3"]).status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();
const NO_MKNOD = "mknod is not permitted here (needs root or CAP_MKNOD)";

function make(command: string, ...args: string[]): void {
  const r = spawnSync(command, args);
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")}: ${r.stderr}`);
}

const kinds: Array<{ kind: string; device?: boolean; create: (path: string) => void | Promise<void> }> = [
  { kind: "a character device", device: true, create: (p) => make("mknod", "-m", "666", p, "c", "1", "3") },
  { kind: "a block device", device: true, create: (p) => make("mknod", "-m", "660", p, "b", "7", "0") },
  { kind: "a named pipe (FIFO)", create: (p) => make("mkfifo", "-m", "666", p) },
  {
    kind: "a socket",
    create: (p) =>
      new Promise<void>((resolve, reject) => {
        const server = createServer();
        servers.push(server);
        server.on("error", reject);
        server.listen(p, resolve);
      }),
  },
  { kind: "a folder", create: (p) => mkdirSync(p) },
];

/** What a node is, to check that it is still the same thing afterwards. */
const identity = (s: Stats) => ({ ino: s.ino, mode: s.mode, rdev: s.rdev });

describe("a settings path that is not a regular file", () => {
  it.for(kinds)("is refused with exit 5 when it is $kind, and left as it was", async ({ kind, device, create }, ctx) => {
    ctx.skip(Boolean(device) && !canMknod, NO_MKNOD);
    const home = tempHome();
    const path = join(home, "x");
    await create(path);
    const before = identity(lstatSync(path));
    const { code, hung, stderr } = await start(["setup", "--no-verify", "--yes", "--settings", path], { home, env }).ended;
    expect(hung).toBe(false);
    expect(code).toBe(5);
    expect(stderr).toContain(`${path} is ${kind}, not a settings file`);
    expect(stderr).not.toContain(env.ANYPOINT_CLIENT_SECRET);
    expect(identity(lstatSync(path))).toEqual(before);
    expect(readdirSync(home)).toEqual(["x"]);
  });

  it.for(kinds)("is refused with exit 5 behind a symbolic link when it is $kind, by list as well", async ({ kind, device, create }, ctx) => {
    ctx.skip(Boolean(device) && !canMknod, NO_MKNOD);
    const home = tempHome();
    const target = join(home, "node");
    await create(target);
    const before = identity(lstatSync(target));
    const link = join(home, "settings.xml");
    symlinkSync(target, link);
    for (const args of [["setup", "--no-verify", "--yes"], ["list"]]) {
      const { code, hung, stderr } = await start([...args, "--settings", link], { home, env }).ended;
      expect(hung).toBe(false);
      expect(code).toBe(5);
      expect(stderr).toContain(`${link} (a link to ${target}) is ${kind}, not a settings file`);
    }
    expect(identity(lstatSync(target))).toEqual(before);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readdirSync(home).sort()).toEqual(["node", "settings.xml"]);
  });
});

describe("a settings folder that cannot be made", () => {
  // Node's recursive mkdirSync spins for ever there (mkdir keeps failing with ENOENT under /proc/self), deaf
  // to TERM and INT while it does.
  it.runIf(statSync("/proc/self", { throwIfNoEntry: false })?.isDirectory())("under /proc/self: exit 6 naming the folder, at once", async () => {
    const home = tempHome();
    const { code, hung, stderr } = await start(["setup", "--no-verify", "--yes", "--settings", "/proc/self/nope/settings.xml"], { home, env }, 10_000).ended;
    expect(hung).toBe(false);
    expect(code).toBe(6);
    expect(stderr).toContain("mkdir '/proc/self/nope'");
  });

  it("through a link to nowhere: exit 6, saying mkdir could not make it", async () => {
    const home = tempHome();
    symlinkSync(join(home, "nowhere"), join(home, "dangling"));
    const { code, hung, stderr } = await start(["setup", "--no-verify", "--yes", "--settings", join(home, "dangling", "sub", "settings.xml")], { home, env }, 10_000).ended;
    expect(hung).toBe(false);
    expect(code).toBe(6);
    expect(stderr).toContain(`EEXIST: file already exists, mkdir '${join(home, "dangling")}'`);
  });
});

describe("a settings file over the size limit", () => {
  it("is refused with exit 5 saying so, from its size, without reading it", async () => {
    const home = tempHome();
    const path = join(home, "settings.xml");
    writeFileSync(path, EXISTING);
    truncateSync(path, 300 * 1024 * 1024); // sparse: no disk used
    const { code, hung, stderr } = await start(["setup", "--no-verify", "--yes", "--settings", path], { home, env }).ended;
    expect(hung).toBe(false);
    expect(code).toBe(5);
    expect(stderr).toContain(`${path} is 300 MiB; a settings file may be at most 256 MiB`);
    expect(statSync(path).size).toBe(300 * 1024 * 1024);
    expect(readdirSync(home)).toEqual(["settings.xml"]);
  });
});

describe("where the backup goes", () => {
  it.each([
    ["a folder", (p: string) => mkdirSync(p)],
    ["a named pipe (FIFO)", (p: string) => make("mkfifo", p)],
  ])("%s stops the run with exit 6 naming it; the settings file is not changed", async (kind, create) => {
    const home = tempHome();
    const path = join(home, "settings.xml");
    writeFileSync(path, EXISTING);
    create(`${path}.bak`);
    const before = identity(lstatSync(`${path}.bak`));
    const { code, hung, stderr } = await start(["setup", "--no-verify", "--yes", "--settings", path], { home, env }).ended;
    expect(hung).toBe(false);
    expect(code).toBe(6);
    expect(stderr).toContain(`could not save the previous version as ${path}.bak: it is ${kind}`);
    expect(stderr).toContain(`${path} was not changed.`);
    expect(stderr).not.toContain("is a folder, not a settings file");
    expect(readFileSync(path, "utf8")).toBe(EXISTING);
    expect(identity(lstatSync(`${path}.bak`))).toEqual(before);
    expect(readdirSync(home).sort()).toEqual(["settings.xml", "settings.xml.bak"]);
  });
});
