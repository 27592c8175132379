// Which <mirror> Maven puts in front of a repository (src/settings/mirrors.ts), judged by Maven's own resolver
// (DefaultMirrorSelector, fed from Maven's settings builder, through test/maven/ProjectProbe.java).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { readMirrors, selectMirror, type MirrorTarget } from "../src/settings/mirrors";
import { readSettings } from "../src/settings/model";
import { b64, compileProbe, type Probe } from "./helpers/maven";
import { judges } from "./helpers/mavens";

interface MirrorSpec {
  id: string;
  mirrorOf: string;
  layouts?: string;
}

const REPOSITORIES: MirrorTarget[] = [
  { id: "anypoint-exchange-v3", url: "https://maven.anypoint.mulesoft.com/api/v3/maven" },
  { id: "Repository", url: "https://maven.eu1.anypoint.mulesoft.com/api/v3/organizations/o/maven" },
  { id: "local-nexus", url: "http://localhost:8081/repository/x" },
  { id: "loopback", url: "https://127.0.0.1/x" },
  { id: "plain-http", url: "http://maven.example.com/x" },
  { id: "dav", url: "dav:http://maven.example.com/x" },
  { id: "files", url: "file:///tmp/repo" },
  { id: "legacy-one", url: "https://maven.example.com/legacy", layout: "legacy" },
];

const PATTERNS = [
  "*",
  "external:*",
  "external:http:*",
  "anypoint-exchange-v3",
  "central,anypoint-exchange-v3",
  "central, anypoint-exchange-v3",
  "*,!anypoint-exchange-v3",
  "!anypoint-exchange-v3,*",
  "external:*,!Repository",
  "external:http:*,!plain-http",
  "!anypoint-exchange-v3",
  "!",
  "central",
  "ANYPOINT-EXCHANGE-V3",
  "  anypoint-exchange-v3  ",
  "*,",
  ",anypoint-exchange-v3",
];

function settingsXml(mirrors: MirrorSpec[]): string {
  const items = mirrors
    .map(
      (m) =>
        `    <mirror>\n      <id>${m.id}</id>\n      <url>https://mirror.example.com/${m.id}</url>\n      <mirrorOf>${m.mirrorOf}</mirrorOf>\n` +
        `${m.layouts === undefined ? "" : `      <mirrorOfLayouts>${m.layouts}</mirrorOfLayouts>\n`}    </mirror>\n`,
    )
    .join("");
  return `<settings>\n  <mirrors>\n${items}  </mirrors>\n</settings>\n`;
}

describe.each(judges())("mirror selection, as Maven $version's resolver selects", { tags: ["maven"] }, ({ home }) => {
  let probe: Probe;
  const dir = mkdtempSync(join(tmpdir(), "anypoint-m2-mirrors-"));
  let files = 0;
  beforeAll(() => {
    probe = compileProbe("ProjectProbe", home);
  });

  /**
   * Ours and Maven's choice for each repository under each list of mirrors: the mirror's id, or "-". One run
   * of the probe for all the lists.
   */
  function judge(lists: MirrorSpec[][]): { ours: string[]; maven: string[] }[] {
    const requests: string[] = [];
    const ours = lists.map((mirrors) => {
      const text = settingsXml(mirrors);
      const file = join(dir, `settings-${files++}.xml`);
      writeFileSync(file, text);
      requests.push(...REPOSITORIES.map((r) => ["mirror", file, b64(r.id), b64(r.url), r.layout ?? "default"].join("\t")));
      const parsed = readMirrors(readSettings(text));
      return REPOSITORIES.map((r) => selectMirror(r, parsed)?.id ?? "-");
    });
    const answers = probe.ask(requests).map((a) => {
      expect(a).toMatch(/^ok /);
      const id = a.slice(3);
      return id === "-" ? "-" : Buffer.from(id, "base64").toString("utf8");
    });
    return ours.map((o, i) => ({ ours: o, maven: answers.slice(i * REPOSITORIES.length, (i + 1) * REPOSITORIES.length) }));
  }
  const both = (mirrors: MirrorSpec[]) => judge([mirrors])[0]!;

  let single: { ours: string[]; maven: string[] }[];
  beforeAll(() => {
    single = judge(PATTERNS.map((mirrorOf) => [{ id: "corp", mirrorOf }]));
  });

  it.each(PATTERNS.map((p, i) => [p, i] as const))("mirrorOf %j", (_, i) => {
    const { ours, maven } = single[i]!;
    expect(ours).toEqual(maven);
  });

  it("the patterns tell repositories apart: some are mirrored, some not", () => {
    const all = single.flatMap((r) => r.maven);
    expect(all).toContain("corp");
    expect(all).toContain("-");
  });

  it("an exact id wins over an earlier pattern; otherwise the first pattern that matches", () => {
    const { ours, maven } = both([
      { id: "everything", mirrorOf: "*" },
      { id: "exchange-only", mirrorOf: "anypoint-exchange-v3" },
      { id: "external", mirrorOf: "external:*" },
    ]);
    expect(ours).toEqual(maven);
    expect(ours[0]).toBe("exchange-only");
    expect(ours[1]).toBe("everything");
  });

  it("mirrorOfLayouts: legacy, default, lists with exclusions, empty", () => {
    const layouts = ["legacy", "default", "*,!default", "!legacy,*", ""];
    const results = judge(layouts.map((l) => [{ id: "corp", mirrorOf: "*", layouts: l }]));
    results.forEach(({ ours, maven }, i) => expect(ours, layouts[i]).toEqual(maven));
    // The layouts decide: the legacy repository is mirrored under some of them and not under others.
    expect(new Set(results.map((r) => r.maven[REPOSITORIES.length - 1]))).toEqual(new Set(["corp", "-"]));
  });

  it("any list of mirrors built from these patterns", () => {
    const mirror = fc.record({ id: fc.constantFrom("m1", "m2", "m3"), mirrorOf: fc.constantFrom(...PATTERNS), layouts: fc.option(fc.constantFrom("legacy", "default", "*"), { nil: undefined }) });
    const lists = fc.sample(fc.array(mirror, { minLength: 1, maxLength: 4 }), { numRuns: 60, seed: 1010 });
    expect(lists.length).toBe(60);
    judge(lists).forEach(({ ours, maven }, i) => expect(ours, JSON.stringify(lists[i])).toEqual(maven));
  });
});
