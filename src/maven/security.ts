/**
 * settings-security.xml as Maven 3 reads it (plexus-sec-dispatcher 2.0, in Maven 3.8.3 to 3.9's lib/): a
 * `<settingsSecurity>` with a `<master>` (the master password, encrypted with the fixed passphrase
 * "settings.security") or a `<relocation>` naming the file to read instead. Pure: text in, values out; the
 * files are found and read in src/io/security.ts.
 */
import { Exit, M2Error, lineColumn } from "../errors";
import { javaTrim, scanXml, textContent, type XmlElement } from "../xml/scan";
import { decrypt, encrypt, MASTER_PASSPHRASE } from "./cipher";

export interface SecuritySettings {
  /** `<master>` as written (trimmed, as Maven's reader trims it), when present. */
  master?: string;
  /** `<relocation>` (trimmed), when present: Maven reads that file instead and ignores this one's master. */
  relocation?: string;
}

/** What Maven 3's reader knows; it is strict, so any other element makes Maven fail to read the file. */
const KNOWN = new Set(["master", "relocation", "configurations"]);
/** Elements only Maven 4's settings-security4.xml has (plexus-sec-dispatcher 3 and 4). */
const MAVEN4 = new Set(["modelVersion", "defaultDispatcher", "masterSource", "masterCipher"]);

export const MAVEN4_HINT =
  "Maven 4 (4.0.0-beta-5 and later) keeps its master password setup in settings-security4.xml, a format anypoint-m2 cannot check against Maven 4 here; a wrong guess would send a wrong password. Use --store env, or a Maven 3 settings-security.xml (mvn --encrypt-master-password, Maven 3).";

/** Reads a security file's text; throws exit 2, with the line, when Maven 3 could not use it. */
export function parseSecurity(text: string): SecuritySettings {
  const { root } = scanXml(text);
  const at = (element: XmlElement, message: string, hint?: string) => new M2Error(Exit.usage, message, { ...lineColumn(text, element.start), hint });
  const children = root.children;
  const xmlns = /\sxmlns\s*=\s*["']([^"']*)["']/.exec(text.slice(root.start, root.openEnd))?.[1] ?? "";
  const maven4 = children.find((c) => MAVEN4.has(c.name));
  if (maven4 || /plexus-sec-dispatcher\/[3-9]/.test(xmlns)) {
    throw at(maven4 ?? root, `this security file is written for Maven 4${maven4 ? ` (it has <${maven4.name}>)` : ""}: its master password cannot be read as Maven 3 reads it`, MAVEN4_HINT);
  }
  if (root.name !== "settingsSecurity") throw at(root, `the root element is <${root.name}>, not <settingsSecurity>: this is not a Maven settings-security.xml`);
  const result: SecuritySettings = {};
  for (const child of children) {
    if (!KNOWN.has(child.name)) throw at(child, `<${child.name}> is not an element of settings-security.xml: Maven 3's reader rejects the file, so it decrypts nothing with it`);
    if (child.name === "configurations") continue;
    const key = child.name as "master" | "relocation";
    if (result[key] !== undefined) throw at(child, `<${key}> appears twice: Maven 3's reader rejects the file`);
    result[key] = javaTrim(textContent(text, child));
  }
  return result;
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
