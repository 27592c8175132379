// The end-to-end tests run the built CLI: build it once before any test runs. Scratch homes (which hold
// test secrets) go under one folder for the run, removed when it ends.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  execFileSync(process.execPath, ["build.mjs"], { stdio: "inherit" });
  const scratch = mkdtempSync(join(tmpdir(), "anypoint-m2-tests-"));
  // Test workers inherit the environment of the process that starts them.
  process.env.ANYPOINT_M2_TEST_SCRATCH = scratch;
  return () => rmSync(scratch, { recursive: true, force: true });
}
