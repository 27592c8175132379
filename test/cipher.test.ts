// Maven 3's password encryption, both ways, judged by the installed Maven's own jars (plexus-cipher and
// plexus-sec-dispatcher in its lib/, through test/maven/CipherProbe.java) and by `mvn --encrypt-password`
// itself, run with -Dsettings.security in a scratch folder, never the real home.
// @module-tag maven
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { decrypt, encrypt, encryptedPart, MASTER_PASSPHRASE } from "../src/maven/cipher";
import { masterPassword, parseSecurity, securityXml } from "../src/maven/security";
import { readMaster } from "../src/io/security";
import { decryptPassword } from "../src/settings/stores";
import { b64, compileProbe, type Probe } from "./helpers/maven";

const MASTER = "Master-Pass-7b2e";
const CLEARS: [string, string][] = [
  ["ASCII", "0123456789abcdef0123456789abcdef~?~Secret-4f9a"],
  ["non-ASCII", "id-ü~?~sëcret-日本語-😀"],
  // UTF-8 lengths that fill whole AES blocks, so PKCS5 adds a block of its own; and one byte short of that.
  ["block-aligned (16 bytes)", "abcd~?~efghijklm"],
  ["block-aligned (32 bytes)", "0123abcd0123abcd~?~efghijklmnopq"],
  ["one byte short of a block", "abcd~?~efghijkl"],
];

let probe: Probe;
let scratch: string;
beforeAll(() => {
  probe = compileProbe("CipherProbe");
  scratch = mkdtempSync(join(tmpdir(), "anypoint-m2-cipher-"));
});

const unb64 = (s: string) => Buffer.from(s, "base64").toString("utf8");
const io = () => ({ env: {}, cwd: scratch, home: scratch, fs, stderr: () => {} });

function securityFile(name: string, content: string): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

/** The installed mvn, in a scratch home, printing what it encrypts (the value is the {…} in its output). */
function mvnEncrypt(args: string[]): string {
  const home = mkdtempSync(join(tmpdir(), "anypoint-m2-mvn-"));
  const out = execFileSync("mvn", ["-B", "-Dstyle.color=never", ...args], {
    cwd: home,
    // A UTF-8 locale, so that Java reads non-ASCII arguments as typed.
    env: { PATH: process.env.PATH!, HOME: home, MAVEN_OPTS: `-Duser.home=${home}`, LC_ALL: "C.UTF-8" },
    encoding: "utf8",
  });
  const value = /\{[A-Za-z0-9+/=]+\}/.exec(out)?.[0];
  if (!value) throw new Error(`mvn printed no encrypted value: ${out}`);
  return value;
}

describe("ours -> Maven", () => {
  it.each(CLEARS)("%s: Maven's cipher decrypts what we encrypt to exactly the text", (_name, clear) => {
    const values = Array.from({ length: 8 }, () => encrypt(clear, MASTER));
    const answers = probe.ask(values.map((v) => ["decrypt", b64(v), b64(MASTER)].join("\t")));
    expect(answers).toEqual(values.map(() => `ok ${b64(clear)}`));
  });

  it.each(CLEARS)("%s: Maven's settings builder and decrypter give the server's exact id~?~secret, with our security file", (_name, clear) => {
    const sec = securityFile(`ours-${b64(clear).slice(0, 8).replace(/\W/g, "_")}.xml`, securityXml(MASTER));
    const settings = securityFile("settings-ours.xml", `<settings><servers><server><id>x</id><username>~~~Client~~~</username><password>${encrypt(clear, MASTER)}</password></server></servers></settings>`);
    expect(probe.ask([["server", settings, sec, "x"].join("\t")])).toEqual([`ok ${b64("~~~Client~~~")} ${b64(clear)} 0`]);
  });

  it("our security file's master password is what Maven's dispatcher decrypts with", () => {
    const sec = securityFile("ours-master.xml", securityXml("Mäster-ü"));
    const value = encrypt("id~?~secret", "Mäster-ü");
    expect(probe.ask([["dispatch", sec, b64(value)].join("\t")])).toEqual([`ok ${b64("id~?~secret")}`]);
  });
});

describe("Maven -> ours", () => {
  it.each(CLEARS)("%s: we decrypt what Maven's cipher encrypts", (_name, clear) => {
    const answers = probe.ask(Array.from({ length: 8 }, () => ["encrypt", b64(clear), b64(MASTER)].join("\t")));
    expect(answers.every((a) => a.startsWith("ok {"))).toBe(true);
    for (const answer of answers) expect(decrypt(answer.slice(3), MASTER)).toBe(clear);
  });

  it.each([
    ["ASCII", "Master-Pass-7b2e", "0123456789abcdef~?~Secret-4f9a"],
    ["non-ASCII", "Mäster-日本", "id-ü~?~sëcret-😀"],
  ])("%s: mvn --encrypt-master-password and --encrypt-password make values we decrypt", (_name, master, clear) => {
    const encryptedMaster = mvnEncrypt(["--encrypt-master-password", master]);
    expect(masterPassword(encryptedMaster)).toBe(master);
    const sec = securityFile(`mvn-${_name}.xml`, `<settingsSecurity>\n  <master>${encryptedMaster}</master>\n</settingsSecurity>\n`);
    const value = mvnEncrypt([`-Dsettings.security=${sec}`, "--encrypt-password", clear]);
    expect(readMaster({ path: sec, source: "test" }, io(), "test").master).toBe(master);
    expect(decryptPassword(value, master)).toEqual({ clear });
  });

  it("a <relocation> is followed, by Maven and by us, to the same master password", () => {
    const target = securityFile("relocated-target.xml", securityXml(MASTER));
    const first = securityFile("relocating.xml", `<settingsSecurity><relocation>${target}</relocation></settingsSecurity>`);
    const value = encrypt("id~?~relocated", MASTER);
    expect(probe.ask([["dispatch", first, b64(value)].join("\t")])).toEqual([`ok ${b64("id~?~relocated")}`]);
    expect(readMaster({ path: first, source: "test" }, io(), "test")).toEqual({ path: first, file: target, master: MASTER });
  });

  it("a wrong master password is reported, by Maven and by us, never guessed around", () => {
    const sec = securityFile("other-master.xml", securityXml("Another-Master"));
    const value = encrypt("id~?~secret", MASTER);
    expect(probe.ask([["dispatch", sec, b64(value)].join("\t")])[0]).toMatch(/^fail: /);
    expect(decryptPassword(value, readMaster({ path: sec, source: "test" }, io(), "test").master)).toEqual({ failure: "does not decrypt" });
  });

  it("a Maven 4 value does not decrypt with Maven 3, and we say it is Maven 4's", () => {
    const sec = securityFile("m4.xml", securityXml(MASTER));
    const value = "{[name=master,cipher=AES/GCM/NoPadding,version=4.0]vvq66pZ7rkvzSPStGTI9q4QDnsmuDwo+LtjraRel2b0XpcGJFdXcYAHAS75HUA6GLpcVtEkmyQ==}";
    expect(probe.ask([["dispatch", sec, b64(value)].join("\t")])[0]).toMatch(/^fail: /);
    expect(decryptPassword(value, MASTER)).toEqual({ failure: "maven4" });
  });
});

describe("which values Maven takes for encrypted", () => {
  const values = [
    "plain-secret", "{abc}", "a{b}c", "{}", "{a}", "x{", "}{x}", "\\{abc}", "{abc\\}", "{abc\\}d}", "a\\{b}c", "{a}{b}",
    "id~?~se{cr}et", "${env.A}~?~${env.B}", "{a\nb}", "a\n{b}", "{[name=master]abc}", "{{x}}", "{ab}}", "\\\\{x}",
  ];
  it("encryptedPart finds the part Maven's cipher finds (isEncryptedString, unDecorate), for each value", () => {
    const answers = probe.ask(values.map((v) => ["part", b64(v)].join("\t")));
    expect(answers).toHaveLength(values.length);
    values.forEach((v, i) => {
      const answer = answers[i]!;
      expect(encryptedPart(v), JSON.stringify(v)).toBe(answer === "none" ? undefined : unb64(answer.slice(3)));
    });
  });
});

describe("settings-security.xml", () => {
  const MASTER_VALUE = encrypt(MASTER, MASTER_PASSPHRASE);
  it.each([
    ["whitespace around <master>, trimmed", `<settingsSecurity>\n  <master>\n    ${MASTER_VALUE}\n  </master>\n</settingsSecurity>`, MASTER],
    ["<master> in CDATA", `<settingsSecurity><master><![CDATA[${MASTER_VALUE}]]></master></settingsSecurity>`, MASTER],
    ["with a comment and an XML declaration", `<?xml version="1.0"?>\n<!-- m --><settingsSecurity><master>${MASTER_VALUE}</master></settingsSecurity>`, MASTER],
  ])("%s: Maven and we read the same master password", (_name, text, master) => {
    const sec = securityFile(`variant-${_name.length}.xml`, text);
    const value = encrypt("id~?~v", master);
    expect(probe.ask([["dispatch", sec, b64(value)].join("\t")])).toEqual([`ok ${b64("id~?~v")}`]);
    expect(parseSecurity(text).master).toBeDefined();
    expect(readMaster({ path: sec, source: "test" }, io(), "test").master).toBe(master);
  });

  it.each([
    ["an unknown element", `<settingsSecurity><master>${MASTER_VALUE}</master><extra/></settingsSecurity>`, /not an element of settings-security.xml/],
    ["<master> twice", `<settingsSecurity><master>${MASTER_VALUE}</master><master>${MASTER_VALUE}</master></settingsSecurity>`, /appears twice/],
  ])("%s: Maven cannot read the file, and we refuse it", (_name, text, message) => {
    const sec = securityFile(`bad-${_name.length}.xml`, text);
    expect(probe.ask([["dispatch", sec, b64(encrypt("x", MASTER))].join("\t")])[0]).toMatch(/^fail: /);
    expect(() => parseSecurity(text)).toThrow(message);
  });

  it("a Maven 4 settings-security4.xml is recognised and refused, naming Maven 4", () => {
    const text = `<settingsSecurity xmlns="http://codehaus-plexus.github.io/plexus-sec-dispatcher/4.0.0">\n  <modelVersion>4.0</modelVersion>\n  <defaultDispatcher>master</defaultDispatcher>\n</settingsSecurity>`;
    expect(() => parseSecurity(text)).toThrow(/written for Maven 4/);
    const path = securityFile("settings-security4.xml", text);
    expect(() => readMaster({ path, source: "test" }, io(), "test")).toThrow(/Maven 4/);
  });
});
