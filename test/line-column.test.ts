// lineColumn against the plain definition: LF, CR LF and a lone CR each end a line; first call and indexed call.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lineColumn } from "../src/errors";

function naive(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text[i];
    if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

describe("lineColumn", () => {
  it("agrees with the definition on texts of LF, CR, CR LF and other characters, at every offset", () => {
    const text = fc.array(fc.constantFrom("\n", "\r", "\r\n", "a", "é", "<"), { maxLength: 40 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, (t) => {
        // Twice over: the first call scans, the next ones use the index.
        for (let pass = 0; pass < 2; pass++) for (let o = 0; o <= t.length; o++) expect(lineColumn(t, o)).toEqual(naive(t, o));
        // A new text starts again from a scan.
        lineColumn(`${t}x`, 0);
      }),
      { numRuns: 300 },
    );
  });
});
