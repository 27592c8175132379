// settings.xml <proxy> entries read as Maven reads them: the probe (Maven's settings builder, run with the same
// environment) is the judge of every field, ${env.X} resolved and padded values included.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readProxies, type SettingsProxy } from "../src/settings/proxies";
import { compileProbe } from "./helpers/maven";

const ENV: Record<string, string> = {
  PID: " padded-id ",
  ACTIVE: "true",
  PROTO: " https ",
  PHOST: "  proxy.example.com\t",
  PPORT: "3128",
  PUSER: " alice ",
  PPASS: " pa ss ",
  NPH: " *.internal|build ",
  EMPTY: "",
};

const proxy = (fields: Record<string, string>) => `    <proxy>\n${Object.entries(fields).map(([name, value]) => `      <${name}>${value}</${name}>\n`).join("")}    </proxy>\n`;

const SETTINGS = `<settings>\n  <proxies>\n${[
  proxy({ id: "${env.PID}", protocol: "${env.PROTO}", host: "${env.PHOST}", port: "3128", username: "${env.PUSER}", password: "${env.PPASS}", nonProxyHosts: "${env.NPH}" }),
  proxy({ id: "literal", active: " TRUE ", protocol: " HTTP ", host: " h.example.com ", port: " 8080 ", username: " u ", password: " p " }),
  proxy({ id: "expressions", active: "${env.ACTIVE}", host: "pre-${env.EMPTY}-post", port: "${env.PPORT}" }),
  proxy({ id: "off", active: "false", host: "off.example.com" }),
  proxy({ id: "unresolved", host: "${env.UNSET}", username: "${env.EMPTY}" }),
].join("")}  </proxies>\n</settings>\n`;

/** The fields Maven gives each proxy, in the probe's order; missing ones as "". */
type Fields = [id: string, active: string, protocol: string, host: string, port: string, username: string, password: string, nonProxyHosts: string];

const ours = (p: SettingsProxy): Fields => [p.id ?? "", String(p.active), p.protocol, p.host ?? "", p.port, p.username ?? "", p.password ?? "", p.nonProxyHosts ?? ""];

describe("settings.xml proxies as Maven reads them", { tags: ["maven"] }, () => {
  let maven: Fields[];
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), "anypoint-m2-proxies-"));
    writeFileSync(join(dir, "settings.xml"), SETTINGS);
    const [answer] = compileProbe().ask([`proxies\t${join(dir, "settings.xml")}`], { PATH: process.env.PATH ?? "/usr/bin:/bin", ...ENV });
    expect(answer).toMatch(/^ok /);
    maven = answer!.slice(3).split(" ").map((proxy) => proxy.split(",").map((b) => Buffer.from(b, "base64").toString("utf8")) as Fields);
  }, 60_000);

  it("reads as many proxies as Maven", () => {
    expect(maven.length).toBe(5);
    expect(readProxies(SETTINGS, ENV).length).toBe(maven.length);
  });

  it("reads every field as Maven does: resolved values trimmed, <active> and <port> never resolved", () => {
    const read = readProxies(SETTINGS, ENV).map(ours);
    // Maven keeps the protocol's case (anypoint-m2 compares it lower-cased), and reads a port it cannot parse as 0.
    const mavenSeen = maven.map(([id, active, protocol, host, port, ...rest]): Fields => [id, active, protocol.toLowerCase(), host, port, ...rest]);
    const oursSeen = read.map(([id, active, protocol, host, port, ...rest]): Fields => [id, active, protocol, host, /^\d+$/.test(port) ? port : "0", ...rest]);
    expect(oursSeen).toEqual(mavenSeen);
  });

  it("resolves and trims the first proxy's values", () => {
    expect(readProxies(SETTINGS, ENV)[0]).toMatchObject({ id: "padded-id", protocol: "https", host: "proxy.example.com", username: "alice", password: "pa ss", nonProxyHosts: "*.internal|build" });
  });
});
