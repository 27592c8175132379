// Edits in multi-byte encoded files land on the right bytes wherever they fall, right next to a multi-byte
// character included: what setup adds there, remove takes out again, byte for byte.
import { describe, expect, it } from "vitest";
import { applyEdits } from "../src/xml/edit";
import { decodeXml } from "../src/xml/encoding";
import { upsertServer, removeServer } from "../src/settings/servers";
import { removeBytes, upsertBytes } from "./helpers/engine";

/** 中 in each multi-byte encoding anypoint-m2 edits (checked below against Node's decoder). */
const MIDDLE: Record<string, number[]> = {
  GBK: [0xd6, 0xd0],
  GB2312: [0xd6, 0xd0],
  GB18030: [0xd6, 0xd0],
  Big5: [0xa4, 0xa4],
  Shift_JIS: [0x92, 0x86],
  "windows-31j": [0x92, 0x86],
  "EUC-JP": [0xc3, 0xe6],
  "EUC-KR": [0xf1, 0xe9],
};

/** The file for `body` (ASCII, with 中 standing for the encoding's bytes) in `encoding`. */
function file(encoding: string, body: string): Buffer {
  const xml = `<?xml version="1.0" encoding="${encoding}"?>\n<settings>\n${body}\n</settings>\n`;
  return Buffer.concat(xml.split("中").flatMap((part, i) => (i === 0 ? [Buffer.from(part)] : [Buffer.from(MIDDLE[encoding]!), Buffer.from(part)])));
}

const SERVER = { id: "anypoint-exchange-v3", username: "~~~Client~~~", password: "id~?~s&<>" };

// Where the change lands right after (or right before) 中, with no tag or line break in between; `back`:
// removing the server gives back the very bytes (not where setup had to create or open up <servers>).
// Next to 中 inside <servers>, the file is refused: Maven's settings builder stops at text in a list.
const PLACES: Record<string, { body: string; back: boolean }> = {
  "into <servers/> next to 中": { body: "  中<servers/>中", back: false },
  "a <servers> after 中": { body: "中<localRepository>/m2</localRepository>中", back: false },
};

/** The text `edit` makes of `bytes`, computed on the text alone. */
const textAfter = (bytes: Uint8Array, edit: (text: string) => { edits: Parameters<typeof applyEdits>[1] }): string => {
  const text = decodeXml(bytes).text;
  return applyEdits(text, edit(text).edits);
};

describe("edits next to multi-byte characters", () => {
  it("has the character right in every encoding", () => {
    for (const encoding of Object.keys(MIDDLE)) expect(decodeXml(file(encoding, "中")).text).toContain("\n中\n");
  });

  for (const encoding of Object.keys(MIDDLE)) {
    for (const [place, { body, back }] of Object.entries(PLACES)) {
      it(`${encoding}: setup adds ${place}, and remove takes it out`, () => {
        const before = file(encoding, body);
        const added = upsertBytes(before, SERVER);
        expect(added.change).toBe("added");
        expect(decodeXml(added.bytes).text).toBe(textAfter(before, (text) => upsertServer(text, SERVER, "update")));
        const removed = removeBytes(added.bytes, SERVER.id);
        expect(removed.change).toBe("removed");
        expect(decodeXml(removed.bytes).text).toBe(textAfter(added.bytes, (text) => removeServer(text, SERVER.id)));
        if (back) expect(Buffer.compare(removed.bytes, before)).toBe(0);
      });
    }

    it(`${encoding}: 中 directly inside <servers> is refused, as Maven stops at it`, () => {
      const before = file(encoding, `  <servers>\n    <server><id>a</id></server>中<server><id>${SERVER.id}</id></server>中\n  </servers>`);
      expect(() => removeBytes(before, SERVER.id)).toThrow(/<servers> holds text between its elements/);
      expect(() => upsertBytes(file(encoding, "  <servers>\n    <server><id>a</id></server>中</servers>"), SERVER)).toThrow(/<servers> holds text/);
    });
  }
});
