// setup --dry-run prints a patch: the diff alone on stdout, accepted by patch and git apply.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run, tempHome } from "./helpers/cli";

const CLIENT_ID = "0123abcd0123abcd0123abcd0123abcd";
const SECRET = "kSetupSecret1";
const env = { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET };
/** The file as the diff shows it: the secret masked. */
const masked = (text: string) => text.replace(`${CLIENT_ID}~?~${SECRET}`, `${CLIENT_ID}~?~********`);
const patch = (cwd: string, diff: string) => execFileSync("patch", ["-p0", "--batch"], { cwd, input: diff, encoding: "utf8" });
const gitApply = (cwd: string, diff: string) => execFileSync("git", ["apply", "-p0", "--check"], { cwd, input: diff, encoding: "utf8" });

describe("setup --dry-run prints a patch", () => {
  it("alone on stdout, the prose on stderr; it applies to the file", async () => {
    const home = tempHome();
    mkdirSync(join(home, ".m2"));
    const settings = join(home, ".m2", "settings.xml");
    writeFileSync(settings, "<settings>\n  <servers>\n    <server>\n      <id>other</id>\n    </server>\n  </servers>\n</settings>\n");
    const r = await run(["setup", "--dry-run", "--no-verify"], { home, env });
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("--- .m2/settings.xml\n+++ .m2/settings.xml\n@@ ")).toBe(true);
    expect(r.stderr).toContain("Dry run: nothing written.");
    const result = (await run(["setup", "--no-verify", "--stdout"], { home, env })).stdout;
    gitApply(home, r.stdout);
    patch(home, r.stdout);
    expect(readFileSync(settings, "utf8")).toBe(masked(result));
  });

  it("a file that does not exist yet: --- /dev/null, @@ -0,0 +1,N @@, and the patch creates it", async () => {
    const home = tempHome();
    const r = await run(["setup", "--dry-run", "--no-verify"], { home, env });
    expect(r.code).toBe(0);
    const result = (await run(["setup", "--no-verify", "--stdout"], { home, env })).stdout;
    const count = result.split("\n").length - 1;
    expect(r.stdout.split("\n").slice(0, 3)).toEqual(["--- /dev/null", "+++ .m2/settings.xml", `@@ -0,0 +1,${count} @@`]);
    expect(existsSync(join(home, ".m2"))).toBe(false);
    gitApply(home, r.stdout);
    patch(home, r.stdout);
    expect(readFileSync(join(home, ".m2", "settings.xml"), "utf8")).toBe(masked(result));
  });
});
