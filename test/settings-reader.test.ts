// settings.xml as Maven 3.8.7's settings builder reads it (DefaultSettingsBuilder through test/maven/SettingsProbe.java):
// thousands of generated files, each refused by readSettings exactly when the builder stops (a FATAL problem:
// neither its strict nor its lenient reader reads the file; or an ERROR of its validator), and given a warning
// exactly when only its strict reader fails (Maven reads on, with a WARNING).
// @module-tag maven
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { Exit, M2Error } from "../src/errors";
import { readSettings } from "../src/settings/model";
import { decodeXml } from "../src/xml/encoding";
import { corpus, hasCorpus } from "./helpers/corpus";
import { compileProbe, type Probe } from "./helpers/maven";

let probe: Probe;
const work = mkdtempSync(join(tmpdir(), "anypoint-m2-reader-"));
beforeAll(() => {
  probe = compileProbe();
}, 60_000);

type Verdict = "stops" | "warns" | "reads";

/** What Maven's builder makes of each file (its text, or a path to it): the problems it reports, the validator's own warnings (no line) left out. */
function maven(files: (string | { path: string })[]): { verdict: Verdict; problems: string[] }[] {
  const lines = files.map((file, i) => {
    if (typeof file !== "string") return `problems\t${file.path}`;
    const path = join(work, `case-${i}.xml`);
    writeFileSync(path, file);
    return `problems\t${path}`;
  });
  return probe.ask(lines).map((answer) => {
    if (!answer.startsWith("ok")) throw new Error(answer);
    const problems = answer
      .split(" ")
      .slice(1)
      .map((p) => {
        const [severity, line, column, message] = p.split(",");
        return { severity: severity!, line: Number(line), text: `${severity} ${line}:${column} ${Buffer.from(message!, "base64").toString("utf8")}` };
      });
    const stops = problems.some((p) => p.severity === "FATAL" || p.severity === "ERROR");
    const warns = problems.some((p) => p.severity === "WARNING" && p.line > 0);
    return { verdict: stops ? "stops" : warns ? "warns" : "reads", problems: problems.map((p) => p.text) };
  });
}

/** What we make of it; a refusal must be exit 5 and say where. */
function ours(file: string): { verdict: Verdict; message?: string } {
  try {
    const model = readSettings(file);
    return model.mavenWarning ? { verdict: "warns", message: model.mavenWarning.message } : { verdict: "reads" };
  } catch (e) {
    if (!(e instanceof M2Error) || e.exitCode !== Exit.unsafe) throw e;
    if (e.details.line === undefined) return { verdict: "warns", message: `a refusal without a line: ${e.message}` };
    return { verdict: "stops", message: e.message };
  }
}

// The pieces files are made of: mostly what Maven reads, with a fair share of what it stops at or warns about.
const between = fc.oneof(
  { weight: 40, arbitrary: fc.constantFrom("", "\n  ", " ", "\t", "\r\n    ") },
  { weight: 6, arbitrary: fc.constantFrom("<!-- c -->", "<?pi x?>", "<![CDATA[ ]]>", "&#32;", " <!-- a --> \n") },
  { weight: 1, arbitrary: fc.constantFrom("x", "&#160;", "&amp;", "<![CDATA[y]]>", "a<!-- c -->b") },
);
const plain = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom("a", " b ", "x&amp;y", "<![CDATA[c]]>", "v<!-- c -->w", "${env.HOME}", "1.0") },
  { weight: 1, arbitrary: fc.constantFrom("", "&#32;", " <!-- c --> ") },
);
const value = fc.oneof({ weight: 40, arbitrary: plain }, { weight: 1, arbitrary: fc.constantFrom("a<b/>", "<b>c</b>", "<b/>") });
const bool = fc.oneof({ weight: 6, arbitrary: fc.constantFrom("true", "false", " true ") }, { weight: 1, arbitrary: fc.constantFrom("abc", "", "a<b/>") });
const port = fc.oneof({ weight: 6, arbitrary: fc.constantFrom("8080", " 80 ", "+1", "-1", "0") }, { weight: 1, arbitrary: fc.constantFrom("abc", "", "99999999999", "8.0", "a<b/>") });
const fieldAttributes = fc.constantFrom("", "", "", ' a="1"');
const classAttributes = fc.constantFrom("", "", "", "", "", "", ' a="1"', ' xmlns="u"', ' x:a="1"', " xml:lang='en'");
const unknown = fc.constantFrom("<foo/>", "<extra>x</extra>", "<extra><a/><a/>t</extra>", "<Id>x</Id>");

const element = (name: string, attributes: string, content: string) => (content === "" ? `<${name}${attributes}/>` : `<${name}${attributes}>${content}</${name}>`);
const field = (name: string, values: fc.Arbitrary<string> = value) => fc.tuple(fieldAttributes, values).map(([a, v]) => element(name, a, v));
/** Children with what may come between and after them. */
const content = (child: fc.Arbitrary<string>, maxLength: number) =>
  fc.tuple(fc.array(fc.tuple(between, child), { maxLength }), between).map(([items, last]) => items.map(([b, c]) => b + c).join("") + last);
/** Null mostly, now and then a value. */
const rarely = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 30, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: a });
/** Some of the fields in any order, now and then one of them twice or an element Maven does not know. */
const modelClass = (name: string, fields: fc.Arbitrary<string>[], attributes: fc.Arbitrary<string> = classAttributes, required: fc.Arbitrary<string>[] = []) =>
  fc
    .tuple(
      attributes,
      fc.tuple(...fields, ...required).chain((values) =>
        fc.tuple(
          fc.shuffledSubarray(values.slice(0, fields.length)),
          // The validator's required fields are there, but now and then.
          fc.tuple(...values.slice(fields.length).map((v) => fc.option(fc.constant(v), { freq: 20 }))),
          rarely(fc.constantFrom(...values)),
          rarely(unknown),
          fc.nat(values.length),
        ),
      ),
      fc.array(between, { minLength: 14, maxLength: 14 }),
    )
    .map(([a, [subset, needed, twice, other, at], gaps]) => {
      const children = [...subset, ...needed.filter((v) => v !== null)];
      if (twice !== null) children.splice(Math.min(at, children.length), 0, twice);
      if (other !== null) children.splice(Math.min(at, children.length), 0, other);
      return element(name, a, children.map((c, i) => gaps[i]! + c).join("") + gaps[children.length]!);
    });
const list = (name: string, item: fc.Arbitrary<string>, maxLength = 3) =>
  fc.tuple(fieldAttributes, content(fc.oneof({ weight: 20, arbitrary: item }, { weight: 1, arbitrary: unknown }), maxLength)).map(([a, c]) => element(name, a, c));

const server = modelClass("server", [field("id"), field("username"), field("password"), field("filePermissions"), fc.constantFrom("<configuration><a>x<b/>y</a><a/></configuration>", "<configuration/>")]);
const proxy = modelClass("proxy", [field("id"), field("port", port), field("active", bool), field("protocol")], classAttributes, [field("host")]);
const mirror = modelClass("mirror", [field("id"), field("blocked", bool)], classAttributes, [field("url"), field("mirrorOf")]);
const policy = (name: string) => modelClass(name, [field("enabled", bool), field("updatePolicy")]);
const repository = (name: string) => modelClass(name, [field("name"), policy("releases"), policy("snapshots")], classAttributes, [field("id"), field("url")]);
const activation = modelClass("activation", [field("activeByDefault", bool), field("jdk"), modelClass("os", [field("name"), field("family")]), modelClass("property", [field("name"), field("value")])]);
const properties = list("properties", fc.constantFrom("<a>1</a>", "<b>x</b>", "<a/>", "<c>1<d/></c>"));
const profile = modelClass("profile", [field("id"), activation, properties, list("repositories", repository("repository")), list("pluginRepositories", repository("pluginRepository"))]);
const settings = fc
  .tuple(
    fc.constantFrom("", "", '<?xml version="1.0"?>\n', "<!-- mine -->\n"),
    modelClass(
      "settings",
      [
        field("localRepository"),
        field("offline", bool),
        field("interactiveMode", bool),
        list("servers", server),
        list("mirrors", mirror),
        list("proxies", proxy),
        list("profiles", profile, 2),
        list("activeProfiles", field("activeProfile")),
        list("pluginGroups", field("pluginGroup", fc.oneof({ weight: 10, arbitrary: fc.constantFrom("org.mule.tools", " a.b ") }, { weight: 1, arbitrary: fc.constantFrom("a b", "", "a<b/>") }))),
      ],
      fc.constantFrom("", "", "", ' xmlns="http://maven.apache.org/SETTINGS/1.2.0"', ' a="1"', ' x:a="1"'),
    ),
  )
  .map(([prolog, root]) => `${prolog}${root}\n`);

describe("Maven's settings builder decides which settings files are refused", () => {
  it("on 3000 generated files, we refuse exactly those where Maven stops, and warn exactly where it warns", () => {
    const files = fc.sample(settings, { seed: 20251208, numRuns: 3000 });
    const judged = maven(files);
    // Each outcome must be common, or the comparison below says little.
    const has = (re: RegExp) => judged.filter((j) => j.problems.some((p) => re.test(p))).length;
    // And each kind of problem, at each level.
    for (const [kind, problem] of Object.entries({ repeated: /Duplicated tag/, text: /not TEXT/, "element in a value": /followed by END_TAG/, validator: /^ERROR/, unknown: /Unrecognised tag/, attribute: /Unknown attribute/, number: /must be an integer/ })) {
      expect(has(problem), kind).toBeGreaterThan(kind === "number" ? 10 : 100);
    }
    for (const verdict of ["stops", "warns", "reads"] as const) expect(judged.filter((j) => j.verdict === verdict).length, verdict).toBeGreaterThan(300);
    const differences = files.map((file, i) => ({ file, maven: judged[i]!, ours: ours(file) })).filter((d) => d.maven.verdict !== d.ours.verdict);
    expect(differences.slice(0, 5)).toEqual([]);
  });

  // The shared corpus's real files (1-55 well-formed; 56-60 are malformed upstream and refused before this).
  it.skipIf(!hasCorpus)("on the corpus's real settings files, we refuse, warn and read exactly where Maven's builder does", { tags: ["corpus"] }, () => {
    const files = corpus().filter((f) => !f.malformed);
    expect(files.length).toBeGreaterThanOrEqual(55);
    const judged = maven(files);
    const differences = files
      .map((f, i) => ({ file: f.name, maven: judged[i]!, ours: ours(decodeXml(f.bytes).text) }))
      .filter((d) => d.maven.verdict !== d.ours.verdict);
    expect(differences).toEqual([]);
    // What the corpus holds: Maven reads each (none stops); a few it reads only leniently.
    expect(judged.filter((j) => j.verdict === "stops")).toEqual([]);
  });

  it("free XML nested far deeper than the scan's first table of open elements (a server's <configuration>) is read as Maven reads it", () => {
    const deep = `${"<a>".repeat(300)}x${"</a>".repeat(300)}`;
    const text = `<settings><servers><server><id>a</id><configuration>${deep}</configuration></server></servers><localRepository>/m2</localRepository></settings>`;
    expect(maven([text])[0]!.verdict).toBe("reads");
    expect(ours(text)).toEqual({ verdict: "reads" });
    // And after it, a second <localRepository> is still where Maven stops.
    const twice = text.replace("</settings>", "<localRepository>/b</localRepository></settings>");
    expect(ours(twice)).toMatchObject({ verdict: "stops", message: expect.stringMatching(/more than one <localRepository>/) });
  });

  const SERVER = "<server><id>a</id><username>u</username><password>p</password></server>";
  it.each([
    ["a second <localRepository>", "<settings><localRepository>a</localRepository><localRepository>b</localRepository></settings>", /the file has more than one <localRepository>, which Maven rejects/, 1, 47],
    ["a second <offline>", "<settings><offline>true</offline>\n<offline>false</offline></settings>", /more than one <offline>/, 2, 1],
    ["a second <proxies>", "<settings><proxies/><proxies/></settings>", /more than one <proxies> section/, 1, 21],
    ["a second <profiles>", "<settings><profiles/><profiles/></settings>", /more than one <profiles> section/, 1, 22],
    ["a second <activeProfiles>", "<settings><activeProfiles/><activeProfiles/></settings>", /more than one <activeProfiles> section/, 1, 28],
    ["a second <pluginGroups>", "<settings><pluginGroups/><pluginGroups/></settings>", /more than one <pluginGroups> section/, 1, 26],
    ["<filePermissions> twice in a server", "<settings><servers><server><id>a</id><filePermissions>1</filePermissions><filePermissions>2</filePermissions></server></servers></settings>", /a <server> has more than one <filePermissions>/, 1, 74],
    ["text between the servers", `<settings><servers>${SERVER}text</servers></settings>`, /<servers> holds text between its elements/, 1, 91],
    ["an element inside an <id>", "<settings><servers><server><id>a<b/></id></server></servers></settings>", /<id> in <server> holds an element/, 1, 33],
    ["an element inside a <username>", "<settings><servers><server><id>a</id><username>a<b/></username></server></servers></settings>", /<username> in <server> holds an element/, 1, 49],
    ["a <proxy> without <host>", "<settings><proxies><proxy><port>8080</port></proxy></proxies></settings>", /a <proxy> has no <host>/, 1, 20],
    ["a <mirror> without <url>", "<settings><mirrors><mirror><id>m</id><mirrorOf>*</mirrorOf></mirror></mirrors></settings>", /a <mirror> has no <url>/, 1, 20],
  ])("%s: Maven stops, and we refuse the file, saying why and where", (_name, text, reason, line, column) => {
    expect(maven([text])[0]!.verdict).toBe("stops");
    let error: M2Error | undefined;
    try {
      readSettings(text);
    } catch (e) {
      error = e as M2Error;
    }
    expect(error?.message).toMatch(reason);
    expect(error?.exitCode).toBe(Exit.unsafe);
    expect(error?.details).toMatchObject({ line, column });
  });

  it.each([
    ["a <port> that is not a number", "<settings><proxies><proxy><host>h</host><port>abc</port></proxy></proxies></settings>", /<port> in <proxy> is not a whole number/],
    ["text directly inside a <server>", "<settings><servers><server>x<id>a</id></server></servers></settings>", /<server> holds text between its elements/],
    ["an element Maven does not know", "<settings><servers><server><id>a</id><foo/></server></servers></settings>", /<foo> in <server> is not an element of settings.xml/],
    ["an attribute on a <server>", '<settings><servers><server a="1"><id>a</id></server></servers></settings>', /<server> has an attribute Maven does not know/],
  ])("%s: Maven only warns, and so do we", (_name, text, reason) => {
    expect(maven([text])[0]!.verdict).toBe("warns");
    expect(ours(text)).toMatchObject({ verdict: "warns", message: expect.stringMatching(reason) });
  });
});
