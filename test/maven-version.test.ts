// Which Maven will read the settings file (src/maven/version.ts, src/io/maven-version.ts), read from the
// distribution's files without a JVM, and checked against what each Maven of the matrix prints itself.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { distributionVersion, mavenVersion } from "../src/io/maven-version";
import { coreJarVersion, jarNameVersion, parseMavenVersion, readsAliases, wrapperVersion, zipEntry } from "../src/maven/version";
import { tempHome } from "./helpers/cli";
import { judges } from "./helpers/mavens";

describe("versions as Maven spells them", () => {
  it.each([
    ["3.8.7", 3, 8],
    ["3.10.0", 3, 10],
    ["4.0.0-rc-4", 4, 0],
    ["4.0.0-alpha-13", 4, 0],
  ])("%s", (text, major, minor) => expect(parseMavenVersion(text)).toEqual({ version: text, major, minor }));

  it.each(["3.x", "", "latest", "3.9.x-SNAPSHOT/"])("%j is none", (text) => expect(parseMavenVersion(text)).toBeUndefined());

  it("a jar's name: maven-core-3.9.16.jar has the version, Debian's maven-core-3.x.jar has none", () => {
    expect(jarNameVersion("maven-core-3.9.16.jar")?.version).toBe("3.9.16");
    expect(jarNameVersion("maven-core-3.x.jar")).toBeUndefined();
    expect(jarNameVersion("maven-core-api-3.9.16.jar")).toBeUndefined();
  });

  it("a wrapper's distributionUrl, zip or tar.gz, with Java's escaped colon", () => {
    const url = (u: string) => wrapperVersion(`# comment\nwrapperVersion=3.3.2\ndistributionType=only-script\ndistributionUrl=${u}\n`)?.version;
    expect(url("https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/3.9.9/apache-maven-3.9.9-bin.zip")).toBe("3.9.9");
    expect(url("https\\://nexus.example.com/repo/apache-maven-4.0.0-rc-4-bin.tar.gz")).toBe("4.0.0-rc-4");
    expect(wrapperVersion("wrapperVersion=3.3.2\n")).toBeUndefined();
  });

  it("reads <aliases>: measured, 3.10 (README: Which Maven reads what)", () => {
    const v = (text: string) => readsAliases(parseMavenVersion(text)!);
    expect(["3.8.7", "3.9.16", "4.0.0-rc-4"].map(v)).toEqual([false, false, false]);
    expect(["3.10.0", "3.11.1"].map(v)).toEqual([true, true]);
  });
});

describe("an entry of a zip", () => {
  /** A zip with one entry, stored or deflated, as a jar tool writes it. */
  function zip(name: string, text: string, deflate: boolean): Buffer {
    const data = Buffer.from(text);
    const body = deflate ? deflateRawSync(data) : data;
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(deflate ? 8 : 0, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(deflate ? 8 : 0, 10);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(0, 42);
    const centralAt = 30 + n.length + body.length;
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(46 + n.length, 12);
    end.writeUInt32LE(centralAt, 16);
    return Buffer.concat([local, n, body, central, n, end]);
  }
  const POM = "META-INF/maven/org.apache.maven/maven-core/pom.properties";

  it.each([false, true])("deflated: %s", (deflate) => {
    expect(coreJarVersion(zip(POM, "#Generated\nartifactId=maven-core\nversion=3.8.7\n", deflate))?.version).toBe("3.8.7");
    expect(zipEntry(zip(POM, "x", deflate), "other")).toBeUndefined();
  });

  it("not a zip, or cut short: none, no throw", () => {
    const whole = zip(POM, "version=3.8.7\n", true);
    for (const bytes of [Buffer.from("not a zip at all, just text"), Buffer.alloc(0), whole.subarray(0, whole.length - 30)]) expect(coreJarVersion(bytes)).toBeUndefined();
  });
});

describe.each(judges())("Maven $version's distribution", { tags: ["maven"] }, ({ home }) => {
  it("has the version its own mvn --version prints", () => {
    const printed = /Apache Maven (\S+)/.exec(execFileSync(join(home, "bin", "mvn"), ["--version", "-B"], { encoding: "utf8", env: { PATH: process.env.PATH!, HOME: tempHome(), MAVEN_OPTS: "" } }))?.[1];
    expect(printed).toBeDefined();
    expect(distributionVersion(fs, home)?.version).toBe(printed);
  });

  it("is the Maven found through a link to its bin/mvn on the PATH", () => {
    const root = tempHome();
    mkdirSync(join(root, "bin"));
    symlinkSync(join(home, "bin", "mvn"), join(root, "bin", "mvn"));
    const found = mavenVersion({}, { env: { PATH: `/nonexistent:${join(root, "bin")}` }, cwd: root, fs });
    expect(found).toMatchObject({ version: distributionVersion(fs, home)!.version, source: home });
  });
});

describe("which Maven decides", () => {
  const io = (cwd: string, PATH = "/nonexistent") => ({ env: { PATH }, cwd, fs });

  it("no mvn on the PATH, no wrapper: none", () => expect(mavenVersion({}, io(tempHome()))).toBeUndefined());

  it("the project's wrapper, from a folder below it, over the PATH; --maven-version over both", () => {
    const root = tempHome();
    mkdirSync(join(root, ".mvn", "wrapper"), { recursive: true });
    mkdirSync(join(root, "src", "main"), { recursive: true });
    const wrapper = join(root, ".mvn", "wrapper", "maven-wrapper.properties");
    writeFileSync(wrapper, "distributionUrl=https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/3.10.0/apache-maven-3.10.0-bin.zip\n");
    expect(mavenVersion({}, io(join(root, "src", "main"), process.env.PATH))).toEqual({ version: "3.10.0", major: 3, minor: 10, source: wrapper });
    expect(mavenVersion({ mavenVersion: "4.0.0-rc-4" }, io(root))).toEqual({ version: "4.0.0-rc-4", major: 4, minor: 0, source: "--maven-version" });
  });

  it("--maven-version that is not a version: exit 2", () => {
    expect(() => mavenVersion({ mavenVersion: "newest" }, io(tempHome()))).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringContaining('--maven-version "newest" is not a Maven version') }));
  });
});
