// README's recipes (test/helpers/recipes.ts): the GitHub Actions one runs the Action's steps as the runner
// does (test/helpers/action.ts), with the inputs its `with:` gives; the Dockerfile's anypoint-m2 line runs in
// a shell with nothing but the built CLI. Both against a loopback token server; then Maven's own settings
// builder reads the result. The recipes that use `exec` are run by test/recipes-exec.e2e.test.ts.
// @module-tag maven
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { job, withoutMasks } from "./helpers/action";
import { controlPlane, tokenEndpoint, type ControlPlane } from "./helpers/anypoint";
import { tempHome } from "./helpers/cli";
import { b64, compileProbe, type Probe } from "./helpers/maven";
import { commandOf, EXEC_RECIPES, named, recipes, sh, shims } from "./helpers/recipes";
import { seenProfiles } from "./helpers/repositories";

const CLIENT_ID = "89abcdef0123456789abcdef01234567";
const SECRET = "Recipe-Secret-42&<x>";
const TOKEN = "tok-aaaaaaaa-bbbb-4ccc-8ddd-eeeeffff0000";
const US = "https://maven.anypoint.mulesoft.com/api/v3/maven";

/** What actions/setup-java writes by default (its src/auth.ts generate()): a server `github`, a gpg profile. */
const SETUP_JAVA = `
  <settings>
      <servers>
        <server>
          <id>github</id>
          <username>\${env.GITHUB_ACTOR}</username>
          <password>\${env.GITHUB_TOKEN}</password>
        </server>
      </servers>
      <profiles>
        <profile>
          <activation>
            <activeByDefault>true</activeByDefault>
          </activation>
          <properties>
            <gpg.passphrase>\${env.GPG_PASSPHRASE}</gpg.passphrase>
          </properties>
        </profile>
      </profiles>
  </settings>
  `;

const GITHUB = "GitHub Actions";
const DOCKERFILE = "Dockerfile (BuildKit secrets, the `env` store)";

/**
 * The `with:` of the recipe's step that uses anypoint-m2, as the runner passes it: each `key: value`,
 * `${{ secrets.NAME }}` replaced by the secret's value.
 */
function actionInputs(block: string, secrets: Record<string, string>): Record<string, string> {
  const lines = block.split("\n");
  const uses = lines.findIndex((l) => /uses: [\w.-]+\/anypoint-m2@\S+/.test(l));
  expect(uses, "a step that uses anypoint-m2").toBeGreaterThanOrEqual(0);
  const withAt = lines.findIndex((l, i) => i > uses && /^\s+with:\s*$/.test(l));
  const indent = /^\s*/.exec(lines[withAt + 1]!)![0];
  const inputs: Record<string, string> = {};
  for (const line of lines.slice(withAt + 1)) {
    if (!line.startsWith(indent) || line.startsWith(`${indent} `)) break;
    const [, key, value] = /^\s*([\w-]+):\s*(.*)$/.exec(line)!;
    inputs[key!] = value!.replace(/\$\{\{\s*secrets\.(\w+)\s*\}\}/g, (_, name: string) => secrets[name] ?? "");
  }
  return inputs;
}

let anypoint: ControlPlane;
let probe: Probe;
beforeAll(async () => {
  anypoint = await controlPlane();
  probe = compileProbe();
});
afterAll(async () => {
  await anypoint.close();
});

describe("README's recipes", () => {
  it("are the ones this file and recipes-exec.e2e.test.ts run, the Action and exec first", () => {
    expect(recipes().map((r) => r.name)).toEqual([GITHUB, ...EXEC_RECIPES, DOCKERFILE]);
  });

  it(GITHUB, async () => {
    const [recipe] = named([GITHUB]);
    expect(recipe!.text).toContain("ANYPOINT_CLIENT_ID");
    expect(recipe!.text).toContain("ANYPOINT_CLIENT_SECRET");
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const home = tempHome();
    const settings = join(home, ".m2", "settings.xml");
    // setup-java's step ran first.
    mkdirSync(join(home, ".m2"));
    writeFileSync(settings, SETUP_JAVA);
    const ci = job(home);
    const inputs = actionInputs(recipe!.block, { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET });
    expect(inputs).toMatchObject({ "client-id": CLIENT_ID, "client-secret": SECRET });
    const main = await ci.main(inputs, { ANYPOINT_BASE_URL: anypoint.url, ANYPOINT_EXCHANGE_URL: US });
    expect(main.code, main.log).toBe(0);
    expect(anypoint.requests[0]).toMatchObject({ url: "/accounts/api/v2/oauth2/token" });
    expect(withoutMasks(main.log)).not.toContain(SECRET);
    expect(main.log).not.toContain(TOKEN);
    expect(main.outputs["settings-path"]).toBe(settings);

    // `mvn -B package`: what Maven reads from the file now.
    const [server, ids, profiles] = probe.ask([`server\t${settings}\tanypoint-exchange-v3`, `ids\t${settings}`, `profiles\t${settings}`]);
    expect(server).toBe(`ok ${b64("~~~Client~~~")} ${b64(`${CLIENT_ID}~?~${SECRET}`)}`);
    // setup-java's server and its profile are still what Maven sees.
    expect(ids).toBe(`ok ${b64("github")} ${b64("anypoint-exchange-v3")}`);
    const seen = seenProfiles(profiles!);
    expect(seen.active).toEqual(["default", "anypoint-exchange"]);
    expect(seen.repositories).toContain(`repository anypoint-exchange anypoint-exchange-v3 ${US}`);
    expect(seen.pluginGroups).toContain("org.mule.tools");

    // The job ends: setup-java's file is back as it was.
    const post = await ci.post();
    expect(post.code, post.log).toBe(0);
    expect(readFileSync(settings, "utf8")).toBe(SETUP_JAVA);
  });

  it(DOCKERFILE, async () => {
    const [recipe] = named([DOCKERFILE]);
    expect(recipe!.text).toContain("ANYPOINT_CLIENT_ID");
    expect(recipe!.text).toContain("ANYPOINT_CLIENT_SECRET");
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const home = tempHome();
    // The image build: no credential in its environment, and none written; Maven gets them at `mvn` time.
    const r = await sh(commandOf(recipe!), home, shims(), { ANYPOINT_BASE_URL: anypoint.url });
    expect(r.code, r.stderr).toBe(0);
    expect(anypoint.requests).toHaveLength(0);
    const written = join(home, "settings.xml");
    const text = readFileSync(written, "utf8");
    expect(text).toContain("<password>${env.ANYPOINT_CLIENT_ID}~?~${env.ANYPOINT_CLIENT_SECRET}</password>");
    expect(text).not.toContain(CLIENT_ID);
    const [server] = probe.ask([`server\t${written}\tanypoint-exchange-v3`], { PATH: process.env.PATH ?? "", ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET });
    expect(server).toBe(`ok ${b64("~~~Client~~~")} ${b64(`${CLIENT_ID}~?~${SECRET}`)}`);
  });
});
