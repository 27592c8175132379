// Response bodies that echo a client secret back, each in a way a server or proxy might encode it. The
// credential check must show none of them, in any form.

export interface Echo {
  name: string;
  /** What the server answers. */
  body: string;
  /** The secret's representations in that body: none may appear in any output. */
  forms: string[];
  /** No decoder restores the secret from it (cut short, split, reversed, ...): only not showing the text helps. */
  opaque?: true;
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const b64url = (s: string) => Buffer.from(s, "utf8").toString("base64url");
const jsonEscaped = (s: string) => JSON.stringify(s).slice(1, -1).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
const jsonEveryChar = (s: string) => [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
const htmlNamed = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/ü/g, "&uuml;");
const htmlNumeric = (s: string) => [...s].map((c, i) => (i % 2 ? `&#${c.codePointAt(0)};` : `&#x${c.codePointAt(0)!.toString(16)};`)).join("");

/** RFC 4648 base32, padded. */
function base32(bytes: Buffer): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const bits = [...bytes].map((b) => b.toString(2).padStart(8, "0")).join("");
  const text = (bits.match(/.{1,5}/g) ?? []).map((group) => alphabet[Number.parseInt(group.padEnd(5, "0"), 2)]).join("");
  return text.padEnd(Math.ceil(text.length / 8) * 8, "=");
}

/** The secret should hold a '"', a 'ü', '&', '<', '>' and an inner space, so that every encoding differs from it. */
export function echoesOf(clientId: string, secret: string): Echo[] {
  const half = Math.floor(secret.length / 2);
  const wrapped = `${secret.slice(0, half)}\n        ${secret.slice(half)}`;
  const spaced = [...secret].join(" ");
  const base64At = (prefix: string) => b64(`${prefix}${secret}`);
  const basic = b64(`${clientId}:${secret}`);
  const wrappedBase64 = base64At("x").replace(/.{8}/g, "$&\r\n");
  const cut = [...secret].slice(0, -2).join("");
  const reversed = [...secret].reverse().join("");
  const utf16le = Buffer.from(secret, "utf16le").toString("base64");
  const utf16be = Buffer.from(secret, "utf16le").swap16().toString("base64");
  return [
    { name: "as it is, in an HTML page", body: `<html><body>Invalid secret ${secret}</body></html>`, forms: [secret] },
    { name: "JSON-escaped", body: `{"error":"invalid_client","echo":"${jsonEscaped(secret)}"}`, forms: [jsonEscaped(secret)] },
    { name: "JSON-escaped, every character", body: `{"echo":"${jsonEveryChar(secret)}"}`, forms: [jsonEveryChar(secret)] },
    { name: "HTML-escaped with named entities", body: `<p>secret: ${htmlNamed(secret)}</p>`, forms: [htmlNamed(secret)] },
    { name: "HTML-escaped with numeric entities", body: `<p>${htmlNumeric(secret)}</p>`, forms: [htmlNumeric(secret)] },
    { name: "percent-encoded (the form, echoed)", body: `client_secret=${encodeURIComponent(secret)}&grant_type=client_credentials`, forms: [encodeURIComponent(secret)] },
    { name: "base64", body: `{"trace":"${base64At("")}"}`, forms: [base64At("")] },
    { name: "base64 after one byte", body: `{"trace":"${base64At("x")}"}`, forms: [base64At("x")] },
    { name: "base64 after two bytes", body: `{"trace":"${base64At("xy")}"}`, forms: [base64At("xy")] },
    { name: "base64 of client-id:secret (Basic)", body: `<pre>Authorization: Basic ${basic}</pre>`, forms: [basic] },
    { name: "base64url", body: `{"state":"${b64url(secret)}"}`, forms: [b64url(secret)] },
    { name: "base64, line-wrapped", body: `-----\r\n${wrappedBase64}\r\n-----`, forms: [wrappedBase64, base64At("x")] },
    { name: "with its whitespace changed", body: `<html>\n  <b>${wrapped}</b>\n</html>`, forms: [wrapped] },
    { name: "spaced out", body: `secret: ${spaced}`, forms: [spaced] },
    { name: "upper-cased", body: `SECRET: ${secret.toUpperCase()}`, forms: [secret.toUpperCase()] },
    { name: "JSON-escaped HTML", body: JSON.stringify({ html: `<p>${htmlNamed(secret)}</p>` }), forms: [htmlNamed(secret), JSON.stringify(htmlNamed(secret)).slice(1, -1)] },
    // Forms no decoder undoes: only never showing a body's text keeps them out of sight.
    { name: "without its last 2 characters", body: `<p>Invalid secret ${cut}…</p>`, forms: [cut], opaque: true },
    { name: "split by markup", body: `<p><b>${secret.slice(0, half)}</b><b>${secret.slice(half)}</b></p>`, forms: [secret.slice(0, half), secret.slice(half)], opaque: true },
    { name: "reversed", body: `<p>${reversed}</p>`, forms: [reversed], opaque: true },
    { name: "base64 of UTF-16LE", body: `<p>${utf16le}</p>`, forms: [utf16le], opaque: true },
    { name: "base64 of UTF-16BE", body: `<p>${utf16be}</p>`, forms: [utf16be], opaque: true },
    { name: "base32", body: `<p>${base32(Buffer.from(secret, "utf8"))}</p>`, forms: [base32(Buffer.from(secret, "utf8"))], opaque: true },
  ];
}

/** The 10-character stretches of any form that occur in the text: an excerpt cut short leaks those too. */
export function leaked(text: string, forms: string[]): string[] {
  const found = new Set<string>();
  for (const form of forms) {
    for (let i = 0; i + 10 <= form.length; i++) if (text.includes(form.slice(i, i + 10))) found.add(form.slice(i, i + 10));
  }
  return [...found];
}
