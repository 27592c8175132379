// Work the large-file path must not do (bench/run.mjs measures the speed itself; no test here times anything).
import { afterEach, describe, expect, it, vi } from "vitest";
import { upsertServer } from "../src/settings/servers";
import { applyEditsToBytes, decodeXml } from "../src/xml/encoding";

const server = { id: "anypoint-exchange-v3", username: "~~~Client~~~", password: "id~?~secret" };
const settings = (comment: string) =>
  Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<settings>\n  <!-- ${comment} -->\n  <servers>\n    <server><id>a</id></server>\n  </servers>\n</settings>\n`, "utf8");

/** Maps the upsert's edits onto the bytes, counting the UTF-8 length measurements made meanwhile. */
function mapEdits(bytes: Buffer): { after: string; measured: number } {
  const decoded = decodeXml(bytes);
  const { edits } = upsertServer(decoded.text, server);
  const byteLength = vi.spyOn(Buffer, "byteLength");
  const after = Buffer.from(applyEditsToBytes(bytes, decoded, edits)).toString("utf8");
  return { after, measured: byteLength.mock.calls.length };
}

describe("mapping edits onto a UTF-8 file's bytes", () => {
  afterEach(() => vi.restoreAllMocks());

  it("takes text offsets as byte offsets in an all-ASCII file, measuring nothing", () => {
    const { after, measured } = mapEdits(settings("plain"));
    expect(measured).toBe(0);
    expect(after).toContain("<server><id>a</id></server>\n    <server>\n      <id>anypoint-exchange-v3</id>");
  });

  it("measures the UTF-8 length before the edit when the file has other characters", () => {
    const { after, measured } = mapEdits(settings("Zürich 東京 😀"));
    expect(measured).toBeGreaterThan(0);
    expect(after).toContain("<!-- Zürich 東京 😀 -->");
    expect(after).toContain("<server><id>a</id></server>\n    <server>\n      <id>anypoint-exchange-v3</id>");
  });
});
