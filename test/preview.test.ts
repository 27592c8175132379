// Previews: passwords masked by the document's structure, line for line; diffs that patch and git apply accept.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyPatch } from "diff";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maskedDiff, patchName } from "../src/commands/preview";
import { MASK, maskSecrets } from "../src/settings/mask";
import { looksLikeCredential } from "../src/xml/secret-names";
import { applyEdits, type Edit } from "../src/xml/edit";

const doc = (servers: string, eol = "\n"): string =>
  ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<settings>", "  <servers>", servers, "  </servers>", "</settings>", ""].join(eol);

/** Password contents of every shape, and the pieces of secret in each that must never be shown. */
const SHAPES: [string, string, string[]][] = [
  ["split by a comment", "<password><!--c-->kQ1split</password>", ["kQ1split"]],
  ["partly CDATA", "<password>kQ2ab<![CDATA[kQ2cdata]]></password>", ["kQ2ab", "kQ2cdata"]],
  ["on lines of its own", "<password>\n        kQ3multi\n      </password>", ["kQ3multi"]],
  ["entity-escaped", "<password>kQ4x&amp;kQ4y&lt;</password>", ["kQ4x", "kQ4y"]],
  ["with an escaped ]]>", "<password>kQ5a]]&gt;kQ5b</password>", ["kQ5a", "kQ5b"]],
  ["non-ASCII", "<password>kQ6ünïcödé€</password>", ["kQ6"]],
  ["a connected app's, with a line break in the secret", "<password>kQid~?~kQ7first\nkQ7second</password>", ["kQ7first", "kQ7second"]],
  ["CDATA over two lines", "<password><![CDATA[kQ8a\nkQ8b]]></password>", ["kQ8a", "kQ8b"]],
  ["a passphrase", "<passphrase>kQ9phrase</passphrase>", ["kQ9phrase"]],
  ["a child element", "<password><x>kQ10child</x></password>", ["kQ10child"]],
  ["a CR reference", "<password>kQ11a&#13;kQ11b</password>", ["kQ11a", "kQ11b"]],
  ["a plugin's keystorePassword", "<configuration><keystorePassword>kQ12store</keystorePassword></configuration>", ["kQ12store"]],
  ["an example in a comment", "<!-- <password>kQ13comment</password> -->", ["kQ13comment"]],
  ["an example in a comment, never closed", "<!-- <passphrase>kQ14open -->", ["kQ14open"]],
];

const lines = (text: string) => text.split("\n").length;

describe("maskSecrets", () => {
  it.each(SHAPES)("masks a password %s, keeping every line", (_, password, secrets) => {
    const text = doc(`    <server><id>w</id>${password}</server>`);
    const masked = maskSecrets(text);
    for (const secret of secrets) expect(masked).not.toContain(secret);
    expect(masked).toContain(MASK);
    expect(lines(masked)).toBe(lines(text));
    expect(masked).toContain("<server><id>w</id>");
  });

  it("keeps the client ID of a plain id~?~secret, and values that are only ${env.X} references", () => {
    const masked = maskSecrets(doc(["    <password>0123abcd~?~kSecret1</password>", "    <password>${env.NEXUS}</password>", "    <password>${env.ID}~?~${env.SECRET}</password>"].join("\n")));
    expect(masked).toContain("<password>0123abcd~?~********</password>");
    expect(masked).toContain("<password>${env.NEXUS}</password>");
    expect(masked).toContain("<password>${env.ID}~?~${env.SECRET}</password>");
  });

  it("shows no client ID whose text could hide part of the secret", () => {
    // Maven splits at the first ~?~ after resolving the reference: everything after it is secret.
    const masked = maskSecrets(doc("    <password>ab&#126;?~kHidden1~?~kHidden2</password>"));
    expect(masked).toContain(`<password>${MASK}</password>`);
  });

  it("masks every line that names a password in text that does not scan", () => {
    const text = "<settings>\n  <password\n    a='1'>kBroken1\n  kBroken2\n  </password>\n  <id>x</id>\n";
    const masked = maskSecrets(text);
    for (const secret of ["kBroken1", "kBroken2"]) expect(masked).not.toContain(secret);
    expect(lines(masked)).toBe(lines(text));
    expect(masked).toContain("<id>x</id>");
  });

  it("masks by structure in an element with 150,000 children (too many to spread as arguments)", () => {
    const text = doc(Array.from({ length: 150_000 }, () => "<password>i~?~kMany1</password>").join("\n"));
    const masked = maskSecrets(text);
    expect(masked).not.toContain("kMany1");
    expect(masked.split("\n")[3]).toBe("<password>i~?~********</password>");
  });

  it("masks known secrets wherever they are, as given and as escaped", () => {
    const masked = maskSecrets(doc("    <id>kKnown&amp;1</id>"), ["kKnown&1"]);
    expect(masked).not.toContain("kKnown");
  });
});

/** A settings file whose <settings> holds `body`. */
const settingsWith = (body: string): string => ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<settings>", body, "</settings>", ""].join("\n");
const profile = (properties: string): string => `  <profiles><profile><id>p</id><properties>${properties}</properties></profile></profiles>`;
const header = (name: string, value: string): string =>
  `  <servers><server><id>gitlab-maven</id><configuration><httpHeaders><property><name>${name}</name><value>${value}</value></property></httpHeaders></configuration></server></servers>`;

/** Credentials other than a server's password, where settings files hold them; their secret pieces; what stays readable. */
const CREDENTIALS: [string, string, string[], string[]][] = [
  ["a GitLab Private-Token header", header("Private-Token", "glpat-kH1token"), ["kH1token"], ["<id>gitlab-maven</id>", "<name>Private-Token</name>"]],
  [
    "an Authorization header on lines of its own",
    ["  <servers>", "    <server>", "      <id>h</id>", "      <configuration><httpHeaders><property>", "        <name>Authorization</name>", "        <value>", "          Bearer kH2bearer", "        </value>", "      </property></httpHeaders></configuration>", "    </server>", "  </servers>"].join("\n"),
    ["kH2bearer"],
    ["<name>Authorization</name>"],
  ],
  ["a header of any name", header("X-Trace-Context", "kH3any"), ["kH3any"], ["<name>X-Trace-Context</name>"]],
  ["a server's privateKey", "  <servers><server><id>ssh</id><username>deployer</username><privateKey>kP1key</privateKey></server></servers>", ["kP1key"], ["<username>deployer</username>"]],
  ["a property named X-Api-Key outside headers", "  <servers><server><id>x</id><configuration><property><name>X-Api-Key</name><value>kX1api</value></property></configuration></server></servers>", ["kX1api"], ["<name>X-Api-Key</name>"]],
  ["a sonar.token property", profile("<sonar.token>kT1sonar</sonar.token>"), ["kT1sonar"], ["<id>p</id>"]],
  ["a github.token property", profile("<github.token>ghp_kT2github</github.token>"), ["kT2github"], ["<id>p</id>"]],
  ["a gpg.passphrase property", profile("<gpg.passphrase>kT3gpg</gpg.passphrase>"), ["kT3gpg"], ["<id>p</id>"]],
  ["an npmAuthToken property", profile("<npmAuthToken>kT4npm</npmAuthToken>"), ["kT4npm"], ["<id>p</id>"]],
  ["an apiKey property", profile("<apiKey>kT5api</apiKey>"), ["kT5api"], ["<id>p</id>"]],
  ["Mule's keys and a client secret as properties", profile("<mule.key>kT6mule</mule.key><anypoint.platform.client_secret>kT6secret</anypoint.platform.client_secret>"), ["kT6mule", "kT6secret"], ["<id>p</id>"]],
  ["a credentials block, its username kept", "  <servers><server><id>c</id><configuration><credentials><username>kept-user</username><token>kB1token</token></credentials></configuration></server></servers>", ["kB1token"], ["<username>kept-user</username>"]],
  ["a header commented out", `  <!-- ${header("Private-Token", "kC1old")} -->`, ["kC1old"], ["<name>Private-Token</name>"]],
  ["a privateKey commented out", "  <!-- <server><id>old</id><privateKey>kC2old</privateKey></server> -->", ["kC2old"], ["<id>old</id>"]],
];

describe("maskSecrets: credentials other than passwords", () => {
  it.each(CREDENTIALS)("masks %s, keeping every line and what names it", (_, body, secrets, readable) => {
    const text = settingsWith(body);
    const masked = maskSecrets(text);
    for (const secret of secrets) expect(masked).not.toContain(secret);
    expect(masked).toContain(MASK);
    expect(lines(masked)).toBe(lines(text));
    for (const shown of readable) expect(masked).toContain(shown);
  });

  it("masks line by line in text that does not scan", () => {
    const text = ["<settings>", "  <property><name>Private-Token</name>", "  <value>kL1broken</value>", "  <mule.key>", "    kL2broken", "  </mule.key>", "  <id>shown</id>", "</oops>", ""].join("\n");
    const masked = maskSecrets(text);
    for (const secret of ["kL1broken", "kL2broken"]) expect(masked).not.toContain(secret);
    expect(lines(masked)).toBe(lines(text));
    expect(masked).toContain("<id>shown</id>");
  });

  it("leaves ids, usernames, urls, credentials ids and ${env.X} values as they are", () => {
    const text = settingsWith(
      [
        header("Private-Token", "${env.GITLAB_TOKEN}"),
        "  <servers><server><id>token-repo</id><username>auth-bot</username><configuration><credentialsId>jenkins-secret</credentialsId><tokenUrl>https://auth.example.com/token</tokenUrl></configuration></server></servers>",
        "  <mirrors><mirror><id>secrets</id><name>Token mirror</name><url>https://token.example.com/auth</url></mirror></mirrors>",
        profile("<sonar.token>${env.SONAR_TOKEN}</sonar.token><sonar.host.url>https://sonar.example.com</sonar.host.url>"),
      ].join("\n"),
    );
    expect(maskSecrets(text)).toBe(text);
  });
});

describe("looksLikeCredential", () => {
  it.each([
    "password", "s:password", "keystorePassword", "passphrase", "gpg.passphrase", "privateKey", "apiKey", "api-key", "api_key", "X-Api-Key",
    "sonar.token", "github.token", "npmAuthToken", "Private-Token", "Authorization", "auth", "clientSecret", "credentials", "storepass", "mule.key",
  ])("%s looks like a credential", (name) => expect(looksLikeCredential(name)).toBe(true));

  it.each(["id", "username", "url", "name", "key", "credentialsId", "tokenUrl", "authUser", "gpg.keyname", "sonar.host.url", "value", "configuration"])(
    "%s does not",
    (name) => expect(looksLikeCredential(name)).toBe(false),
  );
});

describe("maskedDiff", () => {
  it("shows a changed password as a changed line, masked on both sides", () => {
    const before = doc("    <server><id>x</id><password>0123abcd~?~kOld1</password></server>");
    const after = doc("    <server><id>x</id><password>0123abcd~?~kNew1</password></server>");
    const diff = maskedDiff("/h/.m2/settings.xml", before, after, [], { color: false });
    expect(diff.split("\n")).toEqual(expect.arrayContaining([
      "-    <server><id>x</id><password>0123abcd~?~********</password></server>",
      "+    <server><id>x</id><password>0123abcd~?~********</password></server>",
    ]));
    expect(diff).not.toMatch(/kOld1|kNew1/);
  });

  it.each(CREDENTIALS)("never shows %s as a context line", (_, body, secrets, readable) => {
    // A comment after every line: every line of the file is a context line.
    const before = settingsWith(body);
    const after = before.replace(/\n/g, "\n<!-- x -->\n");
    const diff = maskedDiff("/h/.m2/settings.xml", before, after, [], { color: false });
    expect(diff).toContain("+<!-- x -->");
    for (const shown of readable) expect(diff).toContain(shown);
    for (const secret of secrets) expect(diff).not.toContain(secret);
  });

  it.each(SHAPES)("never shows a password %s as a context line", (_, password, secrets) => {
    const before = doc(`    <server><id>w</id>${password}</server>`);
    const after = before.replace("  </servers>", "    <server><id>new</id></server>\n  </servers>");
    const diff = maskedDiff("/h/.m2/settings.xml", before, after, [], { color: false });
    expect(diff).toContain("+    <server><id>new</id></server>");
    expect(diff).toContain("<server><id>w</id>");
    for (const secret of secrets) expect(diff).not.toContain(secret);
  });

  it("names a file in the current folder relative to it, and one elsewhere by its full path", () => {
    expect(patchName("/h/.m2/settings.xml", "/h")).toBe(".m2/settings.xml");
    expect(patchName("/h/.m2/settings.xml", "/h/project")).toBe("/h/.m2/settings.xml");
    expect(patchName("/h/.m2/settings.xml", undefined)).toBe("/h/.m2/settings.xml");
  });

  it("colours lines for a terminal, without the CR of CRLF lines", () => {
    const before = doc("    <server><id>a</id></server>", "\r\n");
    const diff = maskedDiff("/h/s.xml", before, before.replace("<id>a</id>", "<id>b</id>"), [], { color: true });
    expect(diff).toContain("\x1b[31m-    <server><id>a</id></server>\x1b[0m");
    expect(diff).toContain("\x1b[32m+    <server><id>b</id></server>\x1b[0m");
    expect(diff).not.toContain("\r");
  });
});

describe("maskedDiff as a patch", () => {
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), "anypoint-m2-patch-"));
    mkdirSync(join(dir, ".m2"));
    return { dir, file: join(dir, ".m2", "settings.xml") };
  };
  const patch = (dir: string, diff: string, ...flags: string[]) => execFileSync("patch", ["-p0", "--batch", ...flags], { cwd: dir, input: `${diff}\n`, encoding: "utf8" });
  const gitApply = (dir: string, diff: string) => execFileSync("git", ["apply", "-p0", "--check"], { cwd: dir, input: `${diff}\n`, encoding: "utf8" });

  it("creates a file that does not exist yet: --- /dev/null, @@ -0,0 +1,N @@", () => {
    const { dir, file } = folder();
    const after = doc("    <server><id>x</id><password>${env.P}</password></server>");
    const diff = maskedDiff(file, "", after, [], { color: false, cwd: dir });
    expect(diff.split("\n").slice(0, 3)).toEqual(["--- /dev/null", "+++ .m2/settings.xml", `@@ -0,0 +1,${lines(after) - 1} @@`]);
    gitApply(dir, diff);
    patch(dir, diff);
    expect(readFileSync(file, "utf8")).toBe(after);
  });

  it.each([["LF", "\n"], ["CRLF", "\r\n"]])("applies to a %s file as it is when no password is near the change", (_, eol) => {
    const { dir, file } = folder();
    const before = doc(["    <server>", "      <id>a</id>", "    </server>", "    <server>", "      <id>b</id>", "    </server>"].join(eol), eol);
    const after = before.replace(`    <server>${eol}      <id>a</id>${eol}    </server>${eol}`, "");
    writeFileSync(file, before);
    const diff = maskedDiff(file, before, after, [], { color: false, cwd: dir });
    expect(diff).toContain("-      <id>a</id>");
    gitApply(dir, diff);
    patch(dir, diff);
    expect(readFileSync(file, "utf8")).toBe(after);
  });

  it("applies to the file as the diff shows it: with its passwords masked", () => {
    const { dir, file } = folder();
    const before = doc(["    <server><id>a</id><password>kNear1</password></server>", "    <server><id>b</id><password>0123abcd~?~kNear2</password></server>"].join("\n"));
    const after = before.replace("kNear2", "kNear3");
    const diff = maskedDiff(file, before, after, [], { color: false, cwd: dir });
    writeFileSync(file, before);
    expect(() => patch(dir, diff, "--dry-run")).toThrow();
    writeFileSync(file, maskSecrets(before));
    gitApply(dir, diff);
    patch(dir, diff);
    expect(readFileSync(file, "utf8")).toBe(maskSecrets(after));
  });
});

describe("URLs with credentials", () => {
  it("lose their user:password@ in a preview, line for line", () => {
    const text = "<settings>\n  <mirrors>\n    <mirror>\n      <id>m</id>\n      <url>https://u:URLPASS-ww@repo.example/maven</url>\n      <mirrorOf>*</mirrorOf>\n    </mirror>\n  </mirrors>\n</settings>\n";
    const masked = maskSecrets(text);
    expect(masked).not.toContain("URLPASS");
    expect(masked).toContain("<url>https://***@repo.example/maven</url>");
    expect(masked.split("\n")).toHaveLength(text.split("\n").length);
  });
});

describe("a diff from the edits (many edits across a large file cost their own size)", () => {
  it("applies with patch and gives the text after, whatever the edits", () => {
    const words = ["<a>", "</a>", "x", "y", "  ", "\n", "\n", "\n", "z\n"];
    let checked = 0;
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 60 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.array(fc.constantFrom(...words), { maxLength: 4 })), { minLength: 1, maxLength: 6 }),
        (parts, raw) => {
          const before = parts.join("");
          const edits: Edit[] = [];
          let end = 0;
          for (const [offset, length, content] of raw.map(([a, l, c]) => [a % (before.length + 1), l, c.join("")] as const).sort((x, y) => x[0] - y[0])) {
            if (offset < end) continue;
            edits.push({ offset, length: Math.min(length, before.length - offset), content });
            end = offset + Math.min(length, before.length - offset);
          }
          const after = applyEdits(before, edits);
          if (after === before) return;
          checked++;
          expect(applyPatch(before, maskedDiff("f", before, after, [], { color: false }, edits))).toBe(after);
        },
      ),
      { numRuns: 2000, seed: 42 },
    );
    expect(checked).toBeGreaterThan(1500);
  });

  it("is jsdiff's diff for an update of two fields and for a server inserted", () => {
    const before = "<settings>\n  <servers>\n    <server>\n      <id>a</id>\n      <username>u</username>\n      <password>p</password>\n    </server>\n  </servers>\n</settings>\n";
    for (const edits of [
      [{ offset: before.indexOf(">u<") + 1, length: 1, content: "v" }, { offset: before.indexOf(">p<") + 1, length: 1, content: "q" }],
      [{ offset: before.indexOf("  </servers>"), length: 0, content: "    <server>\n      <id>b</id>\n    </server>\n" }],
    ]) {
      const after = applyEdits(before, edits);
      expect(maskedDiff("f", before, after, [], { color: false }, edits)).toBe(maskedDiff("f", before, after, [], { color: false }));
    }
  });
});
