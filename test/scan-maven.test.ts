// What may stand before, inside and after the root: the scanner accepts a file exactly when Maven's own parser
// (the probe, Maven's settings builder) reads it, for processing instructions, comments and whitespace.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Exit, M2Error } from "../src/errors";
import { scanXml } from "../src/xml/scan";
import { compileProbe } from "./helpers/maven";

const SERVERS = "<servers><server><id>a</id><username>u</username><password>p</password></server></servers>";
const BODY = `<settings>${SERVERS}</settings>`;

/** Name -> the whole file. */
const CASES: Record<string, string> = {
  "declaration": `<?xml version="1.0"?>\n${BODY}`,
  "a PI first": `<?foo bar?>\n${BODY}`,
  "a comment first": `<!-- c -->\n${BODY}`,
  "a line break first": `\n${BODY}`,
  "declaration, comment, PI": `<?xml version="1.0"?><!--c--><?foo?>${BODY}`,
  "<?xmlfoo?> without data": `<?xmlfoo?>${BODY}`,
  "<?xml-stylesheet?> without data": `<?xml-stylesheet?>${BODY}`,
  "<?xm a?>": `<?xm a?>${BODY}`,
  "a comment, then a PI": `<!--c--><?foo a?>${BODY}`,
  "a PI with a '<' and its '>'": `<?foo <a> ?>${BODY}`,
  "a PI with a non-ASCII target": `<?\u00fc a?>${BODY}`,
  "a comment with a '>'": `<!-- a > b -->${BODY}`,
  "a PI without data inside the root": `<settings><?xml-x?>${SERVERS}</settings>`,
  "a PI after the root": `${BODY}\n<?foo a?>`,
  // Maven's parser fails on these.
  "<?xml-stylesheet href?> first": `<?xml-stylesheet href="a"?>\n${BODY}`,
  "<?xml-stylesheet ?> with a space only": `<?xml-stylesheet ?>${BODY}`,
  "<?xml-stylesheet?> with a line break": `<?xml-stylesheet\nhref?>${BODY}`,
  "<?xml-stylesheet?> after the declaration": `<?xml version="1.0"?>\n<?xml-stylesheet href="a"?>\n${BODY}`,
  "<?xml-stylesheet?> after a comment": `<!--c--><?xml-stylesheet a?>${BODY}`,
  "<?xml-stylesheet?> after a space": ` <?xml-stylesheet a?>${BODY}`,
  "<?XML-stylesheet?>": `<?XML-stylesheet href="a"?>${BODY}`,
  "<?Xml-ss?>": `<?Xml-ss a?>${BODY}`,
  "<?xml:foo?>": `<?xml:foo a?>${BODY}`,
  "<?xml_foo?>": `<?xml_foo a?>${BODY}`,
  "<?xml.foo?>": `<?xml.foo a?>${BODY}`,
  "<?xmlfoo a?>": `<?xmlfoo a?>${BODY}`,
  "<?xml-stylesheet?> inside the root": `<settings><?xml-stylesheet a?>${SERVERS}</settings>`,
  "<?xml-stylesheet?> after the root": `${BODY}<?xml-stylesheet a?>`,
  "a PI with a '>'": `<?foo a>b?>${BODY}`,
  "a PI with '?b>'": `<?foo a?b>c?>${BODY}`,
  "a PI with '<a>>'": `<?foo <a>> ?>${BODY}`,
  "a PI with '?<>' (Maven ends it there)": `<?foo a?<>b?>${BODY}`,
  "a PI with a '>' inside the root": `<settings><?foo a>b?>${SERVERS}</settings>`,
  "a PI with a '>' after the root": `${BODY}<?foo a>b?>`,
  "version 1.1 (XML allows it; Maven's parser reads 1.0 only)": `<?xml version="1.1"?>\n${BODY}`,
  "version '1.1' with an encoding": `<?xml version='1.1' encoding="UTF-8"?>\n${BODY}`,
  "version 1.00": `<?xml version="1.00"?>\n${BODY}`,
};

const scans = (text: string): boolean => {
  try {
    scanXml(text);
    return true;
  } catch (e) {
    if (e instanceof M2Error && e.exitCode === Exit.unsafe) return false;
    throw e;
  }
};

describe("what Maven reads around the root", { tags: ["maven"] }, () => {
  const maven = new Map<string, boolean>();
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), "anypoint-m2-scan-"));
    const names = Object.keys(CASES);
    const paths = names.map((name, i) => {
      const path = join(dir, `case-${i}.xml`);
      writeFileSync(path, CASES[name]!);
      return path;
    });
    const answers = compileProbe().ask(paths.map((path) => `server\t${path}\ta`));
    names.forEach((name, i) => maven.set(name, answers[i]!.startsWith("ok ")));
  }, 60_000);

  it("has files Maven reads and files it cannot", () => {
    expect([...maven.values()].filter(Boolean).length).toBe(14);
    expect([...maven.values()].filter((ok) => !ok).length).toBe(23);
  });

  for (const [name, text] of Object.entries(CASES)) {
    it(`${name}: scanned as Maven reads it`, () => {
      expect(scans(text)).toBe(maven.get(name));
    });
  }

  it("says where, with line and column", () => {
    const refusal = (text: string) => {
      try {
        scanXml(text);
      } catch (e) {
        return e as M2Error;
      }
      throw new Error("accepted");
    };
    const stylesheet = refusal(CASES["<?xml-stylesheet?> after the declaration"]!);
    expect(stylesheet.message).toContain("Maven cannot read <?xml-stylesheet ...?>");
    expect(stylesheet.details).toMatchObject({ line: 2, column: 1 });
    const gt = refusal(`<settings>\n  <?foo a>b?>${SERVERS}</settings>`);
    expect(gt.message).toContain("Maven cannot read this processing instruction");
    expect(gt.details).toMatchObject({ line: 2, column: 10 });
  });
});
