// settings-security.xml as Maven 3.8.7 reads it, judged by its own strict reader (plexus-sec-dispatcher's
// SecurityConfigurationXpp3Reader, through test/maven/CipherProbe.java): many generated files and the
// hand-made ones Maven rejects without a word, each accepted by parseSecurity exactly when Maven reads it,
// with the same <master> and <relocation>.
// @module-tag maven
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { M2Error } from "../src/errors";
import { parseSecurity, type SecuritySettings } from "../src/maven/security";
import { decodeXml } from "../src/xml/encoding";
import { compileProbe, type Probe } from "./helpers/maven";

let probe: Probe;
beforeAll(() => {
  probe = compileProbe("CipherProbe");
});

type Reading = { ok: SecuritySettings } | { refused: string };

const unb64 = (s: string) => Buffer.from(s, "base64").toString("utf8");

/** What Maven's strict reader makes of each file. */
function maven(files: string[]): Reading[] {
  const answers = probe.ask(files.map((f) => ["read", Buffer.from(f, "utf8").toString("base64")].join("\t")));
  return answers.map((answer) => {
    if (!answer.startsWith("ok ")) return { refused: answer };
    const [, master, relocation] = answer.split(" ");
    return { ok: { ...(master !== "-" ? { master: unb64(master!) } : {}), ...(relocation !== "-" ? { relocation: unb64(relocation!) } : {}) } };
  });
}

/** What we make of it, from the same bytes; a refusal must say where. */
function ours(file: string): Reading {
  try {
    return { ok: parseSecurity(decodeXml(Buffer.from(file, "utf8")).text) };
  } catch (e) {
    if (!(e instanceof M2Error)) throw e;
    if (e.details.line === undefined) return { refused: `no line: ${e.message}` };
    return { refused: e.message };
  }
}

/** Compares, file by file; the mismatches, for a readable failure. */
function differences(files: string[]): { file: string; maven: Reading; ours: Reading }[] {
  const judged = maven(files);
  return files
    .map((file, i) => ({ file, maven: judged[i]!, ours: ours(file) }))
    .filter(({ maven, ours }) => ("ok" in maven) !== ("ok" in ours) || ("ok" in maven && "ok" in ours && (maven.ok.master !== ours.ok.master || maven.ok.relocation !== ours.ok.relocation)));
}

// The pieces files are made of: mostly what Maven reads, with a fair share of what it rejects in every place.
const space = fc.constantFrom("", " ", "\n  ", "\t", "\r\n");
const between = fc.oneof(
  { weight: 8, arbitrary: space },
  { weight: 2, arbitrary: fc.constantFrom("<!-- c -->", "<?pi x?>", "<![CDATA[ ]]>", "&#32;", "&#9;\n", "&#13;", " <!-- a --> \n") },
  { weight: 1, arbitrary: fc.constantFrom("x", "&#160;", "&amp;", "<![CDATA[y]]>", " ; ", "&#x85;") },
);
const value = fc.constantFrom(
  "{abc=}", " v ", "a&amp;b", "<![CDATA[c]]>", "x<!-- c -->y", "", "&#10;v&#9;", "a<?p?>b", " <![CDATA[ d ]]> ", "/p/s.xml", "<!--only-->",
  "<b/>", "x<b>y</b>z",
);
const fieldAttributes = fc.constantFrom("", "", "", ' a="1"', ' xmlns="u"', ' x:a="1"');
const classAttributes = fc.constantFrom("", "", "", "", "", ' a="1"', ' xmlns="u"', ' x:a="1"', ' xmlns:x="u"', " xml:lang='en'", ' xsi:schemaLocation="a b"', ' a="x y=z"');
const unknown = fc.constantFrom("<foo/>", "<extra>x</extra>", "<modelVersion>4.0</modelVersion>", "<Master>x</Master>", "<configuration/>", "<property/>");

const element = (name: string, attributes: string, content: string, selfClosing: boolean) =>
  content === "" && selfClosing ? `<${name}${attributes}/>` : `<${name}${attributes}>${content}</${name}>`;
const field = (name: string) => fc.tuple(fieldAttributes, value, fc.boolean()).map(([a, v, s]) => element(name, a, v, s));
/** Children with what may come between and after them. */
const content = (child: fc.Arbitrary<string>, maxLength: number) =>
  fc.tuple(fc.array(fc.tuple(between, child), { maxLength }), between).map(([items, last]) => items.map(([b, c]) => b + c).join("") + last);
const list = (name: string, item: fc.Arbitrary<string>) =>
  fc.tuple(fieldAttributes, content(fc.oneof({ weight: 6, arbitrary: item }, { weight: 1, arbitrary: unknown }), 2), fc.boolean()).map(([a, c, s]) => element(name, a, c, s));
const modelClass = (name: string, fields: fc.Arbitrary<string>[], maxLength: number) =>
  fc
    .tuple(classAttributes, content(fc.oneof(...fields.map((f) => ({ weight: 4, arbitrary: f })), { weight: 1, arbitrary: unknown }), maxLength), fc.boolean())
    .map(([a, c, s]) => element(name, a, c, s));

const property = modelClass("property", [field("name"), field("value")], 2);
const configuration = modelClass("configuration", [field("name"), list("properties", property)], 2);
const root = fc
  .tuple(fc.constantFrom("settingsSecurity", "settingsSecurity", "settingsSecurity", "settingsSecurity", "settingssecurity", "x:settingsSecurity"), classAttributes)
  .chain(([name, attributes]) =>
    content(fc.oneof({ weight: 4, arbitrary: field("master") }, { weight: 2, arbitrary: field("relocation") }, { weight: 2, arbitrary: list("configurations", configuration) }, { weight: 1, arbitrary: unknown }), 3).map(
      (c) => element(name, attributes, c, true),
    ),
  );
const file = fc
  .tuple(
    fc.constantFrom("", "", '<?xml version="1.0"?>\n', '<?xml version="1.0" encoding="UTF-8"?>\n', '<?xml version="1.1"?>\n', "<!-- mine -->\n", "\uFEFF"),
    root,
    fc.constantFrom("", "\n", "\n<!-- end -->\n", "\nx", "<a/>"),
  )
  .map(([prolog, r, epilog]) => prolog + r + epilog);

describe("Maven's strict reader decides which security files are read", () => {
  it("on 2000 generated files, we accept exactly those Maven reads, with the same <master> and <relocation>", () => {
    const files = fc.sample(file, { seed: 20240607, numRuns: 2000 });
    const judged = maven(files);
    // The generator must reach both outcomes often, or the comparison below says little.
    expect(judged.filter((r) => "ok" in r).length).toBeGreaterThan(200);
    expect(judged.filter((r) => "refused" in r).length).toBeGreaterThan(300);
    expect(differences(files)).toEqual([]);
  });

  const MASTER = "<master>{abc}</master>";
  it.each([
    ["an unknown attribute on the root", `<settingsSecurity a="1">${MASTER}</settingsSecurity>`, /attribute .* does not know, a/],
    ["two <configurations>", `<settingsSecurity>${MASTER}<configurations/><configurations/></settingsSecurity>`, /<configurations> in <settingsSecurity> appears twice/],
    ["an unknown element inside <configurations>", `<settingsSecurity>${MASTER}<configurations><foo/></configurations></settingsSecurity>`, /<foo> in <configurations> is not an element/],
    ["an unknown element inside a <configuration>", `<settingsSecurity>${MASTER}<configurations><configuration><foo/></configuration></configurations></settingsSecurity>`, /<foo> in <configuration> in <configurations> is not an element/],
    ["an unknown attribute on a <configuration>", `<settingsSecurity>${MASTER}<configurations><configuration xmlns="u"/></configurations></settingsSecurity>`, /attribute .* does not know, xmlns/],
    ["an unknown element inside a <property>", `<settingsSecurity>${MASTER}<configurations><configuration><properties><property><x/></property></properties></configuration></configurations></settingsSecurity>`, /<x> in <property>/],
    ["text in the root", `<settingsSecurity>\n  ${MASTER} text\n</settingsSecurity>`, /<settingsSecurity> holds text between its elements/],
    ["text in <configurations>", `<settingsSecurity>${MASTER}<configurations>t</configurations></settingsSecurity>`, /<configurations> in <settingsSecurity> holds text/],
    ["a non-breaking space (not white space to Maven) in the root", `<settingsSecurity>&#160;${MASTER}</settingsSecurity>`, /holds text between its elements/],
    ["an element inside <master>", `<settingsSecurity><master>{abc}<b/></master></settingsSecurity>`, /<master> in <settingsSecurity> holds an element, <b>/],
    ["an element inside <relocation>", `<settingsSecurity><relocation><b/>/p/s.xml</relocation></settingsSecurity>`, /<relocation> in <settingsSecurity> holds an element/],
    ["<master> twice", `<settingsSecurity>${MASTER}${MASTER}</settingsSecurity>`, /<master> in <settingsSecurity> appears twice/],
  ])("%s: Maven rejects the file, and so do we, saying why and where", (_name, text, reason) => {
    expect(maven([text])[0]).toMatchObject({ refused: expect.stringMatching(/^fail: /) });
    const reading = ours(text);
    expect(reading).toMatchObject({ refused: expect.stringMatching(reason) });
    expect((reading as { refused: string }).refused).toContain("Maven 3's reader rejects the file");
  });

  it.each([
    ["a namespace on the root, and prefixed attributes", `<settingsSecurity xmlns="http://codehaus-plexus.github.io/plexus-sec-dispatcher/4.0.0" xmlns:x="u" x:a="1">${MASTER}</settingsSecurity>`],
    ["attributes on a value, which Maven does not look at", `<settingsSecurity><master a="1">{abc}</master><configurations b="2"/></settingsSecurity>`],
    ["comments, a processing instruction and whitespace CDATA between elements", `<settingsSecurity> <!-- c --> <?p x?> <![CDATA[ \t]]>&#32;${MASTER}</settingsSecurity>`],
    ["a value in pieces: text, a comment, CDATA", `<settingsSecurity><master> {a<!-- c -->b<![CDATA[c]]>} </master></settingsSecurity>`],
    ["a full <configurations>", `<settingsSecurity>${MASTER}<configurations><configuration><name>n</name><properties><property><name>a</name><value>b</value></property></properties></configuration><configuration/></configurations></settingsSecurity>`],
  ])("%s: Maven reads the file, and so do we, with the same values", (_name, text) => {
    const judged = maven([text])[0]!;
    expect(judged).toMatchObject({ ok: expect.anything() });
    expect(ours(text)).toEqual(judged);
  });
});
