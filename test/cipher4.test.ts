// Maven 4's password encryption, both ways, judged by Maven 4's own jars (plexus-sec-dispatcher 4 in the lib/ of a
// Maven 4 home from ANYPOINT_M2_MAVENS, through test/maven/Cipher4Probe.java): values anypoint-m2 encrypts
// decrypt there, values Maven 4 encrypts decrypt here, and the security files and master sources are read alike.
// @module-tag maven4
import * as fs from "node:fs";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { decrypt4, encrypt4, maven4Kind } from "../src/maven/cipher4";
import { masterFromFile, parseSecurity4, security4Xml } from "../src/maven/security4";
import { findMaster4 } from "../src/io/security4";
import { M2Error } from "../src/errors";
import { b64, compileProbe, type Probe } from "./helpers/maven";
import { maven4Home } from "./helpers/tools";

const MASTER = "Master-Pass-4c1d";
const CLEARS = ["0123456789abcdef0123456789abcdef~?~Secret-4f9a", "id-ü~?~sëcret-日本語-😀", "", "a<b>&\"'{}[]${x}"];

let probe: Probe;
let scratch: string;
let secFile: string;
beforeAll(() => {
  probe = compileProbe("Cipher4Probe", maven4Home());
  scratch = mkdtempSync(join(tmpdir(), "anypoint-m2-cipher4-"));
  secFile = join(scratch, "settings-security4.xml");
  writeFileSync(secFile, security4Xml("env:MAVEN_MASTER_PASSWORD"));
});

const unb64 = (s: string) => Buffer.from(s, "base64").toString("utf8");
const env = (master = MASTER) => ({ ...process.env, MAVEN_MASTER_PASSWORD: master }) as Record<string, string>;

describe("Maven 4's cipher (AES/GCM/NoPadding)", () => {
  it("what anypoint-m2 encrypts, Maven 4 decrypts to the same text", () => {
    const values = CLEARS.map((c) => encrypt4(c, MASTER));
    for (const v of values) expect(v).toMatch(/^\{\[name=master,cipher=AES\/GCM\/NoPadding,version=4\.0\][A-Za-z0-9+/]+=*\}$/);
    const answers = probe.ask(values.map((v) => ["decrypt", b64(v), secFile].join("\t")), env());
    expect(answers.map((a) => (a.startsWith("ok ") ? unb64(a.slice(3)) : a))).toEqual(CLEARS);
  });

  it("what Maven 4 encrypts, anypoint-m2 decrypts to the same text", () => {
    const answers = probe.ask(CLEARS.map((c) => ["encrypt", b64(c), secFile].join("\t")), env());
    expect(answers.length).toBe(CLEARS.length);
    for (const a of answers) expect(a).toMatch(/^ok \{\[/);
    expect(answers.map((a) => decrypt4(a.slice(3), MASTER))).toEqual(CLEARS);
  });

  it("a wrong master password fails both here and in Maven 4 (the GCM tag does not match)", () => {
    const value = encrypt4("id~?~secret", MASTER);
    expect(decrypt4(value, "other")).toBeUndefined();
    expect(probe.ask([["decrypt", b64(value), secFile].join("\t")], env("other"))[0]).toMatch(/^fail: /);
  });

  it("takes a value for Maven 4's, Maven 3's or none as Maven 4 does", () => {
    const enc = encrypt4("x", MASTER);
    const values = [
      enc, `${enc} `, ` ${enc}`, "{abc=}", "x{abc=}y", "{[name=master,version=4.0]abc}", "{[name=master]abc}", "{[version=4]abc}", "{[]abc}",
      "{[ name = master , version = 4 ]abc}", "{}", "{", "}", "plain", "{{x}}", "{a}{b}", "{[name=master,version=4.0]a{b}", "{a[b]c}",
      "{[ ]abc}", "{[name=master,,version=4]abc}", "{[name]abc}", "x{[]}y", "x{a[b]}y", "x{[a=b]c}y",
    ];
    const answers = probe.ask(values.map((v) => ["kind", b64(v)].join("\t")));
    expect(values.map(maven4Kind)).toEqual(answers.map((a) => (a.startsWith("fail: ") ? "fails" : a)));
  });
});

describe("settings-security4.xml and its master source, as Maven 4 reads them", () => {
  const files: [string, string][] = [
    ["the file anypoint-m2 writes", security4Xml("env:X_Y")],
    ["a file source", security4Xml("file:/tmp/x y/master.txt")],
    ["no namespace, spaces around values", "<settingsSecurity><defaultDispatcher> master </defaultDispatcher><configurations><configuration><name>master</name><properties><property><name>cipher</name><value>c</value></property><property><name>source</name><value> env:A </value></property></properties></configuration></configurations></settingsSecurity>"],
    ["two master configurations: the first wins", "<settingsSecurity><configurations><configuration><name>master</name><properties><property><name>source</name><value>env:FIRST</value></property></properties></configuration><configuration><name>master</name><properties><property><name>source</name><value>env:SECOND</value></property></properties></configuration></configurations></settingsSecurity>"],
    ["an unknown element", "<settingsSecurity><master>{x}</master></settingsSecurity>"],
    ["another root", "<settings/>"],
    ["a field twice", "<settingsSecurity><defaultDispatcher>a</defaultDispatcher><defaultDispatcher>b</defaultDispatcher></settingsSecurity>"],
  ];
  it.each(files)("%s", (_name, text) => {
    const path = join(scratch, `read-${_name.replace(/\W+/g, "-")}.xml`);
    writeFileSync(path, text);
    const answer = probe.ask([["read", path].join("\t")])[0]!;
    let ours: string;
    try {
      const parsed = parseSecurity4(text);
      const field = (s: string | undefined) => (s === undefined ? "-" : b64(s));
      ours = `ok ${field(parsed.defaultDispatcher)} ${field(parsed.master?.source)} ${field(parsed.master?.cipher)}`;
    } catch (e) {
      if (!(e instanceof M2Error)) throw e;
      ours = "fail";
    }
    expect(ours).toBe(answer.startsWith("fail") ? "fail" : answer);
  });

  it("a file source's master password: the first line not starting with #, trimmed", () => {
    const contents = ["# comment\n  pass word  \nnext\n", "pw", "#only\n\nafter-empty\n", "\r\nx", " #not a comment\n", "\uFEFFbom-kept\n", "\uFEFF# a comment only after a BOM\npw\n"];
    const clears = contents.map((text, i) => {
      const master = join(scratch, `master-${i}.txt`);
      writeFileSync(master, text);
      chmodSync(master, 0o600);
      const sec = join(scratch, `sec-file-${i}.xml`);
      writeFileSync(sec, security4Xml(`file:${master}`));
      const ours = findMaster4({ path: sec, source: "test" }, { env: {}, cwd: scratch, home: scratch, fs, stderr: () => {} }, "test");
      // An empty first line is an empty master password, which anypoint-m2 refuses to use.
      if (masterFromFile(text) === "") expect("problem" in ours && ours.problem.message).toMatch(/empty master password/);
      else expect("master" in ours && ours.master.master).toBe(masterFromFile(text));
      return { sec, master: masterFromFile(text)! };
    });
    // Encrypted with the master password we read; Maven 4 decrypts it with the one it reads.
    const answers = probe.ask(clears.map(({ sec, master }) => ["decrypt", b64(encrypt4("id~?~secret", master)), sec].join("\t")));
    expect(answers).toEqual(clears.map(() => `ok ${b64("id~?~secret")}`));
  });
});
