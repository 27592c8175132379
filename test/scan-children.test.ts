// XmlElement.children(name) and child(name): the one way to walk an element's children, used by every pass
// over <servers> (serversWithId over thousands of <server> elements, each with its <id>).
import { describe, expect, it } from "vitest";
import { scanXml } from "../src/xml/scan";

/** Each child named `name`, as its start tag, with the content of its first child named `field`. */
const seen = (xml: string, name: string, field: string) =>
  scanXml(xml)
    .root.children(name)
    .map((e) => {
      const f = e.child(field);
      return [xml.slice(e.start, e.openEnd), f && xml.slice(f.openEnd, f.closeStart)];
    });

describe("children and child", () => {
  it("give each child of that name, in order, with the content of its first field of that name", () => {
    const xml = `<s><x a="1"><y>one</y><y>two</y></x><z><y>not a x</y></z><x a="2"><w/><y> <!-- c --> b </y></x><x a="3"/></s>`;
    expect(seen(xml, "x", "y")).toEqual([
      ['<x a="1">', "one"],
      ['<x a="2">', " <!-- c --> b "],
      ['<x a="3"/>', undefined],
    ]);
  });

  it("give nothing for a name the document does not hold, and no field for a field name it does not hold", () => {
    const xml = "<s><x><y>1</y></x></s>";
    expect(seen(xml, "q", "y")).toEqual([]);
    expect(seen(xml, "x", "q")).toEqual([["<x>", undefined]]);
  });

  it("give an empty field's content as empty, a self-closing one too", () => {
    const xml = "<s><x><y></y></x><x><y/></x></s>";
    expect(seen(xml, "x", "y")).toEqual([["<x>", ""], ["<x>", ""]]);
  });

  it("give every child, whatever its name, without a name", () => {
    const root = scanXml("<s><a/>t<b><c/></b><!-- d --><a/></s>").root;
    expect(root.children().map((e) => e.name)).toEqual(["a", "b", "a"]);
    expect(root.children("a").map((e) => e.start)).toEqual([3, 29]);
  });

  it("walk with child and next as children lists them, of a name or of any", () => {
    const root = scanXml("<s><a/>t<b><a/></b><!-- d --><a/><c/></s>").root;
    const walk = (name?: string) => {
      const out: number[] = [];
      for (let e = root.child(name); e; e = e.next(name)) out.push(e.start);
      return out;
    };
    expect(walk()).toEqual(root.children().map((e) => e.start));
    expect(walk("a")).toEqual([3, 29]);
    expect(walk("q")).toEqual([]);
    expect(root.child("b")!.next()!.name).toBe("a");
    expect(root.child("c")!.next()).toBeUndefined();
  });
});
