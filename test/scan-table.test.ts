// The scanner's element table against the trees that generated the documents: every element's name, its four
// offsets and its children, for documents of any shape (repeated names, attributes, self-closing elements,
// comments, non-ASCII names, many more elements than the table first has room for).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scanXml, type XmlElement } from "../src/xml/scan";

interface Tree {
  name: string;
  attribute: string | undefined;
  selfClosing: boolean;
  before: string;
  children: readonly Tree[];
}

/** Where an element was written, as the scanner should find it. */
interface Written {
  name: string;
  start: number;
  openEnd: number;
  closeStart: number;
  end: number;
  children: Written[];
}

const NAMES = ["a", "b", "server", "id", "x-y", "n.1", "ns:p", "é", "_z"];
const TEXTS = ["", " ", "\n  ", "text", "a &amp; b", "<!-- c -->", "<![CDATA[<x>]]>", "&#233;", "<?pi x?>"];

const tree = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.record({
    name: fc.constantFrom(...NAMES),
    attribute: fc.option(fc.constantFrom(' k="v"', " k='>'", ' k="1" l="2"'), { nil: undefined }),
    selfClosing: fc.boolean(),
    before: fc.constantFrom(...TEXTS),
    children: fc.oneof({ depthSize: "small", depthIdentifier: "tree" }, fc.constant([]), fc.array(tie("node"), { maxLength: 4, depthIdentifier: "tree" })),
  }),
})).node;

/** Writes the tree as XML, noting where each element went. */
function write(node: Tree, out: { text: string }): Written {
  out.text += node.before;
  const start = out.text.length;
  if (node.selfClosing && node.children.length === 0) {
    out.text += `<${node.name}${node.attribute ?? ""}/>`;
    return { name: node.name, start, openEnd: out.text.length, closeStart: out.text.length, end: out.text.length, children: [] };
  }
  out.text += `<${node.name}${node.attribute ?? ""}>`;
  const openEnd = out.text.length;
  const children = node.children.map((child) => write(child, out));
  out.text += node.before;
  const closeStart = out.text.length;
  out.text += `</${node.name}>`;
  return { name: node.name, start, openEnd, closeStart, end: out.text.length, children };
}

/** The element as the scanner's table has it, in the shape of Written. */
function read(element: XmlElement): Written {
  const { name, start, openEnd, closeStart, end } = element;
  return { name, start, openEnd, closeStart, end, children: element.children().map(read) };
}

describe("the element table", () => {
  it("holds each element's name, offsets and children as they were written", () => {
    fc.assert(
      fc.property(tree, (root) => {
        const out = { text: "" };
        const written = write({ ...root, before: "" }, out);
        expect(read(scanXml(out.text).root)).toEqual(written);
      }),
      { numRuns: 500 },
    );
  });

  it("grows past the room it starts with (one element per 4 characters)", () => {
    const children = Array.from({ length: 20_000 }, (_, i) => (i % 3 === 0 ? "<a/>" : i % 3 === 1 ? "<b></b>" : "<é/>"));
    const text = `<r>${children.join("")}</r>`;
    const root = scanXml(text).root;
    const names = root.children().map((c) => c.name);
    expect(names).toHaveLength(20_000);
    expect(names.slice(0, 4)).toEqual(["a", "b", "é", "a"]);
    const last = root.children()[19_999]!;
    expect(text.slice(last.start, last.end)).toBe("<b></b>");
    expect(root.end).toBe(text.length);
  });

  it("tells a start tag that looks like a known name apart from it", () => {
    // "a" is known once <a> has been read; `<a >`, `<a/>` and `<a k="v">` are other start tags of it.
    const text = `<r><a>1</a><a >2</a ><a/><a k="v">3</a></r>`;
    const kids = scanXml(text).root.children();
    expect(kids.map((k) => [k.name, text.slice(k.start, k.openEnd), text.slice(k.closeStart, k.end)])).toEqual([
      ["a", "<a>", "</a>"],
      ["a", "<a >", "</a >"],
      ["a", "<a/>", ""],
      ["a", '<a k="v">', "</a>"],
    ]);
  });
});
