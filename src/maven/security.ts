/**
 * settings-security.xml as Maven 3 reads it (plexus-sec-dispatcher 2.0, in Maven 3.8.3 to 3.9's lib/): a
 * `<settingsSecurity>` with a `<master>` (the master password, encrypted with the fixed passphrase
 * "settings.security") or a `<relocation>` naming the file to read instead. Pure: text in, values out; the
 * files are found and read in src/io/security.ts.
 */
import { Exit, M2Error, lineColumn } from "../errors";
import { attributeNames, javaTrim, mixedTextAt, scanXml, textContent, type XmlElement } from "../xml/scan";
import { decrypt, encrypt, MASTER_PASSPHRASE } from "./cipher";

export interface SecuritySettings {
  /** `<master>` as written (trimmed, as Maven's reader trims it), when present. */
  master?: string;
  /** `<relocation>` (trimmed), when present: Maven reads that file instead and ignores this one's master. */
  relocation?: string;
}

/**
 * plexus-sec-dispatcher 2.0's model, as its Modello reader (SecurityConfigurationXpp3Reader, strict) reads it:
 * each class's fields, a text field or a list of one class. A class element takes no attribute but
 * `prefixed:ones` (and the root `xmlns`); a field's or a list's attributes are not looked at.
 */
interface ModelClass {
  fields: Record<string, "text" | { item: string; of: ModelClass }>;
}
const PROPERTY: ModelClass = { fields: { name: "text", value: "text" } };
const CONFIG: ModelClass = { fields: { name: "text", properties: { item: "property", of: PROPERTY } } };
const SETTINGS_SECURITY: ModelClass = { fields: { master: "text", relocation: "text", configurations: { item: "configuration", of: CONFIG } } };

/** Elements only Maven 4's settings-security4.xml has (plexus-sec-dispatcher 3 and 4). */
const MAVEN4 = new Set(["modelVersion", "defaultDispatcher", "masterSource", "masterCipher"]);

export const MAVEN4_HINT =
  "Maven 4 (4.0.0-beta-5 and later) keeps its master password setup in settings-security4.xml, not in Maven 3's settings-security.xml: for Maven 4 run anypoint-m2 setup --store encrypted --maven-version 4 (with --master-source env:NAME to create that file); for Maven 3, mvn --encrypt-master-password with Maven 3, or use --store env.";

const REJECTS = "Maven 3's reader rejects the file, so Maven sends encrypted passwords as written";

/**
 * Reads a security file's text as Maven 3's strict reader does; throws exit 2, with the line, where that reader
 * would refuse it: another root, an attribute it does not know, an element it does not know (at any depth), a
 * field twice, text between elements, an element inside a value.
 */
export function parseSecurity(text: string): SecuritySettings {
  const { root } = scanXml(text);
  const at = (offset: number, message: string, hint?: string) => new M2Error(Exit.usage, message, { ...lineColumn(text, offset), hint });
  const maven4 = root.children().find((c) => MAVEN4.has(c.name));
  if (maven4) throw at(maven4.start, `this security file is written for Maven 4 (it has <${maven4.name}>): its master password cannot be read as Maven 3 reads it`, MAVEN4_HINT);
  if (root.name !== "settingsSecurity") throw at(root.start, `the root element is <${root.name}>, not <settingsSecurity>: this is not a Maven settings-security.xml`);
  const values: Record<string, string> = {};
  const readClass = (element: XmlElement, model: ModelClass, where: string) => {
    for (const name of attributeNames(text, element)) {
      if (name.includes(":") || (element === root && name === "xmlns")) continue;
      throw at(element.start, `<${element.name}>${where} has an attribute Maven 3's reader does not know, ${name}: ${REJECTS}`, "Remove the attribute.");
    }
    const mixed = mixedTextAt(text, element);
    if (mixed >= 0) throw at(mixed, `<${element.name}>${where} holds text between its elements: ${REJECTS}`, "Remove the text.");
    const seen = new Set<string>();
    for (const child of element.children()) {
      const field = model.fields[child.name];
      const inside = ` in <${element.name}>${where}`;
      if (!field) throw at(child.start, `<${child.name}>${inside} is not an element of settings-security.xml: ${REJECTS}`, "Remove it.");
      if (seen.has(child.name)) throw at(child.start, `<${child.name}>${inside} appears twice: ${REJECTS}`, "Keep one.");
      seen.add(child.name);
      if (field === "text") {
        const inner = child.child();
        if (inner) throw at(inner.start, `<${child.name}>${inside} holds an element, <${inner.name}>, not only text: ${REJECTS}`, "Leave only the value in it.");
        if (element === root) values[child.name] = javaTrim(textContent(text, child));
        continue;
      }
      const listMixed = mixedTextAt(text, child);
      if (listMixed >= 0) throw at(listMixed, `<${child.name}>${inside} holds text between its elements: ${REJECTS}`, "Remove the text.");
      for (const item of child.children()) {
        if (item.name !== field.item) throw at(item.start, `<${item.name}> in <${child.name}> is not an element of settings-security.xml: ${REJECTS}`, "Remove it.");
        readClass(item, field.of, ` in <${child.name}>`);
      }
    }
  };
  readClass(root, SETTINGS_SECURITY, "");
  return values as SecuritySettings;
}

/** A Maven 4 value, `{[name=master,cipher=...,version=4.0]...}`: Maven 3 cannot decrypt it. */
export const isMaven4Value = (value: string): boolean => /\{\[[^\]]*\][^}]*\}/.test(value);

/**
 * The master password from `<master>`, decrypted with the passphrase "settings.security" as Maven does (with
 * or without braces); undefined when it does not decrypt.
 */
export function masterPassword(master: string): string | undefined {
  // plexus-cipher returns an empty value as it is, so an empty <master> is the empty password.
  return master === "" ? "" : decrypt(master, MASTER_PASSPHRASE);
}

/** A new settings-security.xml holding `master`, encrypted as `mvn --encrypt-master-password` does it. */
export function securityXml(master: string, random?: (size: number) => Uint8Array): string {
  const encrypted = encrypt(master, MASTER_PASSPHRASE, random);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<settingsSecurity>\n  <master>${encrypted}</master>\n</settingsSecurity>\n`;
}
