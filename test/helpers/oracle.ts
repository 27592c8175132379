// An independent reading of settings files with fast-xml-parser, to check the engine's output with code
// that shares nothing with it.
import { XMLParser, XMLValidator } from "fast-xml-parser";

const parser = new XMLParser({
  isArray: (name) => name === "server" || name === "servers",
  parseTagValue: false,
  processEntities: true,
  htmlEntities: true,
  trimValues: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

export function validates(text: string): boolean {
  return XMLValidator.validate(text) === true;
}

export interface OracleServer {
  id?: string;
  username?: string;
  password?: string;
  [other: string]: unknown;
}

/** Drops whitespace between elements and trims values as Java's String.trim() (and so Maven) does. */
function clean(value: unknown): unknown {
  if (typeof value === "string") return value.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "");
  if (Array.isArray(value)) return value.map(clean);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "#text").map(([k, v]) => [k, clean(v)]));
  }
  return value;
}

/** The servers of the settings' own <servers>, as fast-xml-parser reads them. */
export function oracleServers(text: string): OracleServer[] {
  const doc = parser.parse(text) as { settings?: { servers?: { server?: OracleServer[] }[] } | string };
  const settings = typeof doc.settings === "object" ? doc.settings : undefined;
  const servers = settings?.servers?.[0];
  return typeof servers === "object" ? (servers.server ?? []).map((s) => (typeof s === "object" ? (clean(s) as OracleServer) : {})) : [];
}
