// setup --exclude-from-mirrors and remove --from-mirrors (src/settings/exclude.ts): `!id` into, and out of, the
// <mirrorOf> of each mirror that would take an id, as the smallest edit; Maven's own mirror selector
// (test/maven/ProjectProbe.java) then puts no mirror in front of the id, and the other ids it mirrored stay mirrored.
// @module-tag maven
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { excludeFromMirrors, includeInMirrors } from "../src/settings/exclude";
import { applyEdits } from "../src/xml/edit";
import { corpusFile } from "./helpers/corpus";
import { b64, compileProbe, type Probe } from "./helpers/maven";

const EXCHANGE = "https://maven.anypoint.mulesoft.com/api/v3/maven";
const CENTRAL = { id: "central", url: "https://repo.maven.apache.org/maven2" };
const targets = (...ids: string[]) => ids.map((id) => ({ id, url: EXCHANGE }));
const isExchange = (m: { url?: string }) => m.url!.includes("anypoint.mulesoft.com");

const mirror = (id: string, mirrorOf: string, url = "https://nexus.corp.example/all") => `    <mirror>\n      <id>${id}</id>\n      <url>${url}</url>\n      <mirrorOf>${mirrorOf}</mirrorOf>\n    </mirror>\n`;
const settingsOf = (...mirrors: string[]) => `<settings>\n  <mirrors>\n${mirrors.join("")}  </mirrors>\n</settings>\n`;

/** The text with `!ids` added, and the edit's inserted text alone (what differs from the original). */
function exclude(text: string, ids: string[]) {
  const change = excludeFromMirrors(text, targets(...ids), {}, {}, isExchange);
  return { change, after: applyEdits(text, change.edits), inserted: change.edits.map((e) => e.content) };
}

describe("--exclude-from-mirrors, judged by Maven's mirror selector", { tags: ["maven"] }, () => {
  let probe: Probe;
  const dir = mkdtempSync(join(tmpdir(), "anypoint-m2-exclude-"));
  let files = 0;
  beforeAll(() => {
    probe = compileProbe("ProjectProbe");
  });
  /** The mirror Maven puts in front of each repository under this settings text ("-": none). */
  function mavenMirrors(text: string, repositories: { id: string; url: string }[]): string[] {
    const file = join(dir, `settings-${files++}.xml`);
    writeFileSync(file, text);
    return probe.ask(repositories.map((r) => ["mirror", file, b64(r.id), b64(r.url), "default"].join("\t"))).map((a) => {
      expect(a).toMatch(/^ok /);
      return a === "ok -" ? "-" : Buffer.from(a.slice(3), "base64").toString("utf8");
    });
  }

  it.each<[string, string, string]>([
    ["*", "*", ",!anypoint-exchange-v3,!Repository"],
    ["external:*", "external:*", ",!anypoint-exchange-v3,!Repository"],
    ["*,!x (an exclusion already there)", "*,!x", ",!anypoint-exchange-v3,!Repository"],
    ["white space around the value", "\n        *  \n      ", ",!anypoint-exchange-v3,!Repository"],
    ["a list with comma spacing, its * not an entry Maven reads", "central, *", ""],
    ["a list whose * is an entry", "central,*", ",!anypoint-exchange-v3,!Repository"],
    ["one id already excluded", "*,!Repository", ",!anypoint-exchange-v3"],
  ])("mirrorOf %s", (_, mirrorOf, added) => {
    const text = settingsOf(mirror("corp", mirrorOf));
    const { change, after, inserted } = exclude(text, ["anypoint-exchange-v3", "Repository"]);
    expect(inserted.join("")).toBe(added);
    // Byte-faithful: the original is the result with the insertion taken out.
    expect(after.replace(added, "")).toBe(text);
    const repositories = [...targets("anypoint-exchange-v3", "Repository"), CENTRAL];
    const before = mavenMirrors(text, repositories);
    const now = mavenMirrors(after, repositories);
    expect(now.slice(0, 2)).toEqual(["-", "-"]);
    // What else the mirror took, it still takes.
    expect(now[2]).toBe(before[2]);
    // Running it again changes nothing.
    expect(exclude(after, ["anypoint-exchange-v3", "Repository"]).change.edits).toEqual([]);
    if (added !== "") expect(change.mirrors).toEqual([{ mirror: "corp", line: 3, mirrorOf: mirrorOf.trim(), ids: added.slice(2).split(",!") }]);
  });

  it("several mirrors: each that would take the id gets !id (the next would take it otherwise); another id's mirror stays", () => {
    const text = settingsOf(mirror("all", "*"), mirror("ext", "external:*"), mirror("only-central", "central"), mirror("*", "external:*,!central"));
    const { change, after } = exclude(text, ["anypoint-exchange-v3"]);
    expect(change.mirrors.map((m) => m.mirror)).toEqual(["all", "ext", "*"]);
    const [before] = mavenMirrors(text, targets("anypoint-exchange-v3"));
    expect(before).toBe("all");
    // Only the first: Maven would now pick the next one.
    const onlyFirst = applyEdits(text, change.edits.slice(0, 1));
    expect(mavenMirrors(onlyFirst, targets("anypoint-exchange-v3"))).toEqual(["ext"]);
    expect(mavenMirrors(after, [...targets("anypoint-exchange-v3"), CENTRAL])).toEqual(["-", "only-central"]);
  });

  it("a mirror that names the id is reported, not edited; a mirror that is itself Exchange is left alone", () => {
    const text = settingsOf(mirror("exchange-proxy", "*", EXCHANGE), mirror("named", "central,anypoint-exchange-v3"), mirror("exact", "anypoint-exchange-v3"));
    const { change } = exclude(text, ["anypoint-exchange-v3"]);
    expect(change.edits).toEqual([]);
    expect(change.named.map((m) => [m.mirror, m.ids])).toEqual([["named", ["anypoint-exchange-v3"]], ["exact", ["anypoint-exchange-v3"]]]);
  });

  it("a mirror under the id written is left alone: Maven sends it that server's credentials, these very ones", () => {
    const text = settingsOf(mirror("anypoint-exchange-v3", "*"), mirror("corp", "*"));
    const { change } = exclude(text, ["anypoint-exchange-v3"]);
    expect(change.mirrors.map((m) => [m.mirror, m.ids])).toEqual([["corp", ["anypoint-exchange-v3"]]]);
    expect(change.edits).toHaveLength(1);
  });

  it("a value ending in an entity that Maven trims is refused rather than edited wrong", () => {
    const text = settingsOf(mirror("corp", "*&#32;"));
    expect(() => excludeFromMirrors(text, targets("anypoint-exchange-v3"))).toThrow(/would not read as \*,!anypoint-exchange-v3/);
  });

  it("remove --from-mirrors takes !id out again: the bytes as they were; a mirrorOf of !id alone stays", () => {
    for (const mirrorOf of ["*", "external:*", "*,!x", "\n *\n"]) {
      const text = settingsOf(mirror("corp", mirrorOf));
      const { after } = exclude(text, ["anypoint-exchange-v3"]);
      const back = includeInMirrors(after, ["anypoint-exchange-v3"]);
      expect(applyEdits(after, back.edits)).toBe(text);
      expect(includeInMirrors(text, ["anypoint-exchange-v3"]).edits).toEqual([]);
    }
    const alone = includeInMirrors(settingsOf(mirror("corp", "!anypoint-exchange-v3")), ["anypoint-exchange-v3"]);
    expect(alone.edits).toEqual([]);
    expect(alone.warnings[0]).toMatch(/nothing else would be left/);
  });

  it.each(["38-11D-Beyonder-dotfiles.xml", "39-4paradigm-OpenMLDB.xml"])("corpus %s: its catch-all mirror no longer takes the ids; removal gives the bytes back", { tags: ["corpus"] }, (name) => {
    const text = corpusFile(name).toString("utf8");
    const ids = ["anypoint-exchange-v3", "Repository"];
    const { change, after } = exclude(text, ids);
    expect(change.mirrors.length).toBe(1);
    const repositories = [...targets(...ids), CENTRAL];
    const before = mavenMirrors(text, repositories);
    expect(before[0]).not.toBe("-");
    expect(mavenMirrors(after, repositories)).toEqual(["-", "-", before[2]]);
    expect(exclude(after, ids).change.edits).toEqual([]);
    expect(applyEdits(after, includeInMirrors(after, ids).edits)).toBe(text);
  });
});
