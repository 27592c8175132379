// Every public settings.xml of the corpus: add, add again, remove, update; malformed files refused.
import { describe, expect, it } from "vitest";
import { Exit, M2Error } from "../src/errors";
import { listServers } from "../src/settings/list";
import { decodeXml } from "../src/xml/encoding";
import { corpus } from "./helpers/corpus";
import { insertedBlock, removalRestores, upsertBytes } from "./helpers/engine";
import { oracleServers, validates } from "./helpers/oracle";

const files = corpus();
const wellFormed = files.filter((f) => !f.malformed);
const NEW = { id: "anypoint-m2-corpus-test", username: "~~~Client~~~", password: "0123abcd~?~s&<>\"'Äé漢" };
const text = (bytes: Uint8Array) => decodeXml(bytes).text;

describe("corpus", () => {
  it("has the 60 files SOURCES.md lists, 5 of them malformed", () => {
    expect(files).toHaveLength(60);
    expect(files.filter((f) => f.malformed)).toHaveLength(5);
  });

  describe.each(wellFormed.map((f) => [f.name, f] as const))("%s", (_, file) => {
    const before = file.bytes;
    const added = upsertBytes(before, NEW);

    it("adds exactly one server, keeping every original byte outside the insertion", () => {
      expect(added.change).toBe("added");
      const block = insertedBlock(before, added.bytes);
      expect(block).toBeDefined();
      expect(block!.toString("utf8")).toContain("<id>anypoint-m2-corpus-test</id>");
      const after = text(added.bytes);
      expect(validates(after)).toBe(true);
      const servers = oracleServers(after);
      expect(servers).toHaveLength(oracleServers(text(before)).length + 1);
      expect(servers.filter((s) => s.id === NEW.id)).toEqual([{ id: NEW.id, username: NEW.username, password: NEW.password }]);
    });

    it("changes nothing when run again", () => {
      const again = upsertBytes(added.bytes, NEW);
      expect(again.change).toBe("unchanged");
      expect(Buffer.compare(again.bytes, added.bytes)).toBe(0);
    });

    it("gives back the original bytes when the server is removed", () => {
      expect(removalRestores(before, added.bytes, NEW.id)).toBe(true);
    });

    const existing = listServers(text(before)).find((s) => s.id !== null && !s.shadowed);
    if (existing) it("updates an existing id by changing only that server's username and password text", () => {
      const id = existing!.id!;
      const updated = upsertBytes(before, { ...NEW, id });
      expect(updated.change).toBe("updated");
      const b = Buffer.from(before);
      const a = Buffer.from(updated.bytes);
      let prefix = 0;
      while (b[prefix] === a[prefix]) prefix++;
      let suffix = 0;
      while (suffix < b.length - prefix && b[b.length - 1 - suffix] === a[a.length - 1 - suffix]) suffix++;
      // The changed region lies inside the <server> that holds the id.
      const serverStart = b.lastIndexOf("<server>", prefix);
      const serverEnd = b.indexOf("</server>", b.length - suffix) ;
      expect(serverStart).toBeGreaterThanOrEqual(0);
      expect(b.subarray(serverStart, serverEnd).toString("utf8")).toContain(id);
      const oldServers = oracleServers(text(before));
      const newServers = oracleServers(text(updated.bytes));
      const index = oldServers.findIndex((s) => s.id === id);
      expect(newServers[index]).toEqual({ ...oldServers[index], username: NEW.username, password: NEW.password });
      expect(newServers.filter((_, i) => i !== index)).toEqual(oldServers.filter((_, i) => i !== index));
    });
  });

  it.each(files.filter((f) => f.malformed).map((f) => [f.name, f] as const))("refuses malformed %s with exit 5 and a position", (_, file) => {
    let caught: unknown;
    try {
      upsertBytes(file.bytes, NEW);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(M2Error);
    expect((caught as M2Error).exitCode).toBe(Exit.unsafe);
    expect((caught as M2Error).details.line).toBeGreaterThan(0);
  });
});
