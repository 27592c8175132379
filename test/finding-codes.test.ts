// Every finding code doctor can give is listed in README's doctor table, and the table lists no other: the
// codes are the contract of `doctor --json`.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FINDING_CODES } from "../src/doctor/findings";

const ROOT = join(import.meta.dirname, "..");

/** The codes in the first column of the table under "### doctor". */
function readmeCodes(): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### doctor"), readme.indexOf("\n### ", readme.indexOf("### doctor") + 1));
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .flatMap((line) => [...line.split("|")[1]!.matchAll(/`([a-z0-9]+(?:-[a-z0-9]+)+)`/g)].map((m) => m[1]!));
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

describe("finding codes", () => {
  it("README's doctor table lists exactly the codes of src/doctor/findings.ts", () => {
    const listed = readmeCodes();
    expect(listed.length).toBeGreaterThan(20);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual([...FINDING_CODES].sort());
  });

  it("each code is given somewhere in src/ (none listed that nothing produces)", () => {
    const text = sources(join(ROOT, "src"))
      .filter((f) => !f.endsWith(join("doctor", "findings.ts")))
      .map((f) => readFileSync(f, "utf8"))
      .join("\n");
    const results = ["unauthorized", "forbidden", "not-found", "unreachable"];
    expect(FINDING_CODES.length).toBeGreaterThan(20);
    for (const code of FINDING_CODES) {
      // exchange-<result>: made from the probe's result (src/commands/probe.ts).
      const made = code.startsWith("exchange-") ? results.includes(code.slice(9)) && text.includes("`exchange-${o.result}`") : text.includes(`"${code}"`);
      expect(made, code).toBe(true);
    }
  });
});
