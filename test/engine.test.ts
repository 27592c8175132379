// Table-driven engine tests: each folder under fixtures/engine holds before.xml, case.json and, for a
// successful change, the exact expected after.xml.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { M2Error } from "../src/errors";
import { removeBytes, upsertBytes } from "./helpers/engine";
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
