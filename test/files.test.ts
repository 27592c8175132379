// The file layer on memfs: modes, backups, symlinks, nothing written when nothing changes, no temp files;
// what is not a settings file refused before it is read; a failed step names its path and leaves the file.
import * as nodeFs from "node:fs";
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memfs } from "memfs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Exit, M2Error } from "../src/errors";
import { editSettings, planEdit, writePlan } from "../src/io/edit";
import { MAX_SETTINGS_BYTES, readSettingsFile } from "../src/io/files";
import type { Fs } from "../src/world";
import { removeServer, upsertServer } from "../src/settings/servers";

const SERVER = { id: "anypoint-exchange-v3", username: "~~~Client~~~", password: "cid~?~secret" };
const add = (text: string) => upsertServer(text, SERVER);
const EXISTING = "<settings>\n  <servers>\n  </servers>\n</settings>\n";

function volume(files: Record<string, string> = {}) {
  const { fs, vol } = memfs(files, "/");
  return { fs: fs as unknown as Fs, vol, raw: fs };
}

const mode = (raw: ReturnType<typeof volume>["raw"], path: string) => raw.statSync(path).mode & 0o777;

describe("editSettings", () => {
  it("creates a missing ~/.m2 (0700) and settings.xml (0600) from the template, without a backup", async () => {
    const { fs, raw } = volume({ "/home/u/.keep": "" });
    const out = await editSettings(fs, "/home/u/.m2/settings.xml", add, { create: true });
    expect(out).toMatchObject({ change: "added", created: true, backup: undefined });
    expect(mode(raw, "/home/u/.m2")).toBe(0o700);
    expect(mode(raw, "/home/u/.m2/settings.xml")).toBe(0o600);
    const text = raw.readFileSync("/home/u/.m2/settings.xml", "utf8") as string;
    expect(text).toContain('xmlns="http://maven.apache.org/SETTINGS/1.2.0"');
    expect(text).toContain("<password>cid~?~secret</password>");
    expect(raw.readdirSync("/home/u/.m2")).toEqual(["settings.xml"]);
  });

  it("keeps an existing file's mode and saves its previous content as settings.xml.bak (0600)", async () => {
    const { fs, raw } = volume({ "/m2/settings.xml": EXISTING });
    raw.chmodSync("/m2/settings.xml", 0o644);
    const out = await editSettings(fs, "/m2/settings.xml", add, { create: true });
    expect(out).toMatchObject({ change: "added", created: false, backup: "/m2/settings.xml.bak", mode: 0o644 });
    expect(mode(raw, "/m2/settings.xml")).toBe(0o644);
    expect(mode(raw, "/m2/settings.xml.bak")).toBe(0o600);
    expect(raw.readFileSync("/m2/settings.xml.bak", "utf8")).toBe(EXISTING);
    expect(raw.readdirSync("/m2").sort()).toEqual(["settings.xml", "settings.xml.bak"]);
  });

  it("fills an empty settings.xml from the template, leaving an existing backup as it is", async () => {
    const { fs, raw } = volume({ "/m2/settings.xml": "\n", "/m2/settings.xml.bak": EXISTING });
    raw.chmodSync("/m2/settings.xml", 0o640);
    const out = await editSettings(fs, "/m2/settings.xml", add, { create: true });
    expect(out).toMatchObject({ change: "added", backup: undefined, created: false });
    expect(raw.readFileSync("/m2/settings.xml", "utf8")).toContain('xmlns="http://maven.apache.org/SETTINGS/1.2.0"');
    expect(mode(raw, "/m2/settings.xml")).toBe(0o640);
    // The backup may be the only copy of what the file held before a redirect emptied it.
    expect(raw.readFileSync("/m2/settings.xml.bak", "utf8")).toBe(EXISTING);
  });

  it("writes nothing, not even a backup, when nothing changes", async () => {
    const { fs, raw } = volume({ "/m2/settings.xml": EXISTING });
    await editSettings(fs, "/m2/settings.xml", add, { create: true });
    raw.unlinkSync("/m2/settings.xml.bak");
    const before = raw.statSync("/m2/settings.xml");
    const out = await editSettings(fs, "/m2/settings.xml", add, { create: true });
    expect(out.change).toBe("unchanged");
    expect(raw.readdirSync("/m2")).toEqual(["settings.xml"]);
    expect(raw.statSync("/m2/settings.xml").ino).toBe(before.ino);
  });

  it("keeps a symlinked settings.xml a symlink and updates its target", async () => {
    const { fs, raw } = volume({ "/dotfiles/maven/settings.xml": EXISTING, "/home/u/.m2/.keep": "" });
    raw.symlinkSync("../../../dotfiles/maven/settings.xml", "/home/u/.m2/settings.xml");
    const out = await editSettings(fs, "/home/u/.m2/settings.xml", add, { create: true });
    expect(out.backup).toBe("/home/u/.m2/settings.xml.bak");
    expect(raw.lstatSync("/home/u/.m2/settings.xml").isSymbolicLink()).toBe(true);
    expect(raw.readFileSync("/dotfiles/maven/settings.xml", "utf8")).toContain("<id>anypoint-exchange-v3</id>");
    expect(raw.readFileSync("/home/u/.m2/settings.xml.bak", "utf8")).toBe(EXISTING);
    expect(raw.readdirSync("/dotfiles/maven")).toEqual(["settings.xml"]);
  });

  it("creates the target of a dangling symlink", async () => {
    const { fs, raw } = volume({ "/home/u/.m2/.keep": "", "/dotfiles/.keep": "" });
    raw.symlinkSync("/dotfiles/settings.xml", "/home/u/.m2/settings.xml");
    const out = await editSettings(fs, "/home/u/.m2/settings.xml", add, { create: true });
    expect(out.created).toBe(true);
    expect(raw.lstatSync("/home/u/.m2/settings.xml").isSymbolicLink()).toBe(true);
    expect(raw.readFileSync("/dotfiles/settings.xml", "utf8")).toContain("<id>anypoint-exchange-v3</id>");
  });

  it("leaves a missing file missing when asked not to create it", async () => {
    const { fs, raw } = volume({ "/m2/.keep": "" });
    const out = await editSettings(fs, "/m2/settings.xml", (t) => removeServer(t, "x"), { create: false });
    expect(out.change).toBe("unchanged");
    expect(raw.readdirSync("/m2")).toEqual([".keep"]);
  });

  it("leaves the file as it was and no temp file behind when the rename fails (exit 6)", async () => {
    const { fs, raw } = volume({ "/m2/settings.xml": EXISTING });
    const failing: Fs = {
      ...fs,
      renameSync: (from, to) => {
        if (String(to).endsWith("settings.xml")) throw Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" });
        fs.renameSync(from, to);
      },
    };
    const error = await editSettings(failing, "/m2/settings.xml", add, { create: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(M2Error);
    expect((error as M2Error).exitCode).toBe(Exit.writeFailed);
    expect((error as M2Error).message).toContain("permission denied");
    expect(raw.readFileSync("/m2/settings.xml", "utf8")).toBe(EXISTING);
    expect(raw.readdirSync("/m2").filter((f) => String(f).endsWith(".tmp"))).toEqual([]);
  });

  it("plans without writing; writing a plan recomputes it when the file changed since", async () => {
    const { fs, raw } = volume({ "/m2/settings.xml": EXISTING });
    const plan = planEdit(fs, "/m2/settings.xml", add, true);
    expect(plan.result.change).toBe("added");
    expect(raw.readdirSync("/m2")).toEqual(["settings.xml"]);
    expect(raw.readFileSync("/m2/settings.xml", "utf8")).toBe(EXISTING);
    // Another run adds a server between the plan and the write: both servers survive.
    const other = "<settings>\n  <servers>\n    <server><id>other</id></server>\n  </servers>\n</settings>\n";
    raw.writeFileSync("/m2/settings.xml", other);
    const out = await writePlan(fs, plan, add, 1000);
    expect(out.change).toBe("added");
    const text = raw.readFileSync("/m2/settings.xml", "utf8") as string;
    expect(text).toContain("<server><id>other</id></server>");
    expect(text).toContain("<id>anypoint-exchange-v3</id>");
    expect(raw.readFileSync("/m2/settings.xml.bak", "utf8")).toBe(other);
  });

  describe("under the lock", () => {
    afterEach(() => vi.useRealTimers());
    /** `fs` that counts the reads of whole files (readFileSync). */
    const counting = (fs: Fs) => {
      const reads = { count: 0 };
      return { reads, fs: { ...fs, readFileSync: ((...a: Parameters<Fs["readFileSync"]>) => (reads.count++, fs.readFileSync(...a))) as Fs["readFileSync"] } };
    };

    it("does not read the file again when its status shows it untouched since the plan read it", async () => {
      vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-01-01T00:00:00.123Z") });
      const { fs: base, raw } = volume({ "/m2/settings.xml": EXISTING });
      vi.setSystemTime(new Date("2026-01-01T00:00:05.123Z"));
      const { fs, reads } = counting(base);
      const plan = planEdit(fs, "/m2/settings.xml", add, true);
      expect(reads.count).toBe(1);
      const out = await writePlan(fs, plan, add, 1000);
      expect(reads.count).toBe(1);
      expect(out.change).toBe("added");
      expect(raw.readFileSync("/m2/settings.xml", "utf8")).toContain("<id>anypoint-exchange-v3</id>");
      expect(raw.readFileSync("/m2/settings.xml.bak", "utf8")).toBe(EXISTING);
    });

    it("compares the bytes when the file changed just before the plan read it: a same-size change in that clock tick is kept", async () => {
      // The clock stands still: a change after the plan's read gets the same timestamps as the one before it.
      vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-01-01T00:00:00.123Z") });
      const { fs: base, raw } = volume({ "/m2/settings.xml": EXISTING });
      const { fs, reads } = counting(base);
      const plan = planEdit(fs, "/m2/settings.xml", add, true);
      raw.writeFileSync("/m2/settings.xml", "<settings>\n  <servers>\n  </servers>\n</settings>\t");
      expect(raw.statSync("/m2/settings.xml").size).toBe(EXISTING.length);
      const out = await writePlan(fs, plan, add, 1000);
      expect(reads.count).toBe(3); // the plan, the read under the lock, the new plan
      expect(out.change).toBe("added");
      expect(raw.readFileSync("/m2/settings.xml", "utf8")).toMatch(/<\/settings>\t$/);
      expect(raw.readFileSync("/m2/settings.xml.bak", "utf8")).toBe("<settings>\n  <servers>\n  </servers>\n</settings>\t");
    });
  });

  it("reports the very bytes it wrote (what --stdout prints)", async () => {
    const { fs, raw } = volume({ "/m2/settings.xml": EXISTING });
    const out = await editSettings(fs, "/m2/settings.xml", add, { create: true });
    expect(out.change).toBe("added");
    expect(Buffer.from(out.bytes).equals(raw.readFileSync("/m2/settings.xml") as Buffer)).toBe(true);
    expect(raw.readFileSync("/m2/settings.xml", "utf8")).toContain("<id>anypoint-exchange-v3</id>");
  });

  it("names the file in errors about its content", async () => {
    const { fs } = volume({ "/m2/settings.xml": "<settings>\n<servers>\n</settings>\n" });
    const error = (await editSettings(fs, "/m2/settings.xml", add, { create: true }).catch((e: unknown) => e)) as M2Error;
    expect(error.exitCode).toBe(Exit.unsafe);
    expect(error.details).toMatchObject({ file: "/m2/settings.xml", line: 3, column: 1 });
  });

  it("refuses a folder as settings file (exit 5), writing nothing", async () => {
    const { fs, raw } = volume({ "/m2/settings.xml/.keep": "" });
    const error = (await editSettings(fs, "/m2/settings.xml", add, { create: true }).catch((e: unknown) => e)) as M2Error;
    expect(error.exitCode).toBe(Exit.unsafe);
    expect(error.message).toBe("/m2/settings.xml is a folder, not a settings file");
    expect(raw.readdirSync("/m2")).toEqual(["settings.xml"]);
  });
});

const failure = (promise: Promise<unknown>): Promise<M2Error> => promise.then(() => expect.fail("expected the edit to fail"), (e: unknown) => e as M2Error);

/** `fs` whose renameSync fails with `code` when it renames onto a path ending with `suffix`. */
function failingRename(fs: Fs, suffix: string, code: string): Fs {
  return {
    ...fs,
    renameSync: (from, to) => {
      if (String(to).endsWith(suffix)) throw Object.assign(new Error(`${code}: failed`), { code });
      fs.renameSync(from, to);
    },
  };
}

describe("the backup", () => {
  it("is in place before the new content: a folder named settings.xml.bak stops the run with the file untouched, naming the folder", async () => {
    const { fs, raw } = volume({ "/m2/settings.xml": EXISTING, "/m2/settings.xml.bak/.keep": "" });
    const error = await failure(editSettings(fs, "/m2/settings.xml", add, { create: true }));
    expect(error.exitCode).toBe(Exit.writeFailed);
    expect(error.message).toBe("could not save the previous version as /m2/settings.xml.bak: it is a folder");
    expect(error.details.hint).toBe("/m2/settings.xml was not changed. Move /m2/settings.xml.bak out of the way and run again.");
    expect(raw.readFileSync("/m2/settings.xml", "utf8")).toBe(EXISTING);
    expect(raw.readdirSync("/m2").sort()).toEqual(["settings.xml", "settings.xml.bak"]);
  });

  it("failing to be renamed into place leaves the settings file untouched and names the backup", async () => {
    const { fs, raw } = volume({ "/m2/settings.xml": EXISTING });
    const error = await failure(editSettings(failingRename(fs, ".bak", "EACCES"), "/m2/settings.xml", add, { create: true }));
    expect(error.exitCode).toBe(Exit.writeFailed);
    expect(error.message).toBe("could not save the previous version as /m2/settings.xml.bak: permission denied");
    expect(error.details.hint).toMatch(/^\/m2\/settings\.xml was not changed\. /);
    expect(raw.readFileSync("/m2/settings.xml", "utf8")).toBe(EXISTING);
    expect(raw.readdirSync("/m2")).toEqual(["settings.xml"]);
  });

  it("is complete when the new content then fails to go in, and the error names the settings file", async () => {
    const { fs, raw } = volume({ "/m2/settings.xml": EXISTING });
    const error = await failure(editSettings(failingRename(fs, "/settings.xml", "ENOSPC"), "/m2/settings.xml", add, { create: true }));
    expect(error.message).toBe("could not write /m2/settings.xml: no space left on the device");
    expect(raw.readFileSync("/m2/settings.xml", "utf8")).toBe(EXISTING);
    expect(raw.readFileSync("/m2/settings.xml.bak", "utf8")).toBe(EXISTING);
    expect(raw.readdirSync("/m2").sort()).toEqual(["settings.xml", "settings.xml.bak"]);
  });

  it("is the old file itself, hard-linked (no copy), made 0600 once the new content is in; the file keeps its mode", async () => {
    const { fs, raw } = volume({ "/m2/settings.xml": EXISTING });
    raw.chmodSync("/m2/settings.xml", 0o644);
    const ino = raw.statSync("/m2/settings.xml").ino;
    const out = await editSettings(fs, "/m2/settings.xml", add, { create: true });
    expect(raw.statSync("/m2/settings.xml.bak").ino).toBe(ino);
    expect(mode(raw, "/m2/settings.xml.bak")).toBe(0o600);
    expect(mode(raw, "/m2/settings.xml")).toBe(0o644);
    expect(out.warnings).toEqual([]);
  });

  it("is a 0600 copy where a hard link is not possible", async () => {
    const { fs, raw } = volume({ "/m2/settings.xml": EXISTING });
    raw.chmodSync("/m2/settings.xml", 0o644);
    const noLinks: Fs = {
      ...fs,
      linkSync: (from, to) => {
        if (String(to).includes(".bak.")) throw Object.assign(new Error("EXDEV: cross-device link"), { code: "EXDEV" });
        fs.linkSync(from, to);
      },
    };
    await editSettings(noLinks, "/m2/settings.xml", add, { create: true });
    expect(raw.statSync("/m2/settings.xml.bak").ino).not.toBe(raw.statSync("/m2/settings.xml").ino);
    expect(mode(raw, "/m2/settings.xml.bak")).toBe(0o600);
    expect(raw.readFileSync("/m2/settings.xml.bak", "utf8")).toBe(EXISTING);
  });

  it("that cannot be made 0600 after the write is a warning, not a failure: the new content is in", async () => {
    const { fs, raw } = volume({ "/m2/settings.xml": EXISTING });
    raw.chmodSync("/m2/settings.xml", 0o644);
    const noChmod: Fs = {
      ...fs,
      chmodSync: () => {
        throw Object.assign(new Error("EPERM: operation not permitted"), { code: "EPERM" });
      },
    };
    const out = await editSettings(noChmod, "/m2/settings.xml", add, { create: true });
    expect(out).toMatchObject({ change: "added", backup: "/m2/settings.xml.bak" });
    expect(out.warnings).toEqual([
      "/m2/settings.xml.bak keeps the previous version readable by others (mode 644, as the file was): chmod failed, permission denied; run: chmod 600 /m2/settings.xml.bak",
    ]);
    expect(raw.readFileSync("/m2/settings.xml", "utf8")).toContain("<id>anypoint-exchange-v3</id>");
    expect(raw.readFileSync("/m2/settings.xml.bak", "utf8")).toBe(EXISTING);
  });
});

describe("readSettingsFile", () => {
  it("opens without waiting or taking a terminal (O_NONBLOCK, O_NOCTTY), and checks what it opened", () => {
    const { fs, raw } = volume({ "/m2/settings.xml": EXISTING });
    const flags: number[] = [];
    // The path is replaced by a folder between the check and the open: what was opened is checked again.
    const swapping: Fs = {
      ...fs,
      openSync: ((path: string, f: number) => {
        flags.push(f);
        raw.unlinkSync(path);
        raw.mkdirSync(path);
        return fs.openSync(path, f);
      }) as Fs["openSync"],
    };
    expect(() => readSettingsFile(swapping, "/m2/settings.xml")).toThrow("/m2/settings.xml is a folder, not a settings file");
    expect(flags).toHaveLength(1);
    expect(flags[0]! & nodeFs.constants.O_NONBLOCK).toBe(nodeFs.constants.O_NONBLOCK);
    expect(flags[0]! & nodeFs.constants.O_NOCTTY).toBe(nodeFs.constants.O_NOCTTY);
  });

  it("refuses a file over the size limit from its size, without reading it (exit 5)", () => {
    const dir = mkdtempSync(join(tmpdir(), "anypoint-m2-large-"));
    try {
      const path = join(dir, "settings.xml");
      writeFileSync(path, "<settings/>");
      truncateSync(path, 300 * 1024 * 1024); // sparse: no disk used
      let read = 0;
      const counting: Fs = {
        ...nodeFs,
        readSync: ((...args: Parameters<typeof nodeFs.readSync>) => (read++, nodeFs.readSync(...args))) as Fs["readSync"],
        readFileSync: ((...args: Parameters<typeof nodeFs.readFileSync>) => (read++, nodeFs.readFileSync(...args))) as Fs["readFileSync"],
      };
      let error: M2Error | undefined;
      try {
        readSettingsFile(counting, path);
      } catch (e) {
        error = e as M2Error;
      }
      expect(error?.exitCode).toBe(Exit.unsafe);
      expect(error?.message).toBe(`${path} is 300 MiB; a settings file may be at most 256 MiB`);
      expect(read).toBe(0);
      expect(MAX_SETTINGS_BYTES).toBe(256 * 1024 * 1024);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
