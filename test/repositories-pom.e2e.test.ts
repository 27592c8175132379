// setup --with-repositories declares each id with the URL the project's pom gives it (issue 17, item 4),
// end to end through the built CLI: a temp HOME that is also the project folder, no network (--no-verify).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run, tempHome } from "./helpers/cli";

const credentials = { ANYPOINT_CLIENT_ID: "0123456789abcdef0123456789abcdef", ANYPOINT_CLIENT_SECRET: "Repos-Secret-5150" };
const ORG = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const V2_ORG = `https://maven.anypoint.mulesoft.com/api/v2/organizations/${ORG}/maven`;
const V1 = "https://maven.anypoint.mulesoft.com/api/v1/maven";
const EU_ORG = `https://maven.eu1.anypoint.mulesoft.com/api/v3/organizations/${ORG}/maven`;

const pomOf = (...repositories: [id: string, url: string][]) =>
  `<project>\n  <repositories>\n${repositories.map(([id, url]) => `    <repository>\n      <id>${id}</id>\n      <url>${url}</url>\n    </repository>\n`).join("")}  </repositories>\n</project>\n`;

function project(pom: string): { home: string; settings: string } {
  const home = tempHome();
  writeFileSync(join(home, "pom.xml"), pom);
  mkdirSync(join(home, ".m2"));
  return { home, settings: join(home, ".m2", "settings.xml") };
}

/** The <url> of the settings profile's repository with this id, or undefined when it declares none. */
function declaredUrl(settings: string, id: string): string | undefined {
  return new RegExp(`<repository>\\s*<id>${id}</id>\\s*<name>[^<]*</name>\\s*<url>([^<]*)</url>`).exec(readFileSync(settings, "utf8"))?.[1];
}

describe("setup --with-repositories and the project's pom", () => {
  it("a v2 organization URL is declared as the pom gives it; a v1 id is left out, saying why and naming the v3 URL", async () => {
    const { home, settings } = project(pomOf(["Exchange2", V2_ORG], ["anypoint-exchange", V1]));
    const r = await run(["setup", "--from-pom", "--with-repositories", "--no-verify", "--yes", "--json"], { home, env: credentials });
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.repositories.declared).toEqual([{ id: "Exchange2", url: V2_ORG }]);
    expect(result.warnings).toEqual(
      expect.arrayContaining([
        `${join(home, "pom.xml")}:8: the pom's repositories "anypoint-exchange" is on ${V1}, an API version Exchange no longer serves (it answers 400): use https://maven.anypoint.mulesoft.com/api/v3/maven`,
        expect.stringMatching(/^the repository "anypoint-exchange" is not declared in settings.xml: the pom gives it .*, on API v1/),
      ]),
    );
    expect(declaredUrl(settings, "Exchange2")).toBe(V2_ORG);
    expect(declaredUrl(settings, "anypoint-exchange")).toBeUndefined();
    // Both servers are written: the credentials serve the id once the pom is corrected.
    expect(readFileSync(settings, "utf8")).toContain("<id>anypoint-exchange</id>");
  });

  it("an id other than the default on the EU facade: declared with the pom's URL, which the summary names", async () => {
    const { home, settings } = project(pomOf(["Repository", EU_ORG]));
    const r = await run(["setup", "--from-pom", "--with-repositories", "--no-verify", "--yes"], { home, env: credentials });
    expect(r.code).toBe(0);
    expect(declaredUrl(settings, "Repository")).toBe(EU_ORG);
    expect(r.stdout).toContain(`Added profile "anypoint-exchange" (Exchange ${EU_ORG} and MuleSoft releases`);
  });

  it("without --from-pom too: --server-id names an id the pom declares, and it gets the pom's URL", async () => {
    const { home, settings } = project(pomOf(["Exchange2", V2_ORG]));
    const r = await run(["setup", "--server-id", "Exchange2", "--with-repositories", "--no-verify", "--yes"], { home, env: credentials });
    expect(r.code).toBe(0);
    expect(declaredUrl(settings, "Exchange2")).toBe(V2_ORG);
  });

  it("only a v1 id: no repositories are added, and the summary and warnings say why", async () => {
    const { home, settings } = project(pomOf(["anypoint-exchange", V1]));
    const r = await run(["setup", "--from-pom", "--with-repositories", "--no-verify", "--yes"], { home, env: credentials });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Added no repositories: no server id's repository could be declared (see the warnings).");
    expect(r.stderr).toContain("use https://maven.anypoint.mulesoft.com/api/v3/maven");
    expect(readFileSync(settings, "utf8")).not.toContain("anypoint-exchange</activeProfile>");
  });
});
