// The pom reader (src/project): which repositories a pom declares and which are Exchange, checked against the
// corpus's list of Exchange ids (poms/SOURCES.md) and against Maven's own model builder (ProjectProbe).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { M2Error } from "../src/errors";
import { facadeRegion, hostOf } from "../src/project/exchange";
import { exchangeIds, readPom, type PomReport } from "../src/project/pom";
import { decodeXml } from "../src/xml/encoding";
import { corpusRoot, hasCorpus } from "./helpers/corpus";
import { compileProbe, type Probe } from "./helpers/maven";

const fixtures = join(import.meta.dirname, "..", "fixtures", "poms");
const pomsDir = corpusRoot && join(corpusRoot, "poms");
const read = (path: string): PomReport => readPom(decodeXml(readFileSync(path)).text, { basedir: "/project" });
const fixture = (name: string): PomReport => read(join(fixtures, name));

/**
 * SOURCES.md's Exchange ids for each pom: each "`id` — where — url" entry, or "`${expr}` (= `id`) — ...".
 * Decided here (what counts as an Exchange facade): the host, not the path, so /api/v1 and /api/v2 URLs
 * count as Exchange; MuleSoft's internal maven.devx.anypoint.mulesoft.com does not (it is no public control
 * plane, and no region reaches its token endpoint), so file 01's exchange-dev is expected not to be found.
 */
function listedIds(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const row of readFileSync(join(pomsDir!, "SOURCES.md"), "utf8").split("\n")) {
    const cells = row.split(" | ");
    if (!/^\| \d\d-.*\.xml$/.test(cells[0] ?? "")) continue;
    const file = cells[0]!.slice(2);
    const column = cells[4] ?? "";
    const ids = [...column.matchAll(/`([^`]+)`(?: \(= `([^`]+)`\))? — /g)].map((m) => m[2] ?? m[1]!);
    const devx = column.includes("maven.devx.anypoint.mulesoft.com");
    out.set(file, devx ? [] : [...new Set(ids)]);
  }
  return out;
}

describe.skipIf(!hasCorpus)("corpus poms", { tags: ["corpus"] }, () => {
  it("the Exchange ids found in each pom are the ones SOURCES.md lists, file by file", () => {
    const listed = listedIds();
    const files = readdirSync(pomsDir!).filter((f) => f.endsWith(".xml")).sort();
    expect(files.length).toBeGreaterThan(20);
    expect([...listed.keys()].sort()).toEqual(files);
    // Most poms list some: a reader that found none everywhere would fail here.
    expect(files.filter((f) => listed.get(f)!.length > 0).length).toBeGreaterThan(20);
    for (const file of files) expect(new Set(exchangeIds(read(join(pomsDir!, file)))), file).toEqual(new Set(listed.get(file)));
  });

  it("each listed pom reads without a problem to report", () => {
    const files = readdirSync(pomsDir!).filter((f) => f.endsWith(".xml"));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(read(join(pomsDir!, file)).problems, file).toEqual([]);
  });
});

describe("Maven's model builder agrees on ids and URLs", { tags: ["maven"] }, () => {
  let probe: Probe;
  beforeAll(() => {
    probe = compileProbe("ProjectProbe");
  });

  /** Maven's effective repositories of the pom with `profile` active ("-": none named), as section:id:url. */
  const maven = (path: string, profile: string): string[] | undefined => {
    const answer = probe.ask([["pom", path, profile].join("\t")])[0]!;
    if (!answer.startsWith("ok")) return undefined;
    return answer
      .split(" ")
      .slice(1)
      .map((entry) => {
        const [section, id, url] = entry.split(":");
        return `${section}:${Buffer.from(id!, "base64").toString("utf8")}:${Buffer.from(url!, "base64").toString("utf8")}`;
      });
  };
  /** Ours, for the same activation: top-level and active-by-default profiles, or one named profile's own. */
  const ours = (report: PomReport, profile: string): string[] =>
    report.repositories
      .filter((r) => (profile === "-" ? r.profile === undefined || report.defaultProfiles.includes(r.profile) : r.profile === profile))
      .map((r) => `${r.section}:${r.id}:${r.url}`);

  it.each([["properties.xml", "-"], ["profiles.xml", "-"], ["profiles.xml", "release"]])("%s with profile %s", (name, profile) => {
    const path = join(fixtures, name);
    const expected = maven(path, profile);
    expect(expected, "Maven builds the fixture's model").toBeDefined();
    const mine = ours(fixture(name), profile);
    expect(mine.length).toBeGreaterThan(0);
    // A named profile's repositories are a subset of Maven's list, which also holds the top level's.
    if (profile === "-") expect(new Set(mine)).toEqual(new Set(expected));
    else for (const entry of mine) expect(expected).toContain(entry);
  });

  it.skipIf(!hasCorpus)("on every corpus pom Maven can build without downloading its parent", { tags: ["corpus"] }, () => {
    const files = readdirSync(pomsDir!).filter((f) => f.endsWith(".xml")).sort();
    const built = files.filter((f) => {
      const expected = maven(join(pomsDir!, f), "-");
      if (!expected) return false;
      expect(new Set(ours(read(join(pomsDir!, f)), "-")), f).toEqual(new Set(expected));
      return true;
    });
    expect(built.length).toBeGreaterThan(3);
  });
});

describe("poms written for the tests", () => {
  it("resolves nested properties, project coordinates and a property value with spaces around it", () => {
    const report = fixture("properties.xml");
    expect(report.problems).toEqual([]);
    expect(report.repositories.map((r) => [r.id, r.url, r.section, r.region ?? null, r.line])).toEqual([
      ["anypoint-exchange-v3", "https://maven.anypoint.mulesoft.com/api/v3/maven", "repositories", "us", 18],
      ["mulesoft-releases", "https://repository.mulesoft.org/releases/", "repositories", null, 22],
      ["private-exchange", "https://maven.anypoint.mulesoft.com/api/v3/organizations/0c4f7a2e-1111-4222-8333-944455556666/maven", "distributionManagement.repository", "us", 28],
    ]);
    expect(report.repositories[2]!.idAsWritten).toBe("${exchange.id}");
    expect(exchangeIds(report)).toEqual(["anypoint-exchange-v3", "private-exchange"]);
  });

  it("reads profiles: an activeByDefault profile's properties apply to the top level, a profile's own to what it declares", () => {
    const report = fixture("profiles.xml");
    expect(report.defaultProfiles).toEqual(["eu-default"]);
    expect(report.repositories.map((r) => [r.id, r.section, r.profile ?? null, r.region ?? null])).toEqual([
      ["exchange-by-default", "repositories", null, "eu"],
      ["exchange-plugins", "pluginRepositories", "release", "eu"],
      ["exchange-snapshots", "distributionManagement.snapshotRepository", "release", "eu"],
    ]);
    expect(report.repositories[2]!.url).toBe("https://maven.eu1.anypoint.mulesoft.com/api/v3/organizations/com.example/maven");
  });

  it("reports a URL whose host it cannot resolve and an Exchange id it cannot resolve, with their lines, and guesses neither", () => {
    const report = fixture("unresolvable.xml");
    expect(report.problems.map((p) => p.line)).toEqual([12, 20]);
    expect(report.problems[0]!.message).toContain("${exchange.url} is not defined in this pom");
    expect(report.problems[1]!.message).toContain("${exchange.server.id}");
    // Only the path of this one is unknown: its host says Exchange.
    expect(exchangeIds(report)).toEqual(["anypoint-exchange-v3"]);
    expect(report.repositories[0]!.region).toBeUndefined();
  });

  it("a malformed pom is an error with its line, which callers report", () => {
    let caught: unknown;
    try {
      fixture("malformed.xml");
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(M2Error);
    expect((caught as M2Error).details.line).toBe(8);
    expect((caught as M2Error).message).toContain("expected </repository>");
  });

  it("a file that is not a pom is refused", () => {
    expect(() => readPom("<settings/>")).toThrow("not a Maven pom");
  });

  it("the fixtures exist", () => {
    for (const name of ["properties.xml", "profiles.xml", "unresolvable.xml", "malformed.xml"]) expect(existsSync(join(fixtures, name))).toBe(true);
  });
});

describe("Exchange facade hosts", () => {
  it.each([
    ["https://maven.anypoint.mulesoft.com/api/v3/maven", "us"],
    ["https://MAVEN.Anypoint.Mulesoft.com/api/v1/organizations/x/maven", "us"],
    ["https://maven.eu1.anypoint.mulesoft.com/api/v3/maven", "eu"],
    ["https://maven.gov.anypoint.mulesoft.com/api/v2/maven", "gov"],
    ["https://maven.ca1.platform.mulesoft.com/api/v3/maven", "ca"],
    ["https://maven.jp1.platform.mulesoft.com/api/v3/maven", "jp"],
    ["https://user@maven.anypoint.mulesoft.com:443/api/v3/maven", "us"],
    ["https://maven.anypoint.mulesoft.com/api/v3/organizations/${org}/maven", "us"],
    ["https://maven.devx.anypoint.mulesoft.com/api/v3/maven", undefined],
    ["https://anypoint.mulesoft.com/api/v3/maven", undefined],
    ["https://maven.anypoint.mulesoft.com.evil.example/api/v3/maven", undefined],
    ["https://maven.${region}.anypoint.mulesoft.com/api/v3/maven", undefined],
    ["${exchange.url}/maven", undefined],
    ["maven.anypoint.mulesoft.com/api/v3/maven", undefined],
    // Read otherwise by the parser that sends requests: a backslash is a slash there, so the host is evil.example.
    ["https://evil.example\\@maven.anypoint.mulesoft.com/api/v3/maven", undefined],
    ["https://evil.example\\.maven.anypoint.mulesoft.com/api/v3/maven", undefined],
    ["https://maven%2Eanypoint.mulesoft.com/api/v3/maven", undefined],
    ["https://evil.example\t@maven.anypoint.mulesoft.com/api/v3/maven", undefined],
    ["https://user@maven.anypoint.mulesoft.com/api/v3/maven", "us"],
  ])("%s: %s", (url, region) => {
    expect(facadeRegion(url)).toBe(region);
  });

  it("the host of a URL cut by an expression is known only when the expression comes after it", () => {
    expect(hostOf("https://maven.anypoint.mulesoft.com/${x}")).toBe("maven.anypoint.mulesoft.com");
    expect(hostOf("https://${host}/api")).toBeUndefined();
    expect(hostOf("https://maven.${x}/api")).toBeUndefined();
  });
});
