// Property-based tests over generated settings documents: comments, CDATA, processing instructions,
// indentation styles, line endings and encodings, with generated secrets (any Unicode, XML specials).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { insertedBlock, removalRestores, removeBytes, upsertBytes } from "./helpers/engine";
import { oracleServers, validates } from "./helpers/oracle";

type Encoding = "utf-8" | "utf-8-bom" | "iso-8859-1" | "utf-16le" | "utf-16be";

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Characters for generated text; Latin-1 files get only what Latin-1 holds. */
const chars = (latin1: boolean) =>
  fc.constantFrom(...["a", "Z", "0", " ", "\t", "é", "ß", "&", "<", ">", '"', "'", "]", "-", "=", "/"].concat(latin1 ? ["ÿ", "£"] : ["漢", "😀", "Ω", "\u2028"]));

const text = (latin1: boolean, maxLength = 12) => fc.string({ unit: chars(latin1), maxLength });
/** Comment bodies may not hold "--" nor end with "-". */
const commentBody = (latin1: boolean) => text(latin1).map((s) => s.replace(/-/g, "_"));
const cdataBody = (latin1: boolean) => text(latin1).map((s) => s.replace(/]]>/g, "]] >"));

interface Shape {
  encoding: Encoding;
  eols: string[];
  unit: string;
  declaration: boolean;
  prolog: string[];
  serversKind: "absent" | "self-closing" | "empty" | "children";
  servers: { id: string; username?: string; password?: string; comment?: string; cdata: boolean }[];
  serversComment?: string;
  before: string[];
  after: string[];
  finalNewline: boolean;
}

const misc = (latin1: boolean) =>
  fc.oneof(
    commentBody(latin1).map((c) => `<!--${c}-->`),
    fc.constantFrom("<?tool keep=\"1\"?>", "<?pi?>"),
    text(latin1).map((t) => `<custom attr="${escape(t).replace(/"/g, "&quot;")}">${escape(t)}</custom>`),
    cdataBody(latin1).map((c) => `<note><![CDATA[${c}]]></note>`),
    fc.constant("<mirrors/>"),
  );

const shape: fc.Arbitrary<Shape> = fc
  .constantFrom<Encoding>("utf-8", "utf-8-bom", "iso-8859-1", "utf-16le", "utf-16be")
  .chain((encoding) => {
    const latin1 = encoding === "iso-8859-1";
    return fc.record({
      encoding: fc.constant(encoding),
      eols: fc.array(fc.constantFrom("\n", "\r\n", "\n", "\r\n", "\r"), { minLength: 1, maxLength: 4 }),
      unit: fc.constantFrom("  ", "    ", "\t", "", " \t"),
      declaration: fc.boolean(),
      prolog: fc.array(fc.oneof(commentBody(latin1).map((c) => `<!--${c}-->`), fc.constant("<?pi x?>")), { maxLength: 2 }),
      serversKind: fc.constantFrom("absent", "self-closing", "empty", "children", "children"),
      servers: fc.array(
        fc.record({
          id: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/),
          username: fc.option(text(latin1), { nil: undefined }),
          password: fc.option(text(latin1), { nil: undefined }),
          comment: fc.option(commentBody(latin1), { nil: undefined }),
          cdata: fc.boolean(),
        }),
        { maxLength: 4 },
      ),
      serversComment: fc.option(commentBody(latin1), { nil: undefined }),
      before: fc.array(misc(latin1), { maxLength: 3 }),
      after: fc.array(misc(latin1), { maxLength: 3 }),
      finalNewline: fc.boolean(),
    });
  })
  // One <mirrors> at most: Maven stops at a second (and so the file is refused).
  .map((s) => {
    let mirrors = 0;
    const once = (m: string) => m !== "<mirrors/>" || mirrors++ === 0;
    return { ...s, before: s.before.filter(once), after: s.after.filter(once) };
  });

function render(s: Shape): { bytes: Buffer; ids: Set<string> } {
  let line = 0;
  const eol = () => s.eols[line++ % s.eols.length]!;
  const i1 = s.unit;
  const i2 = s.unit.repeat(2);
  const i3 = s.unit.repeat(3);
  const encName = { "utf-8": "UTF-8", "utf-8-bom": "UTF-8", "iso-8859-1": "ISO-8859-1", "utf-16le": "UTF-16", "utf-16be": "UTF-16" }[s.encoding];
  let out = s.declaration || s.encoding === "iso-8859-1" ? `<?xml version="1.0" encoding="${encName}"?>${eol()}` : "";
  for (const p of s.prolog) out += p + eol();
  out += `<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">${eol()}`;
  for (const m of s.before) out += i1 + m + eol();
  if (s.serversKind === "self-closing") out += `${i1}<servers/>${eol()}`;
  if (s.serversKind === "empty") out += `${i1}<servers>${eol()}${i1}</servers>${eol()}`;
  if (s.serversKind === "children") {
    out += `${i1}<servers>${eol()}`;
    const seen = new Set<string>();
    for (const server of s.servers) {
      if (seen.has(server.id)) continue;
      seen.add(server.id);
      out += `${i2}<server>${eol()}`;
      if (server.comment !== undefined) out += `${i3}<!--${server.comment}-->${eol()}`;
      out += `${i3}<id>${server.id}</id>${eol()}`;
      if (server.username !== undefined) out += `${i3}<username>${escape(server.username)}</username>${eol()}`;
      if (server.password !== undefined) {
        const value = server.cdata ? `<![CDATA[${server.password.replace(/]]>/g, "")}]]>` : escape(server.password);
        out += `${i3}<password>${value}</password>${eol()}`;
      }
      out += `${i2}</server>${eol()}`;
    }
    if (s.serversComment !== undefined) out += `${i2}<!--${s.serversComment}-->${eol()}`;
    out += `${i1}</servers>${eol()}`;
  }
  for (const m of s.after) out += i1 + m + eol();
  out += "</settings>";
  if (s.finalNewline) out += eol();
  const bytes =
    s.encoding === "utf-8" ? Buffer.from(out, "utf8")
    : s.encoding === "utf-8-bom" ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(out, "utf8")])
    : s.encoding === "iso-8859-1" ? Buffer.from(out, "latin1")
    : s.encoding === "utf-16le" ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(out, "utf16le")])
    : Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(out, "utf16le").swap16()]);
  return { bytes, ids: new Set(s.servers.map((x) => x.id)) };
}

/** Decodes independently of the engine's codec. */
function decode(bytes: Buffer, encoding: Encoding): string {
  if (encoding === "iso-8859-1") return bytes.toString("latin1");
  if (encoding === "utf-16le") return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (encoding === "utf-16be") return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  return new TextDecoder("utf-8").decode(encoding === "utf-8-bom" ? bytes.subarray(3) : bytes);
}

/**
 * Secrets: any Unicode XML can hold, XML specials included; none of what Maven would not give back
 * (test/values.test.ts): surrounding whitespace (trimmed), CR (read as LF), ${...} (interpolated).
 */
const secret = fc
  .string({ unit: fc.oneof(fc.constantFrom("&", "<", ">", '"', "'", "]]>", "\n", "~?~"), fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 })), minLength: 1, maxLength: 24 })
  .map((s) => s.replace(/[^\t\n\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "x").replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "").replace(/\$\{/g, "$"))
  .filter((s) => s.length > 0);

const NEW_ID = "anypoint-m2-generated";
const runs = { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) };

describe("generated settings documents", () => {
  it("insertion keeps every other byte and Maven-style readers find exactly the new server", () => {
    fc.assert(
      fc.property(shape, secret, (s, password) => {
        const { bytes } = render(s);
        const server = { id: NEW_ID, username: "~~~Client~~~", password };
        const result = upsertBytes(bytes, server);
        expect(result.change).toBe("added");
        const block = insertedBlock(bytes, result.bytes);
        if (s.serversKind === "children" || s.serversKind === "empty") expect(block).toBeDefined();
        const after = decode(Buffer.from(result.bytes), s.encoding);
        expect(validates(after)).toBe(true);
        const found = oracleServers(after).filter((x) => x.id === NEW_ID);
        expect(found).toEqual([{ id: NEW_ID, username: "~~~Client~~~", password }]);
        expect(oracleServers(after).length).toBe(oracleServers(decode(bytes, s.encoding)).length + 1);
      }),
      runs,
    );
  });

  it("running twice changes nothing", () => {
    fc.assert(
      fc.property(shape, secret, (s, password) => {
        const server = { id: NEW_ID, username: "~~~Client~~~", password };
        const once = upsertBytes(render(s).bytes, server);
        const twice = upsertBytes(once.bytes, server);
        expect(twice.change).toBe("unchanged");
        expect(Buffer.compare(twice.bytes, once.bytes)).toBe(0);
      }),
      runs,
    );
  });

  it("add then remove restores the original bytes", () => {
    fc.assert(
      fc.property(shape, secret, (s, password) => {
        const { bytes } = render(s);
        const added = upsertBytes(bytes, { id: NEW_ID, username: "~~~Client~~~", password });
        if (s.serversKind === "children" || s.serversKind === "empty") {
          expect(Buffer.from(removeBytes(added.bytes, NEW_ID).bytes).equals(bytes)).toBe(true);
        } else {
          // <servers> was created or opened up: an empty one may remain, nothing else.
          expect(removalRestores(bytes, added.bytes, NEW_ID)).toBe(true);
        }
      }),
      runs,
    );
  });

  it("updating an existing server changes only its username and password text", () => {
    fc.assert(
      fc.property(
        shape.map((s): Shape => ({ ...s, serversKind: "children" })).filter((s) => s.servers.length > 0),
        secret,
        (s, password) => {
          const { bytes } = render(s);
          const first = s.servers[0]!;
          const result = upsertBytes(bytes, { id: first.id, username: "~~~Client~~~", password });
          // Generated usernames never hold '~', so the username always changes.
          expect(result.change).toBe("updated");
          const before = decode(bytes, s.encoding);
          const after = decode(Buffer.from(result.bytes), s.encoding);
          // Read as Maven would: the first server has the new credentials, every other value is as it was.
          const [old, ...others] = oracleServers(before);
          expect(oracleServers(after)).toEqual([{ ...old, username: "~~~Client~~~", password }, ...others]);
          // Character for character: outside the first server's <username> and <password> text, nothing
          // changed; where one was missing, the added element (on its own line) is all that is new.
          const missing = (["username", "password"] as const).filter((name) => first[name] === undefined);
          expect(withoutCredentials(after, missing)).toBe(withoutCredentials(before, missing));
        },
      ),
      runs,
    );
  });
});

/**
 * `text` with the first server's <username> and <password> emptied, and the `missing` ones (which the
 * engine adds) taken out together with the line break and indentation before them.
 */
function withoutCredentials(text: string, missing: readonly string[]): string {
  const start = text.indexOf("<server>");
  const end = text.indexOf("</server>", start);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  let server = text.slice(start, end);
  for (const name of ["username", "password"]) {
    const element = `<${name}>(?:<!\\[CDATA\\[[\\s\\S]*?\\]\\]>|[^<])*</${name}>`;
    server = missing.includes(name)
      ? server.replace(new RegExp(`(?:\\r\\n|\\r|\\n)?[ \\t]*${element}`), "")
      : server.replace(new RegExp(element), `<${name}></${name}>`);
  }
  return text.slice(0, start) + server + text.slice(end);
}
