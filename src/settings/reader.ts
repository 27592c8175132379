/**
 * What Maven 3's settings builder (DefaultSettingsBuilder, Maven 3.8.7) makes of a well-formed settings file:
 * where it stops, and what it only warns about. Judged against the builder itself over thousands of generated
 * files (test/settings-reader.test.ts).
 *
 * The builder reads the file with the strict SettingsXpp3Reader; when that fails, it reads it again with the
 * lenient one and warns with the strict reader's complaint. When the lenient reader fails too, the settings
 * are empty ("Non-parseable settings", FATAL). Then DefaultSettingsValidator looks at the values as written,
 * before `${…}` is resolved; an ERROR stops the build as a FATAL does.
 *
 * Both readers stop at (FATAL):
 * - a field of a class element twice: a second <localRepository>, <servers>, <profiles>..., a server's
 *   <filePermissions> or <configuration> ("Duplicated tag");
 * - an element inside a value: <id>a<b/></id>, an <activeProfile>, a <pluginGroup>, a profile's property;
 * - text directly inside a list (<servers>, <activeProfiles>, <properties>...), not only white space.
 * The validator stops at (ERROR): a <proxy> without <host>, a <server> with an empty <id>, a <mirror> without
 * <url> or <mirrorOf> or with an empty <id>, a profile repository without <id> or <url>, a <pluginGroup> that
 * is not a group id.
 * The strict reader alone fails (a WARNING: Maven reads on): an element it does not know (what is inside it is
 * not looked at), text directly inside a class element (<settings>, <server>...), an attribute on one
 * (but the root's xmlns and prefixed ones), a <port> that is not an int (read as 0). Maven reports the first.
 * The validator's warnings (duplicate ids, a mirror id "local"...) are not reported here.
 *
 * Maven reads any root element as <settings>, with a warning; readSettings refuses another root before this.
 */
import { lineColumn, unsafeAt } from "../errors";
import { attributeNames, javaTrim, mixedTextAt, textContent, type XmlDocument } from "../xml/scan";

/** A field of a class: a value, one element of a class, a list of values or of one class, free XML, a property map. */
type Field = "text" | "int" | "dom" | "properties" | Model | { item: string; of: "text" | Model };
interface Model {
  name: string;
  fields: Record<string, Field>;
}

const model = (name: string, fields: Record<string, Field>): Model => ({ name, fields });
const text = (...names: string[]): Record<string, Field> => Object.fromEntries(names.map((n) => [n, "text"]));

// Maven 3.8.7's settings model (maven-settings' settings.mdo), as SettingsXpp3Reader reads it.
const POLICY = model("policy", text("enabled", "updatePolicy", "checksumPolicy"));
const REPOSITORY = model("repository", { ...text("id", "name", "url", "layout"), releases: POLICY, snapshots: POLICY });
const ACTIVATION = model("activation", {
  ...text("activeByDefault", "jdk"),
  os: model("os", text("name", "family", "arch", "version")),
  property: model("property", text("name", "value")),
  file: model("file", text("missing", "exists")),
});
const PROFILE = model("profile", {
  ...text("id"),
  activation: ACTIVATION,
  properties: "properties",
  repositories: { item: "repository", of: REPOSITORY },
  pluginRepositories: { item: "pluginRepository", of: REPOSITORY },
});
const SERVER = model("server", { ...text("id", "username", "password", "privateKey", "passphrase", "filePermissions", "directoryPermissions"), configuration: "dom" });
const PROXY = model("proxy", { ...text("id", "active", "protocol", "username", "password", "host", "nonProxyHosts"), port: "int" });
const MIRROR = model("mirror", text("id", "mirrorOf", "name", "url", "layout", "mirrorOfLayouts", "blocked"));
const SETTINGS = model("settings", {
  ...text("localRepository", "interactiveMode", "usePluginRegistry", "offline"),
  proxies: { item: "proxy", of: PROXY },
  servers: { item: "server", of: SERVER },
  mirrors: { item: "mirror", of: MIRROR },
  profiles: { item: "profile", of: PROFILE },
  activeProfiles: { item: "activeProfile", of: "text" },
  pluginGroups: { item: "pluginGroup", of: "text" },
});

/** What the validator requires of a class's values: fields that must be there and not empty, or not empty when there. */
const REQUIRED: Partial<Record<string, { present: string[]; notEmpty: string[] }>> = {
  proxy: { present: ["host"], notEmpty: ["host"] },
  server: { present: [], notEmpty: ["id"] },
  mirror: { present: ["url", "mirrorOf"], notEmpty: ["id", "url", "mirrorOf"] },
  repository: { present: ["id", "url"], notEmpty: ["id", "url"] },
};

/** What Maven's builder only warns about: its strict reader's first complaint, where it is. */
export interface MavenWarning {
  message: string;
  line: number;
  column: number;
}

const REJECTS = "which Maven rejects (it stops before any download)";
const WARNS = "which Maven's strict reader rejects: Maven reads the file leniently and warns";
/** A name for a message: only short plain names are quoted (an unknown element's name is anything a file holds). */
const tag = (name: string): string => (/^[A-Za-z_][A-Za-z0-9_.:-]{0,39}$/.test(name) ? `<${name}>` : "an element");
const INT = /^[+-]?[0-9]+$/;

/** A field's kind, as a number: the walk compares numbers, not strings. */
const TEXT = 0;
const INT_VALUE = 1;
const DOM = 2;
const PROPERTIES = 3;
const LIST = 4;
const CLASS = 5;
const kindOf = (f: Field): number =>
  f === "text" ? TEXT : f === "int" ? INT_VALUE : f === "dom" ? DOM : f === "properties" ? PROPERTIES : "item" in f ? LIST : CLASS;

/** A class compiled for one document: its fields in order, each name id's field index (-1: none), bit sets of fields. */
interface Compiled {
  model: Model;
  names: string[];
  fields: Field[];
  kinds: Int8Array;
  index: Int8Array;
  present: number;
  notEmpty: number;
}

/**
 * Checks a scanned settings file (its root is <settings>) as Maven's builder reads it: throws exit 5 with the
 * line where Maven stops, returns the first thing Maven only warns about. One walk over the element table,
 * written for Node's interpreter (a 5 MB file has 100,000 elements): numbers compared, nothing made per element.
 */
export function readAsMaven(doc: XmlDocument): MavenWarning | undefined {
  const { text: source, rows } = doc;
  const { firstChild, nextSibling, nameId, start, openEnd, closeStart, looseText, names } = rows;
  let warning: { offset: number; message: string } | undefined;
  const warn = (offset: number, message: string) => {
    if (!warning || offset < warning.offset) warning = { offset, message };
  };
  // Each class's fields by name id, for this document's names: a lookup per element, no string compared.
  const compiled = new Map<Model, Compiled>();
  const compile = (m: Model): Compiled => {
    let c = compiled.get(m);
    if (!c) {
      const fieldNames = Object.keys(m.fields);
      const bits = (list: string[] = []) => list.reduce((b, n) => b | (1 << fieldNames.indexOf(n)), 0);
      const required = REQUIRED[m.name];
      const fields = Object.values(m.fields);
      c = {
        model: m,
        names: fieldNames,
        fields,
        kinds: Int8Array.from(fields, kindOf),
        index: Int8Array.from(names, (n) => fieldNames.indexOf(n)),
        present: bits(required?.present),
        notEmpty: bits(required?.notEmpty),
      };
      compiled.set(m, c);
    }
    return c;
  };
  const value = (row: number): string => javaTrim(textContent(source, rows.element(row)));
  /** Whether a value is empty as Maven reads it (trimmed). */
  const empty = (row: number): boolean => openEnd[row] === closeStart[row] || value(row) === "";
  const elementInValue = (row: number, parent: string) =>
    unsafeAt(source, start[firstChild[row]!]!, `<${names[nameId[row]!]}> in <${parent}> holds an element, not only text, ${REJECTS}`, "Write a '<' in a value as &lt; (or remove the element) and run again.");
  /** Text beside the child elements of `row`: refused in a list, a warning in a class. */
  const mixed = (row: number, fatal: boolean) => {
    if (firstChild[row]! >= 0 && looseText[row] === 0) return;
    const at = mixedTextAt(source, rows.element(row));
    if (at < 0) return;
    const where = `<${names[nameId[row]!]}>`;
    if (fatal) throw unsafeAt(source, at, `${where} holds text between its elements, ${REJECTS}`, "Remove the text (a note goes in <!-- -->) and run again.");
    warn(at, `${where} holds text between its elements, ${WARNS}`);
  };
  const unknown = (row: number, parent: string) => warn(start[row]!, `${tag(names[nameId[row]!]!)} in <${parent}> is not an element of settings.xml, ${WARNS}`);

  /**
   * Reads the elements of class `k` from row `first` on: that one alone when `one`, else it and its siblings
   * (a list's items: others are unknown there). One call per list, not per item, for the interpreter's sake.
   */
  const readClasses = (first: number, k: Compiled, one: boolean, root = false, listName = ""): void => {
    const { index, kinds, notEmpty, present } = k;
    const item = nameId[first]!;
    for (let row = first; row >= 0; row = one ? -1 : nextSibling[row]!) {
      if (nameId[row] !== item) {
        unknown(row, listName);
        continue;
      }
      const name = names[item]!;
      // `<name>` or `<name/>` has no attribute; anything longer is looked at.
      if (openEnd[row]! - start[row]! > name.length + 3) attributes(row, root);
      if (firstChild[row]! < 0 || looseText[row] !== 0) mixed(row, false);
      let seen = 0;
      for (let c = firstChild[row]!; c >= 0; c = nextSibling[c]!) {
        const f = index[nameId[c]!]!;
        if (f < 0) {
          unknown(c, name);
          continue;
        }
        const bit = 1 << f;
        if ((seen & bit) !== 0) throw repeated(c, k, f, row, root);
        seen |= bit;
        const kind = kinds[f];
        if (kind === TEXT || kind === INT_VALUE) {
          if (firstChild[c]! >= 0) throw elementInValue(c, name);
          // Most values are not empty, which their first character shows.
          if ((notEmpty & bit) !== 0 && mayBeEmpty(source.charCodeAt(openEnd[c]!)) && empty(c)) {
            throw unsafeAt(source, start[c]!, `a <${name}> has an empty <${k.names[f]}>, ${REJECTS}`, `Give the ${name} its ${k.names[f]}, or remove the ${name}, and run again.`);
          }
          if (kind === INT_VALUE && !isJavaInt(value(c))) warn(start[c]!, `<${k.names[f]}> in <${name}> is not a whole number, ${WARNS} (and reads it as 0)`);
        } else if (kind === PROPERTIES) {
          mixed(c, true);
          for (let p = firstChild[c]!; p >= 0; p = nextSibling[p]!) if (firstChild[p]! >= 0) throw elementInValue(p, k.names[f]!);
        } else if (kind === LIST) readList(c, k.fields[f] as { item: string; of: "text" | Model });
        else if (kind === CLASS) readClasses(c, compile(k.fields[f] as Model), true);
        // DOM: free XML, Maven reads whatever it holds.
      }
      const missing = present & ~seen;
      if (missing !== 0) {
        const field = k.names[31 - Math.clz32(missing & -missing)];
        throw unsafeAt(source, start[row]!, `a <${name}> has no <${field}>, ${REJECTS}`, `Give the ${name} its <${field}>, or remove the ${name}, and run again.`);
      }
    }
  };

  const readList = (row: number, list: { item: string; of: "text" | Model }): void => {
    mixed(row, true);
    const name = names[nameId[row]!]!;
    const item = rows.ids.get(list.item);
    if (list.of !== "text") {
      // The first item of the list's kind; what comes before it is unknown.
      let i = firstChild[row]!;
      for (; i >= 0 && nameId[i] !== item; i = nextSibling[i]!) unknown(i, name);
      if (i >= 0) readClasses(i, compile(list.of), false, false, name);
      return;
    }
    for (let i = firstChild[row]!; i >= 0; i = nextSibling[i]!) {
      if (nameId[i] !== item) unknown(i, name);
      else {
        if (firstChild[i]! >= 0) throw elementInValue(i, name);
        if (name === "pluginGroups" && !/^[A-Za-z0-9_\-.]+$/.test(value(i))) {
          throw unsafeAt(source, start[i]!, `a <pluginGroup> is not a group id (letters, digits, '_', '-' and '.'), ${REJECTS}`, "Correct or remove it and run again.");
        }
      }
    }
  };

  const attributes = (row: number, root: boolean) => {
    const attribute = attributeNames(source, rows.element(row)).find((a) => !a.includes(":") && !(root && a === "xmlns"));
    if (attribute !== undefined) warn(start[row]!, `<${names[nameId[row]!]}> has an attribute Maven does not know, ${WARNS}`);
  };

  /** The error for the second `field` of the class at `row`. */
  const repeated = (c: number, k: Compiled, f: number, row: number, root: boolean) => {
    const field = k.names[f]!;
    const list = k.kinds[f] === LIST;
    const name = names[nameId[row]!]!;
    return unsafeAt(
      source,
      start[c]!,
      root ? `the file has more than one <${field}>${list ? " section" : ""}, ${REJECTS}` : `a <${name}> has more than one <${field}>, ${REJECTS}`,
      list ? `Merge them into one <${field}> and run again.` : `Keep one <${field}>${root ? "" : ` in that <${name}>`} and run again.`,
    );
  };

  readClasses(doc.root.row, compile(SETTINGS), true, true);
  return warning && { message: warning.message, ...lineColumn(source, warning.offset) };
}

/** Whether a value starting with this character may be empty once read: white space, a reference, markup, or nothing. */
const mayBeEmpty = (c: number): boolean => c <= 0x20 || c === 0x26 /* & */ || c === 0x3c /* < */ || Number.isNaN(c);

/** Whether Java's Integer.valueOf reads the (trimmed) value. */
function isJavaInt(value: string): boolean {
  if (!INT.test(value)) return false;
  const n = Number(value);
  return n >= -2147483648 && n <= 2147483647;
}
