/** The <proxy> entries of a settings file, as Maven reads them (values trimmed, ${env.X} resolved). */
import { fieldValue, readSettings } from "./model";
import { interpolate } from "./interpolate";

export interface SettingsProxy {
  id: string | undefined;
  active: boolean;
  protocol: string;
  host: string | undefined;
  port: number;
  username: string | undefined;
  password: string | undefined;
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
      return {
        id: value("id"),
        active: (value("active") ?? "true").toLowerCase() === "true",
        protocol: (value("protocol") ?? "http").toLowerCase(),
        host: value("host"),
        port: Number.parseInt(value("port") ?? "8080", 10) || 8080,
        username: value("username"),
        password: value("password"),
        nonProxyHosts: value("nonProxyHosts"),
      };
    });
}
