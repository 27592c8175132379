// The repositories engine (--with-repositories): table-driven fixtures (fixtures/repositories/<case>:
// before.xml, case.json, the exact after.xml), running twice, taking it out again; the edit composition
// that lets it run after the server engine; the Exchange URLs per control plane.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkOrgId, exchangeMaven, publishUrl } from "../src/anypoint/exchange";
import { REGIONS } from "../src/anypoint/endpoint";
import { M2Error } from "../src/errors";
import { changeBytes } from "../src/settings/bytes";
import { andRepositories, declaresRepository, MARKER, mergeRepositories, removeRepositories } from "../src/settings/repositories";
import { upsertServer } from "../src/settings/servers";
import { composeEdits } from "../src/xml/compose";
import { applyEdits, type Edit } from "../src/xml/edit";
import { corpus, hasCorpus } from "./helpers/corpus";
import { mergeBytes, opensUpEmptySection, unmergeBytes, unmergeRestores, US } from "./helpers/repositories";

interface Case {
  op: "merge" | "remove";
  serverIds: string[];
  exchangeUrl?: string;
  change?: string;
  warnings?: string[];
  /** A URL merge replaced, which removal keeps: [as it was, as it is]. */
  removalKeeps?: [string, string];
  error?: { exitCode: number; message: string; line?: number; column?: number };
}

const root = join(import.meta.dirname, "..", "fixtures", "repositories");
const cases = readdirSync(root).sort();

describe("repositories fixtures", () => {
  it.each(cases)("%s", (name) => {
    const dir = join(root, name);
    const c = JSON.parse(readFileSync(join(dir, "case.json"), "utf8")) as Case;
    const before = readFileSync(join(dir, "before.xml"));
    const run = () => (c.op === "merge" ? mergeBytes(before, { serverIds: c.serverIds, exchangeUrl: c.exchangeUrl! }) : unmergeBytes(before, c.serverIds));
    if (c.error) {
      let caught: unknown;
      try {
        run();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(M2Error);
      const e = caught as M2Error;
      expect(e.message).toContain(c.error.message);
      expect({ exitCode: e.exitCode, line: e.details.line, column: e.details.column }).toEqual({ exitCode: c.error.exitCode, line: c.error.line ?? e.details.line, column: c.error.column ?? e.details.column });
      expect(existsSync(join(dir, "after.xml"))).toBe(false);
      return;
    }
    const result = run();
    expect(Buffer.from(result.bytes).toString("latin1")).toBe(readFileSync(join(dir, "after.xml")).toString("latin1"));
    expect(result.change).toBe(c.change);
    if (c.warnings) {
      expect(c.warnings.length).toBeGreaterThan(0);
      for (const w of c.warnings) expect(result.warnings.join("\n")).toContain(w);
    } else expect(result.warnings).toEqual([]);
    const again = c.op === "merge" ? mergeBytes(result.bytes, { serverIds: c.serverIds, exchangeUrl: c.exchangeUrl! }) : unmergeBytes(result.bytes, c.serverIds);
    expect(again.change).toBe("unchanged");
    expect(Buffer.compare(again.bytes, result.bytes)).toBe(0);
    if (c.op === "merge") {
      const original = c.removalKeeps ? Buffer.from(before.toString("latin1").replace(...c.removalKeeps), "latin1") : before;
      const { exact, restored } = unmergeRestores(original, result.bytes, c.serverIds);
      expect(restored).toBe(true);
      expect(exact).toBe(!opensUpEmptySection(before));
    }
  });
});

describe("what remove takes out", () => {
  const input = { serverIds: ["anypoint-exchange-v3"], exchangeUrl: US };

  it("leaves what the user wrote that looks like what setup adds (no marker)", () => {
    const text = "<settings>\n  <pluginGroups>\n    <pluginGroup>org.mule.tools</pluginGroup>\n  </pluginGroups>\n  <activeProfiles>\n    <activeProfile>anypoint-exchange</activeProfile>\n  </activeProfiles>\n</settings>\n";
    expect(removeRepositories(text, ["anypoint-exchange-v3"])).toMatchObject({ edits: [], change: "unchanged" });
  });

  it("keeps what the profile shares while a repository the user wrote there serves a server of the file, not otherwise", () => {
    const profile = (servers: string) =>
      `<settings>\n  <servers>${servers}</servers>\n  <profiles>\n    <profile>\n      <id>anypoint-exchange</id>\n      <repositories>\n        <repository>\n          <id>team</id>\n          <url>https://repo.example.com/t</url>\n        </repository>\n      </repositories>\n    </profile>\n  </profiles>\n</settings>\n`;
    for (const [servers, kept] of [["<server><id>team</id></server>", true], ["<server><id>other</id></server>", false]] as const) {
      const original = profile(servers);
      const merged = applyEdits(original, mergeRepositories(original, input).edits);
      const removed = applyEdits(merged, removeRepositories(merged, ["anypoint-exchange-v3"]).edits);
      expect(removed.includes("<activeProfile>anypoint-exchange</activeProfile>"), servers).toBe(kept);
      expect(removed.includes("<pluginGroup>org.mule.tools</pluginGroup>"), servers).toBe(kept);
      expect(removed.includes("<id>mulesoft-releases</id>"), servers).toBe(kept);
      expect(removed.includes("<id>anypoint-exchange-v3</id>"), servers).toBe(false);
      if (!kept) expect(removed).toBe(original);
    }
  });

  it("keeps a URL it updated: that was a change, not an addition", () => {
    const text = "<settings>\n  <profiles>\n    <profile>\n      <id>anypoint-exchange</id>\n      <repositories>\n        <repository>\n          <id>anypoint-exchange-v3</id>\n          <url>https://old.example/</url>\n        </repository>\n      </repositories>\n    </profile>\n  </profiles>\n</settings>\n";
    const merged = applyEdits(text, mergeRepositories(text, input).edits);
    const removed = applyEdits(merged, removeRepositories(merged, input.serverIds).edits);
    expect(removed).toContain(`<url>${US}</url>`);
    expect(removed).not.toContain(MARKER);
    expect(removed).not.toContain("mulesoft-releases");
  });

  it("a marker that is not on the line right before an element marks nothing", () => {
    const text = `<settings>\n  <pluginGroups>\n    ${MARKER}\n\n    <pluginGroup>org.mule.tools</pluginGroup>\n  </pluginGroups>\n</settings>\n`;
    expect(removeRepositories(text, ["x"]).change).toBe("unchanged");
  });
});

describe("after the server, in one change", () => {
  const server = { id: "anypoint-exchange-v3", username: "~~~Client~~~", password: "id~?~secret" };
  const input = { serverIds: [server.id], exchangeUrl: US };

  // <settings/> and an empty <settings></settings> are opened up by both engines at the same place.
  it.each(["<settings/>", "<settings></settings>", "<settings>\n</settings>", "<settings><localRepository>/r</localRepository></settings>"])("%j", (text) => {
    const first = upsertServer(text, server);
    const both = andRepositories(text, first, (middle) => mergeRepositories(middle, input));
    const sequential = applyEdits(applyEdits(text, first.edits), mergeRepositories(applyEdits(text, first.edits), input).edits);
    expect(applyEdits(text, both.edits)).toBe(sequential);
    expect({ change: both.change, repositories: both.repositories }).toEqual({ change: "added", repositories: "added" });
    expect(declaresRepository(sequential, server.id)).toBe(true);
  });

  it("the file's change is 'updated' when only the repositories change", () => {
    const text = "<settings>\n  <servers>\n    <server>\n      <id>anypoint-exchange-v3</id>\n      <username>~~~Client~~~</username>\n      <password>id~?~secret</password>\n    </server>\n  </servers>\n</settings>\n";
    const first = upsertServer(text, server);
    expect(first.change).toBe("unchanged");
    const both = changeBytes(Buffer.from(text), (t) => andRepositories(t, upsertServer(t, server), (middle) => mergeRepositories(middle, input)));
    expect(both.change).toBe("updated");
  });
});

describe.skipIf(!hasCorpus)("after the server, on every corpus file", { tags: ["corpus"] }, () => {
  const server = { id: "anypoint-m2-corpus-test", username: "~~~Client~~~", password: "id~?~s&<>" };
  const input = { serverIds: [server.id], exchangeUrl: US };
  it.each(corpus().filter((f) => !f.malformed).map((f) => [f.name, f.bytes] as const))("%s: one change, the same bytes as the two in a row", (_, bytes) => {
    const both = changeBytes(bytes, (t) => andRepositories(t, upsertServer(t, server), (middle) => mergeRepositories(middle, input)));
    const sequential = mergeBytes(changeBytes(bytes, (t) => upsertServer(t, server)).bytes, input);
    expect(both.change).toBe("added");
    expect(Buffer.compare(both.bytes, sequential.bytes)).toBe(0);
  });
});

describe("composeEdits", () => {
  /** Non-overlapping edits on a text of this length. */
  const edits = (length: number) =>
    fc.array(fc.record({ at: fc.nat(length), span: fc.nat(3), content: fc.string({ maxLength: 4 }) }), { maxLength: 5 }).map((list) => {
      const sorted = list.map((e) => ({ offset: e.at, length: Math.min(e.span, length - e.at), content: e.content })).sort((a, b) => a.offset - b.offset);
      const kept: Edit[] = [];
      for (const e of sorted) if (kept.length === 0 || e.offset >= kept[kept.length - 1]!.offset + kept[kept.length - 1]!.length + (e.length === 0 ? 1 : 0)) kept.push(e);
      return kept;
    });

  it("applies as the two changes in a row", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 12 }).chain((text) => fc.tuple(fc.constant(text), edits(text.length))).chain(([text, first]) => {
          const middle = applyEdits(text, first);
          return fc.tuple(fc.constant(text), fc.constant(first), edits(middle.length));
        }),
        ([text, first, second]) => {
          expect(applyEdits(text, composeEdits(text, first, second))).toBe(applyEdits(applyEdits(text, first), second));
        },
      ),
      { numRuns: 2000, seed: 1111 },
    );
  });
});

describe("Exchange's Maven facade", () => {
  const at = (host: string) => new URL(`https://${host}`);
  it.each([
    ["us", REGIONS.us, "https://maven.anypoint.mulesoft.com/api/v3/maven", false],
    ["eu", REGIONS.eu, "https://maven.eu1.anypoint.mulesoft.com/api/v3/maven", false],
    ["gov", REGIONS.gov, "https://maven.gov.anypoint.mulesoft.com/api/v2/maven", false],
    ["ca", REGIONS.ca, "https://maven.ca1.platform.mulesoft.com/api/v3/maven", true],
    ["jp", REGIONS.jp, "https://maven.jp1.platform.mulesoft.com/api/v3/maven", true],
  ])("%s: %s -> %s (derived: %s)", (_region, host, url, derived) => {
    expect(exchangeMaven(at(host))).toEqual({ url, derived });
  });

  it("a loopback or path-prefixed control plane has no known facade: exit 2, naming the option that gives it", () => {
    for (const base of ["http://127.0.0.1:8080", "https://gateway.example.com/anypoint"]) {
      let caught: unknown;
      try {
        exchangeMaven(new URL(base));
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(M2Error);
      expect((caught as M2Error).exitCode).toBe(2);
      expect((caught as M2Error).details.hint).toContain("--exchange-url");
    }
  });

  it("a URL given is taken as is, https or loopback http, without user:password@", () => {
    expect(exchangeMaven(new URL("http://127.0.0.1:1"), { url: "http://127.0.0.1:9/api/v3/maven", source: "--exchange-url" })).toEqual({ url: "http://127.0.0.1:9/api/v3/maven", derived: false });
    for (const url of ["http://exchange.example/api/v3/maven", "https://u:p@exchange.example/", "not a url"]) {
      expect(() => exchangeMaven(at(REGIONS.us), { url, source: "--exchange-url" })).toThrow(/--exchange-url/);
    }
  });

  it("publishes to the organisation's URL, v2 on Gov", () => {
    const org = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    expect(publishUrl("https://maven.anypoint.mulesoft.com/api/v3/maven", org)).toBe(`https://maven.anypoint.mulesoft.com/api/v3/organizations/${org}/maven`);
    expect(publishUrl("https://maven.gov.anypoint.mulesoft.com/api/v2/maven", org)).toBe(`https://maven.gov.anypoint.mulesoft.com/api/v2/organizations/${org}/maven`);
    expect(publishUrl("https://nexus.example/repository/exchange", org)).toBeUndefined();
    expect(checkOrgId(` ${org} `)).toBe(org);
    expect(() => checkOrgId("my-org")).toThrow(/UUID/);
  });
});
