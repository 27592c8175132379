/** The <proxy> entries of a settings file, as Maven reads them (values trimmed, ${env.X} resolved). */
import { lineColumn } from "../errors";
import { fieldValue, readSettings } from "./model";
import { interpolate, isEncrypted } from "./interpolate";

export interface SettingsProxy {
  id: string | undefined;
  active: boolean;
  protocol: string;
  host: string | undefined;
  /** As written (Maven's default 8080 when missing); checked when the proxy is used. */
  port: string;
  username: string | undefined;
  /** undefined when missing, or encrypted with Maven's master password (not supported yet). */
  password: string | undefined;
  encryptedPassword: boolean;
  nonProxyHosts: string | undefined;
  /** 1-based line of the <proxy>, for messages. */
  line: number;
}

export function readProxies(text: string, env: Record<string, string | undefined>): SettingsProxy[] {
  const model = readSettings(text);
  const proxies = model.settings.child("proxies");
  if (!proxies) return [];
  return proxies.children
    .filter((p) => p.name === "proxy")
    .map((p) => {
      const value = (name: string) => {
        const raw = fieldValue(model, p.child(name));
        return raw === undefined ? undefined : interpolate(raw, env).value;
      };
      const password = value("password");
      const encryptedPassword = password !== undefined && isEncrypted(password);
      return {
        id: value("id"),
        active: (value("active") ?? "true").toLowerCase() === "true",
        protocol: (value("protocol") ?? "http").toLowerCase(),
        host: value("host"),
        port: value("port") ?? "8080",
        username: value("username"),
        password: encryptedPassword ? undefined : password,
        encryptedPassword,
        nonProxyHosts: value("nonProxyHosts"),
        line: lineColumn(text, p.start).line,
      };
    });
}
