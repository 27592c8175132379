/**
 * A grammar the scanner checks as it reads, in the same pass (src/xml/scan.ts): what each element may hold,
 * read from its parent's rule and its own name. Written for a vocabulary like Maven's settings model (the
 * model a Modello-generated reader reads): records of named fields, lists of one item, values.
 *
 * What the scan finds is reported, not worded: the vocabulary's owner says what each problem means to its
 * users (src/settings/model.ts for settings.xml).
 */

/**
 * - "any": anything, not looked at (free XML, such as a server's <configuration>);
 * - "text", "int", { pattern }: a value, text only; an int is a whole number (Java's int); a pattern's
 *   value (trimmed) matches it whole;
 * - "map": values by any name, nothing else (Maven's <properties>);
 * - { list, of }: items named `list`, nothing else;
 * - { fields }: each field at most once, in any order; `required` fields must be there, `notEmpty` ones (when
 *   there) hold more than white space.
 */
export type Rule =
  | "any"
  | "text"
  | "int"
  | "map"
  | { pattern: RegExp }
  | { list: string; of: Rule }
  | { fields: Readonly<Record<string, Rule>>; required?: readonly string[]; notEmpty?: readonly string[] };

/**
 * What the scan found against the grammar. Where a reader of the vocabulary stops:
 * - repeated: a field a second time (`name`, in `parent`);
 * - element-in-value: an element (at `at`) inside the value `name`, in `parent`;
 * - text-in-list: character data other than white space directly inside the list or map `name`.
 * Where a validator of what was read stops:
 * - missing: the record `name` has no `field`; empty: its `field` is empty; pattern: the value `name` does not match.
 * Where only a strict reader stops (a lenient one reads on):
 * - unknown: an element `name` its `parent` has no field for (what is inside it is not looked at);
 * - text-in-record: character data other than white space directly inside the record `name`;
 * - attribute: the record `name` has an attribute (other than a prefixed one, and xmlns on the root);
 * - not-int: the int value `name`, in `parent`, is not a whole number.
 */
export interface GrammarProblem {
  kind: "repeated" | "element-in-value" | "text-in-list" | "missing" | "empty" | "pattern" | "unknown" | "text-in-record" | "attribute" | "not-int";
  /** Offset in the text: the element's `<`, or the character data's start. */
  at: number;
  name: string;
  parent?: string;
  field?: string;
  /** repeated: the field is a list (a section); the parent is the root. */
  list?: boolean;
  root?: boolean;
}

/** What the scan reports: the first problem where a reader stops (else a validator's), and the first one only a strict reader has. */
export interface GrammarReport {
  stop?: GrammarProblem;
  warning?: GrammarProblem;
}

// A rule's kind, as a number: the scan compares numbers.
export const ANY = 0;
export const TEXT = 1;
export const INT = 2;
export const MAP = 3;
export const LIST = 4;
export const RECORD = 5;

/** A step into an element that its parent's rule does not allow: an unknown name, or any element inside a value. */
export const UNKNOWN = -1;
export const IN_VALUE = -2;

/** A rule being compiled: its kind, and where each child name leads (a rule's index and a field's bit). */
interface Def {
  kind: number;
  notEmpty: boolean;
  pattern: RegExp | undefined;
  steps: Map<string, [number, number]>;
  /** Where another name leads: a rule's index (a map's value), UNKNOWN or IN_VALUE. */
  other: number;
  fieldNames: string[];
  required: number;
}

/**
 * A rule's category, the order of its number: any; a value with nothing to look at; one that must not be
 * empty (its first character mostly shows it is not); another value looked at once closed; a record with
 * required fields; the other records, lists and maps.
 */
const category = (d: Def): number =>
  d.kind === ANY ? 0
  : d.kind === TEXT && !d.notEmpty && !d.pattern ? 1
  : d.kind === TEXT && !d.pattern ? 2
  : d.kind === TEXT || d.kind === INT ? 3
  : d.required !== 0 ? 4
  : 5;

/**
 * A grammar compiled to rule numbers (0 is "any"). The scan asks step(rule, name) once per name and rule and
 * document; per element it only indexes arrays and compares numbers: rules are numbered by category, so
 * that those looked at once closed are [firstAtEnd, afterAtEnd) (from firstChecked on, whatever their
 * content) and those allowing no text directly inside are from firstTextless on.
 */
export class Grammar {
  readonly kind: number[];
  /** Text directly inside: 0 allowed, 1 a warning (a record), 2 a stop (a list, a map). */
  readonly noText: number[];
  readonly notEmpty: boolean[];
  readonly pattern: (RegExp | undefined)[];
  /** A record's fields, by their bit's index; the bits of its required fields. */
  readonly fieldNames: string[][];
  readonly required: number[];
  readonly root: number;
  readonly firstAtEnd: number;
  readonly firstChecked: number;
  readonly firstTextless: number;
  /** The first rule after those looked at once closed. */
  readonly afterAtEnd: number;
  private readonly steps: Map<string, number>[];
  private readonly other: number[];

  constructor(root: Rule) {
    const defs: Def[] = [];
    const add = (d: Partial<Def> & { kind: number }): number => defs.push({ notEmpty: false, pattern: undefined, steps: new Map(), other: IN_VALUE, fieldNames: [], required: 0, ...d }) - 1;
    add({ kind: ANY, other: 0 });
    const compile = (rule: Rule, notEmpty = false): number => {
      if (rule === "any") return 0;
      if (rule === "text" || rule === "int") return add({ kind: rule === "int" ? INT : TEXT, notEmpty });
      if (rule === "map") return add({ kind: MAP, other: compile("text") });
      if ("pattern" in rule) return add({ kind: TEXT, notEmpty, pattern: rule.pattern });
      if ("list" in rule) return add({ kind: LIST, steps: new Map([[rule.list, [compile(rule.of), 0]]]), other: UNKNOWN });
      const names = Object.keys(rule.fields);
      if (names.length > 22) throw new Error("a record of the grammar has more than 22 fields");
      const steps = new Map(names.map((name, f): [string, [number, number]] => [name, [compile(rule.fields[name]!, rule.notEmpty?.includes(name)), 1 << f]]));
      const required = (rule.required ?? []).reduce((bits, name) => bits | (1 << names.indexOf(name)), 0);
      return add({ kind: RECORD, steps, other: UNKNOWN, fieldNames: names, required });
    };
    const top = compile(root);
    // Numbered by category (stably): the scan compares a rule's number where it would look up a flag.
    const order = defs.map((d, i) => i).sort((a, b) => category(defs[a]!) - category(defs[b]!) || a - b);
    const number: number[] = [];
    order.forEach((old, i) => (number[old] = i));
    const sorted = order.map((i) => defs[i]!);
    this.kind = sorted.map((d) => d.kind);
    this.noText = sorted.map((d) => (d.kind === RECORD ? 1 : d.kind === LIST || d.kind === MAP ? 2 : 0));
    this.notEmpty = sorted.map((d) => d.notEmpty);
    this.pattern = sorted.map((d) => d.pattern);
    this.fieldNames = sorted.map((d) => d.fieldNames);
    this.required = sorted.map((d) => d.required);
    this.steps = sorted.map((d) => new Map([...d.steps].map(([name, [rule, bit]]) => [name, number[rule]! | (bit << 8)])));
    this.other = sorted.map((d) => (d.other >= 0 ? number[d.other]! : d.other));
    this.root = number[top]!;
    const first = (c: number) => {
      const i = sorted.findIndex((d) => category(d) >= c);
      return i < 0 ? sorted.length : i;
    };
    this.firstAtEnd = first(2);
    this.firstChecked = first(3);
    this.firstTextless = first(4);
    this.afterAtEnd = first(5);
  }

  /**
   * Where an element named `name` inside one of rule `rule` leads: for a field of a record, its rule plus its
   * bit (<< 8); for a list's item or a map's value, its rule; else UNKNOWN or IN_VALUE.
   */
  step(rule: number, name: string): number {
    return this.steps[rule]!.get(name) ?? this.other[rule]!;
  }
}

/** The grammar of any XML: everything is allowed. */
export const FREE = new Grammar("any");
