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
  entries: ServerEntry[];
}

/** Reads the model; a server with a repeated <id>, <username> or <password> is refused, as Maven does. */
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
  const all = settings.children.filter((c) => c.name === "servers");
  if (all.length > 1) {
    throw unsafeAt(text, all[1]!.start, "the file has more than one <servers> section, which Maven rejects", "Merge them into one <servers> and run again.");
  }
  const servers = all[0];
  const entries: ServerEntry[] = [];
  for (const element of servers?.children ?? []) {
    if (element.name !== "server") continue;
    let idElement: XmlElement | undefined;
    let username: XmlElement | undefined;
    let password: XmlElement | undefined;
    for (const child of element.children) {
      const name = child.name;
      const known = name === "id" ? idElement : name === "username" ? username : name === "password" ? password : null;
      if (known === null) continue;
      if (known) {
        throw unsafeAt(text, child.start, `a <server> has more than one <${name}>, which Maven rejects`, `Keep one <${name}> in that server and run again.`);
      }
      if (name === "id") idElement = child;
      else if (name === "username") username = child;
      else password = child;
    }
    entries.push({ element, id: idElement ? javaTrim(textContent(text, idElement)) : undefined, idElement, username, password });
  }
  return { doc, text, settings, servers, entries };
}

/** A field's value as Maven reads it: character data, trimmed. */
export function fieldValue(model: SettingsModel, element: XmlElement | undefined): string | undefined {
  return element ? javaTrim(textContent(model.text, element)) : undefined;
}
