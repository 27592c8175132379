// Mutation fuzzing of the corpus: random byte edits. The engine either refuses with its exit code or
// produces a well-formed file that keeps every original byte; it never crashes otherwise, never hangs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Exit, M2Error } from "../src/errors";
import { decodeXml } from "../src/xml/encoding";
import { scanXml } from "../src/xml/scan";
import { corpus } from "./helpers/corpus";
import { removalRestores, upsertBytes } from "./helpers/engine";
import { validates } from "./helpers/oracle";

// The corpus, plus files in multi-byte and single-byte encodings the corpus does not have.
const extra = ["gbk-encoding", "shift-jis-encoding", "latin1-encoding", "windows-1252-encoding", "utf16le-bom"].map((name) => ({
  bytes: readFileSync(join(import.meta.dirname, "..", "fixtures", "engine", name, "before.xml")),
}));
const files = [...corpus(), ...extra];
const SNIPPETS = ["<", ">", "&", "/", "\"", "'", "<!--", "-->", "--", "]]>", "<![CDATA[", "<!DOCTYPE x>", "<?xml version=\"1.0\"?>", "<servers>", "</servers>", "<servers/>", "<server>", "</server>", "&amp;", "&#0;", "&#x1F600;", "\u0000", "\r", "\n", "\uFEFF", "é"].map((s) => Buffer.from(s, "utf8"));

type Mutation = { kind: "flip" | "delete" | "insert" | "snippet"; at: number; byte: number; snippet: number; length: number };

const mutation = fc.record({
  kind: fc.constantFrom<Mutation["kind"]>("flip", "delete", "insert", "snippet", "snippet"),
  at: fc.nat(),
  byte: fc.nat({ max: 255 }),
  snippet: fc.nat({ max: SNIPPETS.length - 1 }),
  length: fc.integer({ min: 1, max: 16 }),
});

function mutate(bytes: Buffer, mutations: Mutation[]): Buffer {
  let b = bytes;
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    if (m.kind === "flip") b = Buffer.concat([b.subarray(0, at), Buffer.from([m.byte]), b.subarray(at + 1)]);
    if (m.kind === "delete") b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.length)]);
    if (m.kind === "insert") b = Buffer.concat([b.subarray(0, at), Buffer.from([m.byte]), b.subarray(at)]);
    if (m.kind === "snippet") b = Buffer.concat([b.subarray(0, at), SNIPPETS[m.snippet]!, b.subarray(at)]);
  }
  return b;
}

const SERVER = { id: "anypoint-m2-fuzz", username: "~~~Client~~~", password: "id~?~s&<>" };

describe("mutation fuzzing of the corpus", () => {
  it("refuses with exit 5 or writes a well-formed file that keeps every byte", () => {
    let refused = 0;
    let edited = 0;
    fc.assert(
      fc.property(fc.nat({ max: files.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (index, mutations) => {
        const input = mutate(files[index]!.bytes, mutations);
        const started = performance.now();
        let result;
        try {
          result = upsertBytes(input, SERVER);
        } catch (e) {
          if (!(e instanceof M2Error) || e.exitCode !== Exit.unsafe) throw e;
          expect(e.message.length).toBeGreaterThan(0);
          refused++;
          return;
        } finally {
          expect(performance.now() - started).toBeLessThan(2000);
        }
        edited++;
        // Well-formed by our scanner and by fast-xml-parser, and only an insertion or an in-place update.
        const text = decodeXml(result.bytes).text;
        expect(() => scanXml(text)).not.toThrow();
        expect(validates(text)).toBe(true);
        if (result.change === "added") expect(removalRestores(input, result.bytes, SERVER.id)).toBe(true);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 3000) },
    );
    // Both outcomes must have happened, or the fuzzer is not exercising anything.
    expect(refused).toBeGreaterThan(100);
    expect(edited).toBeGreaterThan(100);
  }, 120_000);
});
