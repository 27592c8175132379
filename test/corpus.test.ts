// Every public settings.xml of the shared corpus (an external conformance suite, skipped without it; see
// test/helpers/corpus.ts): add, add again, remove, update; each malformed file refused for its own reason.
// @module-tag corpus
import { describe, expect, it } from "vitest";
import { Exit, M2Error } from "../src/errors";
import { listServers } from "../src/settings/list";
import { decodeXml } from "../src/xml/encoding";
import { corpus, corpusSources, hasCorpus } from "./helpers/corpus";
import { insertedBlock, removalRestores, upsertBytes } from "./helpers/engine";
import { oracleServers, validates } from "./helpers/oracle";
import { sample, SOURCES_ROWS, sourcesTraitRows, TRAITS } from "./helpers/traits";

const files = corpus();
const wellFormed = files.filter((f) => !f.malformed);
const NEW = { id: "anypoint-m2-corpus-test", username: "~~~Client~~~", password: "0123abcd~?~s&<>\"'Äé漢" };
const text = (bytes: Uint8Array) => decodeXml(bytes).text;

/** The file names in one of SOURCES.md's tables ("## Well-formed files", "## Malformed upstream"). */
function listed(section: string): string[] {
  const body = corpusSources().split(/^## /m).find((s) => s.startsWith(section)) ?? "";
  return [...body.matchAll(/^\| (\d\d-[^|]+\.xml) \|/gm)].map((m) => m[1]!);
}

/**
 * Why each malformed file is refused: our position (1-based columns) and message. `upstream` is the line
 * of the error Python's expat reported for SOURCES.md, an independent reading of the same bytes.
 */
const MALFORMED: Record<string, { line: number; column: number; message: string }> = {
  "56-0xbaitan-otaku101-sfdc-supply-sapi-app.xml": { line: 1, column: 5, message: "the XML declaration <?xml ...?> is allowed only at the very start of the file" },
  "57-warrenc5-nexus-maven-settings.xml": { line: 261, column: 1, message: "expected </servers> (opened at line 29, column 5) but found </settings>" },
  "58-MulesoftBrains-MB-PAPI.xml": { line: 2, column: 57, message: "malformed start tag <settings>: expected whitespace, '>' or '/>'" },
  "59-Jyoti0201-hig-poc-api-repo.xml": { line: 9, column: 3, message: "expected </servers> (opened at line 2, column 2) but found </server>" },
  "60-ArindamCts007-order-api-sapi.xml": { line: 8, column: 3, message: "a second root element <servers> (a file has exactly one, here <pluginGroups>)" },
};

describe.skipIf(!hasCorpus)("corpus", () => {
  it("holds exactly the files SOURCES.md lists, the malformed ones apart", () => {
    const malformed = listed("Malformed upstream");
    expect(malformed).toEqual(Object.keys(MALFORMED));
    expect(files.map((f) => f.name)).toEqual([...listed("Well-formed files"), ...malformed].sort());
    expect(files.filter((f) => f.malformed).map((f) => f.name)).toEqual(malformed);
  });

  // The trait recognisers the engine fixtures are checked with, checked here against the real files.
  const rows = hasCorpus ? sourcesTraitRows(corpusSources()) : [];
  it("maps every trait SOURCES.md counts to a recogniser", () => {
    expect(rows.length).toBeGreaterThan(30);
    expect(rows.map((r) => r.label).filter((label) => !(label in SOURCES_ROWS))).toEqual([]);
  });
  // Indentation classes depend on which lines one counts (SOURCES.md counts a tab-aligned attribute line as
  // tabs only): for those, only whether the corpus has the trait at all must agree.
  const approximate = new Set(["indent: tabs only", "indent: tabs and spaces"]);
  const samples = files.map((f) => sample(f.bytes));
  it.each(rows.filter((r) => SOURCES_ROWS[r.label]).map((r) => [r.label, r] as const))("recognises %s in as many files as SOURCES.md counts", (_, row) => {
    const trait = TRAITS.find((t) => t.name === SOURCES_ROWS[row.label])!;
    expect(trait).toBeDefined();
    const found = samples.filter((s) => trait.has(s)).length;
    if (approximate.has(trait.name)) expect(found > 0).toBe(row.count > 0);
    else expect(found).toBe(row.count);
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
      while (prefix < b.length && b[prefix] === a[prefix]) prefix++;
      let suffix = 0;
      while (suffix < b.length - prefix && b[b.length - 1 - suffix] === a[a.length - 1 - suffix]) suffix++;
      // The changed region lies inside the <server> that holds the id.
      const serverStart = b.lastIndexOf("<server>", prefix);
      const serverEnd = b.indexOf("</server>", b.length - suffix);
      expect(serverStart).toBeGreaterThanOrEqual(0);
      expect(serverEnd).toBeGreaterThan(serverStart);
      expect(b.indexOf("</server>", serverStart)).toBe(serverEnd);
      expect(b.subarray(serverStart, serverEnd).toString("utf8")).toContain(id);
      const oldServers = oracleServers(text(before));
      const newServers = oracleServers(text(updated.bytes));
      const index = oldServers.findIndex((s) => s.id === id);
      expect(newServers[index]).toEqual({ ...oldServers[index], username: NEW.username, password: NEW.password });
      expect(newServers.filter((_, i) => i !== index)).toEqual(oldServers.filter((_, i) => i !== index));
    });
  });

  it.each(files.filter((f) => f.malformed).map((f) => [f.name, f] as const))("refuses malformed %s for its own reason, at its place", (name, file) => {
    let caught: unknown;
    try {
      upsertBytes(file.bytes, NEW);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(M2Error);
    const e = caught as M2Error;
    expect({ exitCode: e.exitCode, line: e.details.line, column: e.details.column, message: e.message }).toEqual({ exitCode: Exit.unsafe, ...MALFORMED[name] });
    const upstream = new RegExp(`^\\| ${name} \\|.*?: line (\\d+), column \\d+ \\|`, "m").exec(corpusSources());
    expect(Number(upstream?.[1])).toBe(e.details.line);
  });
});
