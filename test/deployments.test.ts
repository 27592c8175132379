// doctor's mule-maven-plugin findings (src/doctor/plugin.ts) and the common Mule misconfigurations
// (src/doctor/misconfig.ts), on poms and settings written for the tests: one case, one finding, at its line.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diagnose, type Diagnosis } from "../src/doctor/diagnose";
import type { AltDeployment } from "../src/doctor/misconfig";
import { readsConnectedApp } from "../src/doctor/plugin";
import type { PasswordReader } from "../src/doctor/passwords";
import { readPom } from "../src/project/pom";
import { FINDING_CODES } from "../src/doctor/findings";
import { corpusRoot, hasCorpus } from "./helpers/corpus";

const SETTINGS = "/home/dev/.m2/settings.xml";
const POM = "/work/app/pom.xml";
const nothingEncrypted: PasswordReader = { decrypt: () => ({ problem: "no security file here", fix: "make one" }) };

function doctor(settings: string | undefined, pom: string, altDeployment?: AltDeployment): Diagnosis {
  return diagnose({ path: SETTINGS, text: settings, exists: settings !== undefined, mode: 0o600 }, { path: POM, report: readPom(pom) }, {
    env: {},
    properties: { "user.home": "/home/dev" },
    passwords: nothingEncrypted,
    ...(altDeployment ? { altDeployment } : {}),
  });
}

/** code:line of each finding but the notes every such pom gets (no Exchange repository; the scopes). */
const found = (d: Diagnosis) => d.findings.filter((f) => f.code !== "pom-no-exchange" && f.code !== "deploy-scopes").map((f) => `${f.code}:${f.line ?? "-"}`);

const server = (id: string, username: string, password: string) => `    <server>\n      <id>${id}</id>\n      <username>${username}</username>\n      <password>${password}</password>\n    </server>\n`;
/** Line 1 <settings>, line 2 <servers>, each server 5 lines from line 3. */
const settingsOf = (...servers: string[]) => `<settings>\n  <servers>\n${servers.join("")}  </servers>\n</settings>\n`;
const app = (id: string, password = "0123abcd~?~s3cr3t") => server(id, "~~~Client~~~", password);

/**
 * A pom with one mule-maven-plugin: <version> at line 10 (none when `version` is undefined: the lines after
 * move up one), the block at line 12, its first inner line at 13.
 */
function deployPom(version: string | undefined, inner: string[] = ["<server>deploy</server>"], { block = "cloudhub2Deployment", properties = "" } = {}): string {
  return [
    "<project>",
    "  <groupId>g</groupId>",
    "  <artifactId>a</artifactId>",
    `  <version>1</version>${properties}`,
    "  <build>",
    "    <plugins>",
    "      <plugin>",
    "        <groupId>org.mule.tools.maven</groupId>",
    "        <artifactId>mule-maven-plugin</artifactId>",
    ...(version === undefined ? [] : [`        <version>${version}</version>`]),
    "        <configuration>",
    `          <${block}>`,
    ...inner.map((l) => `            ${l}`),
    `          </${block}>`,
    "        </configuration>",
    "      </plugin>",
    "    </plugins>",
    "  </build>",
    "</project>",
    "",
  ].join("\n");
}

describe("mule-maven-plugin: the versions that read a ~~~Client~~~ server", () => {
  it.each<[string, boolean | undefined]>([
    ["3.6.1", false],
    ["3.6.2", true],
    ["3.6.3", false],
    ["3.6.4", false],
    ["3.7.0", true],
    ["3.5.4", false],
    ["3.8.2", true],
    ["4.1.0", true],
    ["3.6.2-SNAPSHOT", true],
    ["3.7", true],
    ["[3.7,)", undefined],
    ["LATEST", undefined],
  ])("%s: %s", (version, expected) => expect(readsConnectedApp(version)).toBe(expected));

  it.each<[string, string[]]>([
    ["3.6.1", ["plugin-version:10"]],
    ["3.6.2", []],
    ["3.6.3", ["plugin-version:10"]],
    ["3.6.4", ["plugin-version:10"]],
    ["3.7.0", []],
  ])("doctor with mule-maven-plugin %s and a connected-app server", (version, expected) => {
    const d = doctor(settingsOf(app("deploy")), deployPom(version));
    expect(found(d)).toEqual(expected);
    if (expected.length > 0) expect(d.findings.find((f) => f.code === "plugin-version")).toMatchObject({ severity: "error", file: POM });
  });

  it("a version from a property the pom defines is resolved", () => {
    expect(found(doctor(settingsOf(app("deploy")), deployPom("${mule.maven.plugin.version}", undefined, { properties: "\n  <properties><mule.maven.plugin.version>3.6.3</mule.maven.plugin.version></properties>" })))).toEqual(["plugin-version:11"]);
  });

  it("a version from a property the pom does not define, or none at all: a note, no guess", () => {
    const d = doctor(settingsOf(app("deploy")), deployPom("${mule.maven.plugin.version}"));
    expect(found(d)).toEqual(["plugin-version-unknown:10"]);
    expect(d.findings.find((f) => f.code === "plugin-version-unknown")).toMatchObject({ severity: "info" });
    expect(found(doctor(settingsOf(app("deploy")), deployPom(undefined)))).toEqual(["plugin-version-unknown:11"]);
  });

  it("the version of the pom's own pluginManagement, for a plugin that names none", () => {
    const pom = deployPom(undefined).replace("  <build>\n", "  <build>\n    <pluginManagement><plugins><plugin><artifactId>mule-maven-plugin</artifactId><version>3.6.3</version></plugin></plugins></pluginManagement>\n");
    expect(found(doctor(settingsOf(app("deploy")), pom))).toEqual(["plugin-version:6"]);
  });

  it("a block in a profile, and a block of an execution, are read too", () => {
    const pom = `<project>\n  <profiles>\n    <profile>\n      <id>ch</id>\n      <build><plugins><plugin>\n        <artifactId>mule-maven-plugin</artifactId>\n        <version>3.6.1</version>\n        <executions><execution><configuration>\n          <armDeployment><server>deploy</server></armDeployment>\n        </configuration></execution></executions>\n      </plugin></plugins></build>\n    </profile>\n  </profiles>\n</project>\n`;
    const d = doctor(settingsOf(app("deploy")), pom);
    expect(found(d)).toEqual(["plugin-version:7"]);
    expect(d.findings.find((f) => f.code === "plugin-version")!.message).toContain('armDeployment (profile "ch")');
  });
});

describe("mule-maven-plugin: the server a deployment block names", () => {
  it("a correct deploy server: only the note on the scopes a deploy needs, once for two blocks, and a token check", () => {
    const d = doctor(settingsOf(app("deploy")), deployPom("4.1.0", ["<server>deploy</server>"]).replace("        </configuration>", "          <cloudHubDeployment><server>deploy</server></cloudHubDeployment>\n        </configuration>"));
    expect(d.findings.map((f) => `${f.code}:${f.line}`)).toEqual(["pom-no-exchange:undefined", "deploy-scopes:12"]);
    expect(d.findings[1]).toMatchObject({ severity: "info", message: expect.stringMatching(/Design Center Developer.*Read Applications.*Exchange Contributor/) });
    expect(d.checks.map((c) => c.servers.map((s) => s.id))).toEqual([["deploy"]]);
  });

  it("no such server: deploy-no-server, at the pom's <server>", () => {
    const d = doctor(settingsOf(app("other")), deployPom("4.1.0"));
    expect(found(d)).toEqual(["deploy-no-server:13"]);
    expect(d.findings.find((f) => f.code === "deploy-no-server")).toMatchObject({ severity: "error", file: POM, fix: "anypoint-m2 setup --server-id deploy" });
  });

  it("a server without <username>: deploy-no-username (the plugin's NullPointerException)", () => {
    const settings = "<settings>\n  <servers>\n    <server>\n      <id>deploy</id>\n      <password>0123abcd~?~s3cr3t</password>\n    </server>\n  </servers>\n</settings>\n";
    expect(found(doctor(settings, deployPom("4.1.0")))).toEqual(["no-connected-app:-", "deploy-no-username:3"]);
  });

  it("a ~~~Token~~~ server: deploy-token, and no not-connected-app beside it", () => {
    expect(found(doctor(settingsOf(server("deploy", "~~~Token~~~", "eyJ0b2tlbg")), deployPom("4.1.0")))).toEqual(["no-connected-app:-", "deploy-token:3"]);
  });

  it("a ~ or ? in the deploy server's client ID or secret: split-character as an error, naming the block", () => {
    const d = doctor(settingsOf(app("deploy", "ab?c~?~s3~cret")), deployPom("4.1.0"));
    expect(found(d)).toEqual(["split-character:3"]);
    const f = d.findings.find((x) => x.code === "split-character")!;
    expect(f.severity).toBe("error");
    expect(f.message).toContain(`cloudhub2Deployment (${POM}:12)`);
    expect(f.message).toContain("the client ID holds '?' and the client secret holds '~'");
    expect(JSON.stringify(d.findings)).not.toContain("s3~cret");
  });

  it("the block's own credentials beside <server>: deploy-credentials at the first of them", () => {
    const d = doctor(settingsOf(app("deploy")), deployPom("4.1.0", ["<server>deploy</server>", "<connectedAppClientId>${id}</connectedAppClientId>", "<connectedAppClientSecret>${secret}</connectedAppClientSecret>"]));
    expect(found(d)).toEqual(["deploy-credentials:14"]);
    expect(d.findings.find((f) => f.code === "deploy-credentials")).toMatchObject({ severity: "warning" });
  });

  it("credentials without <server>: nothing to override, and the version does not matter", () => {
    expect(found(doctor(settingsOf(app("other")), deployPom("3.6.1", ["<username>${u}</username>", "<password>${p}</password>"])))).toEqual([]);
  });

  it("a <server> the pom takes from a property it does not define: pom-unresolved, nothing guessed", () => {
    expect(found(doctor(settingsOf(app("deploy")), deployPom("3.6.1", ["<server>${serverId}</server>"])))).toEqual(["pom-unresolved:13"]);
  });

  it("a deploy server that is also an Exchange repository's id without a server: no-server only", () => {
    const pom = deployPom("4.1.0").replace("  <build>", `  <repositories>\n    <repository>\n      <id>deploy</id>\n      <url>https://maven.anypoint.mulesoft.com/api/v3/maven</url>\n    </repository>\n  </repositories>\n  <build>`);
    expect(found(doctor(settingsOf(app("other")), pom))).toEqual(["no-server:7"]);
  });
});

/** A pom with repositories: line 1 <project>, 2 <groupId>, 3 <repositories>, each repository 4 lines from 4 (<id> on its second). */
const repositoryPom = (repositories: [string, string][], { groupId = "g", distribution }: { groupId?: string; distribution?: [string, string] } = {}) =>
  `<project>\n  <groupId>${groupId}</groupId>\n  <repositories>\n${repositories.map(([id, url]) => `    <repository>\n      <id>${id}</id>\n      <url>${url}</url>\n    </repository>\n`).join("")}  </repositories>\n` +
  (distribution ? `  <distributionManagement>\n    <repository>\n      <id>${distribution[0]}</id>\n      <url>${distribution[1]}</url>\n    </repository>\n  </distributionManagement>\n` : "") +
  "</project>\n";
const V3 = "https://maven.anypoint.mulesoft.com/api/v3/maven";
const ORG = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
const OTHER_ORG = "9b2d6c7e-1111-4a2b-8c3d-4e5f60718293";

describe("common Mule misconfigurations", () => {
  it("a client ID as <username> with the secret as password: client-id-as-username, not not-connected-app", () => {
    const d = doctor(settingsOf(server("ex", "0123456789abcdef0123456789ABCDEF", "s3cr3t")), repositoryPom([["ex", V3]]));
    expect(found(d)).toEqual(["client-id-as-username:3"]);
    expect(d.findings[0]).toMatchObject({ severity: "error", file: SETTINGS });
    expect(JSON.stringify(d.findings)).not.toContain("s3cr3t");
    // Without the pom, too (no connected app to look at otherwise).
    expect(found(doctor(settingsOf(server("ex", "0123456789abcdef0123456789abcdef", "s3cr3t")), "<project/>\n"))).toEqual(["no-connected-app:-", "client-id-as-username:3"]);
  });

  it("a user whose name is not a client ID, or a client ID with id~?~secret as password: no client-id-as-username", () => {
    expect(found(doctor(settingsOf(server("ex", "jdoe", "pw")), repositoryPom([["ex", V3]])))).toEqual(["not-connected-app:3"]);
    expect(found(doctor(settingsOf(server("ex", "0123456789abcdef0123456789abcdef", "a~?~b")), repositoryPom([["ex", V3]])))).toEqual(["not-connected-app:3"]);
  });

  const EE = "https://repository.mulesoft.org/nexus-ee/content/repositories/releases-ee/";
  it("nexus-ee with a connected-app server: an error at the server", () => {
    const d = doctor(settingsOf(app("ee")), repositoryPom([["ee", EE]]));
    expect(found(d)).toEqual(["nexus-ee:3"]);
    expect(d.findings.find((f) => f.code === "nexus-ee")).toMatchObject({ severity: "error", file: SETTINGS });
  });

  it("nexus-ee without a server: a warning at the pom's repository; with MuleSoft Support's user: nothing", () => {
    const d = doctor(settingsOf(app("other")), repositoryPom([["ee", EE]]));
    expect(found(d)).toEqual(["nexus-ee:5"]);
    expect(d.findings.find((f) => f.code === "nexus-ee")).toMatchObject({ severity: "warning", file: POM });
    expect(found(doctor(settingsOf(app("other"), server("ee", "support-user", "pw")), repositoryPom([["ee", EE]])))).toEqual([]);
  });

  it("a facade URL on API v1: facade-v1, with the URL to use", () => {
    const d = doctor(settingsOf(app("ex")), repositoryPom([["ex", "https://maven.anypoint.mulesoft.com/api/v1/maven"]]));
    expect(found(d)).toEqual(["facade-v1:5"]);
    expect(d.findings[0]!.fix).toBe(`Use <url>${V3}</url>.`);
  });

  it.each([
    [`https://maven.anypoint.mulesoft.com/api/v3/organizations/${ORG}/organizations/${ORG}/maven`],
    [`https://maven.anypoint.mulesoft.com/api/v3/organizations/${ORG}/${ORG}/maven`],
  ])("the organization ID twice: facade-org-twice (%s)", (url) => {
    const d = doctor(settingsOf(app("ex")), repositoryPom([["ex", url]]));
    expect(found(d)).toEqual(["facade-org-twice:5"]);
    expect(d.findings[0]!.fix).toBe(`Use <url>https://maven.anypoint.mulesoft.com/api/v3/organizations/${ORG}/maven</url>.`);
  });

  it("the organization's facade URL, once: no finding", () => {
    expect(found(doctor(settingsOf(app("ex")), repositoryPom([["ex", `https://maven.anypoint.mulesoft.com/api/v3/organizations/${ORG}/maven`]])))).toEqual([]);
  });

  it("publishing under a groupId that is not the URL's organization: group-not-org, at <groupId>", () => {
    const d = doctor(settingsOf(app("ex")), repositoryPom([["ex", V3]], { groupId: OTHER_ORG, distribution: ["ex", `https://maven.anypoint.mulesoft.com/api/v3/organizations/${ORG}/maven`] }));
    expect(found(d)).toEqual(["group-not-org:2"]);
    expect(d.findings[0]).toMatchObject({ severity: "error", file: POM });
    expect(d.findings[0]!.message).toContain(`in organization ${ORG}, but its groupId is ${OTHER_ORG}`);
  });

  it("publishing under ${project.groupId} when the groupId is no organization ID: group-not-org", () => {
    const d = doctor(settingsOf(app("ex")), repositoryPom([["ex", V3]], { groupId: "com.acme", distribution: ["ex", "https://maven.anypoint.mulesoft.com/api/v3/organizations/${project.groupId}/maven"] }));
    expect(found(d)).toEqual(["group-not-org:2"]);
  });

  it("publishing under the organization's ID: no finding", () => {
    expect(found(doctor(settingsOf(app("ex")), repositoryPom([["ex", V3]], { groupId: ORG, distribution: ["ex", "https://maven.anypoint.mulesoft.com/api/v3/organizations/${project.groupId}/maven"] })))).toEqual([]);
  });

  it("-DaltDeploymentRepository on API v1 in .mvn/maven.config: alt-deployment-v1 at its line; on v3, nothing", () => {
    const file = "/work/app/.mvn/maven.config";
    const d = doctor(settingsOf(app("ex")), repositoryPom([["ex", V3]]), { value: `ex::default::https://maven.anypoint.mulesoft.com/api/v1/organizations/${ORG}/maven`, file, line: 2 });
    expect(found(d)).toEqual(["alt-deployment-v1:2"]);
    expect(d.findings[0]).toMatchObject({ severity: "error", file, fix: expect.stringContaining(`-DaltDeploymentRepository=ex::default::https://maven.anypoint.mulesoft.com/api/v3/organizations/${ORG}/maven`) });
    expect(found(doctor(settingsOf(app("ex")), repositoryPom([["ex", V3]]), { value: `ex::https://maven.anypoint.mulesoft.com/api/v3/organizations/${ORG}/maven`, file, line: 2 }))).toEqual([]);
  });
});

/** The codes of plugin.ts and misconfig.ts (and split-character, which diagnose.ts says of deploy servers). */
const PLUGIN_CODES = new Set<string>(FINDING_CODES.filter((c) => /^(plugin-|deploy-|client-id-|nexus-ee|facade-|group-not-org|alt-deployment)/.test(c) || c === "split-character"));

describe.skipIf(!hasCorpus)("corpus poms: the plugin's and the misconfigurations' findings", { tags: ["corpus"] }, () => {
  // Each pom with a connected-app server (clean: no ~ or ?) for each server its deployment blocks name, so
  // that what is said is about the pom. Why each holds:
  const expected: Record<string, string[]> = {
    // nexus-ee (line 136) with no server; distributionManagement to …/organizations/${project.groupId}/maven with
    // groupId YOUR_GROUP_ID (line 5), a placeholder that is no organization ID.
    "02": ["nexus-ee:136", "group-not-org:5"],
    // <version>${mule.maven.plugin.version}</version> defined by the parent this pom cannot see: a note; the block at 144.
    "03": ["plugin-version-unknown:137", "deploy-scopes:144"],
    "05": ["facade-v1:76"], // distributionManagement on …/api/v1/organizations/${project.groupId}/maven (groupId a UUID)
    "06": ["deploy-scopes:28"], // cloudHubDeployment with username/password of its own and no <server>: nothing overridden
    "07": ["deploy-scopes:33", "facade-v1:115"], // the same; repository on /api/v1/maven
    // Both repositories on API v1; publishes under groupId ORG_ID_TOKEN, a placeholder.
    "08": ["facade-v1:124", "facade-v1:115", "group-not-org:5"],
    "10": ["facade-v1:63"], // Exchange2 on …/api/v1/organizations/<literal org>/maven
    "11": ["facade-v1:78"], // distributionManagement on API v1, its org literal and the groupId's
    "12": ["facade-v1:19", "group-not-org:5"], // API v1; publishes under com.mulesoft.policy, no organization ID
    "14": ["deploy-scopes:151", "facade-v1:303"], // cloudHubDeployment with username/password, no <server>; Exchange2 on API v1
    "15": ["deploy-scopes:31"], // connectedAppClientId/Secret in the block, no <server>
    "16": ["deploy-scopes:35", "nexus-ee:170", "nexus-ee:184"], // mule-enterprise as repository and pluginRepository, no server
    // nexus-ee; distributionManagement on API v1 under {bussiness-gropup-Id}, the groupId (line 7) too: a placeholder.
    "17": ["nexus-ee:94", "facade-v1:77", "group-not-org:7"],
    "23": ["deploy-scopes:32"], // mule-maven-plugin 4.3.0 (reads ~~~Client~~~), server Repository
    "24": ["deploy-scopes:36"], // connectedApp credentials in the block, no <server>
    // MuleRepository on nexus-ee; anypoint-exchange-v1 on API v1 in repositories and distributionManagement (groupId ${orgId} unresolved: no group-not-org).
    "25": ["nexus-ee:108", "facade-v1:161", "facade-v1:203"],
    "26": ["deploy-scopes:34"], // 4.1.0, server my.anypoint.credentials
    "28": ["deploy-scopes:35"], // 4.5.3, server anypoint-exchange-v3; publishes under its own literal org ID
  };

  it("are exactly those listed, with why", () => {
    const dir = join(corpusRoot!, "poms");
    const files = readdirSync(dir).filter((f) => f.endsWith(".xml")).sort();
    expect(files.length).toBeGreaterThan(20);
    const got: Record<string, string[]> = {};
    for (const file of files) {
      const report = readPom(readFileSync(join(dir, file), "utf8"));
      const ids = report.deployments.flatMap((d) => (d.server && d.server.unresolved.length === 0 ? [d.server.value] : []));
      const d = doctor(settingsOf(...ids.map((id) => app(id))), readFileSync(join(dir, file), "utf8"));
      const codes = d.findings.filter((f) => PLUGIN_CODES.has(f.code)).map((f) => `${f.code}:${f.line}`);
      if (codes.length > 0) got[file.slice(0, 2)] = codes;
    }
    expect(got).toEqual(expected);
  });
});
