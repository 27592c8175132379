// README's recipes, as test/recipes.e2e.test.ts and test/recipes-exec.e2e.test.ts run them: each "### "
// section of "## Recipes", its first code block, and a shell to run its lines in a temp HOME with the built
// CLI standing in for `npx --yes anypoint-m2`.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI, cliEnv } from "./cli";

export interface Recipe {
  name: string;
  /** The section's text. */
  text: string;
  /** Its first code block. */
  block: string;
}

/** The recipes, in README order. */
export function recipes(): Recipe[] {
  const readme = readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8");
  const section = readme.split(/^## /m).find((s) => s.startsWith("Recipes\n"))!;
  return section
    .split(/^### /m)
    .slice(1)
    .map((part) => ({ name: part.slice(0, part.indexOf("\n")), text: part, block: /```\w*\n([^]*?)```/.exec(part)![1]! }));
}

/** The anypoint-m2 command line of a recipe's block (`npx --yes anypoint-m2 …`, up to a quote or the line's end). */
export const commandOf = (recipe: Recipe): string => /npx [^'"\n]*anypoint-m2[^'"\n]*/.exec(recipe.block)![0].trim();

/** The recipes with these names, asserting that README has each. */
export function named(names: readonly string[]): Recipe[] {
  const all = recipes();
  return names.map((name) => {
    const found = all.find((r) => r.name === name);
    if (!found) throw new Error(`README's Recipes has no "### ${name}"`);
    return found;
  });
}

/** A folder for the PATH where `npx --yes [--package=…] anypoint-m2 …` runs the built CLI, and `extra` scripts. */
export function shims(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(process.env.ANYPOINT_M2_TEST_SCRATCH ?? tmpdir(), "anypoint-m2-shims-"));
  symlinkSync(CLI, join(dir, "anypoint-m2"));
  writeFileSync(join(dir, "npx"), '#!/bin/sh\nwhile [ $# -gt 0 ]; do case "$1" in --yes|-y|--package=*) shift ;; *) break ;; esac; done\nexec "$@"\n', { mode: 0o755 });
  for (const [name, script] of Object.entries(extra)) writeFileSync(join(dir, name), script, { mode: 0o755 });
  return dir;
}

/** Runs `command` with /bin/sh in `home`, the shims first on the PATH, and only the environment given (cliEnv). */
export function sh(command: string, home: string, path: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base = cliEnv(home, env);
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", command], { cwd: home, env: { ...base, PATH: `${path}:${base.PATH}` }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The recipes test/recipes-exec.e2e.test.ts runs (they use `anypoint-m2 exec`); test/recipes.e2e.test.ts runs the others. */
export const EXEC_RECIPES = ["GitLab CI", "Jenkins"] as const;
