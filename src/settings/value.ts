/** Values written into settings.xml: checked so that Maven reads back exactly what was asked, then escaped. */
import { Exit, M2Error } from "../errors";
import { findInvalidChar, javaTrim } from "../xml/scan";

/** Throws a usage error (exit 2) when Maven could not read `value` back unchanged. */
export function checkValue(label: string, value: string): void {
  if (value === "") throw new M2Error(Exit.usage, `the ${label} is empty`);
  const bad = findInvalidChar(value);
  if (bad >= 0) {
    const cp = value.codePointAt(bad)!.toString(16).toUpperCase().padStart(4, "0");
    throw new M2Error(Exit.usage, `the ${label} holds character U+${cp}, which an XML file cannot hold`);
  }
  if (javaTrim(value) !== value) {
    throw new M2Error(Exit.usage, `the ${label} starts or ends with whitespace, which Maven strips when it reads settings.xml`);
  }
}

/** Escapes character data: & < > always, CR as a reference so that it survives line-end normalisation. */
export function escapeText(value: string): string {
  return value.replace(/[&<>\r]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&#13;"));
}
