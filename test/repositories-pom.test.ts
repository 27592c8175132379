// --with-repositories never declares an id with a URL other than the one the project's pom gives it
// (src/commands/setup/repositories.ts planRepositories): the pom's URL for that id, else the facade's; an id
// it cannot declare so is left out, saying why; a v1 facade URL is named with the one Exchange serves.
// Over poms written for the tests and the corpus poms (poms/SOURCES.md lists their ids and URLs).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planRepositories } from "../src/commands/setup/repositories";
import { servedFacadeUrl } from "../src/project/exchange";
import { exchangeIds, readPom } from "../src/project/pom";
import { decodeXml } from "../src/xml/encoding";
import { corpusRoot, hasCorpus } from "./helpers/corpus";

const US = "https://maven.anypoint.mulesoft.com/api/v3/maven";
const ORG = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
/** A pom of these repositories, each section once (<repositories>, <pluginRepositories>, <distributionManagement>). */
function pom(...repositories: [section: string, id: string, url: string][]) {
  const item = (id: string, url: string) => `<id>${id}</id><url>${url}</url>`;
  const sections = ["repositories", "pluginRepositories", "distributionManagement"].map((section) => {
    const items = repositories.filter(([s]) => s === section);
    if (items.length === 0) return "";
    const element = section === "repositories" ? "repository" : section === "pluginRepositories" ? "pluginRepository" : "repository";
    return `  <${section}>${items.map(([, id, url]) => `<${element}>${item(id, url)}</${element}>`).join("")}</${section}>\n`;
  });
  return readPom(`<project>\n  <properties><org>${ORG}</org></properties>\n${sections.join("")}</project>\n`).repositories;
}

describe("which URL each id's repository gets", () => {
  const EU_ORG = `https://maven.eu1.anypoint.mulesoft.com/api/v3/organizations/${ORG}/maven`;
  const V2_ORG = `https://maven.anypoint.mulesoft.com/api/v2/organizations/${ORG}/maven`;
  it.each([
    ["an id the pom does not declare: the facade's", ["anypoint-exchange-v3"], pom(["repositories", "other", V2_ORG]), [["anypoint-exchange-v3", US]], []],
    ["an id other than the default, on the EU facade: the pom's", ["Repository"], pom(["repositories", "Repository", "https://maven.eu1.anypoint.mulesoft.com/api/v3/organizations/${org}/maven"]), [["Repository", EU_ORG]], []],
    ["a v2 organization URL: the pom's, as it is", ["Exchange2"], pom(["repositories", "Exchange2", V2_ORG]), [["Exchange2", V2_ORG]], []],
    ["a plugin repository's URL counts too", ["plugins"], pom(["pluginRepositories", "plugins", V2_ORG]), [["plugins", V2_ORG]], []],
    ["an id only in distributionManagement: the facade's (a download URL; the pom deploys there)", ["deploy"], pom(["distributionManagement", "deploy", V2_ORG]), [["deploy", US]], []],
    [
      "a v1 URL: left out, and the pom's URL named with v3",
      ["anypoint-exchange", "Exchange2"],
      pom(["repositories", "anypoint-exchange", "https://maven.anypoint.mulesoft.com/api/v1/maven"], ["repositories", "Exchange2", V2_ORG]),
      [["Exchange2", V2_ORG]],
      [/the pom's repositories "anypoint-exchange" is on https:\/\/maven.anypoint.mulesoft.com\/api\/v1\/maven, an API version Exchange no longer serves \(it answers 400\): use https:\/\/maven.anypoint.mulesoft.com\/api\/v3\/maven$/, /the repository "anypoint-exchange" is not declared in settings.xml: the pom gives it .*api\/v1\/maven, on API v1/],
    ],
    [
      "a v1 URL in distributionManagement: named with v3, the id declared with the facade's",
      ["deploy"],
      pom(["distributionManagement", "deploy", "https://maven.anypoint.mulesoft.com/api/v1/organizations/${org}/maven"]),
      [["deploy", US]],
      [new RegExp(`use https://maven.anypoint.mulesoft.com/api/v3/organizations/${ORG}/maven$`)],
    ],
    ["a Gov v1 URL is named with v2", ["gov"], pom(["repositories", "gov", "https://maven.gov.anypoint.mulesoft.com/api/v1/maven"]), [], [/use https:\/\/maven.gov.anypoint.mulesoft.com\/api\/v2\/maven$/, /not declared/]],
    ["a URL with an expression nothing defines: left out", ["x"], pom(["repositories", "x", "https://maven.anypoint.mulesoft.com/api/v3/organizations/${orgId}/maven"]), [], [/"x" is not declared in settings.xml: its URL in the pom, .*\$\{orgId\}.*, takes a value setup cannot see/]],
    ["two URLs for one id: left out", ["x"], pom(["repositories", "x", US], ["pluginRepositories", "x", V2_ORG]), [], [/"x" is not declared in settings.xml: the pom declares it with 2 URLs/]],
    ["a URL that takes a value from the environment: left out, shown as written", ["x"], readPom(`<project><repositories><repository><id>x</id><url>https://maven.anypoint.mulesoft.com/api/v2/organizations/\${env.ORG_SECRET_VALUE}/maven</url></repository></repositories></project>`, { env: { ORG_SECRET_VALUE: "kS3cr3tOrg" } }).repositories, [], [/"x" is not declared in settings.xml: its URL in the pom, .*\$\{env.ORG_SECRET_VALUE\}.*, takes a value from the environment/]],
    ["a URL with a user name and password: left out, and not shown", ["x"], pom(["repositories", "x", "https://bob:kPass9@maven.anypoint.mulesoft.com/api/v2/maven"]), [], [/"x" is not declared in settings.xml: its URL in the pom, https:\/\/\*\*\*@maven.anypoint.mulesoft.com\/api\/v2\/maven, holds a user name or password/]],
    ["one URL with and without a final slash is one", ["x"], pom(["repositories", "x", V2_ORG], ["pluginRepositories", "x", `${V2_ORG}/`]), [["x", V2_ORG]], []],
  ])("%s", (_name, ids, repositories, declared, warnings) => {
    const plan = planRepositories(ids, US, repositories, "pom.xml");
    expect(plan.repositories.map((r) => [r.id, r.url])).toEqual(declared);
    expect(plan.warnings.join("\n")).not.toMatch(/kS3cr3tOrg|kPass9/);
    expect(plan.warnings).toHaveLength(warnings.length);
    warnings.forEach((w, i) => expect(plan.warnings[i]).toMatch(w));
  });

  it("servedFacadeUrl: only a facade URL on v1 has another", () => {
    expect(servedFacadeUrl("https://maven.eu1.anypoint.mulesoft.com/api/v1/organizations/o/maven")).toBe("https://maven.eu1.anypoint.mulesoft.com/api/v3/organizations/o/maven");
    expect(servedFacadeUrl("https://MAVEN.anypoint.mulesoft.com/API/V1/maven")).toBe("https://MAVEN.anypoint.mulesoft.com/api/v3/maven");
    for (const url of [US, "https://maven.anypoint.mulesoft.com/api/v2/maven", "https://nexus.example.com/api/v1/maven", "https://maven.anypoint.mulesoft.com/api/v10/maven"]) expect(servedFacadeUrl(url), url).toBeUndefined();
  });
});

describe.skipIf(!hasCorpus)("the corpus poms", { tags: ["corpus"] }, () => {
  it("each Exchange id is declared with the pom's own download URL (or the facade's where it has none), or left out saying why", () => {
    const dir = join(corpusRoot!, "poms");
    const files = readdirSync(dir).filter((f) => f.endsWith(".xml")).sort();
    expect(files.length).toBeGreaterThan(20);
    const seen = { own: 0, facade: 0, left: 0, v1: 0 };
    for (const file of files) {
      const report = readPom(decodeXml(readFileSync(join(dir, file))).text, { basedir: "/project" });
      const ids = exchangeIds(report);
      const plan = planRepositories(ids, US, report.repositories, file);
      for (const { id, url } of plan.repositories) {
        const own = report.repositories.filter((r) => r.id === id && (r.section === "repositories" || r.section === "pluginRepositories"));
        for (const r of own) expect(r.url!.replace(/\/+$/, ""), `${file} ${id}`).toBe(url.replace(/\/+$/, ""));
        expect(url, `${file} ${id}`).not.toMatch(/\/api\/v1\//);
        seen[own.length > 0 ? "own" : "facade"]++;
      }
      const left = ids.filter((id) => !plan.repositories.some((r) => r.id === id));
      for (const id of left) expect(plan.warnings.some((w) => w.includes(`"${id}" is not declared in settings.xml`)), `${file} ${id}`).toBe(true);
      seen.left += left.length;
      for (const r of report.repositories.filter((r) => ids.includes(r.id!) && /\/api\/v1\//.test(r.url ?? ""))) {
        expect(plan.warnings.some((w) => w.includes(`is on ${r.url}`) && w.includes("/api/v3/")), `${file} ${r.id}`).toBe(true);
        seen.v1++;
      }
    }
    // Files 07, 08, 10, 25 (v1), 09, 15, 16 (v2 organization URLs), 20 (an id only deployed on v2), 24...
    expect(seen.own).toBeGreaterThan(15);
    expect(seen.facade).toBeGreaterThan(3);
    expect(seen.left).toBeGreaterThan(3);
    expect(seen.v1).toBeGreaterThan(5);
  });
});
