// Which settings file Maven reads, the pure part: Maven's command-line parsing checked against MavenCli's
// own parser (CLIManager, through the probe), then the precedence of the places that can name the file.
import { execFileSync } from "node:child_process";
import { readFileSync, realpathSync } from "node:fs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { cleanArgs, mavenConfigWords, mavenOptions } from "../src/maven/arguments";
import { javaOptionWords, shellWords } from "../src/maven/jvm";
import { launcherDialect, userSettings, type LaunchContext } from "../src/maven/user-settings";
import { b64, compileProbe, type Probe } from "./helpers/maven";
import { has } from "./helpers/tools";

/** What our parser keeps of a command line: the first -s (Maven's getOptionValue) and every -D, in order. */
function parsed(args: string[]): { settings: string | undefined; defines: string[] } {
  const options = mavenOptions(args);
  return { settings: options.find((o) => o.key === "s")?.value, defines: options.filter((o) => o.key === "D").map((o) => o.value) };
}

describe("Maven's command line", { tags: ["maven"] }, () => {
  let probe: Probe;
  beforeAll(() => {
    probe = compileProbe();
  });

  // Words that exercise every form Maven takes (-sx, --settings=x, -settings x, -s=x, quotes, "--", options
  // that start with s, values that look like options) and nothing that makes MavenCli reject the line.
  const word = fc.constantFrom(
    "-s", "--settings", "-settings", "-sa.xml", "-s=b.xml", "--settings=c.xml", "--settings=", "d.xml", "e f.xml",
    "-gs", "--global-settings=g.xml", "-strict-checksums", "-C", "-B", "-o", "-X", "-nsu", "-T", "1C", "-f", "pom.xml",
    "-D", "-Dk=v", "-Duser.home=/h", "--define", "--define=user.home=/i", "k2=v2", "-Dflag", "-D k3 = v3",
    '"-Dq=a', 'b"', '"-Dw=x y"', '"-sq.xml"', '"', '""', "--", "validate", "-", "-s -o",
  );

  it("keeps the -s and -D values MavenCli's own parser finds, for any line of these words", () => {
    const lines = fc.sample(fc.array(word, { maxLength: 8 }), { numRuns: 400, seed: 8006 });
    const answers = probe.ask(lines.map((args) => ["cli", ...args.map(b64)].join("\t")));
    const accepted = lines.filter((_, i) => answers[i]!.startsWith("ok"));
    // Lines Maven refuses (a missing value) read no settings at all; most lines are accepted.
    expect(accepted.length).toBeGreaterThan(200);
    lines.forEach((args, i) => {
      const answer = answers[i]!;
      if (!answer.startsWith("ok")) return;
      const [, settings, ...defines] = answer.split(" ");
      const decode = (s: string) => Buffer.from(s, "base64").toString("utf8");
      expect(parsed(args), JSON.stringify(args)).toEqual({ settings: settings === "-" ? undefined : decode(settings!), defines: defines.map(decode) });
    });
  });

  // Maven's own tests (CleanArgumentTest, MavenCliTest.testMVNConfigurationFunkyArguments).
  it.each([
    [['"-Dfoo=bar', '"-Dfoo2=bar two"'], ["-Dfoo=bar", "-Dfoo2=bar two"]],
    [['-Dinformation="The Information is important."'], ['-Dinformation="The Information is important."']],
    [["-Dinformation='The Information is important.'"], ["-Dinformation='The Information is important.'"]],
  ])("cleanArgs(%j) is %j, as in Maven's tests", (args, expected) => {
    expect(cleanArgs(args)).toEqual(expected);
  });

  it("-D and --file as in MavenCli's test with funky arguments", () => {
    const options = mavenOptions(["-Drevision=8.1.0", "--file=-Dpom.xml", '"-Dfoo=bar ', '"-Dfoo2=bar two"', "-Drevision=8.2.0"]);
    expect(options).toEqual([
      { key: "D", value: "revision=8.1.0" },
      { key: "f", value: "-Dpom.xml" },
      { key: "D", value: "foo=bar " },
      { key: "D", value: "foo2=bar two" },
      { key: "D", value: "revision=8.2.0" },
    ]);
  });
});

describe(".mvn/maven.config", () => {
  const text = "# comment\n-B\n-s conf/x.xml\n\n-Duser.home=/h\r\n";
  it("Maven 3.8 splits the whole file at whitespace (a # line is words too)", () => {
    expect(mavenConfigWords(text, "3.8")).toEqual(["#", "comment", "-B", "-s", "conf/x.xml", "-Duser.home=/h"]);
  });
  it("Maven 3.9 takes each line as one argument, untrimmed, skipping empty and # lines", () => {
    expect(mavenConfigWords(text, "3.9")).toEqual(["-B", "-s conf/x.xml", "-Duser.home=/h"]);
    // "-s conf/x.xml" on one line is -s with the value " conf/x.xml" (leading space), as MavenCli 3.9 reads it.
    expect(parsed(mavenConfigWords(text, "3.9")).settings).toBe(" conf/x.xml");
  });
});

describe("JVM options", () => {
  it("MAVEN_OPTS and jvm.config: split at whitespace, quotes kept", () => {
    expect(shellWords(' -Xmx1g\t-Duser.home="/a b"\n')).toEqual(["-Xmx1g", '-Duser.home="/a', 'b"']);
  });
  it("JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS: quotes group and are removed", () => {
    expect(javaOptionWords(`-Da=1 "-Duser.home=/a b" -Dx='q r'z -D"y"`)).toEqual(["-Da=1", "-Duser.home=/a b", "-Dx=q rz", "-Dy"]);
  });
});

describe("which file Maven reads", () => {
  const base = (over: Partial<LaunchContext>): LaunchContext => ({ env: {}, cwd: "/work/p/sub", accountHome: "/home/u", dialect: "3.8", ...over });
  const config = (text: string) => ({ path: "/work/p/.mvn/maven.config", text });
  const jvm = (text: string) => ({ path: "/work/p/.mvn/jvm.config", text });

  it.each<[string, Partial<LaunchContext>, string, string?]>([
    ["the account's home, whatever HOME says", { env: { HOME: "/tmp/h" } }, "/home/u/.m2/settings.xml"],
    ["JAVA_TOOL_OPTIONS < JDK_JAVA_OPTIONS", { env: { JAVA_TOOL_OPTIONS: "-Duser.home=/a", JDK_JAVA_OPTIONS: "-Duser.home=/b" } }, "/b/.m2/settings.xml", "JDK_JAVA_OPTIONS"],
    ["JDK_JAVA_OPTIONS < jvm.config", { env: { JDK_JAVA_OPTIONS: "-Duser.home=/b" }, jvmConfig: jvm("-Duser.home=/c") }, "/c/.m2/settings.xml", "/work/p/.mvn/jvm.config"],
    ["jvm.config < MAVEN_OPTS", { env: { MAVEN_OPTS: "-Duser.home=/d" }, jvmConfig: jvm("-Duser.home=/c") }, "/d/.m2/settings.xml", "MAVEN_OPTS"],
    ["MAVEN_OPTS < _JAVA_OPTIONS", { env: { MAVEN_OPTS: "-Duser.home=/d", _JAVA_OPTIONS: "-Duser.home=/e" } }, "/e/.m2/settings.xml", "_JAVA_OPTIONS"],
    ["_JAVA_OPTIONS < maven.config -D", { env: { _JAVA_OPTIONS: "-Duser.home=/e" }, mavenConfig: config("-Duser.home=/f") }, "/f/.m2/settings.xml", "/work/p/.mvn/maven.config"],
    ["3.8: MAVEN_ARGS ignored", { env: { MAVEN_ARGS: "-Duser.home=/g -s x.xml" } }, "/home/u/.m2/settings.xml"],
    ["3.9: maven.config -D < MAVEN_ARGS -D", { dialect: "3.9", env: { MAVEN_ARGS: "-Duser.home=/g" }, mavenConfig: config("-Duser.home=/f") }, "/g/.m2/settings.xml", "MAVEN_ARGS"],
    ["3.9: the first -s of MAVEN_ARGS wins over maven.config's, relative to the current folder", { dialect: "3.9", env: { MAVEN_ARGS: "-s ../x.xml -s y.xml" }, mavenConfig: config("-s\n/abs.xml") }, "/work/p/x.xml", "MAVEN_ARGS"],
    ["maven.config -s beats every user.home", { env: { MAVEN_OPTS: "-Duser.home=/d" }, mavenConfig: config("--settings=/abs.xml") }, "/abs.xml", "/work/p/.mvn/maven.config"],
    ["3.9: maven.config one argument per line", { dialect: "3.9", mavenConfig: config("-s\nconf/x.xml\n") }, "/work/p/sub/conf/x.xml"],
    ["a relative user.home is relative to the current folder", { env: { MAVEN_OPTS: "-Duser.home=rel" } }, "/work/p/sub/rel/.m2/settings.xml"],
    ["an empty user.home is the root, as Java's new File(\"\", \".m2\")", { env: { MAVEN_OPTS: "-Duser.home=" } }, "/.m2/settings.xml"],
    ["-Duser.home without a value on Maven's line is \"true\"", { mavenConfig: config("-Duser.home") }, "/work/p/sub/true/.m2/settings.xml"],
    // Maven 4 (measured with 4.0.0-rc-4 in test/maven-home.e2e.test.ts).
    ["4: MAVEN_OPTS < jvm.config", { dialect: "4", env: { MAVEN_OPTS: "-Duser.home=/d" }, jvmConfig: jvm("-Duser.home=/c") }, "/c/.m2/settings.xml", "/work/p/.mvn/jvm.config"],
    ["4: maven.config and MAVEN_ARGS -D leave user.home", { dialect: "4", env: { MAVEN_OPTS: "-Duser.home=/d", MAVEN_ARGS: "-Duser.home=/g" }, mavenConfig: config("-Duser.home=/f") }, "/d/.m2/settings.xml", "MAVEN_OPTS"],
    ["4: -Dmaven.user.settings, the last one, relative to user.home", { dialect: "4", env: { MAVEN_OPTS: "-Duser.home=/d", MAVEN_ARGS: "-Dmaven.user.settings=s.xml" }, mavenConfig: config("-Dmaven.user.settings=/f.xml") }, "/d/s.xml", "MAVEN_ARGS"],
    ["4: -s wins over -Dmaven.user.settings", { dialect: "4", env: { MAVEN_ARGS: "-Dmaven.user.settings=/s.xml -s x.xml" } }, "/work/p/sub/x.xml", "MAVEN_ARGS"],
    ["3.9: -Dmaven.user.settings is nothing", { dialect: "3.9", env: { MAVEN_ARGS: "-Dmaven.user.settings=/s.xml" } }, "/home/u/.m2/settings.xml"],
  ])("%s", (_name, over, path, source) => {
    const found = userSettings(base(over));
    expect(found.path).toBe(path);
    if (source) expect(found.reason).toMatchObject({ source });
  });

  it("gives the properties Maven resolves ${…} in settings.xml from", () => {
    const found = userSettings(base({ env: { MAVEN_OPTS: "-Drepo.id=exchange -Duser.home=/d" }, mavenConfig: config("-Dother=1") }));
    expect(found.properties).toEqual({ "user.home": "/d", "user.dir": "/work/p/sub", "repo.id": "exchange", other: "1" });
  });
});

describe("the launcher's version", { tags: ["maven"] }, () => {
  // The installed launcher without, then with, MAVEN_ARGS (3.8's and 3.9's differ in that).
  const installed = has("maven") ? readFileSync(realpathSync(execFileSync("which", ["mvn"], { encoding: "utf8" }).trim()), "utf8") : "";
  const launcher38 = installed.split("\n").filter((line) => !line.includes("MAVEN_ARGS")).join("\n");
  it.each([
    ["a Maven 3.8 launcher", launcher38, "3.8"],
    ["a launcher that reads MAVEN_ARGS (3.9)", launcher38.replace('${CLASSWORLDS_LAUNCHER}', '${CLASSWORLDS_LAUNCHER} ${MAVEN_ARGS}'), "3.9"],
    ["a wrapper script (Homebrew's)", '#!/bin/bash\nexec "/opt/homebrew/Cellar/maven/3.9.6/libexec/bin/mvn" "$@"\n', "3.9"],
    ["no mvn on the PATH", undefined, "3.9"],
    ["Maven 4's launcher (it passes -Dmaven.mainClass)", `${launcher38}\n  \\"-Dmaven.mainClass=$MAVEN_MAIN_CLASS\\" \\\n  $MAVEN_ARGS"\n`, "4"],
  ])("%s: %s", (_name, script, dialect) => {
    expect(launcherDialect(script)).toBe(dialect);
  });
});
