// Edits return data: an operation hands back what it learned with its edits, planning and writing under the
// lock return that report for the text they planned or wrote, and setup's operation leaves its inputs alone.
import { memfs } from "memfs";
import { describe, expect, it } from "vitest";
import type { Io } from "../src/world";
import type { Inputs } from "../src/commands/setup/inputs";
import { operation } from "../src/commands/setup/plan";
import { repositoriesByDefault } from "../src/commands/setup/repositories";
import { planEdit, writePlan, type Operation } from "../src/io/edit";
import type { Fs } from "../src/world";
import { applyEdits } from "../src/xml/edit";
import { upsertServer } from "../src/settings/servers";

const SERVER = { id: "anypoint-exchange-v3", username: "~~~Client~~~", password: "cid~?~secret" };
const EMPTY = "<settings>\n  <servers>\n  </servers>\n</settings>\n";
const OTHER = "<settings>\n  <servers>\n    <server><id>other</id></server>\n  </servers>\n</settings>\n";

/** Adds the server, reporting the ids the file held before (and counting its runs). */
function adding() {
  const runs = { count: 0 };
  const add: Operation<{ held: string[] }> = (text) => {
    runs.count++;
    return { ...upsertServer(text, SERVER), report: { held: [...text.matchAll(/<id>([^<]*)<\/id>/g)].map((m) => m[1]!) } };
  };
  return { add, runs };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

describe("the operation's report", () => {
  it("is the plan's, and under the lock the one for the text written: a file changed since the plan is reported as it is now", async () => {
    const { fs, vol } = memfs({ "/m2/settings.xml": EMPTY }, "/");
    const { add, runs } = adding();
    const plan = planEdit(fs as unknown as Fs, "/m2/settings.xml", add, true);
    expect(plan.report).toEqual({ held: [] });
    // Another run adds a server between the plan and the write.
    vol.writeFileSync("/m2/settings.xml", OTHER);
    const out = await writePlan(fs as unknown as Fs, plan, add, 1000);
    expect(runs.count).toBe(2);
    expect(out.report).toEqual({ held: ["other"] });
    expect(vol.readFileSync("/m2/settings.xml", "utf8")).toContain("<id>other</id>");
  });

  it("is the plan's when the file is as the plan read it (the operation does not run again)", async () => {
    const { fs } = memfs({ "/m2/settings.xml": OTHER }, "/");
    const { add, runs } = adding();
    const plan = planEdit(fs as unknown as Fs, "/m2/settings.xml", add, true);
    const out = await writePlan(fs as unknown as Fs, plan, add, 1000);
    expect(out.report).toBe(plan.report);
    expect(runs.count).toBe(1);
  });
});

describe("setup's operation", () => {
  const { fs } = memfs({ "/p/.keep": "" }, "/");
  const io = { env: {}, cwd: "/p", home: "/home/u", fs: fs as unknown as Fs, stderr: () => {} } as unknown as Io;
  const inputs: Inputs = deepFreeze({
    env: {},
    clientId: "cid",
    clientSecret: "secret",
    serverIds: ["anypoint-exchange-v3", "second"],
    fromPom: false,
    onExisting: undefined,
    check: undefined,
    wizard: undefined,
    warnings: [],
    withRepositories: false,
    orgId: undefined,
    publishId: "anypoint-exchange-v3",
    exchange: undefined,
    storage: { store: "encrypted", named: true, security: { path: "/home/u/.m2/settings-security.xml", file: "/home/u/.m2/settings-security.xml", master: "master-password" } },
    values: { env: {}, properties: {} },
  });

  it("reports what it did to the servers, with its inputs frozen, and every plan of it writes the same encrypted bytes", () => {
    const change = operation(inputs, io);
    const first = change(EMPTY);
    const again = change(EMPTY);
    expect(first.report).toEqual({ server: "added" });
    expect(first.edits.length).toBeGreaterThan(0);
    expect(again.edits).toEqual(first.edits);
    const after = applyEdits(EMPTY, first.edits);
    expect(after).toMatch(/<password>\{[^}]+\}<\/password>/);
    // Run again on what it wrote: the encrypted password decrypts to the same credentials, so nothing changes.
    const next = operation(inputs, io)(after);
    expect(next.report).toEqual({ server: "unchanged" });
    expect(next.edits).toEqual([]);
  });
});

describe("the wizard's repositories default", () => {
  /** ./pom.xml in the current folder, read by src/project/ (the one pom reader). */
  const byDefault = (pom: string | undefined, ids: string[]) => {
    const { fs } = memfs({ "/p/.keep": "", ...(pom === undefined ? {} : { "/p/pom.xml": pom }) }, "/");
    const io = { env: {}, cwd: "/p", home: "/home/u", fs: fs as unknown as Fs, stderr: () => {} } as unknown as Io;
    return repositoriesByDefault(io, "/home/u/.m2/settings.xml", ids);
  };
  const pom = (body: string) => `<project>\n  <properties><repo.id>from-property</repo.id></properties>\n${body}\n</project>\n`;
  const repository = (id: string) => `<repository><id>${id}</id><url>https://repo.example.com/</url></repository>`;

  it("is yes without a pom, and with a pom that declares none of the ids in its <repositories>", () => {
    expect(byDefault(undefined, ["anypoint-exchange-v3"])).toBe(true);
    expect(byDefault(pom(`<repositories>${repository("other")}</repositories>`), ["anypoint-exchange-v3"])).toBe(true);
    // Plugin repositories and distributionManagement are not where a build looks for dependencies.
    expect(byDefault(pom(`<pluginRepositories><pluginRepository><id>x</id></pluginRepository></pluginRepositories>`), ["x"])).toBe(true);
    expect(byDefault(pom(`<distributionManagement>${repository("x")}</distributionManagement>`), ["x"])).toBe(true);
    expect(byDefault("<project><repositories>", ["x"])).toBe(true);
  });

  it("is no for an id among the pom's <repositories> or a profile's, an id written with a property as Maven resolves it", () => {
    expect(byDefault(pom(`<repositories>${repository("x")}</repositories>`), ["y", "x"])).toBe(false);
    expect(byDefault(pom(`<profiles><profile><id>p</id><repositories>${repository(" x ")}</repositories></profile></profiles>`), ["x"])).toBe(false);
    expect(byDefault(pom(`<repositories>${repository("${repo.id}")}</repositories>`), ["from-property"])).toBe(false);
  });
});
