// The settings file anypoint-m2 works on is the one the real `mvn` reads: each case runs `mvn -X` (which logs
// "Reading user settings from …" before it stops for want of a goal) and the built CLI in the same
// environment and folder, and compares. HOME always points at a scratch folder that Maven ignores.
// @module-tag maven
import { execFile, execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { launcherDialect } from "../src/maven/user-settings";
import type { MavenDialect } from "../src/maven/arguments";
import { cliEnv, run, tempHome } from "./helpers/cli";
import { has } from "./helpers/tools";
import { judges } from "./helpers/mavens";

const accountSettings = join(userInfo().homedir, ".m2", "settings.xml");
const accountBefore = existsSync(accountSettings) ? readFileSync(accountSettings) : undefined;
const repo = tempHome();
const mavenHome = has("maven") ? dirname(dirname(realpathSync(execFileSync("which", ["mvn"], { encoding: "utf8" }).trim()))) : "/no/maven";
/** The installed Maven's launcher rules: the cases hold for 3.8 and 3.9 alike, MAVEN_ARGS aside. */
const installed = launcherDialect(has("maven") ? readFileSync(join(mavenHome, "bin", "mvn"), "utf8") : undefined);

afterAll(() => {
  // No run here, of mvn or of anypoint-m2, created or changed the account's real settings file.
  if (accountBefore === undefined) expect(existsSync(accountSettings)).toBe(false);
  else expect(readFileSync(accountSettings).equals(accountBefore)).toBe(true);
});

/** The file `mvn` reads as user settings, run in `cwd` with exactly `env`; offline, its local repository a scratch one. */
function mvnReads(env: Record<string, string>, cwd: string): Promise<string> {
  return new Promise((done, reject) => {
    execFile("mvn", ["-X", "-B", "-o", `-Dmaven.repo.local=${repo}`], { env, cwd, maxBuffer: 16 << 20 }, (_error, stdout, stderr) => {
      const m = /Reading user settings from '?(.*?)'?$/m.exec(stdout);
      // Maven prints the path as it built it ("/a/../b"): the same file as the normalized path.
      if (m) done(resolve(cwd, m[1]!));
      else reject(new Error(`mvn printed no user settings file:\n${stdout}\n${stderr}`));
    });
  });
}

/** A scratch layout: HOME, other folders for user.home, a project with a .mvn folder and a subfolder to run in. */
function layout(files: Record<string, string> = {}): { root: string; home: string; other: string; spaced: string; sub: string } {
  const root = realpathSync(tempHome());
  for (const dir of ["home", "other", "spaced dir", "proj/.mvn", "proj/sub/conf"]) mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, "proj/sub/conf/x.xml"), "<settings/>\n");
  for (const [path, text] of Object.entries(files)) writeFileSync(join(root, path), text.replaceAll("ROOT", root));
  return { root, home: join(root, "home"), other: join(root, "other"), spaced: join(root, "spaced dir"), sub: join(root, "proj/sub") };
}

/** A launcher that reads MAVEN_ARGS, as Maven 3.9's does: the installed one, or one made from the installed 3.8's. */
function launcher39(): string {
  if (installed === "3.9") return join(mavenHome, "bin");
  const home = join(realpathSync(tempHome()), "maven39");
  mkdirSync(join(home, "bin"), { recursive: true });
  for (const dir of ["boot", "lib", "conf"]) symlinkSync(join(mavenHome, dir), join(home, dir));
  symlinkSync(join(mavenHome, "bin", "m2.conf"), join(home, "bin", "m2.conf"));
  const script = readFileSync(join(mavenHome, "bin", "mvn"), "utf8");
  expect(script).not.toContain("MAVEN_ARGS");
  const patched = script.replace('${CLASSWORLDS_LAUNCHER} "$@"', '${CLASSWORLDS_LAUNCHER} ${MAVEN_ARGS} "$@"');
  expect(patched).toContain("MAVEN_ARGS");
  writeFileSync(join(home, "bin", "mvn"), patched);
  chmodSync(join(home, "bin", "mvn"), 0o755);
  return join(home, "bin");
}

interface Case {
  name: string;
  files?: Record<string, string>;
  /** Built from the layout's folders; MAVEN_OPTS "" unless the case sets it (cliEnv would pin user.home). */
  env: (l: ReturnType<typeof layout>) => Record<string, string>;
  /** What Maven reads, from the layout's folders (checked as well as compared). */
  expected: (l: ReturnType<typeof layout>, dialect: MavenDialect) => string;
  maven39?: boolean;
}

const settingsUnder = (home: string) => join(home, ".m2", "settings.xml");

const cases: Case[] = [
  { name: "HOME alone: the account's home, not HOME", env: () => ({}), expected: () => accountSettings },
  { name: "-Duser.home in MAVEN_OPTS (the last one)", env: (l) => ({ MAVEN_OPTS: `-Duser.home=${l.root} -Xmx256m -Duser.home=${l.home}/../other` }), expected: (l) => settingsUnder(l.other) },
  { name: ".mvn/jvm.config, found from a subfolder of the project", files: { "proj/.mvn/jvm.config": "-Xmx256m\n-Duser.home=ROOT/other\n" }, env: () => ({}), expected: (l) => settingsUnder(l.other) },
  { name: "MAVEN_OPTS wins over .mvn/jvm.config (Maven 4: jvm.config wins)", files: { "proj/.mvn/jvm.config": "-Duser.home=ROOT" }, env: (l) => ({ MAVEN_OPTS: `-Duser.home=${l.other}` }), expected: (l, d) => settingsUnder(d === "4" ? l.root : l.other) },
  { name: "-D in .mvn/maven.config wins over MAVEN_OPTS (Maven 4: a user property, user.home stays)", files: { "proj/.mvn/maven.config": "-B\n-Duser.home=ROOT/other\n" }, env: (l) => ({ MAVEN_OPTS: `-Duser.home=${l.root}` }), expected: (l, d) => settingsUnder(d === "4" ? l.root : l.other) },
  { name: "--settings= in .mvn/maven.config, relative to the current folder, wins over user.home", files: { "proj/.mvn/maven.config": "-B\n--settings=conf/x.xml\n-Duser.home=ROOT/other\n" }, env: () => ({}), expected: (l) => join(l.sub, "conf/x.xml") },
  { name: "JDK_JAVA_OPTIONS, quoted, wins over JAVA_TOOL_OPTIONS", env: (l) => ({ JAVA_TOOL_OPTIONS: `-Duser.home=${l.root}`, JDK_JAVA_OPTIONS: `'-Duser.home=${l.spaced}'` }), expected: (l) => settingsUnder(l.spaced) },
  { name: "_JAVA_OPTIONS wins over MAVEN_OPTS", env: (l) => ({ _JAVA_OPTIONS: `-Duser.home=${l.other}`, MAVEN_OPTS: `-Duser.home=${l.root}` }), expected: (l) => settingsUnder(l.other) },
  { name: "MAVEN_ARGS: read by Maven 3.9's launcher only (Maven 4: a user property, user.home stays)", env: (l) => ({ MAVEN_ARGS: `-Duser.home=${l.other}` }), expected: (l, dialect) => (dialect === "3.9" ? settingsUnder(l.other) : accountSettings) },
  { name: "-Dmaven.user.settings in MAVEN_ARGS: Maven 4's -s", env: (l) => ({ MAVEN_ARGS: `-Dmaven.user.settings=${l.sub}/conf/x.xml` }), expected: (l, dialect) => (dialect === "4" ? join(l.sub, "conf/x.xml") : accountSettings) },
  { name: "-Dmaven.user.settings, relative: from user.home", env: (l) => ({ MAVEN_OPTS: `-Duser.home=${l.other}`, MAVEN_ARGS: "-Dmaven.user.settings=conf/x.xml" }), expected: (l, dialect) => (dialect === "4" ? join(l.other, "conf/x.xml") : settingsUnder(l.other)) },
  {
    name: "MAVEN_ARGS with a 3.9 launcher: -s (first one) wins over -D",
    env: (l) => ({ MAVEN_ARGS: `-Duser.home=${l.other} -sconf/x.xml -s conf/none.xml` }),
    expected: (l) => join(l.sub, "conf/x.xml"),
    maven39: true,
  },
  { name: "MAVEN_ARGS with a 3.9 launcher: -Duser.home", env: (l) => ({ MAVEN_ARGS: `-B -Duser.home=${l.other}` }), expected: (l, d) => (d === "4" ? accountSettings : settingsUnder(l.other)), maven39: true },
];

// Each Maven of the matrix (test/helpers/mavens.ts), its bin/ first on the PATH, for mvn and for anypoint-m2.
describe.each(judges())("the settings file is the one mvn $version reads", ({ home }) => {
  const bin = join(home, "bin");
  const dialect = home === mavenHome ? installed : launcherDialect(has("maven") ? readFileSync(join(bin, "mvn"), "utf8") : undefined);
  let bin39: string | undefined;
  it.each(cases)("$name", async (c) => {
    const l = layout(c.files);
    const extra = { MAVEN_OPTS: "", ...c.env(l) };
    const env = cliEnv(l.home, extra);
    env.PATH = `${bin}:${env.PATH}`;
    if (c.maven39 && dialect === "3.8") env.PATH = `${(bin39 ??= launcher39())}:${env.PATH}`;
    const expected = c.expected(l, c.maven39 && dialect === "3.8" ? "3.9" : dialect);
    expect(await mvnReads(env, l.sub)).toBe(expected);
    const r = await run(["list", "--json"], { home: l.home, env: { ...extra, PATH: env.PATH! }, cwd: l.sub });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).settings).toBe(expected);
    // Not the file under HOME: a note on stderr names both.
    expect(expected).not.toBe(settingsUnder(l.home));
    expect(r.stderr).toContain(`note: using ${expected}, the file Maven reads`);
    expect(r.stderr).toContain(expected === accountSettings ? `not from HOME (${l.home})` : `not ${settingsUnder(l.home)} under HOME`);
  });
});

describe("the settings file is the one mvn reads", () => {
  it("setup --dry-run in the account's home: mvn's file, named with HOME's on stderr, nothing written", async () => {
    const l = layout();
    const env = { MAVEN_OPTS: "", ANYPOINT_CLIENT_ID: "id", ANYPOINT_CLIENT_SECRET: "secret-never-shown" };
    expect(await mvnReads(cliEnv(l.home, env), l.sub)).toBe(accountSettings);
    const r = await run(["setup", "--no-verify", "--dry-run", "--json"], { home: l.home, env, cwd: l.sub });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ settings: accountSettings, dryRun: true });
    expect(r.stderr).toContain(`note: using ${accountSettings}, the file Maven reads: Java takes the home folder from the user account (${userInfo().homedir}), not from HOME (${l.home})`);
    expect(`${r.stdout}${r.stderr}`).not.toContain("secret-never-shown");
    expect(existsSync(join(l.home, ".m2"))).toBe(false);
  });

  it("--quiet: no note; --settings: no note, and that file", async () => {
    const l = layout();
    const quiet = await run(["list", "--quiet"], { home: l.home, env: { MAVEN_OPTS: "" }, cwd: l.sub });
    expect(quiet).toMatchObject({ code: 0, stderr: "" });
    const given = await run(["list", "--json", "--settings", "conf/x.xml"], { home: l.home, env: { MAVEN_OPTS: "" }, cwd: l.sub });
    expect(given).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(given.stdout).settings).toBe(join(l.sub, "conf/x.xml"));
  });

  it("pinned by cliEnv (HOME and -Duser.home agree): the file under HOME, no note", async () => {
    const l = layout();
    const r = await run(["list", "--json"], { home: l.home, cwd: l.sub });
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(r.stdout).settings).toBe(settingsUnder(l.home));
    expect(await mvnReads(cliEnv(l.home), l.sub)).toBe(settingsUnder(l.home));
  });
});

describe("a settings file chosen by the project's .mvn/", () => {
  it.each([
    ["-s in .mvn/maven.config", { "proj/.mvn/maven.config": "-s conf/x.xml\n" }],
    ["-Duser.home in .mvn/jvm.config", { "proj/.mvn/jvm.config": "-Duser.home=ROOT/other\n" }],
  ])("%s: setup writes no secret there unless --settings names it", async (_, files) => {
    const l = layout(files);
    // MAVEN_OPTS cleared: the test helpers pin -Duser.home there, which would win over jvm.config.
    const env = { MAVEN_OPTS: "", ANYPOINT_CLIENT_ID: "id", ANYPOINT_CLIENT_SECRET: "secret-from-the-user" };
    const before = readdirSync(l.root, { recursive: true }).sort();
    const r = await run(["setup", "--no-verify", "--yes"], { home: l.home, env, cwd: l.sub });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(".mvn/");
    expect(r.stderr).toContain("does not choose where the secret is written");
    expect(readdirSync(l.root, { recursive: true }).sort()).toEqual(before);
    const target = JSON.parse((await run(["list", "--json"], { home: l.home, env, cwd: l.sub })).stdout).settings as string;
    expect(target.startsWith(l.root)).toBe(true);
    const named = await run(["setup", "--no-verify", "--yes", "--settings", target], { home: l.home, env, cwd: l.sub });
    expect(named.code).toBe(0);
    expect(readFileSync(target, "utf8")).toContain("id~?~secret-from-the-user");
  });
});
