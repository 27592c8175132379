// Maven fidelity for --with-repositories: for every corpus file and every region (and each fixture), Maven's
// own profile selector sees the profile anypoint-exchange active with the Exchange repository (id: the
// server id) and MuleSoft's releases, the plugin group org.mule.tools, and everything it saw before unchanged;
// running again changes nothing; removal gives back the original bytes.
// @module-tag maven
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REGIONS, type Region } from "../src/anypoint/endpoint";
import { exchangeMaven } from "../src/anypoint/exchange";
import { corpus, hasCorpus } from "./helpers/corpus";
import { compileProbe, type Probe } from "./helpers/maven";
import { mergeBytes, opensUpEmptySection, seenProfiles, unmergeRestores, type SeenProfiles } from "./helpers/repositories";

const SERVER_ID = "anypoint-exchange-v3";
const RELEASES = "https://repository.mulesoft.org/releases/";
const work = mkdtempSync(join(process.env.ANYPOINT_M2_TEST_SCRATCH ?? tmpdir(), "anypoint-m2-repositories-"));

interface Subject {
  label: string;
  before: Buffer;
  /** Per region: the merged bytes and where they were written for the probe. */
  regions: { region: Region; url: string; after: Uint8Array; path: string }[];
  path: string;
  /** A URL the merge replaces, which removal keeps: [as it was, as it is]. */
  removalKeeps?: [string, string];
}

function subject(label: string, before: Buffer, removalKeeps?: [string, string]): Subject {
  const slug = label.replace(/[^A-Za-z0-9.-]/g, "_");
  const path = join(work, `${slug}.before.xml`);
  writeFileSync(path, before);
  const regions = (Object.keys(REGIONS) as Region[]).map((region) => {
    const { url } = exchangeMaven(new URL(`https://${REGIONS[region]}`));
    const after = mergeBytes(before, { serverIds: [SERVER_ID], exchangeUrl: url }).bytes;
    const out = join(work, `${slug}.${region}.xml`);
    writeFileSync(out, after);
    return { region, url, after, path: out };
  });
  return { label, before, regions, path, removalKeeps };
}

const fixtureRoot = join(import.meta.dirname, "..", "fixtures", "repositories");
const subjects: Subject[] = [
  ...readdirSync(fixtureRoot)
    .filter((name) => JSON.parse(readFileSync(join(fixtureRoot, name, "case.json"), "utf8")).op === "merge" && !name.startsWith("refuse-"))
    .map((name) => subject(`fixture ${name}`, readFileSync(join(fixtureRoot, name, "before.xml")), JSON.parse(readFileSync(join(fixtureRoot, name, "case.json"), "utf8")).removalKeeps)),
  ...corpus()
    .filter((f) => !f.malformed)
    .map((f) => subject(f.name, f.bytes)),
];

let seen: Map<string, SeenProfiles>;
beforeAll(() => {
  const probe: Probe = compileProbe();
  const paths = subjects.flatMap((s) => [s.path, ...s.regions.map((r) => r.path)]);
  const answers = probe.ask(paths.map((p) => `profiles\t${p}`));
  seen = new Map(paths.map((p, i) => [p, seenProfiles(answers[i]!)]));
});

function check(s: Subject): void {
  expect(s.regions).toHaveLength(5);
  const before = seen.get(s.path)!;
  for (const r of s.regions) {
    const after = seen.get(r.path)!;
    expect(after.active, r.region).toContain("anypoint-exchange");
    expect(after.repositories.filter((l) => l.split(" ")[1] === "anypoint-exchange"), r.region).toEqual([
      `repository anypoint-exchange ${SERVER_ID} ${r.url}`,
      `repository anypoint-exchange mulesoft-releases ${RELEASES}`,
      `pluginRepository anypoint-exchange mulesoft-releases ${RELEASES}`,
    ]);
    expect(after.pluginGroups).toContain("org.mule.tools");
    // What Maven saw before, it still sees: the same profiles active with the same repositories, the rest equal.
    expect(after.active.filter((id) => id !== "anypoint-exchange")).toEqual(before.active.filter((id) => id !== "anypoint-exchange"));
    const theirs = (lines: string[]) => lines.filter((l) => l.split(" ")[1] !== "anypoint-exchange");
    expect(theirs(after.repositories)).toEqual(theirs(before.repositories));
    expect(after.rest).toBe(before.rest);
    if (before.strict === "ok") expect(after.strict).toBe("ok");
    // Running again changes nothing; removal gives the original back.
    const again = mergeBytes(r.after, { serverIds: [SERVER_ID], exchangeUrl: r.url });
    expect(again.change).toBe("unchanged");
    // A URL that was updated stays updated (only for the region whose URL it now is).
    const original = s.removalKeeps ? Buffer.from(s.before.toString("latin1").replace(s.removalKeeps[0], r.url), "latin1") : s.before;
    const { exact, restored } = unmergeRestores(original, r.after, [SERVER_ID]);
    expect(restored).toBe(true);
    expect(exact).toBe(!opensUpEmptySection(s.before));
  }
}

describe("fixtures, as Maven sees them", () => {
  it.each(subjects.filter((s) => s.label.startsWith("fixture ")).map((s) => [s.label, s] as const))("%s", (_, s) => check(s));
});

describe.skipIf(!hasCorpus)("corpus, as Maven sees it", { tags: ["corpus"] }, () => {
  it.each(subjects.filter((s) => !s.label.startsWith("fixture ")).map((s) => [s.label, s] as const))("%s", (_, s) => check(s));
});
