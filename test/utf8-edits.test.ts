// Edits land on the right bytes of a UTF-8 file, whatever characters come before them: the bytes are those
// of the edited text, encoded, and nothing outside the edits changes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { upsertServer } from "../src/settings/servers";
import { applyEdits } from "../src/xml/edit";
import { applyEditsToBytes, decodeXml } from "../src/xml/encoding";

const server = { id: "anypoint-exchange-v3", username: "~~~Client~~~", password: "id~?~secret" };
const settings = (comment: string, bom: string) => `${bom}<?xml version="1.0" encoding="UTF-8"?>\n<settings>\n  <!-- ${comment} -->\n  <servers>\n    <server><id>a</id></server>\n  </servers>\n</settings>\n`;

describe("mapping edits onto a UTF-8 file's bytes", () => {
  it("gives the edited text's bytes, for a file of ASCII or any other characters, with or without a BOM", () => {
    const comment = fc.oneof(fc.string({ unit: "binary-ascii" }), fc.string({ unit: "grapheme" }), fc.constant("Zürich 東京 😀")).filter((c) => !c.includes("--") && !c.endsWith("-"));
    fc.assert(
      fc.property(comment, fc.constantFrom("", "\uFEFF"), (text, bom) => {
        const file = settings(text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/g, " "), bom);
        const bytes = Buffer.from(file, "utf8");
        const decoded = decodeXml(bytes);
        const { edits } = upsertServer(decoded.text, server);
        expect(edits.length).toBeGreaterThan(0);
        const after = Buffer.from(applyEditsToBytes(bytes, decoded, edits));
        expect(after.toString("utf8")).toBe(bom + applyEdits(decoded.text, edits));
        expect(after.toString("utf8")).toContain("<server><id>a</id></server>\n    <server>\n      <id>anypoint-exchange-v3</id>");
      }),
      { numRuns: 300 },
    );
  });
});
