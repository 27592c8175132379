// setup reports what doctor finds about what it writes (src/commands/setup/findings.ts), in every mode, and
// --exclude-from-mirrors / remove --from-mirrors on the corpus's catch-all mirrors, end to end with the built
// CLI; Maven's own mirror selector judges the edited file. doctor's own fixes from the same review: every
// error shows on the first run, and a fix names the --pom it was given.
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { corpusRoot } from "./helpers/corpus";
import { expectNoSecret, homeWith, recorder, tempHome } from "./helpers/cli";
import { b64, compileProbe, type Probe } from "./helpers/maven";
import { declineRepositoriesIfAsked, terminal, type Terminal } from "./helpers/tmux";

const CLIENT_ID = "f1nd1n650123456789abcdef01234567";
const SECRET = "Findings-Secret-8086";
const env = { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET };
const WRITE = ["setup", "--no-verify", "--yes"];
const EXCHANGE = "https://maven.anypoint.mulesoft.com/api/v3/maven";
const { m2, outputs } = recorder();
// At least the runs that need neither the corpus nor Maven nor tmux (a plain clone runs 7).
afterAll(() => expectNoSecret(outputs, [SECRET], 5));

interface Finding {
  severity: string;
  code: string;
  message: string;
  file?: string;
  line?: number;
  fix?: string;
}
const json = (stdout: string) => JSON.parse(stdout) as { findings: Finding[]; mirrors?: { excluded: { mirror: string; ids: string[] }[]; named: unknown[] } };

/** A corpus pom as ./pom.xml of the home (the test is skipped without the corpus). */
function withCorpusPom(home: string, name: string, skip: (note: string) => void): void {
  if (!corpusRoot) return skip("needs the corpus");
  copyFileSync(join(corpusRoot, "poms", name), join(home, "pom.xml"));
}

describe("setup reports doctor's findings about what it writes", { tags: ["corpus"] }, () => {
  it("corpus 39 (mirrorOf *): exit 0, and the text says the build will still get a 401, naming the mirror", async () => {
    const { home, settings } = homeWith("39-4paradigm-OpenMLDB.xml");
    chmodSync(settings, 0o600);
    const r = await m2(WRITE, { home, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Written, but the build will still get a 401 from Exchange, as anypoint-m2 doctor finds:");
    expect(r.stdout).toMatch(/warning: .*settings\.xml:\d+: mirror "nexus" \(mirrorOf \*\) takes the downloads of .*"anypoint-exchange-v3"/);
    expect(r.stdout).toContain("--exclude-from-mirrors");
  });

  it("--json carries them as findings, in doctor's shape; --quiet prints nothing", async () => {
    const { home, settings } = homeWith("39-4paradigm-OpenMLDB.xml");
    chmodSync(settings, 0o600);
    const r = await m2([...WRITE, "--json"], { home, env });
    expect(r.code, r.stderr).toBe(0);
    const { findings } = json(r.stdout);
    expect(findings.map((f) => f.code)).toEqual(["mirror-intercepts"]);
    const doctor = await m2(["doctor", "--offline", "--json"], { home, env: {} });
    expect(findings[0]).toEqual(json(doctor.stdout).findings.find((f) => f.code === "mirror-intercepts"));
    const quiet = await m2([...WRITE, "--quiet", "--on-existing", "update"], { home, env });
    expect([quiet.code, quiet.stdout, quiet.stderr]).toEqual([0, "", ""]);
  });

  it("--dry-run: the findings of the file as it would be written, on stderr with the prose", async () => {
    const { home, settings, original } = homeWith("38-11D-Beyonder-dotfiles.xml");
    chmodSync(settings, 0o600);
    const r = await m2([...WRITE, "--dry-run"], { home, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("Once written, but the build will still get a 401 from Exchange");
    expect(r.stderr).toContain('mirror "aliyunmaven" (mirrorOf *)');
    expect(readFileSync(settings)).toEqual(original);
  });

  it("the pom's Exchange ids: a pom whose repository is not the id written gets no-server, from the pom, in the result", async (ctx) => {
    const home = tempHome();
    withCorpusPom(home, "07-davhunter-mule4-hc-api.xml", (note) => ctx.skip(note));
    const r = await m2([...WRITE, "--server-id", "anypoint-exchange-v3", "--json"], { home, env });
    expect(r.code, r.stderr).toBe(0);
    const { findings } = json(r.stdout);
    expect(findings).toContainEqual(expect.objectContaining({ severity: "error", code: "no-server", file: join(home, "pom.xml"), message: expect.stringContaining('"anypoint-exchange"') }));
    const text = await m2([...WRITE, "--server-id", "anypoint-exchange-v3"], { home, env });
    expect(text.stdout).toContain("Kept server");
    expect(text.stdout).toContain("Written, but the build will still get a 401 from Exchange");
  });
});

describe("setup --exclude-from-mirrors and remove --from-mirrors on the corpus's catch-all mirrors", { tags: ["maven", "corpus"] }, () => {
  let probe: Probe;
  beforeAll(() => {
    probe = compileProbe("ProjectProbe");
  });
  const mirrored = (settings: string, id: string) => probe.ask([["mirror", settings, b64(id), b64(EXCHANGE), "default"].join("\t")])[0];

  it.each(["38-11D-Beyonder-dotfiles.xml", "39-4paradigm-OpenMLDB.xml"])("%s: !id added, Maven no longer mirrors the id, again changes nothing, remove gives the bytes back", async (name) => {
    const { home, settings, original } = homeWith(name);
    expect(mirrored(settings, "anypoint-exchange-v3")).not.toBe("ok -");
    const r = await m2([...WRITE, "--exclude-from-mirrors", "--json"], { home, env });
    expect(r.code, r.stderr).toBe(0);
    const result = json(r.stdout);
    expect(result.mirrors!.excluded.map((m) => m.ids)).toEqual([["anypoint-exchange-v3"]]);
    expect(result.findings.filter((f) => f.code === "mirror-intercepts")).toEqual([]);
    const written = readFileSync(settings, "utf8");
    expect(written).toContain("<mirrorOf>*,!anypoint-exchange-v3</mirrorOf>");
    // The same as setup without the flag, but for the one insertion.
    const plain = homeWith(name);
    await m2(WRITE, { home: plain.home, env });
    expect(written.replace(",!anypoint-exchange-v3", "")).toBe(readFileSync(plain.settings, "utf8"));
    expect(mirrored(settings, "anypoint-exchange-v3")).toBe("ok -");
    const again = await m2([...WRITE, "--exclude-from-mirrors"], { home, env });
    expect(again.stdout).toContain("No mirror takes the ids written: nothing to exclude.");
    expect(readFileSync(settings, "utf8")).toBe(written);
    const removed = await m2(["remove", "anypoint-exchange-v3", "--from-mirrors"], { home, env: {} });
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain('the exclusion of "anypoint-exchange-v3" from mirror');
    expect(readFileSync(settings)).toEqual(original);
  });

  it("remove without --from-mirrors leaves the mirrors alone", async () => {
    const { home, settings } = homeWith("39-4paradigm-OpenMLDB.xml");
    await m2([...WRITE, "--exclude-from-mirrors"], { home, env });
    await m2(["remove", "anypoint-exchange-v3"], { home, env: {} });
    expect(readFileSync(settings, "utf8")).toContain("<mirrorOf>*,!anypoint-exchange-v3</mirrorOf>");
  });
});

describe("setup's findings and exclusions on files written for the tests", () => {
  it("the file's permissions: a file others can read holding the secret as written; none for the env store", async () => {
    const home = tempHome();
    mkdirSync(join(home, ".m2"));
    const settings = join(home, ".m2", "settings.xml");
    writeFileSync(settings, "<settings>\n</settings>\n", { mode: 0o644 });
    chmodSync(settings, 0o644);
    const literal = json((await m2([...WRITE, "--json"], { home, env })).stdout).findings;
    expect(literal.map((f) => f.code)).toEqual(["settings-readable"]);
    const other = tempHome();
    mkdirSync(join(other, ".m2"));
    writeFileSync(join(other, ".m2", "settings.xml"), "<settings>\n</settings>\n");
    chmodSync(join(other, ".m2", "settings.xml"), 0o644);
    const byEnv = json((await m2([...WRITE, "--store", "env", "--json"], { home: other, env: {} })).stdout).findings;
    expect(byEnv).toEqual([]);
  });

  it("a correct setup: no finding, and no sentence about one", async () => {
    const home = tempHome();
    const r = await m2(WRITE, { home, env });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("doctor");
    expect(json((await m2([...WRITE, "--json"], { home, env })).stdout).findings).toEqual([]);
  });

  it("a mirror that names the id is reported, not edited", async () => {
    const home = tempHome();
    mkdirSync(join(home, ".m2"));
    const settings = join(home, ".m2", "settings.xml");
    const text = "<settings>\n  <mirrors>\n    <mirror>\n      <id>corp</id>\n      <url>https://nexus.corp.example/x</url>\n      <mirrorOf>central,anypoint-exchange-v3</mirrorOf>\n    </mirror>\n  </mirrors>\n</settings>\n";
    writeFileSync(settings, text, { mode: 0o600 });
    const r = await m2([...WRITE, "--exclude-from-mirrors"], { home, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Left mirror "corp" (line 11) as it is: its <mirrorOf>central,anypoint-exchange-v3</mirrorOf> names "anypoint-exchange-v3"');
    expect(readFileSync(settings, "utf8")).toContain("<mirrorOf>central,anypoint-exchange-v3</mirrorOf>");
    expect(r.stdout).toContain("Written, but the build will still get a 401");
  });
});

describe("doctor, from the same review", () => {
  const pom = `<project>\n  <repositories>\n    <repository>\n      <id>Repository</id>\n      <url>${EXCHANGE}</url>\n    </repository>\n  </repositories>\n</project>\n`;
  const mirrorOnly = "<settings>\n  <mirrors>\n    <mirror>\n      <id>corp</id>\n      <url>https://nexus.corp.example/x</url>\n      <mirrorOf>*</mirrorOf>\n    </mirror>\n  </mirrors>\n</settings>\n";

  it("a mirror in front of a repository without a server: both errors on the first run", async () => {
    const home = tempHome();
    mkdirSync(join(home, ".m2"));
    writeFileSync(join(home, ".m2", "settings.xml"), mirrorOnly, { mode: 0o600 });
    writeFileSync(join(home, "pom.xml"), pom);
    const r = await m2(["doctor", "--offline", "--json"], { home, env: {} });
    expect(r.code).toBe(7);
    const findings = json(r.stdout).findings;
    expect(findings.map((f) => `${f.severity}:${f.code}`)).toEqual(["error:mirror-intercepts", "error:no-server"]);
    expect(findings[1]!.message).toContain('once it is excluded from mirror "corp"');
    expect(findings[1]!.fix).toContain("--exclude-from-mirrors");
  });

  it("the fix names the --pom doctor was given", async () => {
    const home = tempHome();
    mkdirSync(join(home, "app"));
    writeFileSync(join(home, "app", "pom.xml"), pom);
    const r = await m2(["doctor", "--offline", "--json", "--pom", "app/pom.xml"], { home, env: {} });
    const [noServer] = json(r.stdout).findings.filter((f) => f.code === "no-server");
    expect(noServer!.fix).toContain("anypoint-m2 setup --from-pom --pom app/pom.xml");
  });
});

describe("the wizard: the offer to exclude, and the findings before the question", { tags: ["tmux", "corpus"] }, () => {
  let open: Terminal | undefined;
  afterEach(() => {
    open?.close();
    open = undefined;
  });

  it("corpus 39: a mirror takes the id, so it offers to exclude it; yes: the diff has !id, and the file too", async () => {
    const { home, settings } = homeWith("39-4paradigm-OpenMLDB.xml");
    chmodSync(settings, 0o600);
    open = terminal(["setup", "--no-verify", "--store", "literal", "--server-id", "anypoint-exchange-v3"], { cwd: home, env: { HOME: home, ...env } });
    const t = open;
    await declineRepositoriesIfAsked(t);
    const offer = await t.waitFor("Add !anypoint-exchange-v3 to its <mirrorOf>?");
    expect(offer).toContain('Mirror "nexus" (mirrorOf *) takes "anypoint-exchange-v3":');
    t.key("Enter");
    const asked = await t.waitFor("Write this to");
    expect(asked).toContain("+      <mirrorOf>*,!anypoint-exchange-v3</mirrorOf>");
    t.key("Enter");
    expect(await t.exited()).toBe(0);
    expect(readFileSync(settings, "utf8")).toContain("<mirrorOf>*,!anypoint-exchange-v3</mirrorOf>");
  });

  it("no: the findings show before the question, saying the build will still get a 401", async () => {
    const { home, settings, original } = homeWith("39-4paradigm-OpenMLDB.xml");
    chmodSync(settings, 0o600);
    open = terminal(["setup", "--no-verify", "--store", "literal", "--server-id", "anypoint-exchange-v3"], { cwd: home, env: { HOME: home, ...env } });
    const t = open;
    await declineRepositoriesIfAsked(t);
    await t.waitFor("to its <mirrorOf>?");
    t.type("n");
    t.key("Enter");
    const asked = await t.waitFor("Write this to");
    expect(asked).toContain("Once written, but the build will still get a 401 from Exchange");
    expect(asked).toContain('mirror "nexus"');
    t.type("n");
    t.key("Enter");
    expect(await t.exited()).toBe(130);
    expect(readFileSync(settings)).toEqual(original);
  });
});
