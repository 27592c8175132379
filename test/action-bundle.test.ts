// The Action's users run the bundles committed in action/ (the runner checks out the repository and runs
// action.yml's files; dist/ is not committed): they must be the build of these sources, byte for byte. The
// global setup has just built dist/action/ from the sources, as `node build.mjs` does.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { actionYml, REPOSITORY } from "./helpers/action";

const built = join(REPOSITORY, "dist", "action");
const committed = join(REPOSITORY, "action");

describe("the committed Action bundles", () => {
  it("are the ones action.yml runs, and no others", () => {
    const { main, post } = actionYml();
    expect([main, post]).toEqual(["action/main.cjs", "action/post.cjs"]);
    expect(readdirSync(committed).sort()).toEqual(readdirSync(built).sort());
  });

  it.each(["main.cjs", "post.cjs"])("action/%s is the build of the sources (else: node build.mjs --action, and commit action/)", (name) => {
    const fresh = readFileSync(join(built, name));
    expect(fresh.length).toBeGreaterThan(1000);
    // Compared as bytes, reported without a diff of two minified files.
    expect(readFileSync(join(committed, name)).equals(fresh), `action/${name} is older than the sources: run node build.mjs --action and commit action/`).toBe(true);
  });
});
