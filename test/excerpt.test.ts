// What of an unexpected answer may be shown: its kind (from a named media type), its size and a registered
// OAuth error code; never its text, so no echo of a secret, in any encoding, can show. Generated secrets
// (any Unicode, any length), generated encodings of them and generated bodies.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeBody, OAUTH_ERRORS, printable, shownName } from "../src/anypoint/excerpt";
import { echoesOf, leaked } from "./helpers/echoes";

const CLIENT_ID = "0123456789abcdef0123456789abcdef";
const TYPES = ["text/html; charset=utf-8", "text/plain", "application/json", "application/problem+json", "application/xml", undefined, "text/x-unknown", "application/json; charset=0123456789abcdef-Secret"];
const KINDS = "an HTML page|a text/plain body|an application/json body|an application/problem\\+json body|an XML document|a body of no stated type|a body of another media type";
/** Every description there can be: nothing in it comes from the body's text but a registered code. */
const DESCRIPTION = new RegExp(`^(an empty body|(${KINDS})( that is not JSON)?, \\d+ (bytes?|KB)(, OAuth error (${[...OAUTH_ERRORS].join("|")}))?)$`);
const about = (body: string, type: string | undefined = "application/json") => describeBody(body, type, Buffer.byteLength(body));

describe("no body text is ever shown", () => {
  it("for any body, JSON or not, whatever its type: only its kind, its size and a registered OAuth error", () => {
    const jsonBody = fc.dictionary(fc.constantFrom("error", "error_description", "message", "code", "detail"), fc.oneof(fc.string({ unit: "grapheme" }), fc.constantFrom(...OAUTH_ERRORS), fc.integer())).map((o) => JSON.stringify(o));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "grapheme", maxLength: 300 }), jsonBody), fc.constantFrom(...TYPES), (body, type) => {
        expect(about(body, type)).toMatch(DESCRIPTION);
      }),
    );
  });

  it.each([
    ["<html><head><title>Proxy login</title></head><body>user corp:Pr0xy is not allowed</body></html>", "text/html", 2048, "an HTML page, 2 KB"],
    ["Service Unavailable: upstream connect error", "text/plain; charset=us-ascii", 43, "a text/plain body, 43 bytes"],
    ["<error>denied</error>", "application/xml", 21, "an XML document, 21 bytes"],
    ["{not json", "application/json", 9, "an application/json body that is not JSON, 9 bytes"],
    ['["invalid_client"]', "application/json", 18, "an application/json body, 18 bytes"],
    ['{"token_type":"bearer","scope":"none"}', "application/json", 38, "an application/json body, 38 bytes"],
    ['{"error":"invalid_client","error_description":"The client is unknown"}', "application/json", 70, "an application/json body, 70 bytes, OAuth error invalid_client"],
    ['{"error":"invalid_grant"}', "text/html", 25, "an HTML page, 25 bytes, OAuth error invalid_grant"],
    ['{"error":"not_found","message":"No such path"}', "application/json", 46, "an application/json body, 46 bytes"],
    ['{"error":"INVALID_CLIENT"}', "application/json", 26, "an application/json body, 26 bytes"],
    ['{"error":"invalid_client "}', "application/json", 27, "an application/json body, 27 bytes"],
    ["x", "text/html;charset=0123456789abcdef-Secret", 1, "an HTML page, 1 byte"],
    ["x", "text/0123456789abcdef-Secret", 1, "a body of another media type, 1 byte"],
    ["x", "text/\x1b[2Jevil", 1, "a body of another media type, 1 byte"],
    ["x", undefined, 1, "a body of no stated type, 1 byte"],
    [" \r\n", "text/plain", 3, "an empty body"],
  ])("%j (%s) is %j", (body, type, bytes, expected) => {
    expect(describeBody(body, type, bytes)).toBe(expected);
  });

  it("each registered OAuth error code of RFC 6749 §5.2 is named", () => {
    for (const code of ["invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope"]) {
      expect(about(JSON.stringify({ error: code }))).toMatch(new RegExp(`, OAuth error ${code}$`));
    }
  });
});

describe("no echo of a secret reaches a description", () => {
  it("in the body, in any field of a JSON error, or in the media type, for any secret and every encoding", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }), (secret) => {
        const echoes = echoesOf(CLIENT_ID, secret);
        expect(echoes.length).toBeGreaterThan(10);
        for (const { body, forms } of echoes) {
          const shown = [
            about(body, "text/html"),
            about(JSON.stringify({ error: "invalid_client", error_description: body, message: body })),
            about(JSON.stringify({ error: body })),
            describeBody("x", `text/${body}`, 1),
          ];
          for (const described of shown) expect(described).toMatch(DESCRIPTION);
          expect(leaked(shown.join("\n"), [secret, ...forms])).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("a name from the answer that proved the credentials", () => {
  it("is shown as printable text", () => {
    expect(shownName("ci-publisher", ["s3cret-Value"])).toBe("ci-publisher");
    expect(shownName("Bad\u001b[2J app\r\n", ["s3cret-Value"])).toBe("Bad [2J app");
  });

  it.each([
    ["holding a credential, in any case", "app S3CRET-VALUE"],
    ["longer than 120 characters", "a".repeat(121)],
    ["empty once printable", "\u001b\r\n"],
    ["not text", { name: "x" }],
  ])("is not shown when %s", (_, value) => {
    expect(shownName(value, ["s3cret-Value"])).toBeUndefined();
  });
});

describe("printable", () => {
  it("turns control and direction characters into single spaces", () => {
    expect(printable(" a\u001b[2J\u202eb\r\n\tc ")).toBe("a [2J b c");
  });
});
