/**
 * What Maven 3's settings builder (DefaultSettingsBuilder, Maven 3.8.7) makes of a well-formed settings file:
 * where it stops, and what it only warns about. The scanner checks the grammar below in its one pass over the
 * file (src/xml/grammar.ts); this file says what each problem means. Judged against the builder itself over
 * thousands of generated files (test/settings-reader.test.ts).
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
 * is not a group id. (A server, mirror or proxy without <id> has the id "default".)
 * The strict reader alone fails (a WARNING: Maven reads on): an element it does not know (what is inside it is
 * not looked at), text directly inside a class element (<settings>, <server>...), an attribute on one
 * (but the root's xmlns and prefixed ones), a <port> that is not an int (read as 0). Maven reports the first.
 * The validator's warnings (duplicate ids, a mirror id "local"...) are not reported here.
 *
 * Maven reads any root element as <settings>, with a warning; readSettings refuses another root.
 */
import { lineColumn, type M2Error, unsafeAt } from "../errors";
import { Grammar, type GrammarProblem, type Rule } from "../xml/grammar";

const text = (...names: string[]): Record<string, Rule> => Object.fromEntries(names.map((n) => [n, "text"]));

// Maven 3.8.7's settings model (maven-settings' settings.mdo), as SettingsXpp3Reader reads it.
const POLICY: Rule = { fields: text("enabled", "updatePolicy", "checksumPolicy") };
const REPOSITORY: Rule = { fields: { ...text("id", "name", "url", "layout"), releases: POLICY, snapshots: POLICY }, required: ["id", "url"], notEmpty: ["id", "url"] };
const ACTIVATION: Rule = {
  fields: {
    ...text("activeByDefault", "jdk"),
    os: { fields: text("name", "family", "arch", "version") },
    property: { fields: text("name", "value") },
    file: { fields: text("missing", "exists") },
  },
};
const PROFILE: Rule = {
  fields: {
    ...text("id"),
    activation: ACTIVATION,
    properties: "map",
    repositories: { list: "repository", of: REPOSITORY },
    pluginRepositories: { list: "pluginRepository", of: REPOSITORY },
  },
};
// <aliases> is settings 1.3.0's (Maven 3.10 reads it): known here, so a file written for 3.10 is not called
// lenient; where the Maven that reads the file ignores it, doctor's aliases-ignored says so.
const SERVER: Rule = {
  fields: { ...text("id", "username", "password", "privateKey", "passphrase", "filePermissions", "directoryPermissions"), configuration: "any", aliases: { list: "alias", of: "text" } },
  notEmpty: ["id"],
};
const PROXY: Rule = { fields: { ...text("id", "active", "protocol", "username", "password", "host", "nonProxyHosts"), port: "int" }, required: ["host"], notEmpty: ["host"] };
const MIRROR: Rule = { fields: text("id", "mirrorOf", "name", "url", "layout", "mirrorOfLayouts", "blocked"), required: ["url", "mirrorOf"], notEmpty: ["id", "url", "mirrorOf"] };

/** Maven's settings model, for the scanner. */
export const SETTINGS: Grammar = new Grammar({
  fields: {
    ...text("localRepository", "interactiveMode", "usePluginRegistry", "offline"),
    proxies: { list: "proxy", of: PROXY },
    servers: { list: "server", of: SERVER },
    mirrors: { list: "mirror", of: MIRROR },
    profiles: { list: "profile", of: PROFILE },
    activeProfiles: { list: "activeProfile", of: "text" },
    pluginGroups: { list: "pluginGroup", of: { pattern: /^[A-Za-z0-9_\-.]+$/ } },
  },
});

/** What Maven's builder only warns about: its strict reader's first complaint, where it is. */
export interface MavenWarning {
  message: string;
  line: number;
  column: number;
}

const REJECTS = "which Maven rejects (it stops before any download)";
const WARNS = "which Maven's strict reader rejects: Maven reads the file leniently and warns";
/** A name for a message: only short plain names are quoted (an unknown element's or a property's name is anything a file holds). */
const tag = (name: string | undefined): string => (name !== undefined && /^[A-Za-z_][A-Za-z0-9_.:-]{0,39}$/.test(name) ? `<${name}>` : "an element");

/** The refusal for a problem where Maven's builder stops: what, where, and what to do. */
export function rejection(text: string, p: GrammarProblem): M2Error {
  const [message, hint] = ((): [string, string] => {
    switch (p.kind) {
      case "repeated":
        return [
          p.root ? `the file has more than one ${tag(p.name)}${p.list ? " section" : ""}, ${REJECTS}` : `a ${tag(p.parent)} has more than one ${tag(p.name)}, ${REJECTS}`,
          p.list ? `Merge them into one ${tag(p.name)} and run again.` : `Keep one ${tag(p.name)}${p.root ? "" : ` in that ${tag(p.parent)}`} and run again.`,
        ];
      case "element-in-value":
        return [`${tag(p.name)} in ${tag(p.parent)} holds an element, not only text, ${REJECTS}`, "Write a '<' in a value as &lt; (or remove the element) and run again."];
      case "text-in-list":
        return [`${tag(p.name)} holds text between its elements, ${REJECTS}`, "Remove the text (a note goes in <!-- -->) and run again."];
      case "missing":
        return [`a ${tag(p.name)} has no ${tag(p.field)}, ${REJECTS}`, `Give the ${p.name} its ${tag(p.field)}, or remove the ${p.name}, and run again.`];
      case "empty":
        return [`a ${tag(p.name)} has an empty ${tag(p.field)}, ${REJECTS}`, `Give the ${p.name} its ${p.field}, or remove the ${p.name}, and run again.`];
      default:
        return [`a ${tag(p.name)} is not a group id (letters, digits, '_', '-' and '.'), ${REJECTS}`, "Correct or remove it and run again."];
    }
  })();
  return unsafeAt(text, p.at, message, hint);
}

/** The warning for a problem Maven's strict reader stops at, and its lenient one reads past. */
export function mavenWarning(text: string, p: GrammarProblem): MavenWarning {
  const message =
    p.kind === "unknown"
      ? `${tag(p.name)} in ${tag(p.parent)} is not an element of settings.xml, ${WARNS}`
      : p.kind === "attribute"
        ? `${tag(p.name)} has an attribute Maven does not know, ${WARNS}`
        : p.kind === "not-int"
          ? `${tag(p.name)} in ${tag(p.parent)} is not a whole number, ${WARNS} (and reads it as 0)`
          : `${tag(p.name)} holds text between its elements, ${WARNS}`;
  return { message, ...lineColumn(text, p.at) };
}
