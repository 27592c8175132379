// Table-driven engine tests: each folder under fixtures/engine holds before.xml, case.json and, for a
// successful change, the exact expected after.xml.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { M2Error } from "../src/errors";
import { readSettings } from "../src/settings/model";
import { decodeXml } from "../src/xml/encoding";
import { corpus, hasCorpus } from "./helpers/corpus";
import { opensUpEmptySection, removalRestores, removeBytes, upsertBytes } from "./helpers/engine";
import { sample, TRAITS } from "./helpers/traits";

interface Case {
  op: "upsert" | "remove";
  server?: { id: string; username: string; password: string };
  id?: string;
  onExisting?: "update" | "keep" | "fail";
  change?: string;
  warnings?: string[];
  error?: { exitCode: number; message: string; line?: number; column?: number };
}

const root = join(import.meta.dirname, "..", "fixtures", "engine");
const cases = readdirSync(root).sort();

// Every trait of real settings files, recognised in the fixtures' content: in a file the engine edits
// (it has after.xml) or, for a malformed one, in a file it refuses. No trait depends on the shared corpus.
const fixtures = cases.map((name) => ({
  name,
  sample: sample(readFileSync(join(root, name, "before.xml"))),
  edited: existsSync(join(root, name, "after.xml")),
}));

describe("the engine fixtures have every trait", () => {
  it.each(TRAITS.map((t) => [t.name, t] as const))("%s", (_, trait) => {
    const having = fixtures.filter((f) => f.edited === (trait.kind === "edit") && trait.has(f.sample)).map((f) => f.name);
    expect(having, `no fixture ${trait.kind === "edit" ? "the engine edits" : "the engine refuses"} has this trait`).not.toEqual([]);
    // A recogniser that matched everything would prove nothing.
    expect(fixtures.some((f) => !trait.has(f.sample))).toBe(true);
  });
});

describe("engine fixtures", () => {

  it.each(cases)("%s", (name) => {
    const dir = join(root, name);
    const c = JSON.parse(readFileSync(join(dir, "case.json"), "utf8")) as Case;
    const before = readFileSync(join(dir, "before.xml"));
    const run = () => (c.op === "upsert" ? upsertBytes(before, c.server!, c.onExisting) : removeBytes(before, c.id!));
    if (c.error) {
      let caught: unknown;
      try {
        run();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(M2Error);
      const e = caught as M2Error;
      expect(e.message).toContain(c.error.message);
      expect({ exitCode: e.exitCode, line: e.details.line, column: e.details.column }).toEqual({
        exitCode: c.error.exitCode,
        line: c.error.line ?? e.details.line,
        column: c.error.column ?? e.details.column,
      });
      expect(existsSync(join(dir, "after.xml"))).toBe(false);
      return;
    }
    const result = run();
    const expected = readFileSync(join(dir, "after.xml"));
    expect(Buffer.from(result.bytes).toString("latin1")).toBe(expected.toString("latin1"));
    expect(result.change).toBe(c.change);
    if (c.warnings) {
      expect(c.warnings.length).toBeGreaterThan(0);
      for (const w of c.warnings) expect(result.warnings.join("\n")).toContain(w);
    } else expect(result.warnings).toEqual([]);
    // Applying the same operation again changes nothing.
    const again = c.op === "upsert" ? upsertBytes(result.bytes, c.server!, c.onExisting) : removeBytes(result.bytes, c.id!);
    expect(again.change).toBe("unchanged");
    expect(Buffer.compare(again.bytes, result.bytes)).toBe(0);
  });
});

describe("setup then remove", () => {
  // Every settings file of the project's fixtures (and the corpus's, when it is there) that has no <servers>.
  const withoutServers = [
    ...["engine", "several", "repositories"].flatMap((folder) =>
      readdirSync(join(root, "..", folder)).map((name) => ({ name: `${folder}/${name}`, bytes: readFileSync(join(root, "..", folder, name, "before.xml")) })),
    ),
    ...corpus().filter((f) => !f.malformed),
  ].filter((f) => {
    try {
      return readSettings(decodeXml(f.bytes).text).servers === undefined;
    } catch {
      return false;
    }
  });

  it("gives back the exact bytes of a file without <servers>: the <servers> setup created goes with its last server", () => {
    expect(withoutServers.length).toBeGreaterThan(hasCorpus ? 8 : 3);
    for (const { name, bytes } of withoutServers) {
      const added = upsertBytes(bytes, { id: "anypoint-exchange-v3", username: "~~~Client~~~", password: "cid~?~sec" });
      expect(added.change, name).toBe("added");
      const removed = removeBytes(added.bytes, "anypoint-exchange-v3");
      // <settings/> is opened up to hold it, and stays so (as the repositories leave such a section).
      if (opensUpEmptySection(bytes)) expect(removalRestores(bytes, added.bytes, "anypoint-exchange-v3"), name).toBe(true);
      else expect(Buffer.from(removed.bytes).toString("latin1"), name).toBe(bytes.toString("latin1"));
    }
  });

  it("keeps a <servers> the user wrote, and one that holds anything else", () => {
    const created = Buffer.from(upsertBytes(Buffer.from("<settings>\n  <offline>false</offline>\n</settings>\n"), { id: "a", username: "u", password: "p" }).bytes).toString();
    const withComment = created.replace("<server>", "<!-- mine -->\n    <server>");
    expect(Buffer.from(removeBytes(Buffer.from(withComment), "a").bytes).toString()).toContain("<servers>\n    <!-- mine -->\n  </servers>");
    const unmarked = created.replace("  <!-- added by anypoint-m2 -->\n", "");
    expect(Buffer.from(removeBytes(Buffer.from(unmarked), "a").bytes).toString()).toBe("<settings>\n  <offline>false</offline>\n  <servers>\n  </servers>\n</settings>\n");
  });
});
