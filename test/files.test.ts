// The file layer on memfs: modes, backups, symlinks, nothing written when nothing changes, no temp files.
import { memfs } from "memfs";
import { describe, expect, it } from "vitest";
import { Exit, M2Error } from "../src/errors";
import { editSettings, planEdit, writePlan } from "../src/io/edit";
import type { Fs } from "../src/io/files";
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

  it("fills an empty settings.xml from the template, keeping the empty one as backup", async () => {
    const { fs, raw } = volume({ "/m2/settings.xml": "\n" });
    const out = await editSettings(fs, "/m2/settings.xml", add, { create: true });
    expect(out).toMatchObject({ change: "added", backup: "/m2/settings.xml.bak" });
    expect(raw.readFileSync("/m2/settings.xml", "utf8")).toContain('xmlns="http://maven.apache.org/SETTINGS/1.2.0"');
    expect(raw.readFileSync("/m2/settings.xml.bak", "utf8")).toBe("\n");
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

  it("names the file in errors about its content", async () => {
    const { fs } = volume({ "/m2/settings.xml": "<settings>\n<servers>\n</settings>\n" });
    const error = (await editSettings(fs, "/m2/settings.xml", add, { create: true }).catch((e: unknown) => e)) as M2Error;
    expect(error.exitCode).toBe(Exit.unsafe);
    expect(error.details).toMatchObject({ file: "/m2/settings.xml", line: 3, column: 1 });
  });

  it("refuses a folder as settings file with a usage error", async () => {
    const { fs } = volume({ "/m2/settings.xml/.keep": "" });
    const error = (await editSettings(fs, "/m2/settings.xml", add, { create: true }).catch((e: unknown) => e)) as M2Error;
    expect(error.exitCode).toBe(Exit.usage);
  });
});
