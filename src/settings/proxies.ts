/**
 * The <proxy> entries of a settings file, as Maven reads them (checked with the probe in test/proxies.test.ts):
 * Maven parses the file (values trimmed), then resolves ${env.X} in it and parses it again, so a resolved value
 * is trimmed too; <active> and <port> are parsed into a boolean and a number before anything is resolved, so an
 * expression there is never resolved (Maven reads it as false, and as port 0).
 */
import { lineColumn } from "../errors";
import { javaTrim } from "../xml/scan";
import { fieldValue, readSettings } from "./model";
import { interpolate, isEncrypted } from "./interpolate";

export interface SettingsProxy {
  /** As Maven reads it: not to be shown (it may hold an environment variable's value). */
  id: string | undefined;
  /** The id to show: `id`, or as written when a value from the environment went into it. */
  shownId: string | undefined;
  active: boolean;
  protocol: string;
  host: string | undefined;
  /** As written, never resolved (Maven's default 8080 when missing); checked when the proxy is used. */
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
  return proxies.children()
    .filter((p) => p.name === "proxy")
    .map((p) => {
      const written = (name: string) => fieldValue(model, p.child(name));
      const value = (name: string) => {
        const raw = written(name);
        return raw === undefined ? undefined : javaTrim(interpolate(raw, env).value);
      };
      const password = value("password");
      const encryptedPassword = password !== undefined && isEncrypted(password);
      const id = written("id");
      const resolvedId = id === undefined ? undefined : interpolate(id, env);
      return {
        id: resolvedId === undefined ? undefined : javaTrim(resolvedId.value),
        shownId: resolvedId === undefined ? undefined : javaTrim(resolvedId.fromEnv ? id! : resolvedId.value),
        // Java's Boolean.valueOf: "true" in any case is true, anything else false.
        active: (written("active") ?? "true").toLowerCase() === "true",
        protocol: (value("protocol") ?? "http").toLowerCase(),
        host: value("host"),
        port: written("port") ?? "8080",
        username: value("username"),
        password: encryptedPassword ? undefined : password,
        encryptedPassword,
        nonProxyHosts: value("nonProxyHosts"),
        line: lineColumn(text, p.start).line,
      };
    });
}
