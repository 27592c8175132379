// The stores' pure parts: how a written password is classified, the traps for each store, the env store's
// checked path through value.ts, where the security file is, and writing one without replacing another.
import * as fs from "node:fs";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Exit, M2Error } from "../src/errors";
import { createSecurityFile, findMaster, readMaster, securityLocation } from "../src/io/security";
import { upsertServer } from "../src/settings/servers";
import { envPassword, envVariables, missingReferences, passwordTraps, storeOf } from "../src/settings/stores";
import { checkValue } from "../src/settings/value";

describe("storeOf: the store as Maven treats a written password", () => {
  it.each([
    ["id~?~secret", "literal"],
    ["${env.A}~?~${env.B}", "env"],
    ["${env.EXCHANGE_PASSWORD}", "env"],
    ["{COQLCE6DU6GtcS5P=}", "encrypted"],
    // Maven tries to decrypt any {…}: a literal with braces is, to Maven, an encrypted value.
    ["id~?~se{cr}et", "encrypted"],
    ["id~?~se\\{cr}et", "encrypted"],
    ["id~?~{}", "literal"],
  ])("%s is %s", (written, store) => {
    expect(storeOf(written)).toBe(store);
  });

  it("envVariables names ${env.X} only; missingReferences what nothing here defines", () => {
    expect(envVariables("${env.A}~?~${B}${env.A}")).toEqual(["A"]);
    expect(missingReferences("${env.A}~?~${env.B}", { A: "x" })).toEqual(["env.B"]);
    expect(missingReferences("${repo.pw}", {}, { "repo.pw": "x" })).toEqual([]);
  });
});

describe("passwordTraps", () => {
  it.each([
    ["literal", "abc", "se{cr}et", [[true, 'the client secret holds "{" and "}"']]],
    ["env", "abc", "se{cr}et", [[false, 'the client secret holds "{" and "}"']]],
    ["encrypted", "abc", "se{cr}et", []],
    ["literal", "abc", "se${cr}et", [[true, "the client secret holds a ${...} expression"]]],
    ["env", "abc", "se${cr}et", [[false, "the client secret holds a ${...} expression"]]],
    ["encrypted", "abc", "se${cr}et", []],
    ["literal", "a{b}c", "secret", [[true, 'the client ID holds "{" and "}"']]],
    ["literal", "abc", "s~e?c", [[false, 'the client secret holds "~" and "?": the Mule Maven plugin\'s deployer splits']]],
    ["encrypted", "a?b", "s3cr3t-9", [[false, 'the client ID holds "?": the Mule Maven plugin\'s deployer splits']]],
    ["env", "abc", "sëcret", [[false, "the client secret holds non-ASCII characters: Java reads environment variables in the locale's encoding"]]],
    ["literal", "abc", "plain-Secret_1", []],
  ] as const)("%s %s / %s", (store, id, secret, expected) => {
    const traps = passwordTraps(store, id, secret);
    expect(traps.map((t) => t.refuse)).toEqual(expected.map(([refuse]) => refuse));
    traps.forEach((t, i) => expect(t.message.startsWith(expected[i]![1]), t.message).toBe(true));
    for (const t of traps) expect(t.message).not.toContain(secret);
  });

  it("a brace pair made by the separator's neighbours is seen as Maven sees the whole password", () => {
    expect(passwordTraps("literal", "a{b", "c}d").find((t) => t.refuse)?.message).toMatch(/^the password \(client ID~\?~secret\) holds/);
  });

  it("the env store: variables unset here, or holding other credentials, are warned about by name only", () => {
    const variables = { id: "AP_ID", secret: "AP_SECRET" };
    const messages = (env: Record<string, string>) => passwordTraps("env", "abc", "s3cret-x", { env, variables }).map((t) => t.message);
    expect(messages({})).toEqual([expect.stringMatching(/^AP_ID and AP_SECRET are not set in this environment/)]);
    expect(messages({ AP_ID: "abc" })).toEqual([expect.stringMatching(/^AP_SECRET is not set in this environment/)]);
    expect(messages({ AP_ID: "abc", AP_SECRET: "s3cret-x" })).toEqual([]);
    // Maven trims the resolved value: trailing whitespace of the secret makes no difference.
    expect(messages({ AP_ID: "abc", AP_SECRET: "s3cret-x\n" })).toEqual([]);
    const other = messages({ AP_ID: "abc", AP_SECRET: "another" });
    expect(other).toEqual([expect.stringMatching(/hold other credentials than those given/)]);
    expect(other[0]).not.toContain("another");
  });
});

describe("the env store's checked path", () => {
  it("checkValue lets ${env.NAME} through only when asked, and nothing else of ${…}", () => {
    expect(() => checkValue("password", envPassword("A", "B"))).toThrow(/\$\{\.\.\.\} expression/);
    expect(() => checkValue("password", envPassword("A", "B"), { envReferences: true })).not.toThrow();
    expect(() => checkValue("password", "${env.A}~?~${B}", { envReferences: true })).toThrow(/\$\{\.\.\.\} expression/);
    expect(() => checkValue("password", "${env.A}~?~${env.A-B}", { envReferences: true })).toThrow(/\$\{\.\.\.\} expression/);
  });

  it("upsertServer writes the references, with no warning about ${", () => {
    const change = upsertServer("<settings/>", { id: "x", username: "~~~Client~~~", password: envPassword("A", "B"), envReferences: true });
    expect(change.edits[0]!.content).toContain("<password>${env.A}~?~${env.B}</password>");
    expect(change.warnings).toEqual([]);
  });
});

describe("where the security file is", () => {
  const io = (env: Record<string, string>, cwd = "/work/p") => ({ env: { PATH: "/nonexistent", ...env }, cwd, home: "/home/u", fs, stderr: () => {} });
  it.each([
    ["Maven's default: user.home's .m2", {}, undefined, "/home/u/.m2/settings-security.xml"],
    ["-Duser.home moves it", { MAVEN_OPTS: "-Duser.home=/h" }, undefined, "/h/.m2/settings-security.xml"],
    ["-Dsettings.security, ~ as user.home", { MAVEN_OPTS: "-Duser.home=/h -Dsettings.security=~/sec/s.xml" }, undefined, "/h/sec/s.xml"],
    ["--security-file naming the file Maven reads", { MAVEN_OPTS: "-Dsettings.security=/work/p/s.xml" }, "s.xml", "/work/p/s.xml"],
    ["--security-file ~ is HOME, and Maven's user.home there", { HOME: "/home/h", MAVEN_OPTS: "-Duser.home=/home/h" }, "~/.m2/settings-security.xml", "/home/h/.m2/settings-security.xml"],
  ])("%s", (_name, env, option, path) => {
    const location = securityLocation({ securityFile: option }, io(env));
    expect(location.path).toBe(path);
    expect(location.unusable).toBeUndefined();
  });

  it.each([
    ["Maven's default", {}, "Maven reads /home/u/.m2/settings-security.xml (Maven's default)"],
    ["another -Dsettings.security", { MAVEN_OPTS: "-Dsettings.security=/x.xml" }, "Maven reads /x.xml (-Dsettings.security in MAVEN_OPTS)"],
    ["an empty -Dsettings.security", { MAVEN_OPTS: "-Dsettings.security=" }, "-Dsettings.security in MAVEN_OPTS is empty"],
  ])("--security-file elsewhere than Maven reads (%s): exit 2, saying how to tell Maven", (_name, env, reads) => {
    let error: unknown;
    try {
      securityLocation({ securityFile: "rel.xml" }, io(env));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(M2Error);
    expect((error as M2Error).exitCode).toBe(Exit.usage);
    expect((error as M2Error).message).toContain(`--security-file /work/p/rel.xml is not the security file Maven reads: ${reads}`);
    expect((error as M2Error).details.hint).toContain("-Dsettings.security=/work/p/rel.xml in MAVEN_OPTS, ~/.mavenrc or .mvn/jvm.config");
    expect((error as M2Error).details.hint).toContain("--maven-reads-security-file");
    // Said by the user: Maven is told elsewhere.
    expect(securityLocation({ securityFile: "rel.xml", mavenReadsSecurityFile: true }, io(env)).path).toBe("/work/p/rel.xml");
  });

  it("--maven-reads-security-file alone is a usage error", () => {
    expect(() => securityLocation({ mavenReadsSecurityFile: true }, io({}))).toThrow("--maven-reads-security-file goes with --security-file");
  });

  it.each([
    ["empty (an unset variable): Maven fails on it", "-Dsettings.security=", /is empty \(an unset variable\?\): Maven fails on it/, true],
    ["-Dsettings.security alone: the JVM sets it empty", "-Dsettings.security", /is empty/, true],
    ["relative: Maven opens it from each build's folder", "-Dsettings.security=conf/s.xml", /is a relative path, conf\/s.xml: Maven opens it from the folder each build runs in/, false],
  ])("-Dsettings.security %s: no security file, never the unset default", (_name, opts, reason, mavenFails) => {
    const location = securityLocation({}, io({ MAVEN_OPTS: opts }));
    expect(location.unusable?.reason).toMatch(reason);
    const found = findMaster(location, io({ MAVEN_OPTS: opts }), "test");
    expect(found).toMatchObject({ mavenFails });
    expect(() => readMaster(location, io({ MAVEN_OPTS: opts }), "test")).toThrow(reason);
  });
});

describe("createSecurityFile", () => {
  it("writes 0600 in a folder it creates 0700, and leaves no temp file", () => {
    const dir = mkdtempSync(join(tmpdir(), "anypoint-m2-sec-"));
    const path = join(dir, ".m2", "settings-security.xml");
    createSecurityFile(fs, path, "<settingsSecurity/>\n");
    expect(readFileSync(path, "utf8")).toBe("<settingsSecurity/>\n");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, ".m2")).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(dir, ".m2"))).toEqual(["settings-security.xml"]);
  });

  it("never replaces an existing one (exit 6), which stays as it was", () => {
    const dir = mkdtempSync(join(tmpdir(), "anypoint-m2-sec-"));
    const path = join(dir, "settings-security.xml");
    writeFileSync(path, "theirs");
    let error: unknown;
    try {
      createSecurityFile(fs, path, "ours");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(M2Error);
    expect((error as M2Error).exitCode).toBe(Exit.writeFailed);
    expect((error as M2Error).message).toContain("already exists");
    expect(readFileSync(path, "utf8")).toBe("theirs");
    expect(readdirSync(dir)).toEqual(["settings-security.xml"]);
  });
});
