// README's recipes that run Maven through `anypoint-m2 exec` (GitLab CI, Jenkins): each one's anypoint-m2
// line, as the README writes it, in a shell with what that CI system sets, against a loopback token server,
// with a stand-in `mvn` that records the settings file it was given with -s. Maven's own settings builder
// reads that file; it must be private (0600), gone when the command ends, and ~/.m2 never written.
// These need the exec command (issue 20, item 1): where it is missing they FAIL, saying so; never skipped.
// @module-tag maven
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlPlane, tokenEndpoint, type ControlPlane } from "./helpers/anypoint";
import { run, tempHome } from "./helpers/cli";
import { b64, compileProbe, type Probe } from "./helpers/maven";
import { commandOf, EXEC_RECIPES, named, sh, shims } from "./helpers/recipes";
import { seenProfiles } from "./helpers/repositories";

const CLIENT_ID = "fedcba9876543210fedcba9876543210";
const SECRET = "Exec-Recipe-Secret-9&<z>";
const TOKEN = "tok-99999999-8888-4777-8666-555544443333";
const US = "https://maven.anypoint.mulesoft.com/api/v3/maven";

/** What each CI system sets. */
const SYSTEMS: Record<(typeof EXEC_RECIPES)[number], Record<string, string>> = {
  "GitLab CI": { CI: "true", GITLAB_CI: "true" },
  Jenkins: { JENKINS_URL: "http://jenkins.example/", BUILD_ID: "7" },
};

/**
 * A stand-in `mvn`: records its arguments, and a copy of the file after -s with that file's path and mode,
 * in $MVN_RECORD; exits with $MVN_EXIT (0 when unset).
 */
const MVN = `#!/bin/sh
printf '%s\\n' "$@" > "$MVN_RECORD/args"
while [ $# -gt 0 ]; do
  if [ "$1" = "-s" ]; then
    cp "$2" "$MVN_RECORD/settings.xml"; printf '%s' "$2" > "$MVN_RECORD/path"; stat -c %a "$2" > "$MVN_RECORD/mode"
  fi
  shift
done
exit "\${MVN_EXIT:-0}"
`;

let anypoint: ControlPlane;
let probe: Probe;
let path: string;
/** Whether the built CLI has the exec command. */
let execExists: boolean;
beforeAll(async () => {
  anypoint = await controlPlane();
  probe = compileProbe();
  path = shims({ mvn: MVN });
  execExists = (await run(["exec", "--help"], { home: tempHome() })).code === 0;
});
afterAll(async () => {
  await anypoint.close();
});

function requireExec(): void {
  expect(execExists, "anypoint-m2 has no exec command (`anypoint-m2 exec --help` fails): merge issue 20's exec branch; these recipes cannot run without it").toBe(true);
}

describe("README's exec recipes", () => {
  it.each(named(EXEC_RECIPES).map((r) => [r.name, r] as const))("%s", async (name, recipe) => {
    requireExec();
    expect(recipe.text).toContain("ANYPOINT_CLIENT_ID");
    expect(recipe.text).toContain("ANYPOINT_CLIENT_SECRET");
    const command = commandOf(recipe);
    expect(command).toMatch(/anypoint-m2 exec .*-- mvn /);
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const home = tempHome();
    const record = mkdtempSync(join(home, "mvn-"));
    const env = {
      ...SYSTEMS[name as (typeof EXEC_RECIPES)[number]],
      ANYPOINT_CLIENT_ID: CLIENT_ID,
      ANYPOINT_CLIENT_SECRET: SECRET,
      ANYPOINT_BASE_URL: anypoint.url,
      ANYPOINT_EXCHANGE_URL: US,
      MVN_RECORD: record,
    };
    const r = await sh(command, home, path, env);
    expect(r.code, r.stderr).toBe(0);
    expect(anypoint.requests[0]).toMatchObject({ url: "/accounts/api/v2/oauth2/token" });
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);

    // Maven was given a private settings file, which is gone now; ~/.m2 was never written.
    const args = readFileSync(join(record, "args"), "utf8").split("\n");
    expect(args).toEqual(expect.arrayContaining(["-s", "-B", "package"]));
    expect(readFileSync(join(record, "mode"), "utf8").trim()).toBe("600");
    expect(existsSync(readFileSync(join(record, "path"), "utf8"))).toBe(false);
    expect(existsSync(join(home, ".m2"))).toBe(false);

    const given = join(record, "settings.xml");
    const [server, profiles] = probe.ask([`server\t${given}\tanypoint-exchange-v3`, `profiles\t${given}`]);
    expect(server).toBe(`ok ${b64("~~~Client~~~")} ${b64(`${CLIENT_ID}~?~${SECRET}`)}`);
    const seen = seenProfiles(profiles!);
    expect(seen.active).toContain("anypoint-exchange");
    expect(seen.repositories).toContain(`repository anypoint-exchange anypoint-exchange-v3 ${US}`);

    // A failing build fails the job: mvn's exit code is the recipe's.
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const failing = await sh(command, home, path, { ...env, MVN_EXIT: "5" });
    expect(failing.code, failing.stderr).toBe(5);
    expect(existsSync(readFileSync(join(record, "path"), "utf8"))).toBe(false);
  });
});
