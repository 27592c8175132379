// XmlElement.forEachChildField: the pass serversWithId makes over thousands of <server> elements.
import { describe, expect, it } from "vitest";
import { scanXml } from "../src/xml/scan";

const seen = (xml: string, name: string, field: string) => {
  const out: [string, string | undefined][] = [];
  const root = scanXml(xml).root;
  root.forEachChildField(name, field, (from, to, row) => out.push([xml.slice(root.row(row).start, root.row(row).openEnd), from < 0 ? undefined : xml.slice(from, to)]));
  return out;
};

describe("forEachChildField", () => {
  it("gives each child of that name, in order, with the content of its first field of that name", () => {
    const xml = `<s><x a="1"><y>one</y><y>two</y></x><z><y>not a x</y></z><x a="2"><w/><y> <!-- c --> b </y></x><x a="3"/></s>`;
    expect(seen(xml, "x", "y")).toEqual([
      ['<x a="1">', "one"],
      ['<x a="2">', " <!-- c --> b "],
      ['<x a="3"/>', undefined],
    ]);
  });

  it("gives nothing for a name the document does not hold, and no field for a field name it does not hold", () => {
    const xml = "<s><x><y>1</y></x></s>";
    expect(seen(xml, "q", "y")).toEqual([]);
    expect(seen(xml, "x", "q")).toEqual([["<x>", undefined]]);
  });

  it("gives an empty field's content as empty, a self-closing one too", () => {
    const xml = "<s><x><y></y></x><x><y/></x></s>";
    expect(seen(xml, "x", "y")).toEqual([["<x>", ""], ["<x>", ""]]);
  });
});
