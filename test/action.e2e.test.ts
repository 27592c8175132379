// The GitHub Action (action.yml) run as the Actions runner runs it (test/helpers/action.ts): its main step
// writes the server through setup against a loopback token endpoint, with the secret masked before anything
// is printed; its post step puts the settings file back byte for byte, removes what the job created, and
// leaves (and reports) a file changed after the Action wrote it.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionYml, job, REPOSITORY, withoutMasks } from "./helpers/action";
import { controlPlane, tokenEndpoint, type ControlPlane } from "./helpers/anypoint";
import { tempHome } from "./helpers/cli";
import { b64, compileProbe } from "./helpers/maven";

const CLIENT_ID = "0123456789abcdef0123456789abcdef";
const SECRET = "Action-Secret-7&<y>";
const TOKEN = "tok-11111111-2222-4333-8444-555566667777";

/** What actions/setup-java leaves in ~/.m2/settings.xml, with CRLF line ends and mode 644 (a file the Action must give back exactly). */
const SETUP_JAVA = [
  "<settings>",
  "    <servers>",
  "      <server>",
  "        <id>github</id>",
  "        <username>${env.GITHUB_ACTOR}</username>",
  "        <password>${env.GITHUB_TOKEN}</password>",
  "      </server>",
  "    </servers>",
  "</settings>",
  "",
].join("\r\n");

let anypoint: ControlPlane;
beforeAll(async () => {
  anypoint = await controlPlane();
});
afterAll(async () => {
  await anypoint.close();
});

/** A job whose home has `settings` as ~/.m2/settings.xml (mode `mode`), with the token endpoint expecting the app's credentials. */
function jobWith(settings?: string, mode = 0o644) {
  anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
  const home = tempHome();
  const path = join(home, ".m2", "settings.xml");
  if (settings !== undefined) {
    mkdirSync(join(home, ".m2"));
    writeFileSync(path, settings);
    chmodSync(path, mode);
  }
  return { ...job(home), path, env: { ANYPOINT_BASE_URL: anypoint.url, ANYPOINT_EXCHANGE_URL: "https://maven.anypoint.mulesoft.com/api/v3/maven" } };
}

const credentials = { "client-id": CLIENT_ID, "client-secret": SECRET };

describe("action.yml", () => {
  it("runs the committed bundles on the runner's current Node, with the inputs and outputs the README names", () => {
    const yml = actionYml();
    // GitHub runs JavaScript actions on Node 24 (node20 is deprecated, and removed from the runners in September 2026).
    expect(yml.using).toBe("node24");
    expect(existsSync(join(REPOSITORY, yml.main))).toBe(true);
    expect(existsSync(join(REPOSITORY, yml.post))).toBe(true);
    expect(Object.keys(yml.inputs)).toEqual(["client-id", "client-secret", "region", "server-id", "from-pom", "store", "with-repositories", "verify"]);
    expect(yml.outputs).toEqual(["settings-path", "server-ids"]);
  });
});

describe("the Action's main and post steps", () => {
  it("merges into setup-java's file, masked, with outputs; the post step puts the file back byte for byte, mode too", { tags: ["maven"] }, async () => {
    const ci = jobWith(SETUP_JAVA);
    const main = await ci.main({ ...credentials, "with-repositories": "true" }, ci.env);
    expect(main.code, main.log).toBe(0);
    // Masked before anything else: the secret alone, and the password it makes.
    const lines = main.stdout.split("\n");
    expect(lines.slice(0, 2)).toEqual([`::add-mask::${SECRET}`, `::add-mask::${CLIENT_ID}~?~${SECRET}`]);
    expect(withoutMasks(main.log)).not.toContain(SECRET);
    expect(withoutMasks(main.log)).not.toContain("Action-Secret-7");
    expect(main.log).not.toContain(TOKEN);
    expect(anypoint.requests[0]).toMatchObject({ url: "/accounts/api/v2/oauth2/token" });
    expect(main.outputs).toEqual({ "settings-path": ci.path, "server-ids": "anypoint-exchange-v3" });
    // The state names a private folder; the original's bytes are there, not in the state.
    const state = ci.state();
    expect(Object.values(state).join("")).not.toContain("github");
    expect(statSync(state.snapshot!).mode & 0o777).toBe(0o700);

    // Maven's own settings builder reads the server the Action wrote, and setup-java's next to it.
    const probe = compileProbe();
    const [server, ids] = probe.ask([`server\t${ci.path}\tanypoint-exchange-v3`, `ids\t${ci.path}`]);
    expect(server).toBe(`ok ${b64("~~~Client~~~")} ${b64(`${CLIENT_ID}~?~${SECRET}`)}`);
    expect(ids).toBe(`ok ${b64("github")} ${b64("anypoint-exchange-v3")}`);

    const post = await ci.post();
    expect(post.code, post.log).toBe(0);
    expect(readFileSync(ci.path, "latin1")).toBe(SETUP_JAVA);
    expect(statSync(ci.path).mode & 0o7777).toBe(0o644);
    // The backup setup made is gone, and so are the private copies.
    expect(readdirSync(join(ci.home, ".m2"))).toEqual(["settings.xml"]);
    expect(readdirSync(ci.runnerTemp)).toEqual([]);
    expect(post.log).not.toContain("::warning::");
  });

  it("several server ids, one a line: each written, all in the output", async () => {
    const ci = jobWith();
    const main = await ci.main({ ...credentials, "server-id": "exchange-a\n  exchange-b  \n\n" }, ci.env);
    expect(main.code, main.log).toBe(0);
    expect(main.outputs["server-ids"]).toBe("exchange-a\nexchange-b");
    const text = readFileSync(ci.path, "utf8");
    expect(text).toContain("<id>exchange-a</id>");
    expect(text).toContain("<id>exchange-b</id>");
  });

  it("removes the file, and the ~/.m2 it made, when the job created them", async () => {
    const ci = jobWith();
    const main = await ci.main({ ...credentials, verify: "false" }, ci.env);
    expect(main.code, main.log).toBe(0);
    expect(statSync(ci.path).mode & 0o777).toBe(0o600);
    expect(anypoint.requests).toEqual([]);
    const post = await ci.post();
    expect(post.code, post.log).toBe(0);
    expect(existsSync(join(ci.home, ".m2"))).toBe(false);
    expect(post.stdout).toContain(`Removed ${ci.path}, which this job created.`);
  });

  it("keeps a ~/.m2 that is no longer empty (Maven's repository cache) and removes only the file", async () => {
    const ci = jobWith();
    expect((await ci.main({ ...credentials, verify: "false" }, ci.env)).code).toBe(0);
    mkdirSync(join(ci.home, ".m2", "repository"));
    expect((await ci.post()).code).toBe(0);
    expect(readdirSync(join(ci.home, ".m2"))).toEqual(["repository"]);
  });

  it("leaves a file changed after the Action wrote it, and says so", async () => {
    const ci = jobWith(SETUP_JAVA);
    expect((await ci.main(credentials, ci.env)).code).toBe(0);
    const changed = readFileSync(ci.path, "utf8").replace("</settings>", "<!-- a later step --></settings>");
    writeFileSync(ci.path, changed);
    const post = await ci.post();
    expect(post.code, post.log).toBe(0);
    expect(post.stdout).toContain(`::warning::${ci.path} was changed after anypoint-m2 wrote it, so it is left as it is`);
    expect(readFileSync(ci.path, "utf8")).toBe(changed);
    // The backup was not changed after: it is removed, as the job made it.
    expect(existsSync(`${ci.path}.bak`)).toBe(false);
    expect(post.log).not.toContain(SECRET);
  });

  it("rejected credentials: the exit code of setup, an error annotation, nothing written, nothing for the post step to do", async () => {
    const ci = jobWith(SETUP_JAVA);
    const main = await ci.main({ ...credentials, "client-secret": "Wrong-Secret-1" }, ci.env);
    expect(main.code).toBe(3);
    expect(main.stdout).toMatch(/^::error::anypoint-m2: .*rejected/m);
    expect(withoutMasks(main.log)).not.toContain("Wrong-Secret-1");
    expect(main.outputs).toEqual({});
    expect(readFileSync(ci.path, "latin1")).toBe(SETUP_JAVA);
    const post = await ci.post();
    expect(post.code, post.log).toBe(0);
    expect(post.log).toBe("");
    expect(readFileSync(ci.path, "latin1")).toBe(SETUP_JAVA);
  });

  it("an empty client-secret input (a fork's run, a secret not set): exit 2 naming the input, not a CLI flag", async () => {
    const ci = jobWith();
    const main = await ci.main({ ...credentials, "client-secret": "" }, ci.env);
    expect(main.code).toBe(2);
    expect(main.stdout).toContain("::error::anypoint-m2: the client-secret input is empty");
    expect(main.stdout).not.toContain("--client-secret-stdin");
  });

  it("an input that is not true or false: exit 2, naming it, and no file watched", async () => {
    const ci = jobWith();
    const main = await ci.main({ ...credentials, verify: "no" }, ci.env);
    expect(main.code).toBe(2);
    expect(main.stdout).toContain('::error::anypoint-m2: the input verify is "no"; it takes true or false');
    expect(ci.state()).toEqual({});
    expect((await ci.post()).code).toBe(0);
  });

  it("a line of setup's output that looks like a workflow command is not one: commands are off while setup runs", async () => {
    const ci = jobWith();
    const main = await ci.main({ ...credentials, verify: "false", "server-id": "::set-env name=X::y" }, ci.env);
    expect(main.code, main.log).toBe(0);
    // Its echo ("Added server "::set-env…") sits between stop-commands and the token that turns commands back on.
    const stop = /^::stop-commands::(.+)$/m.exec(main.stdout);
    expect(stop).not.toBeNull();
    const echoed = main.stdout.indexOf('"::set-env name=X::y"');
    expect(echoed).toBeGreaterThan(main.stdout.indexOf(stop![0]));
    expect(echoed).toBeLessThan(main.stdout.indexOf(`\n::${stop![1]}::\n`));
  });
});
