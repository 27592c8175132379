// Output for terminals and pipelines: previews, --stdout, --quiet, --verbose, colours, never stuck.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlPlane, tokenEndpoint, type ControlPlane } from "./helpers/anypoint";
import { cliEnv, run, tempHome, type Run } from "./helpers/cli";
import { homeWithFixture } from "./helpers/e2e-fixtures";
import { terminal } from "./helpers/tmux";

const CLIENT_ID = "abcdefabcdefabcdefabcdefabcdef01";
const SECRET = "Output-Secret-31f7";
const TOKEN = "tok-output-0000-4000-8000-123412341234";
const WRONG_SECRET = "Wrong-Secret-8d2e";
const env = { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET };

/** What no output through a pipe may hold: a secret, the token, a colour code. */
function expectClean(r: Run): void {
  for (const s of [SECRET, WRONG_SECRET, TOKEN, "\x1b["]) {
    expect(r.stdout).not.toContain(s);
    expect(r.stderr).not.toContain(s);
  }
}

/** Every run in this file goes through a pipe and is checked at once: a leak fails the test that caused it. */
async function m2(...args: Parameters<typeof run>): Promise<Run> {
  const r = await run(...args);
  expectClean(r);
  return r;
}

let anypoint: ControlPlane;
beforeAll(async () => {
  anypoint = await controlPlane();
  anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
});
afterAll(async () => {
  await anypoint.close();
});



describe("previews", () => {
  it("setup --dry-run prints the change as a diff with the secret masked and writes nothing", async () => {
    const { home, settings, original } = homeWithFixture("namespace-1.2-mirror-empty-proxies.xml");
    const r = await m2(["setup", "--dry-run", "--no-verify", "--server-id", "preview"], { home, env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\+\+\+ \S*\.m2\/settings\.xml$/m);
    expect(r.stdout).toContain("+      <id>preview</id>");
    expect(r.stdout).toContain(`+      <password>${CLIENT_ID}~?~********</password>`);
    expect(`${r.stdout}${r.stderr}`).toContain("Dry run: nothing written."); // stderr once setup prints the patch alone
    expect(readFileSync(settings).equals(original)).toBe(true);
    expect(readdirSync(join(home, ".m2"))).toEqual(["settings.xml"]);
  });

  it("setup --dry-run --json carries the diff", async () => {
    const { home, settings, original } = homeWithFixture("namespace-1.2-mirror-empty-proxies.xml");
    const r = await m2(["setup", "--store", "literal", "--dry-run", "--json", "--base-url", anypoint.url], { home, env });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { dryRun: boolean; diff: string; change: string; verified: boolean };
    expect(json).toMatchObject({ dryRun: true, verified: true });
    expect(json.diff).toContain("********");
    expect(readFileSync(settings).equals(original)).toBe(true);
  });

  it("remove --dry-run shows the lines that would go, passwords masked", async () => {
    const { home, settings, original } = homeWithFixture("ids-last-many-servers.xml");
    const r = await m2(["remove", "anypoint-exchange-v3", "--dry-run"], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("-      <password>a1b2c3d4e5f60718293a4b5c6d7e8f90~?~********</password>");
    expect(r.stderr).toContain("Dry run: would remove");
    expect(r.stdout).not.toContain("Ids-Last-Secret");
    expect(readFileSync(settings).equals(original)).toBe(true);
  });

  it("setup --stdout prints the resulting file, byte for byte what setup would write, and writes nothing", async () => {
    const { home, settings, original } = homeWithFixture("crlf-tabs.xml");
    const printed = execFileSync(join(import.meta.dirname, "..", "dist", "cli.cjs"), ["setup", "--no-verify", "--stdout"], {
      env: cliEnv(home, env),
    });
    expect(readFileSync(settings).equals(original)).toBe(true);
    expect(readdirSync(join(home, ".m2"))).toEqual(["settings.xml"]);
    const written = await m2(["setup", "--no-verify", "--yes"], { home, env });
    expect(written.code).toBe(0);
    expect(printed.equals(readFileSync(settings))).toBe(true);
  });

  it("--stdout goes with neither --json nor --dry-run (exit 2)", async () => {
    const home = tempHome();
    expect((await m2(["setup", "--no-verify", "--stdout", "--json"], { home, env })).code).toBe(2);
    expect((await m2(["remove", "x", "--stdout", "--dry-run"], { home })).code).toBe(2);
  });
});

describe("quiet, verbose, colours", () => {
  it("--quiet prints nothing on success", async () => {
    const home = tempHome();
    const r = await m2(["setup", "--no-verify", "--yes", "--quiet"], { home, env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("");
  });

  it.each([[["--verbose"], {}], [[], { DEBUG: "1" }]])("%j %j prints diagnostics on stderr, never secrets", async (flags, extra) => {
    const home = tempHome();
    const r = await m2(["setup", "--yes", "--base-url", anypoint.url, ...flags], { home, env: { ...env, ...extra } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("debug: settings:");
    expect(r.stderr).toContain("debug: token request: POST");
    expect(r.stderr).toMatch(/debug: attempt 1: HTTP 200/);
  });

  it("prints no colour codes into a pipe", async () => {
    const home = tempHome();
    const runs = [
      await run(["setup", "--no-verify", "--yes"], { home, env }),
      await run(["setup", "--dry-run", "--no-verify", "--server-id", "second"], { home, env }),
      await run(["remove", "anypoint-exchange-v3", "--dry-run"], { home }),
    ];
    // What a terminal would show in colour: the tick, added and removed lines, hunk ranges.
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(runs[0]!.stdout).toContain("Added server");
    expect(runs[1]!.stdout).toMatch(/^@@ .* @@$/m);
    expect(runs[2]!.stdout).toMatch(/^-    <\/server>$/m);
    for (const r of runs) expect(`${r.stdout}${r.stderr}`).not.toContain("\x1b[");
  });

  it.each([
    [{}, true],
    [{ NO_COLOR: "1" }, false],
  ])("in a terminal with %j uses colour: %s", { tags: ["tmux"] }, async (extra, coloured) => {
    const home = tempHome();
    const t = terminal(["setup", "--no-verify", "--yes"], { cwd: home, env: { HOME: home, ...env, ...extra } });
    try {
      expect(await t.exited()).toBe(0);
      const withEscapes = t.screen(true);
      expect(withEscapes).toContain("Added server");
      expect(withEscapes.includes("\x1b[")).toBe(coloured);
    } finally {
      t.close();
    }
  });
});

describe("never stuck", () => {
  it("without a terminal, missing input ends the run with exit 2 within a second, one line per input", async () => {
    const home = tempHome();
    const r = await m2(["setup"], { home });
    expect(r.code).toBe(2);
    expect(r.ms).toBeLessThan(1000);
    expect(r.stderr).toMatch(/client ID: pass --client-id, or set ANYPOINT_CLIENT_ID/);
    expect(r.stderr).toMatch(/client secret: set ANYPOINT_CLIENT_SECRET .* or pass --client-secret-stdin/);
  });

  it("without a command and without a terminal: exit 2 naming the commands", async () => {
    const home = tempHome();
    const r = await m2([], { home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Name a command: setup, exec, verify, list, remove, doctor, rotate or completion.");
    expect(existsSync(join(home, ".m2"))).toBe(false);
  });

  it("CI set: no prompt even in a terminal", { tags: ["tmux"] }, async () => {
    const home = tempHome();
    const t = terminal(["setup"], { cwd: home, env: { HOME: home, CI: "true" } });
    try {
      expect(await t.exited()).toBe(2);
      expect(t.screen()).toContain("missing input");
    } finally {
      t.close();
    }
  });
});

describe("secrets", () => {
  it("appear in no output: written, previewed, as JSON, verbose, rejected", async () => {
    const home = tempHome();
    const runs = [
      await run(["setup", "--yes", "--verbose", "--base-url", anypoint.url], { home, env }),
      await run(["setup", "--dry-run", "--no-verify", "--server-id", "second"], { home, env }),
      await run(["setup", "--dry-run", "--json", "--base-url", anypoint.url, "--server-id", "second"], { home, env }),
      await run(["remove", "anypoint-exchange-v3", "--dry-run"], { home }),
      await run(["setup", "--yes", "--base-url", anypoint.url], { home, env: { ...env, ANYPOINT_CLIENT_SECRET: WRONG_SECRET } }),
      await run(["verify", "--base-url", anypoint.url], { home, env: { DEBUG: "1" } }),
    ];
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0, 3, 0]);
    expect(runs[4]!.stderr).toContain("rejected");
    for (const r of runs) {
      expect(`${r.stdout}${r.stderr}`).not.toBe("");
      for (const s of [SECRET, WRONG_SECRET, TOKEN]) expect(`${r.stdout}${r.stderr}`).not.toContain(s);
    }
  });
});
