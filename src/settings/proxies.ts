/** The <proxy> entries of a settings file, as Maven reads them (values trimmed, ${env.X} resolved). */
import { fieldValue, readSettings } from "./model";
import { interpolate, isEncrypted } from "./interpolate";

export interface SettingsProxy {
  id: string | undefined;
  active: boolean;
  protocol: string;
  host: string | undefined;
  port: number;
  username: string | undefined;
  /** undefined when missing, or encrypted with Maven's master password (not supported yet). */
  password: string | undefined;
  encryptedPassword: boolean;
  nonProxyHosts: string | undefined;
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
        port: Number.parseInt(value("port") ?? "8080", 10) || 8080,
        username: value("username"),
        password: encryptedPassword ? undefined : password,
        encryptedPassword,
        nonProxyHosts: value("nonProxyHosts"),
      };
    });
}
