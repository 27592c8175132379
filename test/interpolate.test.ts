// `${…}` in server ids, as Maven resolves them: the resolution checked against Maven's settings builder (the
// probe, run with the same environment), and the operations that match ids (setup, remove, list, verify).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { Exit, M2Error } from "../src/errors";
import { listServers } from "../src/settings/list";
import { interpolate, interpolator } from "../src/settings/interpolate";
import { resolveId } from "../src/settings/model";
import { removeServer, upsertServer } from "../src/settings/servers";
import { storedCredentials } from "../src/settings/stored";
import { applyEdits } from "../src/xml/edit";
import { b64, compileProbe, type Probe } from "./helpers/maven";

const dir = mkdtempSync(join(tmpdir(), "anypoint-m2-interpolate-"));
let files = 0;
function file(text: string): string {
  const path = join(dir, `settings-${files++}.xml`);
  writeFileSync(path, text);
  return path;
}
const escape = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
const withIds = (ids: string[]) => `<settings>\n  <servers>\n${ids.map((id) => `    <server>\n      <id>${escape(id)}</id>\n    </server>\n`).join("")}  </servers>\n</settings>\n`;

/** The probe's environment: these variables only, user.home pinned through JAVA_TOOL_OPTIONS. */
const ENV: Record<string, string> = {
  A: "anypoint-exchange-v3",
  B: "${env.A}",
  C: "  padded  ",
  E: "a&b<c>",
  F: "${user.home}/x",
  G: "${settings.env.A}",
  EMPTY: "",
  "DOT.TED": "dotted",
};
const HOME = "/probe/home";
const PROPERTIES = { "user.home": HOME };
const probeEnv = () => ({ PATH: process.env.PATH ?? "/usr/bin:/bin", JAVA_TOOL_OPTIONS: `-Duser.home=${HOME}`, ...ENV });

describe("ids as Maven resolves them", { tags: ["maven"] }, () => {
  let probe: Probe;
  /** Each id as Maven reads it, each in a file of its own (Maven replaces a resolved ${x} across the whole file). */
  const mavenIds = (ids: string[]): string[] =>
    probe.ask(ids.map((id) => `ids\t${file(withIds([id]))}`), probeEnv()).map((answer) => {
      expect(answer).toMatch(/^ok /);
      return Buffer.from(answer.slice(3), "base64").toString("utf8");
    });
  beforeAll(() => {
    probe = compileProbe();
  });

  it.each([
    ["${env.A}", "anypoint-exchange-v3"],
    ["${env.UNSET}", "${env.UNSET}"],
    ["pre-${env.A}-post", "pre-anypoint-exchange-v3-post"],
    ["${A}", "anypoint-exchange-v3"],
    ["${env.B}", "anypoint-exchange-v3"],
    ["${env.C}", "padded"],
    ["${env.E}", "a&b<c>"],
    ["${env.F}", `${HOME}/x`],
    ["${user.home}", HOME],
    ["${settings.user.home}", HOME],
    ["${env.EMPTY}", ""],
    ["${env.DOT.TED}", "dotted"],
    ["${env.a}", "${env.a}"],
    ["${ env.A }", "${ env.A }"],
    ["$${env.A}", "$anypoint-exchange-v3"],
    ["\\${env.A}", "\\anypoint-exchange-v3"],
    ["${env.A", "${env.A"],
    ["${}", "${}"],
  ])("%s is %j, for Maven and here", (written, expected) => {
    expect(resolveId(written, ENV, PROPERTIES).id).toBe(expected);
    expect(mavenIds([written])).toEqual([expected]);
  });

  it("agrees with Maven on ids made of references, literals and braces", () => {
    const piece = fc.constantFrom("${env.A}", "${env.B}", "${C}", "${env.E}", "${env.F}", "${env.G}", "${env.UNSET}", "${user.home}", "${settings.env.A}", "${env.EMPTY}", "$", "{", "}", "x", " ", "-", "&");
    // A blank id is a missing one, which Maven refuses before it interpolates anything.
    const ids = fc.sample(fc.array(piece, { minLength: 1, maxLength: 6 }).map((p) => p.join("")), { numRuns: 300, seed: 8007 }).filter((id) => id.trim() !== "");
    expect(ids.length).toBeGreaterThan(250);
    expect(ids.map((id) => resolveId(id, ENV, PROPERTIES).id)).toEqual(mavenIds(ids));
  });

  it("a system property it cannot see is named as unknown: Maven resolves it", () => {
    expect(resolveId("${java.version}", ENV, PROPERTIES)).toEqual({ id: "${java.version}", unknown: ["java.version"], shown: "${java.version}" });
    expect(mavenIds(["${java.version}"])[0]).toMatch(/^\d/);
    // An unset ${env.X} stays as written for Maven too: nothing unknown about it.
    expect(resolveId("${env.UNSET}", ENV, PROPERTIES).unknown).toEqual([]);
  });

  it("a variable that refers to itself: left as written (Maven cannot read such a file at all)", () => {
    expect(resolveId("${env.LOOP}", { LOOP: "${env.LOOP}" })).toEqual({ id: "${env.LOOP}", unknown: [], shown: "${env.LOOP}" });
    const [answer] = probe.ask([`ids\t${file(withIds(["${env.LOOP}"]))}`], { PATH: process.env.PATH ?? "", LOOP: "${env.LOOP}" });
    expect(answer).toMatch(/^fail: .*interpolate/i);
  });

  // The issue: <id>${env.X}</id> with X=anypoint-exchange-v3 got a second server; Maven kept the first.
  it("setup updates the server whose ${env.X} id is the one asked for, and Maven reads the new credentials", () => {
    const before = `<settings>\n  <servers>\n    <server>\n      <id>\${env.A}</id>\n      <username>~~~Client~~~</username>\n      <password>old~?~old</password>\n    </server>\n  </servers>\n</settings>\n`;
    const server = { id: "anypoint-exchange-v3", username: "~~~Client~~~", password: "new~?~secret" };
    const result = upsertServer(before, server, "update", ENV);
    expect(result.change).toBe("updated");
    expect(result.warnings.join("\n")).toContain('line 3 has the id ${env.A}, which Maven reads as "anypoint-exchange-v3"');
    const after = applyEdits(before, result.edits);
    expect(after).toContain("<id>${env.A}</id>");
    expect(listServers(after, ENV)).toHaveLength(1);
    const [answer] = probe.ask([["compare", file(before), file(after), server.id, b64(server.username), b64(server.password)].join("\t")], probeEnv());
    expect(answer).toBe("ok");
  });
});

describe("matching ids", () => {
  const text = withIds(["${env.A}", "anypoint-exchange-v3", "${repo.id}", "other"]);

  it("refuses a new id holding ${ (exit 2)", () => {
    for (const id of ["${env.A}", "x-${y}"]) {
      let error: unknown;
      try {
        upsertServer(text, { id, username: "u", password: "p" });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(M2Error);
      expect((error as M2Error).exitCode).toBe(Exit.usage);
      expect((error as M2Error).message).toContain('contains "${"');
    }
  });

  it("list: an id from the environment shown as written, never resolved; matched as resolved: the later duplicate shadowed", () => {
    expect(listServers(text, ENV).map((s) => [s.id, s.idAsWritten, s.shadowed])).toEqual([
      ["${env.A}", "${env.A}", false],
      ["anypoint-exchange-v3", undefined, true],
      ["${repo.id}", "${repo.id}", false],
      ["other", undefined, false],
    ]);
    // Without an environment, as before: ids as written.
    expect(listServers(text).map((s) => s.id)).toEqual(["${env.A}", "anypoint-exchange-v3", "${repo.id}", "other"]);
  });

  it("remove: every server Maven reads with the id; an id given with ${ removes those written so", () => {
    const resolved = removeServer(text, "anypoint-exchange-v3", ENV);
    expect(listServers(applyEdits(text, resolved.edits)).map((s) => s.id)).toEqual(["${repo.id}", "other"]);
    const written = removeServer(text, "${env.A}", ENV);
    expect(listServers(applyEdits(text, written.edits)).map((s) => s.id)).toEqual(["anypoint-exchange-v3", "${repo.id}", "other"]);
  });

  it("a -D or system property id before the match is warned about, naming its line", () => {
    const result = upsertServer(withIds(["${repo.id}", "x"]), { id: "x", username: "u", password: "p" }, "update", ENV);
    expect(result.warnings.join("\n")).toContain("line 3 has the id ${repo.id}: Maven replaces ${repo.id} when it runs");
    expect(upsertServer(withIds(["x", "${repo.id}"]), { id: "x", username: "u", password: "p" }, "update", ENV).warnings).toEqual([]);
  });

  it("verify reads the server whose ${env.X} id Maven resolves to the one asked for, values trimmed as Maven does", () => {
    const stored = `<settings><servers><server><id>\${env.A}</id><username>~~~Client~~~</username><password>\${env.P}</password></server></servers></settings>`;
    expect(storedCredentials(stored, "anypoint-exchange-v3", { ...ENV, P: " cid~?~sec " })).toMatchObject({ clientId: "cid", clientSecret: "sec" });
  });
});

describe("bounded interpolation", () => {
  it("a value past 64 KiB is left as written, the expression that passed it named", () => {
    const properties: Record<string, string> = { a0: "x" };
    for (let i = 1; i <= 60; i++) properties[`a${i}`] = `\${a${i - 1}}\${a${i - 1}}`;
    const result = interpolate("ex-${a60}", {}, properties);
    expect(result.value).toBe("ex-${a60}");
    expect(result.tooLong).toBe("a17"); // 2^17 characters: the first past 64 KiB
    expect(result.unresolved).toEqual(["a17"]);
    // Below the bound, resolved as before.
    expect(interpolate("${a16}", {}, properties).value).toHaveLength(2 ** 16);
  });

  it("each name is looked up once per interpolator, however many values use it", () => {
    const chain: Record<string, string> = { c0: "end" };
    for (let i = 1; i <= 2000; i++) chain[`c${i}`] = `\${c${i - 1}}`;
    let lookups = 0;
    const counted = new Proxy(chain, { getOwnPropertyDescriptor: (target, key) => (lookups++, Reflect.getOwnPropertyDescriptor(target, key)) });
    const resolve = interpolator({}, counted);
    const values = Array.from({ length: 5000 }, (_, i) => resolve(`r${i}-\${c2000}`).value);
    expect(values[4999]).toBe("r4999-end");
    expect(lookups).toBeLessThan(2 * (2000 + 5000));
  });

  it("a name that fails (a cycle) fails alike for every value that uses it", () => {
    const resolve = interpolator({}, { a: "${b}", b: "${a}", c: "${a}" });
    expect(resolve("${c}")).toMatchObject({ value: "${c}", unresolved: ["a"] });
    expect(resolve("x${a}")).toMatchObject({ value: "x${a}", unresolved: ["a"] });
  });

  it("says when a value from the environment went into the result, directly or through a property", () => {
    const env = { S: "from-env" };
    expect(interpolate("x-${env.S}", env)).toMatchObject({ value: "x-from-env", fromEnv: true });
    expect(interpolate("x-${S}", env)).toMatchObject({ value: "x-from-env", fromEnv: true });
    expect(interpolate("x-${p}", env, { p: "${env.S}" }, { bareEnv: false })).toMatchObject({ value: "x-from-env", fromEnv: true });
    expect(interpolate("x-${p}", env, { p: "plain" })).toMatchObject({ value: "x-plain", fromEnv: false });
    // A pom's bare ${S} is no environment variable.
    expect(interpolate("x-${S}", env, {}, { bareEnv: false })).toMatchObject({ value: "x-${S}", fromEnv: false, unresolved: ["S"] });
  });
});
