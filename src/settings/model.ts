/** Finds what Maven reads in a settings.xml: the `<settings>` root, its one `<servers>`, each `<server>`. */
import { unsafeAt } from "../errors";
import { javaTrim, scanXml, textContent, type XmlDocument, type XmlElement } from "../xml/scan";

export interface ServerEntry {
  element: XmlElement;
  /** The id as Maven reads it (trimmed), or undefined when the server has no <id>. */
  id: string | undefined;
  idElement: XmlElement | undefined;
  username: XmlElement | undefined;
  password: XmlElement | undefined;
}

export interface SettingsModel {
  doc: XmlDocument;
  text: string;
  settings: XmlElement;
  servers: XmlElement | undefined;
}

const SERVER_FIELDS = ["id", "username", "password"] as const;

export function readSettings(text: string): SettingsModel {
  const doc = scanXml(text);
  const settings = doc.root;
  if (settings.name !== "settings") {
    const prefixed = settings.name.endsWith(":settings");
    throw unsafeAt(
      text,
      settings.start,
      prefixed
        ? `the root element is <${settings.name}>: with a namespace prefix Maven reads no servers from it`
        : `the root element is <${settings.name}>, not <settings>: this is not a Maven settings file`,
      prefixed ? "Write the root as <settings xmlns=\"...\"> without a prefix." : "Point --settings at your Maven settings.xml.",
    );
  }
  let servers: XmlElement | undefined;
  settings.forEachChild("servers", (element) => {
    if (servers) {
      throw unsafeAt(text, element.start, "the file has more than one <servers> section, which Maven rejects", "Merge them into one <servers> and run again.");
    }
    servers = element;
  });
  return { doc, text, settings, servers };
}

/** A server's fields; one with a repeated <id>, <username> or <password> is refused, as Maven does. */
function entry(text: string, element: XmlElement): ServerEntry {
  const { found, repeated } = element.fields(SERVER_FIELDS);
  if (repeated) {
    throw unsafeAt(text, repeated.start, `a <server> has more than one <${repeated.name}>, which Maven rejects`, `Keep one <${repeated.name}> in that server and run again.`);
  }
  const [idElement, username, password] = found;
  return { element, id: idElement ? javaTrim(textContent(text, idElement)) : undefined, idElement, username, password };
}

/** Every <server> of the settings' own <servers>, in order. */
export function serverEntries(model: SettingsModel): ServerEntry[] {
  const entries: ServerEntry[] = [];
  model.servers?.forEachChild("server", (element) => {
    entries.push(entry(model.text, element));
  });
  return entries;
}

/** Whether an <id> holds `id` as Maven reads it; compares the text as written first, decodes only when needed. */
function idIs(text: string, element: XmlElement, id: string): boolean {
  let a = element.openEnd;
  let b = element.closeStart;
  while (a < b && text.charCodeAt(a) <= 0x20) a++;
  while (b > a && text.charCodeAt(b - 1) <= 0x20) b--;
  if (b - a === id.length && text.startsWith(id, a)) return true;
  for (let i = a; i < b; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x26 /* & */ || c === 0x3c /* < */) return javaTrim(textContent(text, element)) === id;
  }
  return false;
}

/** The servers with this id, in order (Maven uses the first); fast on files with many servers. */
export function serversWithId(model: SettingsModel, id: string): ServerEntry[] {
  const matches: ServerEntry[] = [];
  model.servers?.forEachChild("server", (element) => {
    const idElement = element.child("id");
    if (idElement && idIs(model.text, idElement, id)) matches.push(entry(model.text, element));
  });
  return matches;
}

/** A field's value as Maven reads it: character data, trimmed. */
export function fieldValue(model: SettingsModel, element: XmlElement | undefined): string | undefined {
  return element ? javaTrim(textContent(model.text, element)) : undefined;
}
