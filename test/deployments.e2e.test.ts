// The built CLI on a Mule project that deploys with mule-maven-plugin: doctor --offline --json gives the
// plugin's and the misconfigurations' findings with file:line (one from .mvn/maven.config), and setup refuses
// a client ID or secret holding ~ or ? for the deploy server (exit 2) unless --force. No secret in any output.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectNoSecret, recorder, tempHome } from "./helpers/cli";

const SECRET = "Deploy-Secret-4242";
const SPLIT_SECRET = "Split~Secret?9876";
const { m2, outputs } = recorder();
afterAll(() => expectNoSecret(outputs, [SECRET, SPLIT_SECRET], 4));

const ORG = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
const server = (id: string, username: string, password: string) => `    <server>\n      <id>${id}</id>\n      <username>${username}</username>\n      <password>${password}</password>\n    </server>\n`;
const settingsOf = (...servers: string[]) => `<settings>\n  <servers>\n${servers.join("")}  </servers>\n</settings>\n`;

/** Line 7: the v1 repository's <id>; line 15: the plugin's <version>; 17: the block; 18: <server>. */
const POM = `<project>
  <groupId>${ORG}</groupId>
  <artifactId>app</artifactId>
  <version>1.0.0</version>
  <repositories>
    <repository>
      <id>anypoint-exchange-v3</id>
      <url>https://maven.anypoint.mulesoft.com/api/v1/maven</url>
    </repository>
  </repositories>
  <build>
    <plugins>
      <plugin>
        <artifactId>mule-maven-plugin</artifactId>
        <version>3.6.3</version>
        <configuration>
          <cloudhub2Deployment>
            <server>deploy</server>
          </cloudhub2Deployment>
        </configuration>
      </plugin>
    </plugins>
  </build>
</project>
`;

function project(settings: string | undefined, mavenConfig?: string): { home: string; settings: string } {
  const home = tempHome();
  const path = join(home, ".m2", "settings.xml");
  if (settings !== undefined) {
    mkdirSync(join(home, ".m2"));
    writeFileSync(path, settings, { mode: 0o600 });
  }
  writeFileSync(join(home, "pom.xml"), POM);
  if (mavenConfig !== undefined) {
    mkdirSync(join(home, ".mvn"));
    writeFileSync(join(home, ".mvn", "maven.config"), mavenConfig);
  }
  return { home, settings: path };
}

interface JsonFinding {
  code: string;
  severity: string;
  file?: string;
  line?: number;
  fix?: string;
}

describe("doctor --offline --json on a Mule project that deploys", () => {
  it("each finding with its code, severity and place, from the pom, the settings and .mvn/maven.config", async () => {
    const { home, settings } = project(
      settingsOf(server("anypoint-exchange-v3", "~~~Client~~~", `0123abcd~?~${SECRET}`), server("deploy", "~~~Client~~~", `0123abcd~?~${SPLIT_SECRET}`)),
      `-DaltDeploymentRepository=anypoint-exchange-v3::default::https://maven.anypoint.mulesoft.com/api/v1/organizations/${ORG}/maven\n`,
    );
    const r = await m2(["doctor", "--offline", "--json"], { home });
    expect(r.code, r.stderr).toBe(7);
    const findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    const pom = join(home, "pom.xml");
    const at = (f: JsonFinding) => `${f.severity} ${f.code} ${f.file}:${f.line}`;
    expect(findings.map(at).sort()).toEqual(
      [
        `error split-character ${settings}:8`,
        `error plugin-version ${pom}:15`,
        `error facade-v1 ${pom}:7`,
        `error alt-deployment-v1 ${join(home, ".mvn", "maven.config")}:1`,
        `info deploy-scopes ${pom}:17`,
      ].sort(),
    );
  });

  it("without the deploy server: deploy-no-server at the pom's <server>, with setup as the fix", async () => {
    const { home } = project(settingsOf(server("anypoint-exchange-v3", "~~~Client~~~", `0123abcd~?~${SECRET}`)));
    const r = await m2(["doctor", "--offline", "--json"], { home });
    const findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    expect(findings.find((f) => f.code === "deploy-no-server")).toMatchObject({ severity: "error", file: join(home, "pom.xml"), line: 18, fix: "anypoint-m2 setup --server-id deploy" });
  });
});

describe("setup and the deploy server", () => {
  it("refuses a ~ or ? in the client secret for a server a deployment block names: exit 2, the file as it was", async () => {
    const { home, settings } = project(settingsOf(server("other", "u", "p")));
    const before = readFileSync(settings);
    const r = await m2(["setup", "--no-verify", "--yes", "--server-id", "deploy", "--client-id", "0123abcd"], { home, env: { ANYPOINT_CLIENT_SECRET: SPLIT_SECRET } });
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toContain(`the client secret holds '~' and the client secret holds '?'`);
    expect(r.stderr).toContain("--force");
    expect(readFileSync(settings)).toEqual(before);
  });

  it("writes it with --force; and a server no block names is written without --force", async () => {
    const { home, settings } = project(settingsOf(server("other", "u", "p")));
    const forced = await m2(["setup", "--no-verify", "--yes", "--force", "--server-id", "deploy", "--client-id", "0123abcd"], { home, env: { ANYPOINT_CLIENT_SECRET: SPLIT_SECRET } });
    expect(forced.code, forced.stdout + forced.stderr).toBe(0);
    expect(readFileSync(settings, "utf8")).toContain("<id>deploy</id>");
    const other = await m2(["setup", "--no-verify", "--yes", "--server-id", "elsewhere", "--client-id", "0123abcd"], { home, env: { ANYPOINT_CLIENT_SECRET: SPLIT_SECRET } });
    expect(other.code, other.stdout + other.stderr).toBe(0);
  });
});
