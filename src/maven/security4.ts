/**
 * settings-security4.xml as Maven 4 reads it (plexus-sec-dispatcher 4, SecurityConfigurationStaxReader, strict):
 * `<settingsSecurity>` with `<modelVersion>`, `<defaultDispatcher>` and `<configurations>`, the `master`
 * configuration's properties `source` (where the master password comes from: `env:NAME`, `file:/path`, ...)
 * and `cipher`. The file never holds the master password itself. Pure: text in, values out; the file is found
 * and read in src/io/security4.ts.
 */
import { Exit, M2Error, lineColumn } from "../errors";
import { javaTrim, mixedTextAt, scanXml, textContent, type XmlElement } from "../xml/scan";
import { CIPHER4 } from "./cipher4";

export const NAMESPACE4 = "http://codehaus-plexus.github.io/plexus-sec-dispatcher/4.0.0";

export interface Security4 {
  defaultDispatcher?: string;
  /** The `master` configuration's properties, when it has some (Maven reads no other for its values). */
  master?: { source?: string; cipher?: string };
}

/** What each element of the model holds: text, or a list of one element, or known children. */
const ROOT: Record<string, string> = { modelVersion: "text", defaultDispatcher: "text", configurations: "configuration" };
const CONFIG: Record<string, string> = { name: "text", properties: "property" };
const PROPERTY: Record<string, string> = { name: "text", value: "text" };

/** Reads the file as Maven 4's strict reader does; throws exit 2, with the line, where that reader refuses it. */
export function parseSecurity4(text: string): Security4 {
  const { root } = scanXml(text);
  const at = (offset: number, message: string) => new M2Error(Exit.usage, `${message}: Maven 4 fails on this security file`, { ...lineColumn(text, offset), hint: "Fix it, or move it away and let anypoint-m2 setup --master-source create one." });
  if (root.name !== "settingsSecurity") throw at(root.start, `the root element is <${root.name}>, not <settingsSecurity>`);
  const fields = (element: XmlElement, model: Record<string, string>): Record<string, XmlElement> => {
    const mixed = mixedTextAt(text, element);
    if (mixed >= 0) throw at(mixed, `<${element.name}> holds text between its elements`);
    const seen: Record<string, XmlElement> = {};
    for (const child of element.children()) {
      if (!model[child.name]) throw at(child.start, `<${child.name}> in <${element.name}> is not an element of settings-security4.xml`);
      if (seen[child.name]) throw at(child.start, `<${child.name}> in <${element.name}> appears twice`);
      seen[child.name] = child;
    }
    return seen;
  };
  const value = (element: XmlElement | undefined) => {
    if (!element) return undefined;
    const inner = element.child();
    if (inner) throw at(inner.start, `<${element.name}> holds an element, <${inner.name}>, not only text`);
    return javaTrim(textContent(text, element));
  };
  const items = (list: XmlElement | undefined, item: string) =>
    (list ? list.children() : []).map((c) => {
      if (c.name !== item) throw at(c.start, `<${c.name}> in <${list!.name}> is not an element of settings-security4.xml`);
      return c;
    });
  const top = fields(root, ROOT);
  const result: Security4 = {};
  const defaultDispatcher = value(top.defaultDispatcher);
  if (defaultDispatcher !== undefined) result.defaultDispatcher = defaultDispatcher;
  for (const configuration of items(top.configurations, "configuration")) {
    const config = fields(configuration, CONFIG);
    const properties: Record<string, string | undefined> = {};
    for (const property of items(config.properties, "property")) {
      const p = fields(property, PROPERTY);
      properties[value(p.name) ?? ""] = value(p.value);
    }
    // SecUtil.getConfig: the first configuration of that name is the one, with or without properties.
    if (value(config.name) === "master" && !("master" in result)) {
      result.master = {};
      if (properties.source !== undefined) result.master.source = properties.source;
      if (properties.cipher !== undefined) result.master.cipher = properties.cipher;
    }
  }
  return result;
}

/** A master source as Maven 4 names it: `env:NAME` or `file:/absolute/path` (the two anypoint-m2 writes and reads). */
export type MasterSource = { kind: "env"; name: string } | { kind: "file"; path: string };

/** The source, when it is one of the two; Maven 4 has others (gpg-agent, pinentry-prompt, ...), not read here. */
export function masterSource(source: string): MasterSource | undefined {
  if (source.startsWith("env:") && source.length > 4) return { kind: "env", name: source.slice(4) };
  if (source.startsWith("file:") && source.length > 5) return { kind: "file", path: source.slice(5) };
  return undefined;
}

/**
 * The master password in a file source's text, as FileMasterSource reads it: the first line not starting with
 * `#`, trimmed (Java's trim); undefined when there is none.
 */
export function masterFromFile(text: string): string | undefined {
  const line = text.split(/\r\n|\r|\n/).find((l, i, all) => !l.startsWith("#") && !(i === all.length - 1 && l === ""));
  return line === undefined ? undefined : javaTrim(line);
}

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A new settings-security4.xml whose `master` dispatcher takes the master password from `source`. */
export function security4Xml(source: string): string {
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<settingsSecurity xmlns="${NAMESPACE4}">`,
    `  <modelVersion>4.0</modelVersion>`,
    `  <defaultDispatcher>master</defaultDispatcher>`,
    `  <configurations>`,
    `    <configuration>`,
    `      <name>master</name>`,
    `      <properties>`,
    `        <property>`,
    `          <name>source</name>`,
    `          <value>${escape(source)}</value>`,
    `        </property>`,
    `        <property>`,
    `          <name>cipher</name>`,
    `          <value>${CIPHER4}</value>`,
    `        </property>`,
    `      </properties>`,
    `    </configuration>`,
    `  </configurations>`,
    `</settingsSecurity>`,
    ``,
  ].join("\n");
}
