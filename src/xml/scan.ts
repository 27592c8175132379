/**
 * A strict, fast XML 1.0 well-formedness scanner that records where every element starts and ends.
 *
 * Why not fast-xml-parser here: on a 5 MB settings.xml its parse takes ~0.5 s (the whole job has a
 * budget of ~0.17 s), and its validator accepts what XML parsers such as Maven's reject (undefined
 * entities, text after the root element, `--` inside comments, control characters). This scanner does
 * one pass with indexOf and sticky regular expressions; fast-xml-parser checks its results in the tests.
 *
 * It never expands entities and refuses any DOCTYPE.
 */
import { type M2Error, unsafeAt } from "../errors";
import { FREE, type Grammar, type GrammarProblem, type GrammarReport, IN_VALUE, INT, LIST, RECORD } from "./grammar";
import { mayHoldCredential } from "./secret-names";

/**
 * Where each element is, kept in typed arrays rather than one object per element: a 5 MB settings.xml
 * has 100,000 elements, and objects that all survive cost more in garbage collection than the scan.
 */
class ElementTable {
  count = 0;
  start: Int32Array;
  openEnd: Int32Array;
  closeStart: Int32Array;
  end: Int32Array;
  firstChild: Int32Array;
  lastChild: Int32Array;
  nextSibling: Int32Array;
  nameId: Int32Array;
  readonly names: string[] = [];
  /** `</name>` for each name: an end tag is recognised by one compare. */
  readonly endTags: string[] = [];
  /** Each name's id: a start tag's name is looked up whole, not read character by character. */
  readonly ids = new Map<string, number>();
  /** For each rule of the grammar, where each name id leads (Grammar.step), filled as names are interned. */
  readonly steps: number[][];

  constructor(
    readonly text: string,
    capacity: number,
    readonly grammar: Grammar,
  ) {
    this.steps = grammar.kind.map(() => []);
    this.start = new Int32Array(capacity);
    this.openEnd = new Int32Array(capacity);
    this.closeStart = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.firstChild = new Int32Array(capacity);
    this.lastChild = new Int32Array(capacity);
    this.nextSibling = new Int32Array(capacity);
    this.nameId = new Int32Array(capacity);
  }

  /** The id of the name text[from, to), added when new. */
  intern(from: number, to: number): number {
    const name = this.text.slice(from, to);
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.push(name) - 1;
      this.endTags.push(`</${name}>`);
      this.ids.set(name, id);
      this.steps.forEach((step, rule) => step.push(this.grammar.step(rule, name)));
    }
    return id;
  }

  /** Doubles the capacity. */
  grow(): void {
    const bigger = (a: Int32Array): Int32Array => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.start = bigger(this.start);
    this.openEnd = bigger(this.openEnd);
    this.closeStart = bigger(this.closeStart);
    this.end = bigger(this.end);
    this.firstChild = bigger(this.firstChild);
    this.lastChild = bigger(this.lastChild);
    this.nextSibling = bigger(this.nextSibling);
    this.nameId = bigger(this.nameId);
  }
}

/** An element of a scanned document: a view of one row of its table. */
export class XmlElement {
  constructor(
    private readonly table: ElementTable,
    private readonly index: number,
  ) {}

  get name(): string {
    return this.table.names[this.table.nameId[this.index]!]!;
  }
  /** Offset of the `<` of the start tag. */
  get start(): number {
    return this.table.start[this.index]!;
  }
  /** Offset just after the `>` of the start tag. */
  get openEnd(): number {
    return this.table.openEnd[this.index]!;
  }
  /** Offset of the `<` of the end tag (equals openEnd for `<x/>`). */
  get closeStart(): number {
    return this.table.closeStart[this.index]!;
  }
  /** Offset just after the element. */
  get end(): number {
    return this.table.end[this.index]!;
  }
  get selfClosing(): boolean {
    return this.table.end[this.index] === this.table.openEnd[this.index];
  }
  // Walking children, one way: `child(name)` is the first, `next(name)` the one after, both of that name when
  // it is given; `children(name)` is all of them, in an array. A walk with child/next makes no array: for
  // <servers> of thousands of <server> elements, and for a walk that stops early.

  /** The first child element; the first named `name` when it is given. */
  child(name?: string): XmlElement | undefined {
    return this.from(this.table.firstChild[this.index]!, name);
  }
  /** The next sibling element; the next named `name` when it is given. */
  next(name?: string): XmlElement | undefined {
    return this.from(this.table.nextSibling[this.index]!, name);
  }
  /** The child elements, in order; only those named `name` when it is given. A new array each time. */
  children(name?: string): XmlElement[] {
    const out: XmlElement[] = [];
    for (let c = this.child(name); c; c = c.next(name)) out.push(c);
    return out;
  }
  /** The element at row `c` or the first sibling after it named `name`. */
  private from(c: number, name: string | undefined): XmlElement | undefined {
    const t = this.table;
    // Names are interned: an element has this name exactly when it has this name's id.
    const id = name === undefined ? -1 : t.ids.get(name);
    if (id === undefined) return undefined;
    if (id >= 0) while (c >= 0 && t.nameId[c] !== id) c = t.nextSibling[c]!;
    return c >= 0 ? new XmlElement(t, c) : undefined;
  }
}

export interface XmlDocument {
  text: string;
  root: XmlElement;
  /** What the scan found against the grammar it was given (nothing without one). */
  report: GrammarReport;
}

const NAME_START = "A-Z_a-z:\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}";
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const NAME = `[${NAME_START}][${NAME_CHAR}]*`;
const S = "[ \\t\\r\\n]";

const nameRe = new RegExp(NAME, "uy");
const spaceRe = new RegExp(`${S}*`, "y");
const attributeRe = new RegExp(`(${NAME})${S}*=${S}*(?:"([^"<]*)"|'([^'<]*)')`, "uy");
const attributeNameRe = new RegExp(`${S}+(${NAME})${S}*=${S}*(?:"[^"]*"|'[^']*')`, "uy");
const endTagRe = new RegExp(`</(${NAME})${S}*>`, "uy");
const referenceRe = /&(?:(?:amp|lt|gt|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+));/y;
const invalidCharRe = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const controlCharRe = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const surrogateRe = /[\uD800-\uDFFF]/;
const declarationRe = new RegExp(
  `<\\?xml${S}+version${S}*=${S}*(?:"1\\.[0-9]+"|'1\\.[0-9]+')` +
    `(?:${S}+encoding${S}*=${S}*(?:"[A-Za-z][A-Za-z0-9._-]*"|'[A-Za-z][A-Za-z0-9._-]*'))?` +
    `(?:${S}+standalone${S}*=${S}*(?:"(?:yes|no)"|'(?:yes|no)'))?${S}*\\?>`,
  "y",
);

const isSpaceCode = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;

/** The end of the XML name starting at `from`, or -1 when none starts there. ASCII names avoid the regular expression. */
function scanName(text: string, from: number): number {
  let i = from;
  let c = text.charCodeAt(i);
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a) {
    for (;;) {
      c = text.charCodeAt(++i);
      if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x3a) continue;
      if (c < 0x80 || Number.isNaN(c)) return i;
      break;
    }
  }
  nameRe.lastIndex = from;
  return nameRe.test(text) ? nameRe.lastIndex : -1;
}

/** Is a valid XML 1.0 character. */
function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

/** The first character XML 1.0 cannot hold, as its offset, or -1. */
export function findInvalidChar(text: string): number {
  // One plain character class first (fast on large files); code points only where surrogates occur.
  const control = controlCharRe.exec(text);
  const limit = control ? control.index : text.length;
  const surrogate = surrogateRe.exec(text);
  if (surrogate && surrogate.index < limit) {
    const m = invalidCharRe.exec(text);
    if (m && m.index < limit) return m.index;
  }
  return control ? control.index : -1;
}

/**
 * Error messages quote a name only when it is short and plain: a name can be anything a broken file holds
 * (a piece of a password whose '<' was never escaped, say), and a message may end up in a CI log.
 */
const QUOTABLE = /^[A-Za-z_][A-Za-z0-9_.:-]{0,39}$/;

/** `<name>` (or `</name>`) for a message, or undefined when the name is not one to quote. */
const tagOf = (name: string, end = false): string | undefined => (QUOTABLE.test(name) ? `<${end ? "/" : ""}${name}>` : undefined);

/** " " and the quoted name, or "" for none. */
const prefixed = (quoted: string | undefined): string => (quoted === undefined ? "" : ` ${quoted}`);

/** " inside <password>": where a problem is, named by the credential element around it, never by its content. */
const insideOf = (name: string): string => ` inside ${tagOf(name) ?? "an element that may hold a credential"}`;

/**
 * The credential element open at `offset`, read roughly (every tag counts, those in comments too, so that an
 * example left open in a comment also hides what follows): only to word the error about a character XML does
 * not allow, which is found before the document is scanned.
 */
function credentialAround(text: string, offset: number): string | undefined {
  const open: string[] = [];
  for (const [, end, name, empty] of text.slice(0, offset).matchAll(/<(\/?)([^\s<>/!?]+)[^<>]*?(\/?)>/g)) {
    if (end === "/") {
      const at = open.lastIndexOf(name!);
      if (at >= 0) open.length = at;
    } else if (empty !== "/") open.push(name!);
  }
  return open.find(mayHoldCredential);
}

/**
 * Refuses a processing instruction that XML allows but Maven 3's parser (plexus MXParser) cannot read, so that
 * a file Maven fails on is not edited as if it worked. Measured with the probe (test/scan-maven.test.ts):
 * - a target starting with "xml" in any case, followed by data (`<?xml-stylesheet href="a"?>`): MXParser takes
 *   it for an XML declaration, misplaced or missing its version, wherever it is;
 * - a '>' inside it: MXParser ends the instruction at a '>' after a '?' even when a '<' comes between, and fails
 *   on a '>' that does not close a '<' seen inside it.
 */
function checkPiForMaven(text: string, target: string, after: number, close: number, inside: string): void {
  if (close !== after && /^xml/i.test(target)) {
    const lt = after - target.length - 2;
    const shown = inside === "" && QUOTABLE.test(target) ? `<?${target} ...?>` : `this processing instruction${inside}`;
    throw unsafeAt(text, lt, `Maven cannot read ${shown}: its parser takes any processing instruction whose name starts with "xml" for an XML declaration`, "Maven has no use for it: remove it and run again.");
  }
  let question = false;
  let inner = false;
  for (let i = after; i < close + 2; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3f /* ? */) question = true;
    else if (c === 0x3c /* < */) inner = true;
    else if (c === 0x3e /* > */) {
      if (question) {
        if (i === close + 1) return;
      } else if (inner) {
        inner = false;
        continue;
      }
      throw unsafeAt(text, i, `Maven cannot read this processing instruction${inside}: its parser stops at this '>'`, "Remove the '>' from the processing instruction (or the instruction itself) and run again.");
    } else question = false;
  }
}

/** The name of an element of the table. */
const nameOf = (table: ElementTable, element: number): string => table.names[table.nameId[element]!]!;

// What an element that may hold a credential holds is never quoted: these say where a problem is instead.
// They take the scan's state as arguments, and are called only on the way to an error, so that the scan's
// loop keeps its state in local variables (none of them captured by a closure: V8 keeps those in registers).

/** " inside <password>" when one of the first `depth` open elements looks like a credential, else "". */
function insideOpen(table: ElementTable, stack: readonly number[], depth = stack.length): string {
  for (let d = 0; d < depth; d++) if (mayHoldCredential(nameOf(table, stack[d]!))) return insideOf(nameOf(table, stack[d]!));
  return "";
}

/** `<name>` for a message when it may be quoted there (not inside a credential, short and plain), else undefined. */
function quoteOpen(table: ElementTable, stack: readonly number[], name: string, depth = stack.length, end = false): string | undefined {
  return insideOpen(table, stack, depth) === "" ? tagOf(name, end) : undefined;
}

/** Checks the reference at `at` (an '&' that ends before `limit`); returns the offset after it. */
function checkReference(text: string, at: number, limit: number, table: ElementTable, stack: readonly number[]): number {
  referenceRe.lastIndex = at;
  const m = referenceRe.exec(text);
  if (!m || referenceRe.lastIndex > limit) {
    throw unsafeAt(text, at, "'&' must start an entity reference such as &amp; (named entities other than amp, lt, gt, quot and apos are not allowed)");
  }
  const digits = m[1] ?? m[2];
  if (digits !== undefined) {
    const cp = m[1] !== undefined ? Number.parseInt(digits, 10) : Number.parseInt(digits, 16);
    if (!isXmlChar(cp)) {
      const inside = insideOpen(table, stack);
      const quoted = inside === "" && m[0].length <= 12;
      throw unsafeAt(text, at, `${quoted ? `character reference ${m[0]}` : `a character reference${inside}`} names a character XML does not allow`);
    }
  }
  return referenceRe.lastIndex;
}

/** The error for an end tag at `lt` that is not simply the open element's name and '>'. */
function endTagError(text: string, lt: number, table: ElementTable, stack: readonly number[]): M2Error {
  endTagRe.lastIndex = lt;
  const m = endTagRe.exec(text);
  if (!m) return unsafeAt(text, lt, `malformed end tag${insideOpen(table, stack)}`);
  if (stack.length === 0) return unsafeAt(text, lt, `end tag${prefixed(quoteOpen(table, stack, m[1]!, 0, true))} has no matching start tag`);
  const open = stack[stack.length - 1]!;
  const openName = nameOf(table, open);
  const at = unsafeAt(text, table.start[open]!, "");
  const expected = quoteOpen(table, stack, openName, stack.length - 1, true) ?? "the end tag of the element";
  const found = quoteOpen(table, stack, m[1]!, stack.length, true) ?? "another end tag";
  return unsafeAt(text, lt, `expected ${expected} (opened at line ${at.details.line}, column ${at.details.column})${insideOpen(table, stack, stack.length - 1)} but found ${found}`);
}

/** Reads the attributes of a start tag from `p` (just after its name); returns the offset after its '>' or '/>', negated for '/>'. */
function readAttributes(text: string, lt: number, p: number, name: string, table: ElementTable, stack: readonly number[]): number {
  let seen: Set<string> | undefined;
  for (;;) {
    let q = p;
    if (isSpaceCode(text.charCodeAt(q))) {
      spaceRe.lastIndex = q;
      spaceRe.test(text);
      q = spaceRe.lastIndex;
    }
    const c = text.charCodeAt(q);
    if (c === 0x3e /* > */) return q + 1;
    if (c === 0x2f /* / */ && text.charCodeAt(q + 1) === 0x3e) return -(q + 2);
    if (Number.isNaN(c)) throw unsafeAt(text, lt, `start tag${prefixed(quoteOpen(table, stack, name))}${insideOpen(table, stack)} is never closed`);
    if (q === p) throw unsafeAt(text, q, `malformed start tag${prefixed(quoteOpen(table, stack, name))}${insideOpen(table, stack)}: expected whitespace, '>' or '/>'`);
    attributeRe.lastIndex = q;
    const a = attributeRe.exec(text);
    if (!a) throw unsafeAt(text, q, `malformed attribute in ${quoteOpen(table, stack, name) ?? "a start tag"}${insideOpen(table, stack)} (values need quotes and may not contain '<')`);
    seen ??= new Set();
    if (seen.has(a[1]!)) {
      const attribute = quoteOpen(table, stack, a[1]!) === undefined ? "an attribute" : `attribute '${a[1]}'`;
      throw unsafeAt(text, q, `${attribute} appears twice in ${quoteOpen(table, stack, name) ?? "a start tag"}${insideOpen(table, stack)}`);
    }
    seen.add(a[1]!);
    const value = a[2] ?? a[3] ?? "";
    const valueStart = attributeRe.lastIndex - 1 - value.length;
    for (let amp = value.indexOf("&"); amp >= 0; amp = value.indexOf("&", amp + 1)) {
      checkReference(text, valueStart + amp, attributeRe.lastIndex - 1, table, stack);
    }
    p = attributeRe.lastIndex;
  }
}

/** The error for an element at `lt` after the root element has ended. */
function secondRoot(text: string, lt: number, table: ElementTable, name: string): M2Error {
  const first = tagOf(nameOf(table, 0));
  return unsafeAt(text, lt, `a second root element${prefixed(tagOf(name))} (a file has exactly one${first ? `, here ${first}` : ""})`);
}

/** Checks what follows '<!' at `lt`; returns the offset after it. */
function readBang(text: string, lt: number, depth: number): number {
  if (text.startsWith("<!--", lt)) {
    const dashes = text.indexOf("--", lt + 4);
    if (dashes < 0) throw unsafeAt(text, lt, "comment is never closed (missing -->)");
    if (text.charCodeAt(dashes + 2) !== 0x3e) throw unsafeAt(text, dashes, "'--' is not allowed inside a comment");
    return dashes + 3;
  }
  if (text.startsWith("<![CDATA[", lt)) {
    if (depth === 0) throw unsafeAt(text, lt, "CDATA section outside the root element");
    const close = text.indexOf("]]>", lt + 9);
    if (close < 0) throw unsafeAt(text, lt, "CDATA section is never closed (missing ]]>)");
    return close + 3;
  }
  if (text.startsWith("<!DOCTYPE", lt)) {
    throw unsafeAt(
      text,
      lt,
      "the file has a DOCTYPE declaration, which anypoint-m2 refuses (it never expands entities)",
      "Maven settings files need no DOCTYPE: remove it and run again.",
    );
  }
  throw unsafeAt(text, lt, "malformed markup after '<!'");
}

/** Checks the processing instruction at `lt`; returns the offset after it. */
function readPi(text: string, lt: number, table: ElementTable, stack: readonly number[]): number {
  nameRe.lastIndex = lt + 2;
  const m = nameRe.exec(text);
  if (!m) throw unsafeAt(text, lt, "processing instruction without a target");
  if (m[0].toLowerCase() === "xml") {
    throw unsafeAt(text, lt, "the XML declaration <?xml ...?> is allowed only at the very start of the file", "Remove anything before <?xml, including spaces and blank lines.");
  }
  const after = nameRe.lastIndex;
  const close = text.indexOf("?>", after);
  if (close < 0) throw unsafeAt(text, lt, "processing instruction is never closed (missing ?>)");
  if (close !== after && !/[ \t\r\n]/.test(text.charAt(after))) throw unsafeAt(text, after, "malformed processing instruction");
  checkPiForMaven(text, m[0], after, close, insideOpen(table, stack));
  return close + 2;
}

/** The start tag's name and where it ends, as readStartTag finds them. */
interface StartTag {
  nameId: number;
  /** The offset after its '>', negated for `<x/>`. */
  openEnd: number;
}

/** Reads a start tag other than `<known-name>` at `lt` into `tag`. */
function readStartTag(text: string, lt: number, table: ElementTable, stack: readonly number[], tag: StartTag): void {
  const nameEnd = scanName(text, lt + 1);
  if (nameEnd < 0) throw unsafeAt(text, lt, "'<' must start a tag (write &lt; for a literal '<')");
  tag.nameId = table.intern(lt + 1, nameEnd);
  tag.openEnd = text.charCodeAt(nameEnd) === 0x3e ? nameEnd + 1 : readAttributes(text, lt, nameEnd, table.names[tag.nameId]!, table, stack);
  if (stack.length === 0 && table.count > 0) throw secondRoot(text, lt, table, table.names[tag.nameId]!);
}

/** Checks text outside the root element, text[from, to), `afterRoot` or before it: only white space may be there. */
function checkOutside(text: string, from: number, to: number, afterRoot: boolean): void {
  spaceRe.lastIndex = from;
  spaceRe.test(text);
  if (spaceRe.lastIndex < to) throw unsafeAt(text, spaceRe.lastIndex, afterRoot ? "text after the root element" : "text before the root element");
}

/** Checks each '&' from `amp` on before `to` (in text that starts at `from`); returns the next '&' after them. */
function checkReferences(text: string, from: number, to: number, amp: number, table: ElementTable, stack: readonly number[]): number {
  let next = amp;
  while (next >= 0 && next < to) {
    if (next >= from) checkReference(text, next, to, table, stack);
    next = text.indexOf("&", next + 1);
  }
  return next;
}

/** Refuses a ']]>' from `at` on in text[from, to); returns the next one after `to`. */
function checkCdataEnds(text: string, from: number, to: number, at: number): number {
  let next = at;
  while (next >= 0 && next < to) {
    if (next >= from) throw unsafeAt(text, next, "']]>' is not allowed in text (write ]]&gt;)");
    next = text.indexOf("]]>", next + 1);
  }
  return next;
}

// The grammar, checked as the scan goes (see ./grammar.ts). The loop keeps, for each open element (by depth),
// its rule and the bits of the fields seen in it; what is rare or found wrong is done by these functions.

/** What the scan found against the grammar: the first stop of a reader, the first of a validator, the first warning in the text. */
interface Found {
  stop?: GrammarProblem;
  invalid?: GrammarProblem;
  warning?: GrammarProblem;
}

const STOPS: ReadonlySet<GrammarProblem["kind"]> = new Set(["repeated", "element-in-value", "text-in-list"]);
const INVALID: ReadonlySet<GrammarProblem["kind"]> = new Set(["missing", "empty", "pattern"]);

function record(found: Found, problem: GrammarProblem): void {
  if (STOPS.has(problem.kind)) found.stop ??= problem;
  else if (INVALID.has(problem.kind)) found.invalid ??= problem;
  else if (!found.warning || problem.at < found.warning.at) found.warning = problem;
}

/** The element `row` inside the open element at `depth - 1` of the stack, where the grammar does not allow it. */
function misplaced(found: Found, table: ElementTable, stack: readonly number[], row: number, step: number): void {
  const depth = stack.length;
  const parent = nameOf(table, stack[depth - 1]!);
  if (step === IN_VALUE) record(found, { kind: "element-in-value", at: table.start[row]!, name: parent, parent: depth > 1 ? nameOf(table, stack[depth - 2]!) : undefined });
  else record(found, { kind: "unknown", at: table.start[row]!, name: nameOf(table, row), parent });
}

/** The field `row` seen a second time in the record open at `depth - 1`. */
function repeated(found: Found, table: ElementTable, stack: readonly number[], row: number, rule: number): void {
  const depth = stack.length;
  record(found, { kind: "repeated", at: table.start[row]!, name: nameOf(table, row), parent: nameOf(table, stack[depth - 1]!), list: table.grammar.kind[rule] === LIST, root: depth === 1 });
}

/** An attribute on the record `row` other than a prefixed one (and xmlns on the root). */
function recordAttributes(found: Found, text: string, table: ElementTable, row: number): void {
  const root = row === 0;
  attributeNameRe.lastIndex = table.start[row]! + 1 + nameOf(table, row).length;
  for (let a = attributeNameRe.exec(text); a && attributeNameRe.lastIndex <= table.openEnd[row]!; a = attributeNameRe.exec(text)) {
    if (!a[1]!.includes(":") && !(root && a[1] === "xmlns")) return record(found, { kind: "attribute", at: table.start[row]!, name: nameOf(table, row) });
  }
}

/** Character data other than white space in text[from, to) (no element in it) directly inside the open element, whose rule allows none. */
function looseText(found: Found, text: string, from: number, to: number, table: ElementTable, open: number, rule: number): void {
  let at = -1;
  eachCharacterData(text, from, to, (data, offset) => {
    if (at < 0 && !/^[ \t\r\n]*$/.test(data)) at = offset;
  });
  if (at >= 0) record(found, { kind: table.grammar.noText[rule] === 2 ? "text-in-list" : "text-in-record", at, name: nameOf(table, open) });
}

/** Whether text[from, to) is white space (and nothing else: a reference is looked at by looseText). */
function blank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/** Whether Java's Integer.valueOf reads the (trimmed) value. */
function isJavaInt(value: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(value)) return false;
  const n = Number(value);
  return n >= -2147483648 && n <= 2147483647;
}

/** The by-depth columns, twice as deep. */
function deeper(ruleAt: Int32Array, seenAt: Int32Array): { ruleAt: Int32Array; seenAt: Int32Array } {
  const more = (a: Int32Array): Int32Array => {
    const b = new Int32Array(a.length * 2);
    b.set(a);
    return b;
  };
  return { ruleAt: more(ruleAt), seenAt: more(seenAt) };
}

/** Looks at the element `row` of rule `rule`, now closed, inside the open elements `stack`. */
function closed(found: Found, text: string, table: ElementTable, row: number, rule: number, seen: number, stack: readonly number[]): void {
  const g = table.grammar;
  const kind = g.kind[rule];
  if (kind === RECORD) {
    const missing = g.required[rule]! & ~seen;
    if (missing !== 0) record(found, { kind: "missing", at: table.start[row]!, name: nameOf(table, row), field: g.fieldNames[rule]![31 - Math.clz32(missing & -missing)] });
    return;
  }
  // A value holding an element is a stop already.
  if (table.firstChild[row]! >= 0) return;
  const from = table.openEnd[row]!;
  const to = table.closeStart[row]!;
  // Most values are plain text, which their first character shows is not empty.
  const c = text.charCodeAt(from);
  if (kind !== INT && g.pattern[rule] === undefined && from < to && c > 0x20 && c !== 0x26 /* & */ && c !== 0x3c /* < */) return;
  let value = "";
  eachCharacterData(text, from, to, (data) => {
    value += data;
  });
  value = javaTrim(value);
  const name = nameOf(table, row);
  const parentName = stack.length > 0 ? nameOf(table, stack[stack.length - 1]!) : undefined;
  if (g.notEmpty[rule] && value === "") record(found, { kind: "empty", at: table.start[row]!, name: parentName ?? name, field: name });
  else if (g.pattern[rule] && !g.pattern[rule]!.test(value)) record(found, { kind: "pattern", at: table.start[row]!, name });
  else if (kind === INT && !isJavaInt(value)) record(found, { kind: "not-int", at: table.start[row]!, name, parent: parentName });
}

/**
 * Reads the elements from `pos` on into the table. The loop runs once per document, mostly before V8 has
 * compiled it (its optimised code comes too late for most files), so what it does per tag is kept small:
 * the table's columns are held in local variables, and whatever is rare (attributes, references, errors, a
 * name not seen before, a problem of the grammar) is done by the functions above.
 */
function readElements(text: string, from: number, table: ElementTable, stack: number[], found: Found): void {
  const n = text.length;
  const endTags = table.endTags;
  const ids = table.ids;
  const { steps, grammar } = table;
  const { firstAtEnd, firstChecked, afterAtEnd, firstTextless } = grammar;
  // The last two runs of white space found directly inside an element that allows no text (the indentation
  // before a child and before the end tag, mostly): the next such run is most often one of them.
  let blankA = "";
  let blankB = "";
  // By depth: the open element's rule, and the bits of the fields seen in it.
  let ruleAt: Int32Array = new Int32Array(64);
  let seenAt: Int32Array = new Int32Array(64);
  const tag: StartTag = { nameId: 0, openEnd: 0 };
  let pos = from;
  // Next '&' and ']]>' not yet checked: found lazily so that each is searched for once per document.
  let nextAmp = text.indexOf("&", pos);
  let nextCdataEnd = text.indexOf("]]>", pos);
  let count = 0;
  let { start: starts, openEnd: openEnds, closeStart: closeStarts, end: ends, firstChild, lastChild, nextSibling, nameId: nameIds } = table;

  while (pos < n) {
    const lt = text.indexOf("<", pos);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > pos) {
      // Text: only white space outside the root; inside it, every '&' a reference and no ']]>'.
      if (stack.length === 0) checkOutside(text, pos, textEnd, count > 0);
      else {
        if (nextAmp >= 0 && nextAmp < textEnd) nextAmp = checkReferences(text, pos, textEnd, nextAmp, table, stack);
        if (nextCdataEnd >= 0 && nextCdataEnd < textEnd) nextCdataEnd = checkCdataEnds(text, pos, textEnd, nextCdataEnd);
        const rule = ruleAt[stack.length - 1]!;
        if (rule >= firstTextless) {
          const length = textEnd - pos;
          if (!((length === blankA.length && text.startsWith(blankA, pos)) || (length === blankB.length && text.startsWith(blankB, pos)))) {
            if (blank(text, pos, textEnd)) {
              blankB = blankA;
              blankA = text.slice(pos, textEnd);
            } else looseText(found, text, pos, textEnd, table, stack[stack.length - 1]!, rule);
          }
        }
      }
    }
    if (lt < 0) break;
    const next = text.charCodeAt(lt + 1);

    if (next === 0x2f /* / */) {
      // `</name>` of the open element; anything else is read by readEndTag (a valid `</name >` too).
      // Popped once the end tag is read: until then, an error about it is inside the element it closes.
      const open = stack.length > 0 ? stack[stack.length - 1]! : -1;
      const endTag = open >= 0 ? endTags[nameIds[open]!]! : "</";
      const end = text.startsWith(endTag, lt) && open >= 0 ? lt + endTag.length : readEndTag(text, lt, table, stack);
      stack.pop();
      closeStarts[open] = lt;
      ends[open] = end;
      pos = end;
      const rule = ruleAt[stack.length]!;
      if (rule >= firstAtEnd && rule < afterAtEnd) {
        // A value that must not be empty mostly shows by its first character that it is not.
        const c = text.charCodeAt(openEnds[open]!);
        if (rule >= firstChecked || c <= 0x20 || c === 0x26 /* & */ || c === 0x3c /* < */) closed(found, text, table, open, rule, seenAt[stack.length]!, stack);
      }
    } else if (next === 0x21 /* ! */) {
      // A comment is read here (a settings file may hold thousands); anything else after '<!' by readBang.
      const dashes = text.charCodeAt(lt + 2) === 0x2d && text.charCodeAt(lt + 3) === 0x2d ? text.indexOf("--", lt + 4) : -1;
      pos = dashes >= 0 && text.charCodeAt(dashes + 2) === 0x3e ? dashes + 3 : readBang(text, lt, stack.length);
      if (nextCdataEnd >= 0 && nextCdataEnd < pos) nextCdataEnd = text.indexOf("]]>", pos);
      // A CDATA section is character data: where the grammar allows none, it must be white space.
      if (dashes < 0 && stack.length > 0 && ruleAt[stack.length - 1]! >= firstTextless) looseText(found, text, lt, pos, table, stack[stack.length - 1]!, ruleAt[stack.length - 1]!);
    } else if (next === 0x3f /* ? */) {
      pos = readPi(text, lt, table, stack);
    } else {
      // The usual start tag, a name seen before and then '>', is known by its '>' and one lookup: its name was
      // checked as a name when it was first interned. Anything else, and the root, is read by readStartTag.
      const gt = text.indexOf(">", lt + 2);
      let nameId = gt < 0 ? -1 : (ids.get(text.slice(lt + 1, gt)) ?? -1);
      let openEnd = gt + 1;
      const plain = nameId >= 0 && stack.length > 0;
      if (!plain) {
        table.count = count;
        readStartTag(text, lt, table, stack, tag);
        nameId = tag.nameId;
        openEnd = tag.openEnd;
      }
      const selfClosing = openEnd < 0;
      if (selfClosing) openEnd = -openEnd;
      if (count === starts.length) {
        table.grow();
        ({ start: starts, openEnd: openEnds, closeStart: closeStarts, end: ends, firstChild, lastChild, nextSibling, nameId: nameIds } = table);
      }
      const parent = stack.length > 0 ? stack[stack.length - 1]! : -1;
      const element = count++;
      nameIds[element] = nameId;
      starts[element] = lt;
      openEnds[element] = openEnd;
      closeStarts[element] = openEnd;
      ends[element] = openEnd;
      firstChild[element] = -1;
      lastChild[element] = -1;
      nextSibling[element] = -1;
      if (parent >= 0) {
        const last = lastChild[parent]!;
        if (last < 0) firstChild[parent] = element;
        else nextSibling[last] = element;
        lastChild[parent] = element;
      }
      // The element's rule, from its parent's (the root's is the grammar's), and its field seen in the parent.
      const depth = stack.length;
      let rule = depth > 0 ? ruleAt[depth - 1]! : grammar.root;
      if (depth > 0 && rule !== 0) {
        const step = steps[rule]![nameId]!;
        if (step >= 0) {
          rule = step & 0xff;
          const bit = step >> 8;
          if (bit !== 0) {
            const seen = seenAt[depth - 1]!;
            if ((seen & bit) !== 0) repeated(found, table, stack, element, rule);
            seenAt[depth - 1] = seen | bit;
          }
        } else {
          misplaced(found, table, stack, element, step);
          rule = 0;
        }
      }
      if (!plain && grammar.kind[rule] === RECORD && openEnd - lt > table.names[nameId]!.length + (selfClosing ? 3 : 2)) recordAttributes(found, text, table, element);
      if (!selfClosing) {
        stack.push(element);
        if (depth === ruleAt.length) ({ ruleAt, seenAt } = deeper(ruleAt, seenAt));
        ruleAt[depth] = rule;
        seenAt[depth] = 0;
      } else if (rule >= firstAtEnd && rule < afterAtEnd) closed(found, text, table, element, rule, 0, stack);
      pos = openEnd;
    }
  }
  table.count = count;
}

/** Reads an end tag at `lt` other than `</name>` of the open element: `</name >`, or the error it is. */
function readEndTag(text: string, lt: number, table: ElementTable, stack: readonly number[]): number {
  endTagRe.lastIndex = lt;
  const m = endTagRe.exec(text);
  if (!m || stack.length === 0 || nameOf(table, stack[stack.length - 1]!) !== m[1]) throw endTagError(text, lt, table, stack);
  return endTagRe.lastIndex;
}

/**
 * Parses and checks a whole document. Throws M2Error (exit 5) with line and column when it is not well-formed.
 * What it finds against `grammar` is in the document's report.
 */
export function scanXml(text: string, grammar: Grammar = FREE): XmlDocument {
  const bad = findInvalidChar(text);
  if (bad >= 0) {
    const cp = text.codePointAt(bad) ?? 0;
    const credential = credentialAround(text, bad);
    throw unsafeAt(text, bad, credential ? `a character XML does not allow${insideOf(credential)}` : `character U+${cp.toString(16).toUpperCase().padStart(4, "0")} is not allowed in XML`);
  }

  let pos = 0;
  if (text.startsWith("<?xml") && /[ \t\r\n]/.test(text.charAt(5))) {
    declarationRe.lastIndex = 0;
    if (!declarationRe.test(text)) throw unsafeAt(text, 0, "the XML declaration is malformed");
    // Maven's parser (MXParser) reads XML 1.0 only: it stops at any other version, so the file is not Maven's.
    if (!/^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:"1\.0"|'1\.0')/.test(text)) throw unsafeAt(text, 0, "the XML declaration says a version other than 1.0, which Maven's parser does not read");
    pos = declarationRe.lastIndex;
  }

  const table = new ElementTable(text, Math.max(64, text.length >> 5), grammar);
  const stack: number[] = [];
  const found: Found = {};
  readElements(text, pos, table, stack, found);

  const unclosed = stack[stack.length - 1];
  if (unclosed !== undefined) {
    const depth = stack.length - 1;
    throw unsafeAt(text, table.start[unclosed]!, `${quoteOpen(table, stack, nameOf(table, unclosed), depth) ?? `an element${insideOpen(table, stack, depth)}`} is never closed`);
  }
  // The first element is the root: nothing but white space, comments and processing instructions comes before it.
  if (table.count === 0) throw unsafeAt(text, text.length, "no root element");
  const stop = found.stop ?? found.invalid;
  return { text, root: new XmlElement(table, 0), report: { ...(stop && { stop }), ...(found.warning && { warning: found.warning }) } };
}

/** Whitespace in XML's sense, and Java's String.trim() set (everything up to U+0020). */
function isTrimmable(c: number): boolean {
  return c <= 0x20;
}

/** Java's String.trim(): what Maven applies to every settings value it reads. */
export function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isTrimmable(s.charCodeAt(a))) a++;
  while (b > a && isTrimmable(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

const entityRe = /&(?:(amp)|(lt)|(gt)|(quot)|(apos)|#([0-9]+)|#x([0-9a-fA-F]+));/g;
const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeText(raw: string): string {
  const normalized = raw.includes("\r") ? raw.replace(/\r\n?/g, "\n") : raw;
  if (!normalized.includes("&")) return normalized;
  return normalized.replace(entityRe, (whole, ...groups: (string | undefined)[]) => {
    const [amp, lt, gt, quot, apos, dec, hex] = groups;
    const name = amp ?? lt ?? gt ?? quot ?? apos;
    if (name) return named[name]!;
    return String.fromCodePoint(dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex!, 16));
  });
}

/**
 * Calls `visit` with each piece of character data in text[from, to) (a stretch of well-formed content with no
 * element in it), in order: a run of text (references resolved, line ends normalised) or a CDATA section's
 * content, with the offset where it starts. Comments and processing instructions are left out.
 */
function eachCharacterData(text: string, from: number, to: number, visit: (data: string, at: number) => void): void {
  let pos = from;
  while (pos < to) {
    const lt = text.indexOf("<", pos);
    const stop = lt < 0 || lt > to ? to : lt;
    if (stop > pos) visit(decodeText(text.slice(pos, stop)), pos);
    if (stop === to) return;
    if (text.startsWith("<!--", lt)) {
      pos = text.indexOf("-->", lt + 4) + 3;
    } else if (text.startsWith("<![CDATA[", lt)) {
      const close = text.indexOf("]]>", lt + 9);
      visit(text.slice(lt + 9, close).replace(/\r\n?/g, "\n"), lt + 9);
      pos = close + 3;
    } else {
      pos = text.indexOf("?>", lt + 2) + 2;
    }
  }
}

/**
 * The character data of an element as an XML parser reports it: text with references resolved and line
 * ends normalised, CDATA as is, comments and processing instructions left out, child elements skipped.
 * Untrimmed.
 */
export function textContent(text: string, element: XmlElement): string {
  let out = "";
  let pos = element.openEnd;
  const add = (data: string) => {
    out += data;
  };
  for (const child of element.children()) {
    eachCharacterData(text, pos, child.start, add);
    pos = child.end;
  }
  eachCharacterData(text, pos, element.closeStart, add);
  return out;
}

/**
 * Where an element holds character data that is not white space (space, tab, line feed, carriage return,
 * after references are resolved) between or around its child elements: the offset of the first such piece,
 * or -1. What a pull parser's nextTag() refuses ("expected START_TAG or END_TAG not TEXT").
 */
export function mixedTextAt(text: string, element: XmlElement): number {
  let found = -1;
  const check = (data: string, at: number) => {
    if (found < 0 && !/^[ \t\r\n]*$/.test(data)) found = at;
  };
  let pos = element.openEnd;
  for (const child of element.children()) {
    eachCharacterData(text, pos, child.start, check);
    if (found >= 0) return found;
    pos = child.end;
  }
  eachCharacterData(text, pos, element.closeStart, check);
  return found;
}


/** The names of an element's attributes, in order (the document is well-formed: scanXml has read it). */
export function attributeNames(text: string, element: XmlElement): string[] {
  const names: string[] = [];
  attributeNameRe.lastIndex = element.start + 1 + element.name.length;
  for (let a = attributeNameRe.exec(text); a && attributeNameRe.lastIndex <= element.openEnd; a = attributeNameRe.exec(text)) names.push(a[1]!);
  return names;
}
