// Scanner errors never quote what an element named like a credential holds, nor a long or odd name anywhere:
// they say what kind of problem it is, and where.
import { describe, expect, it } from "vitest";
import { lineColumn, M2Error } from "../src/errors";
import { scanXml } from "../src/xml/scan";

/** A settings file with `inner` inside its one server. */
const inServer = (inner: string): string => `<settings>\n  <servers>\n    <server><id>x</id>${inner}</server>\n  </servers>\n</settings>\n`;

function scanError(text: string): M2Error {
  try {
    scanXml(text);
  } catch (error) {
    if (error instanceof M2Error) return error;
    throw error;
  }
  throw new Error("the text scanned");
}

/** A broken credential; the pieces of it no message may show; the message; where it points (the first occurrence of this). */
const IN_CREDENTIALS: [string, string, string[], string, string][] = [
  ["a '<' in a password", inServer("<password>kA1<kB2<kC3</password>"), ["kA1", "kB2", "kC3"], "malformed start tag inside <password>: expected whitespace, '>' or '/>'", "<kC3"],
  ["a tag in a password", inServer("<password><kTop1></password>"), ["kTop1"], "expected the end tag of the element (opened at line 3, column 33) inside <password> but found another end tag", "</password>"],
  ["a stray end tag in a password", inServer("<password>kA2</kEnd2></password>"), ["kA2", "kEnd2"], "expected </password> (opened at line 3, column 23) but found another end tag", "</kEnd2>"],
  ["a tag in a password left open", "<settings><servers><server><password><kOpen3>", ["kOpen3"], "an element inside <password> is never closed", "<kOpen3>"],
  ["a password cut off in a tag", "<settings><servers><server><password>kA4<kEof4", ["kA4", "kEof4"], "start tag inside <password> is never closed", "<kEof4"],
  ["an attribute without quotes in a password", inServer("<password>kA5<kTag5 b=c></password>"), ["kA5", "kTag5"], "malformed attribute in a start tag inside <password> (values need quotes and may not contain '<')", "b=c"],
  ["a repeated attribute in a password", inServer("<password>kA6<kTag6 b='1' b='2'/></password>"), ["kA6", "kTag6"], "an attribute appears twice in a start tag inside <password>", "b='2'"],
  ["a NUL reference in a password", inServer("<password>kA7&#0;</password>"), ["kA7", "&#0;"], "a character reference inside <password> names a character XML does not allow", "&#0;"],
  ["a control character in a password", inServer("<password>kA8\u0001kB8</password>"), ["kA8", "kB8", "U+0001"], "a character XML does not allow inside <password>", "\u0001"],
  ["a control character in a password in a comment", "<settings><!-- <password>kA9\u0001</password> --></settings>", ["kA9", "U+0001"], "a character XML does not allow inside <password>", "\u0001"],
  ["an xml-named instruction in a password", inServer("<password>kA10<?xml-kPi10 x?></password>"), ["kA10", "kPi10"], "Maven cannot read this processing instruction inside <password>: its parser takes any processing instruction whose name starts with \"xml\" for an XML declaration", "<?xml-"],
  ["a '<' in a gpg.passphrase property", "<settings><profiles><profile><properties><gpg.passphrase>kA11<kB11</gpg.passphrase></properties></profile></profiles></settings>", ["kA11", "kB11"], "malformed start tag inside <gpg.passphrase>: expected whitespace, '>' or '/>'", "</gpg.passphrase>"],
  ["a '<' in a header value", inServer("<configuration><httpHeaders><property><name>Private-Token</name><value>kA12<kB12</value></property></httpHeaders></configuration>"), ["kA12", "kB12"], "malformed start tag inside <value>: expected whitespace, '>' or '/>'", "</value>"],
];

describe("scanner errors inside a credential", () => {
  it.each(IN_CREDENTIALS)("%s: says what and where, quoting none of it", (_, text, secrets, message, at) => {
    const error = scanError(text);
    expect(error.exitCode).toBe(5);
    expect(error.message).toBe(message);
    expect(text.indexOf(at)).toBeGreaterThan(0);
    expect(error.details).toMatchObject(lineColumn(text, text.indexOf(at)));
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(`${error.message} ${error.details.hint ?? ""}`).not.toContain(secret);
  });
});

describe("scanner errors quote only short, plain names", () => {
  const long = `kLong${"x".repeat(200)}`;
  it.each([
    ["a long start tag name", `<settings><${long} <a></settings>`, `malformed attribute in a start tag (values need quotes and may not contain '<')`],
    ["a long end tag name", `<settings></${long}></settings>`, "expected </settings> (opened at line 1, column 1) but found another end tag"],
    ["a long name never closed", `<settings><${long}>`, "an element is never closed"],
    ["a long second root", `<settings/><${long}/>`, "a second root element (a file has exactly one, here <settings>)"],
    ["a long processing instruction", `<settings><?xml-${long} a?></settings>`, "Maven cannot read this processing instruction: its parser takes any processing instruction whose name starts with \"xml\" for an XML declaration"],
  ])("%s is not quoted", (_, text, message) => {
    const error = scanError(text);
    expect(error.message).toBe(message);
    expect(error.message).not.toContain("kLong");
  });

  it.each([
    ["a mismatched end tag", "<settings><servers></server></settings>", "expected </servers> (opened at line 1, column 11) but found </server>"],
    ["an unquoted attribute", "<settings a=b></settings>", "malformed attribute in <settings> (values need quotes and may not contain '<')"],
    ["a control character", "<settings>\u0001</settings>", "character U+0001 is not allowed in XML"],
    ["a NUL reference", "<settings>&#0;</settings>", "character reference &#0; names a character XML does not allow"],
  ])("%s outside credentials still names what it is", (_, text, message) => {
    expect(scanError(text).message).toBe(message);
  });
});
