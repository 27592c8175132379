// What of a response body may be shown: an excerpt, unless the body echoes the secret in any encoding or
// holds a token. Generated secrets (any Unicode, any length) and generated encodings of them.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bodyExcerpt, printable } from "../src/anypoint/excerpt";
import { echoesOf } from "./helpers/echoes";

const CLIENT_ID = "0123456789abcdef0123456789abcdef";
const withheld = (excerpt: string) => excerpt.startsWith("body withheld");

describe("a body that echoes the secret is withheld", () => {
  it("for every encoding of any secret", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }), (secret) => {
        const echoes = echoesOf(CLIENT_ID, secret);
        expect(echoes.length).toBeGreaterThan(10);
        for (const { name, body } of echoes) expect(withheld(bodyExcerpt(body, [secret])), name).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("in base64 anywhere in a longer stream, at every offset", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 8, maxLength: 40 }), fc.uint8Array({ maxLength: 10 }), fc.uint8Array({ maxLength: 10 }), (secret, before, after) => {
        const body = Buffer.concat([before, Buffer.from(secret, "utf8"), after]).toString("base64");
        expect(withheld(bodyExcerpt(`{"blob":"${body}"}`, [secret]))).toBe(true);
      }),
    );
  });

  it("percent-encoded inside JSON inside HTML (encoded three times)", () => {
    const secret = "Zx9-Üb&<q7\"LmN0";
    const body = `<p>${JSON.stringify({ form: `client_secret=${encodeURIComponent(secret)}` }).replace(/"/g, "&quot;")}</p>`;
    expect(bodyExcerpt(body, [secret])).toBe("body withheld: it echoes the credentials");
  });

  it.each([
    ["upper-cased, where a letter becomes two", "Straße-Geheimnis-42", (s: string) => s.toUpperCase()],
    ["decomposed (NFD)", "café-Sécret-0042", (s: string) => s.normalize("NFD")],
    ["composed (NFC) from a decomposed secret", "cafe\u0301-Se\u0301cret-0042", (s: string) => s.normalize("NFC")],
    ["full-width", "Secret-Value-42", (s: string) => s.normalize("NFKC").replace(/[A-Za-z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))],
  ])("%s", (_, secret, change) => {
    expect(change(secret)).not.toContain(secret);
    expect(bodyExcerpt(`<p>${change(secret)}</p>`, [secret])).toBe("body withheld: it echoes the credentials");
  });

  it("in hexadecimal", () => {
    const secret = "c0ffee-Secret-Value";
    expect(bodyExcerpt(`digest=${Buffer.from(secret).toString("hex").toUpperCase()}`, [secret])).toBe("body withheld: it echoes the credentials");
  });

  it("whenever the secret is too short to look for (fewer than 8 letters and digits)", () => {
    expect(bodyExcerpt("<html>Service Unavailable</html>", ["ab!?-€€€€€€€€€€"])).toBe("body withheld: it echoes the credentials");
  });
});

describe("any other body gets an excerpt", () => {
  const secrets = fc.stringMatching(/^[0-9a-f]{32}$/);
  const pages = [
    "<html><head><title>Proxy login</title></head><body><form action=/login>User <input name=u></form></body></html>",
    '{"error":"invalid_token","error_description":"The access was denied (invalid_token)"}',
    "Service Unavailable: upstream connect error or disconnect/reset before headers. reset reason: connection failure",
    "<!DOCTYPE html><html lang=en><meta charset=utf-8><title>404 Not Found</title><h1>Not Found</h1>&copy; 2024 &amp; Co",
  ];

  it.each(pages)("%s", (page) => {
    fc.assert(
      fc.property(secrets, (secret) => {
        expect(bodyExcerpt(page, [secret])).toBe(printable(page).slice(0, 120));
      }),
    );
  });

  it("says when the body is empty", () => {
    expect(bodyExcerpt(" \r\n", ["0123456789abcdef"])).toBe("empty body");
  });
});

describe("a body with a token is withheld", () => {
  it.each([
    ['{"access_token":"short"}', "an access_token"],
    ['{"refresh_token":"r"}', "a refresh_token"],
    ["id-token: x", "an id-token"],
    ["eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhcHAifQ.c2ln", "a JWT"],
    ["access&#95;token=1", "an HTML-escaped access_token"],
  ])("%s (%s)", (body) => {
    expect(bodyExcerpt(body, ["0123456789abcdef"])).toBe("body withheld: it holds a token");
  });
});
