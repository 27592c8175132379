// Traits of real settings files, each recognised by content. The engine fixtures must have every trait
// (test/engine.test.ts), so that the project's own files cover what the corpus has without the corpus;
// with the corpus, each trait SOURCES.md counts is mapped to one of these and checked against the corpus
// files (test/corpus.test.ts), so that a recogniser cannot silently match nothing.

/** A settings file to classify: its bytes and its text, decoded independently of the engine. */
export interface Sample {
  bytes: Uint8Array;
  text: string;
}

export interface Trait {
  name: string;
  /** Whether fixtures need this trait in a file the engine edits ("edit") or one it refuses ("refuse"). */
  kind: "edit" | "refuse";
  has: (s: Sample) => boolean;
}

/** Decodes by BOM, else by the declared encoding, else UTF-8; Latin-1 when that fails. */
export function sample(bytes: Uint8Array): Sample {
  const b = Buffer.from(bytes);
  const bom = b[0] === 0xff && b[1] === 0xfe ? "utf-16le" : b[0] === 0xfe && b[1] === 0xff ? "utf-16be" : b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? "utf-8" : undefined;
  const declared = /^[^>]*encoding=["']([A-Za-z0-9._-]+)["']/.exec(b.subarray(0, 200).toString("latin1"))?.[1];
  try {
    return { bytes, text: new TextDecoder(bom ?? declared ?? "utf-8", { fatal: true, ignoreBOM: false }).decode(b) };
  } catch {
    return { bytes, text: b.toString("latin1") };
  }
}

/** The text with every comment emptied (its line breaks kept, so line structure stays). */
const uncommented = (t: string) => t.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\r\n]/g, ""));
const count = (t: string, re: RegExp) => (t.match(re) ?? []).length;
const settingsTag = (t: string) => /<settings(?=[\s>/])[^>]*>/.exec(uncommented(t))?.[0] ?? "";
const namespace = (version: string) => (s: Sample) => settingsTag(s.text).includes(`xmlns="http://maven.apache.org/SETTINGS/${version}"`);

/** Comments replaced by U+0001, so that a pattern can tell a real element from one inside a comment. */
const marked = (t: string) => t.replace(/<!--[\s\S]*?-->/g, "\u0001");
/** The name of the first element, comments and processing instructions left out. */
const rootName = (t: string) => /<([A-Za-z][^\s>/]*)/.exec(uncommented(t).replace(/<\?[\s\S]*?\?>/g, ""))?.[1];

/** How the lines are indented: the leading whitespace of every line that is not blank, comments included. */
const indentStyle = (t: string): "none" | "spaces" | "tabs" | "mixed" => {
  const used = t.split(/\r\n|\r|\n/).filter((l) => l.trim() !== "").map((l) => /^[ \t]*/.exec(l)![0]).filter((i) => i !== "");
  const tabs = used.some((i) => i.includes("\t"));
  const spaces = used.some((i) => i.includes(" "));
  return tabs && spaces ? "mixed" : tabs ? "tabs" : spaces ? "spaces" : "none";
};

const edit = (name: string, has: (s: Sample) => boolean): Trait => ({ name, kind: "edit", has });
const refuse = (name: string, has: (s: Sample) => boolean): Trait => ({ name, kind: "refuse", has });
const text = (re: RegExp) => (s: Sample) => re.test(s.text);
const element = (re: RegExp) => (s: Sample) => re.test(uncommented(s.text));

export const TRAITS: Trait[] = [
  // The traits SOURCES.md counts.
  edit("XML declaration", text(/^\uFEFF?<\?xml\s/)),
  refuse("XML declaration not at start", text(/^\uFEFF?\s+<\?xml\s/)),
  edit("no XML declaration", (s) => !/^\uFEFF?\s*<\?xml\s/.test(s.text)),
  edit("namespace 1.0.0", namespace("1.0.0")),
  edit("namespace 1.1.0", namespace("1.1.0")),
  edit("namespace 1.2.0", namespace("1.2.0")),
  edit("no namespace", (s) => !settingsTag(s.text).includes("xmlns=")),
  edit("comments", text(/<!--/)),
  edit("default Maven template", text(/This is the configuration file for Maven/)),
  edit("<servers> with servers", element(/<servers>[\s\S]*?<server[\s>]/)),
  edit("<servers> empty or whitespace only", (s) => /<servers>\s*<\/servers>/.test(marked(s.text))),
  edit("<servers> holding only comments", (s) => /<servers>[\s\u0001]*\u0001[\s\u0001]*<\/servers>/.test(marked(s.text))),
  edit("<servers/>", element(/<servers\s*\/>/)),
  edit("<servers> absent", (s) => settingsTag(s.text) !== "" && !/<servers[\s>/]/.test(uncommented(s.text))),
  refuse("<servers> unclosed", (s) => count(uncommented(s.text), /<servers>/g) > count(uncommented(s.text), /<\/servers>/g)),
  edit("<mirror> entries", element(/<mirror>/)),
  edit("<mirrors/>", element(/<mirrors\s*\/>/)),
  edit("<proxy> entries", element(/<proxy>/)),
  edit("profiles with repositories", element(/<profile>(?:(?!<\/profile>)[\s\S])*<repositories>/)),
  edit("<activeProfiles> entries", element(/<activeProfile>/)),
  edit("${env.X} references", text(/\$\{env\.[A-Za-z_]/)),
  edit("encrypted {...} passwords", element(/<(password|passphrase)>\{[^}<]+\}<\//)),
  edit("CDATA", text(/<!\[CDATA\[/)),
  edit("indent: spaces only", (s) => indentStyle(s.text) === "spaces"),
  edit("indent: tabs only", (s) => indentStyle(s.text) === "tabs"),
  edit("indent: tabs and spaces", (s) => indentStyle(s.text) === "mixed"),
  edit("indent: none (flush left)", (s) => indentStyle(s.text) === "none"),
  edit("CRLF line endings", text(/\r\n/)),
  edit("UTF-8 BOM", (s) => s.bytes[0] === 0xef && s.bytes[1] === 0xbb && s.bytes[2] === 0xbf),
  edit("no final newline", text(/[^\r\n]$/)),
  edit("MuleSoft-related", text(/mulesoft|anypoint|org\.mule\b|~~~client~~~/i)),
  edit("~~~Client~~~", text(/~~~client~~~/i)),
  edit("~~~Token~~~", text(/~~~Token~~~/)),
  refuse("mismatched end tag", (s) => count(uncommented(s.text), /<\/server>/g) > count(uncommented(s.text), /<server>/g)),
  refuse("invalid token in a start tag", element(/<[A-Za-z][^<>]*="[^"<>]*""/)),
  refuse("junk after the document element", (s) => !/<settings[\s>/]/.test(uncommented(s.text)) && /<\/settings>/.test(s.text)),

  // What the corpus's notes mention, and what the engine must refuse (README).
  edit("standalone declaration", text(/^\uFEFF?<\?xml[^>]*standalone=/)),
  edit("xsi:schemaLocation over several lines", text(/schemaLocation="[^"]*[\r\n]/)),
  edit("whitespace before the root", text(/^\uFEFF?[ \t\r\n]+<(?!\?xml)/)),
  edit("comment or processing instruction before the root", (s) => /<!--|<\?(?!xml\s)/.test(s.text.slice(0, Math.max(0, s.text.search(/<settings[\s>/]/))))),
  edit("processing instruction", text(/<\?(?!xml\s)[A-Za-z]/)),
  edit("non-ASCII text", text(/[^\u0000-\u007f\uFEFF]/)),
  edit("trailing spaces", text(/[ \t]+(\r\n|\r|\n)/)),
  edit("blank lines at the end", text(/(\r\n|\r|\n)[ \t]*(\r\n|\r|\n)\s*$/)),
  edit("indented </settings>", text(/(^|[\r\n])[ \t]+<\/settings>/)),
  edit("<id> after <username> or <password>", element(/<server>\s*<(username|password)>(?:(?!<\/server>)[\s\S])*<id>/)),
  edit("one-line <server>", element(/<server>[^\r\n]*<\/server>/)),
  edit("<server> with only an <id>", element(/<server>\s*<id>[^<]*<\/id>\s*<\/server>/)),
  edit("comment on the line of an element", text(/<\/[A-Za-z]+>[ \t]*<!--/)),
  edit("self-closing sections", element(/<(localRepository|offline|activeProfiles|proxies|pluginGroups)\s*\/>/)),
  edit("${...} other than env", text(/\$\{(?!env\.)[^}]+\}/)),
  edit("empty <password>", element(/<password\s*\/>|<password><\/password>/)),
  edit("encoding other than UTF-8", (s) => /^\uFEFF?<\?xml[^>]*encoding=["'](?!utf-8["'])/i.test(s.text) || s.bytes[0] === 0xff || s.bytes[0] === 0xfe),
  refuse("DOCTYPE", text(/<!DOCTYPE/)),
  refuse("undefined entity", element(/&(?!(amp|lt|gt|quot|apos);|#)[A-Za-z]+;/)),
  refuse("root other than <settings>", (s) => rootName(s.text) !== "settings"),
  refuse("two <servers>", element(/<servers[\s>/][\s\S]*<servers[\s>/]/)),
];

/**
 * SOURCES.md's "Trait counts" rows, each with the trait above that recognises it, or null for a row that
 * counts something other than a settings-file trait.
 */
export const SOURCES_ROWS: Record<string, string | null> = {
  "files": null,
  "well-formed": null,
  "malformed upstream": null,
  "files with redacted values": null,
  "with XML declaration": "XML declaration",
  "XML declaration not at start": "XML declaration not at start",
  "without XML declaration": "no XML declaration",
  "namespace 1.0.0": "namespace 1.0.0",
  "namespace 1.1.0": "namespace 1.1.0",
  "namespace 1.2.0": "namespace 1.2.0",
  "no namespace": "no namespace",
  "with comments": "comments",
  "default Maven template (long commented examples)": "default Maven template",
  "`<servers>` with server(s)": "<servers> with servers",
  "`<servers>` empty / whitespace-only": "<servers> empty or whitespace only",
  "`<servers>` containing only comments": "<servers> holding only comments",
  "`<servers/>` self-closing": "<servers/>",
  "`<servers>` absent": "<servers> absent",
  "`<servers>` unclosed (malformed)": "<servers> unclosed",
  "uncommented `<mirror>` entries": "<mirror> entries",
  "self-closing `<mirrors/>`": "<mirrors/>",
  "uncommented `<proxy>` entries (well-formed: 1 file, 2 active proxies)": "<proxy> entries",
  "profiles with repositories": "profiles with repositories",
  "`<activeProfiles>` entries": "<activeProfiles> entries",
  "`${env.X}` references": "${env.X} references",
  "encrypted `{...}` passwords": "encrypted {...} passwords",
  "CDATA": "CDATA",
  "indent: spaces only": "indent: spaces only",
  "indent: tabs only": "indent: tabs only",
  "indent: mixed tabs+spaces": "indent: tabs and spaces",
  "indent: none (flush left)": "indent: none (flush left)",
  "CRLF line endings": "CRLF line endings",
  "UTF-8 BOM": "UTF-8 BOM",
  "no final newline": "no final newline",
  "MuleSoft-related (28 Anypoint/Mule-focused + 1 with only a mulesoft.org repo profile)": "MuleSoft-related",
  "MuleSoft `~~~Client~~~`": "~~~Client~~~",
  "MuleSoft `~~~Token~~~`": "~~~Token~~~",
};

/** The rows of SOURCES.md's "Trait counts" table: label and count. */
export function sourcesTraitRows(sources: string): { label: string; count: number }[] {
  const section = sources.split(/^## /m).find((s) => s.startsWith("Trait counts")) ?? "";
  return [...section.matchAll(/^\| (.+?) \| (\d+) \|$/gm)].map((m) => ({ label: m[1]!, count: Number(m[2]) }));
}
