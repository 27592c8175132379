// What of an unexpected answer may be shown: never a body's text; a JSON error's short fields, each withheld
// when it may hold a credential (any 8-character run of one, in any encoding known) or a token. Generated
// secrets (any Unicode, any length) and generated encodings of them.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeBody, holdsCredentials, printable, shownValue } from "../src/anypoint/excerpt";
import { echoesOf, leaked } from "./helpers/echoes";

const CLIENT_ID = "0123456789abcdef0123456789abcdef";
const HEX_SECRET = fc.stringMatching(/^[0-9a-f]{32}$/);
const json = (value: unknown) => {
  const text = JSON.stringify(value);
  return describeBody(text, "application/json", Buffer.byteLength(text), ["0123456789abcdef-Secret"]);
};

describe("no body text is ever shown", () => {
  it("for any body that is not a JSON object, whatever its type: only its kind and size", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 1, maxLength: 300 }), fc.constantFrom("text/html; charset=utf-8", "text/plain", undefined), HEX_SECRET, (body, type, secret) => {
        fc.pre(body.trim() !== "" && !/^\s*[{[\d"-]|^\s*(true|false|null)\s*$/.test(body));
        const described = describeBody(body, type, Buffer.byteLength(body), [secret]);
        expect(described).toMatch(/^(an HTML page|a text\/plain body|a body of no stated type), \d+ bytes?$/);
      }),
    );
  });

  it.each([
    ["<html><head><title>Proxy login</title></head><body>user corp:Pr0xy is not allowed</body></html>", "text/html", 2048, "an HTML page, 2 KB"],
    ["Service Unavailable: upstream connect error", "text/plain; charset=us-ascii", 43, "a text/plain body, 43 bytes"],
    ["<error>denied</error>", "application/xml", 21, "an XML document, 21 bytes"],
    ["{not json", "application/json", 9, "an application/json body that is not JSON, 9 bytes"],
    ['["invalid_client"]', "application/json", 18, "JSON that is not an object, 18 bytes"],
    ['{"token_type":"bearer","scope":"none"}', "application/json", 38, "JSON without error, error_description, message or code, 38 bytes"],
    ["x", "text/html;charset=0123456789abcdef-Secret", 1, "an HTML page, 1 byte"],
    ["x", "text/0123456789abcdef-Secret", 1, "a body of no stated type, 1 byte"],
    ["x", "text/\x1b[2Jevil", 1, "a body of no stated type, 1 byte"],
    [" \r\n", "text/plain", 3, "an empty body"],
  ])("%j (%s) is %j", (body, type, bytes, expected) => {
    expect(describeBody(body, type, bytes, ["0123456789abcdef-Secret"])).toBe(expected);
  });
});

describe("a JSON error shows its short fields", () => {
  it("error, error_description, message and code, in that order, and nothing else", () => {
    expect(json({ detail: "kept out", code: 401, message: "Bad\u001b[2J gateway\r\n", error_description: "The access was denied", error: "invalid_token" })).toBe(
      'JSON with error "invalid_token", error_description "The access was denied", message "Bad [2J gateway", code "401"',
    );
  });

  it("cut to 120 characters; a field longer than 1000 or not text is withheld", () => {
    expect(json({ message: "a".repeat(200) })).toBe(`JSON with message "${"a".repeat(120)}…"`);
    expect(json({ message: "a".repeat(1001), error: { nested: "x" } })).toBe(
      "JSON with error withheld (not short text, or it may hold a credential), message withheld (not short text, or it may hold a credential)",
    );
  });

  it("withholds a field that looks like a token", () => {
    expect(json({ error: "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhcHAifQ.c2ln" })).toContain("error withheld");
    expect(json({ message: "here is your access_token" })).toContain("message withheld");
  });
});

describe("a field that holds any 8-character run of a credential is withheld", () => {
  it("for every encoding a decoder undoes, of any secret", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }), (secret) => {
        const echoes = echoesOf(CLIENT_ID, secret);
        const decodable = echoes.filter((echo) => !echo.opaque);
        expect(decodable.length).toBeGreaterThan(10);
        for (const { name, body } of decodable) expect(holdsCredentials(body, [secret]), name).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ["its first 8 characters", (s: string) => `user ${s.slice(0, 8)}… not allowed`],
    ["its last 8 characters", (s: string) => `…${s.slice(-8)}`],
    ["split by markup", (s: string) => `${s.slice(0, 8)}</b><b>${s.slice(8)}`],
    ["reversed", (s: string) => [...s].reverse().join("")],
    ["base64 of UTF-16LE", (s: string) => Buffer.from(s, "utf16le").toString("base64")],
    ["base64 of UTF-16BE", (s: string) => Buffer.from(s, "utf16le").swap16().toString("base64")],
    ["base64 of 7 bytes of it, after a prefix", (s: string) => Buffer.from(`u:${s.slice(3, 10)}`).toString("base64")],
    ["hex of 8 characters of it", (s: string) => Buffer.from(s.slice(5, 13)).toString("hex")],
  ])("%s", (_, form) => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{16,40}$/), (secret) => {
        expect(shownValue(form(secret), [secret])).toBeUndefined();
        expect(shownValue("The client is unknown", [secret])).toBe("The client is unknown");
      }),
    );
  });

  it("base32, in either case", () => {
    const secret = "Base32-Secret-Value-0042";
    const encoded = "IJQXGZJTGIWVGZLDOJSXILKWMFWHKZJNGAYDIMQ"; // base32 of the secret, checked with `base32` (coreutils)
    expect(shownValue(encoded, [secret])).toBeUndefined();
    expect(shownValue(encoded.toLowerCase(), [secret])).toBeUndefined();
  });

  it("of any credential given, the proxy's password included", () => {
    const text = "user corpuser:Pr0xyPassw0rd is not allowed";
    expect(shownValue(text, ["client-secret-0042"])).toBe(text);
    expect(shownValue(text, ["client-secret-0042", "Pr0xyPassw0rd"])).toBeUndefined();
    expect(shownValue(`Basic ${Buffer.from("corpuser:Pr0xyPassw0rd").toString("base64")}`, ["client-secret-0042", "Pr0xyPassw0rd"])).toBeUndefined();
  });

  it("always, when a credential has fewer than 8 letters and digits (it cannot be told from chance text)", () => {
    expect(shownValue("Service Unavailable", ["ab!?-€€€€€€€€€€"])).toBeUndefined();
  });

  it("and no generated echo reaches a description", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }), (secret) => {
        for (const { body, forms } of echoesOf(CLIENT_ID, secret)) {
          const text = JSON.stringify({ error: "invalid_client", error_description: body });
          const described = describeBody(text, "application/json", text.length, [secret]);
          expect(described).toMatch(/^JSON with error /);
          expect(leaked(described, [secret, ...forms])).toEqual([]);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("printable", () => {
  it("turns control and direction characters into single spaces", () => {
    expect(printable(" a\u001b[2J\u202eb\r\n\tc ")).toBe("a [2J b c");
  });
});
