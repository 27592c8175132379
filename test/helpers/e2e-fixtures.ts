// The end-to-end tests' settings files (fixtures/e2e, described in its README.md): the project's own, so
// that those tests run in a plain clone, without the corpus.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempHome } from "./cli";

const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures", "e2e");

/** The bytes of fixtures/e2e/`name`. */
export const e2eFixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));

/** A temporary HOME whose ~/.m2/settings.xml is a copy of fixtures/e2e/`name`. */
export function homeWithFixture(name: string): { home: string; settings: string; original: Buffer } {
  const original = e2eFixture(name);
  const home = tempHome();
  mkdirSync(join(home, ".m2"));
  const settings = join(home, ".m2", "settings.xml");
  writeFileSync(settings, original);
  return { home, settings, original };
}
