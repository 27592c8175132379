import { defineConfig } from "vitest/config";
import { testTags } from "./test/helpers/tools.ts";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    globalSetup: ["test/require-all.ts", "test/global-setup.ts"],
    reporters: ["default", "./test/summary-reporter.ts"],
    // A test that needs a program besides Node carries its tag (test/helpers/tools.ts): skipped without it.
    tags: testTags(),
    strictTags: true,
  },
});
