// Pure parts of the credential check: where Anypoint is, where credentials come from, which proxy,
// what verify reads from settings.xml.
import { describe, expect, it } from "vitest";
import { gatherCredentials, requireCredentials, type CredentialInput } from "../src/anypoint/credentials";
import { hideCredentials, hideCredentialsInText, resolveBaseUrl } from "../src/anypoint/endpoint";
import { bypassedByNonProxyHosts, bypassedByNoProxy, chooseProxy } from "../src/anypoint/proxy";
import { Exit, M2Error } from "../src/errors";
import { readProxies } from "../src/settings/proxies";
import { storedCredentials } from "../src/settings/stored";

const resolveCredentials = (input: CredentialInput) => requireCredentials(gatherCredentials(input));

function usage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(M2Error);
    expect((e as M2Error).exitCode).toBe(Exit.usage);
    return (e as M2Error).message;
  }
  throw new Error("expected a usage error");
}

describe("control plane", () => {
  it.each([
    [{}, {}, "https://anypoint.mulesoft.com/"],
    [{ region: "eu" }, {}, "https://eu1.anypoint.mulesoft.com/"],
    [{ region: "gov" }, {}, "https://gov.anypoint.mulesoft.com/"],
    [{ region: "ca" }, {}, "https://ca1.platform.mulesoft.com/"],
    [{ region: "jp" }, {}, "https://jp1.platform.mulesoft.com/"],
    [{ host: "eu1.anypoint.mulesoft.com" }, {}, "https://eu1.anypoint.mulesoft.com/"],
    [{}, { ANYPOINT_HOST: "gov.anypoint.mulesoft.com" }, "https://gov.anypoint.mulesoft.com/"],
    [{}, { ANYPOINT_BASE_URL: "https://cp.example.com/prefix" }, "https://cp.example.com/prefix"],
    [{ baseUrl: "http://127.0.0.1:8080" }, {}, "http://127.0.0.1:8080/"],
    [{ region: "eu" }, { ANYPOINT_HOST: "gov.anypoint.mulesoft.com" }, "https://eu1.anypoint.mulesoft.com/"],
  ])("%j with env %j -> %s", (flags, env, expected) => {
    expect(resolveBaseUrl(flags, env).href).toBe(expected);
  });

  it.each([
    [{ region: "eu", host: "x.example.com" }, {}, "--region and --host"],
    [{ host: "a.example.com", baseUrl: "https://b.example.com" }, {}, "--host and --base-url"],
    [{}, { ANYPOINT_HOST: "a.example.com", ANYPOINT_BASE_URL: "https://b.example.com" }, "ANYPOINT_HOST and ANYPOINT_BASE_URL"],
    [{ baseUrl: "http://anypoint.mulesoft.com" }, {}, "https"],
    [{ host: "https://eu1.anypoint.mulesoft.com" }, {}, "without scheme"],
    [{ region: "mars" }, {}, "unknown region"],
    [{ baseUrl: "not a url" }, {}, "is not a URL"],
    [{ baseUrl: "https://user:Base-Pa55@cp.example.com" }, {}, "user name or password"],
    [{}, { ANYPOINT_BASE_URL: "https://user:Base-Pa55@[bad" }, "ANYPOINT_BASE_URL"],
    [{ baseUrl: "user:Base-Pa55@[bad" }, {}, "must use https"],
    [{ host: "user:Base-Pa55@cp.example.com" }, {}, "user name or password"],
  ])("refuses %j with env %j (%s)", (flags, env, message) => {
    const text = usage(() => resolveBaseUrl(flags, env));
    expect(text).toContain(message);
    expect(text).not.toContain("Base-Pa55");
  });
});

describe("a URL as it is shown loses its whole user name and password, valid URL or not", () => {
  it.each([
    ["http://corp:P@ssw0rdSecret@proxy:99999", "http://***@proxy:99999"],
    ["http://corp:P@ss/w0rd:Secret@proxy:3128", "http://***@proxy:3128"],
    ["http://corp:pass word Secret@proxy:3128", "http://***@proxy:3128"],
    ["corp:P@ssw0rdSecret@proxy:3128", "***@proxy:3128"],
    ["corp:pa/ssw0rdSecret@[bad", "***@[bad"],
    ["http:corp:P@ssw0rdSecret@proxy", "***@proxy"],
    ["https://corp:P@ssw0rdSecret@[bad", "https://***@[bad"],
    ["http://proxy:3128", "http://proxy:3128"],
    ["proxy.corp:3128", "proxy.corp:3128"],
  ])("%s -> %s", (value, shown) => {
    expect(hideCredentials(value)).toBe(shown);
  });

  it("in free text, word by word", () => {
    expect(hideCredentialsInText("connect to http://u:p@ss@proxy:1 failed; see a@b")).toBe("connect to http://***@proxy:1 failed; see ***@b");
  });
});

describe("credential sources", () => {
  it("prefers flags, then stdin, then the environment", () => {
    const env = { ANYPOINT_CLIENT_ID: "env-id", ANYPOINT_CLIENT_SECRET: "env-secret" };
    expect(resolveCredentials({ env })).toMatchObject({ clientId: "env-id", clientSecret: "env-secret", warnings: [] });
    expect(resolveCredentials({ env, clientId: "flag-id", stdinSecret: "stdin-secret\n" })).toMatchObject({ clientId: "flag-id", clientSecret: "stdin-secret" });
    const withFlag = resolveCredentials({ env, clientSecret: "flag-secret" });
    expect(withFlag.clientSecret).toBe("flag-secret");
    expect(withFlag.warnings.join()).toContain("process list");
  });

  it("trims surrounding whitespace with a warning", () => {
    const r = resolveCredentials({ env: { ANYPOINT_CLIENT_ID: " id\t", ANYPOINT_CLIENT_SECRET: "s3cr3t-value " } });
    expect(r).toMatchObject({ clientId: "id", clientSecret: "s3cr3t-value" });
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings.join()).not.toContain("s3cr3t");
  });

  it("names where each missing input could come from", () => {
    const message = usage(() => resolveCredentials({ env: {} }));
    expect(message).toContain("--client-id");
    expect(message).toContain("ANYPOINT_CLIENT_ID");
    expect(message).toContain("ANYPOINT_CLIENT_SECRET");
    expect(message).toContain("--client-secret-stdin");
    expect(message).toContain(".env");
  });

  it("refuses an empty value, naming its source", () => {
    expect(usage(() => resolveCredentials({ env: { ANYPOINT_CLIENT_ID: "id", ANYPOINT_CLIENT_SECRET: "  " } }))).toContain("ANYPOINT_CLIENT_SECRET");
    expect(usage(() => resolveCredentials({ env: { ANYPOINT_CLIENT_SECRET: "s" }, clientId: "" }))).toContain("--client-id");
  });
});

describe("proxy choice", () => {
  const https = new URL("https://anypoint.mulesoft.com/accounts/api/v2/oauth2/token");

  it("uses HTTPS_PROXY for https, lower case first, with credentials from the URL", () => {
    expect(chooseProxy(https, { HTTPS_PROXY: "http://upper:3128", https_proxy: "http://u%40x:p%3Aw@lower:3128" }, [])).toEqual({
      url: new URL("http://lower:3128"),
      auth: { username: "u@x", password: "p:w" },
      source: "https_proxy",
    });
    expect(chooseProxy(https, { HTTP_PROXY: "http://only-http:3128" }, [])).toBeUndefined();
    expect(chooseProxy(new URL("http://127.0.0.1:1/"), { HTTP_PROXY: "proxy:8080" }, [])?.url.href).toBe("http://proxy:8080/");
  });

  it.each([
    ["anypoint.mulesoft.com", true],
    [".mulesoft.com", true],
    ["*.mulesoft.com", true],
    ["mulesoft.com", true],
    ["other.com,mulesoft.com", true],
    ["*", true],
    ["anypoint.mulesoft.com:443", true],
    ["anypoint.mulesoft.com:8443", false],
    ["soft.com", false],
    ["", false],
  ])("NO_PROXY=%j bypasses: %s", (noProxy, bypassed) => {
    expect(bypassedByNoProxy(https, noProxy)).toBe(bypassed);
  });

  it.each([
    ["*.mulesoft.com", true],
    ["localhost|anypoint.mulesoft.com", true],
    ["*.example.com|build", false],
  ])("nonProxyHosts=%j bypasses: %s", (hosts, bypassed) => {
    expect(bypassedByNonProxyHosts(https, hosts)).toBe(bypassed);
  });

  const settings = `<settings><proxies>
    <proxy><id>off</id><active>false</active><host>off.example.com</host></proxy>
    <proxy><id>secure</id><protocol>https</protocol><host>secure.example.com</host><port>8443</port></proxy>
    <proxy><id>corp</id><host>corp.example.com</host><port>3128</port><username>\${env.PROXY_USER}</username><password>p&amp;w</password><nonProxyHosts>*.internal</nonProxyHosts></proxy>
  </proxies></settings>`;

  it("falls back to the first active settings.xml proxy for the protocol when no variable is set", () => {
    const proxies = readProxies(settings, { PROXY_USER: "alice" });
    expect(chooseProxy(https, {}, proxies)).toMatchObject({ url: new URL("https://secure.example.com:8443"), source: "settings.xml <proxy> secure" });
    expect(chooseProxy(new URL("http://anypoint.mulesoft.com"), {}, proxies)).toEqual({
      url: new URL("http://corp.example.com:3128"),
      auth: { username: "alice", password: "p&w" },
      source: "settings.xml <proxy> corp",
    });
    expect(chooseProxy(new URL("http://cp.internal"), {}, proxies)).toBeUndefined();
  });

  it("does not send a proxy password encrypted with Maven's master password", () => {
    const encrypted = `<settings><proxies><proxy><id>p</id><host>h</host><username>u</username><password>{COQLCE6DU6GtcS5P=}</password></proxy></proxies></settings>`;
    expect(chooseProxy(https, {}, readProxies(encrypted, {}))).toEqual({ url: new URL("http://h:8080"), auth: undefined, source: "settings.xml <proxy> p" });
  });

  it.each([
    ["HTTP_PROXY", "http://[bad"],
    ["https_proxy", "http://corp-user:Pr0xy-Pa55@[bad"],
    ["https_proxy", "corp-user:Pr0xy-Pa55@[bad"],
    ["HTTPS_PROXY", "http://corp-user:Pr0xy-Pa55@proxy:99999"],
    ["HTTPS_PROXY", "http://corp:P@Pr0xy-Pa55@proxy:99999"],
    ["HTTPS_PROXY", "http://corp:Pr0xy-Pa55/@x@[bad"],
    ["ALL_PROXY", "http://corp-user:%zzPr0xy-Pa55@proxy:3128"],
    ["https_proxy", "ftp://proxy:21"],
  ])("a %s that is no usable proxy URL is a usage error naming it, without its password", (name, value) => {
    const target = name === "HTTP_PROXY" ? new URL("http://127.0.0.1:8080/") : https;
    const text = usage(() => chooseProxy(target, { [name]: value }, []));
    expect(text).toContain(name);
    expect(text).not.toContain("Pr0xy-Pa55");
  });

  it.each([
    ["<port>abc</port>", 'port "abc"'],
    ["<port>70000</port>", 'port "70000"'],
    ["<port>${env.UNSET_PORT}</port>", 'port "${env.UNSET_PORT}"'],
    ["<host>proxy host</host>", 'host "proxy host"'],
    ["<host>proxy/path</host>", 'host "proxy/path"'],
    ["<host>corp:Pr0xy-Pa55@proxy</host>", 'host "***@proxy"'],
    ["<host>corp:P@Pr0xy-Pa55@proxy</host>", 'host "***@proxy"'],
  ])("a settings.xml <proxy> with %s is a usage error naming the proxy and its line", (field, message) => {
    const text = `<settings>\n<proxies>\n  <proxy>\n    <id>corp</id><host>proxy.example.com</host><port>3128</port>\n    <username>u</username><password>Pr0xy-Pa55</password>\n  </proxy>\n</proxies></settings>`;
    const broken = text.replace(field.startsWith("<port>") ? "<port>3128</port>" : "<host>proxy.example.com</host>", field);
    try {
      chooseProxy(https, {}, readProxies(broken, {}));
    } catch (e) {
      expect(e).toBeInstanceOf(M2Error);
      const error = e as M2Error;
      expect(error.exitCode).toBe(Exit.usage);
      expect(error.message).toContain("<proxy> corp");
      expect(error.message).toContain(message);
      expect(error.message).not.toContain("Pr0xy-Pa55");
      expect(error.details.line).toBe(3);
      return;
    }
    throw new Error("expected a usage error");
  });

  it("ignores settings.xml proxies when any proxy variable is set", () => {
    expect(chooseProxy(https, { HTTP_PROXY: "http://env:1" }, readProxies(settings, {}))).toBeUndefined();
    expect(chooseProxy(https, { NO_PROXY: "x" }, readProxies(settings, {}))?.source).toBe("settings.xml <proxy> secure");
  });
});

describe("stored credentials, as verify reads them", () => {
  const file = (password: string, username = "~~~Client~~~") => `<settings>
  <servers>
    <server><id>exchange</id><username>${username}</username><password>${password}</password></server>
    <server><id>exchange</id><username>~~~Client~~~</username><password>second~?~ignored</password></server>
  </servers>
</settings>`;

  it("reads the first server with the id and splits at the first ~?~", () => {
    expect(storedCredentials(file("abc~?~s~?~&amp;x"), "exchange", {})).toEqual({ clientId: "abc", clientSecret: "s~?~&x", line: 3 });
  });

  it("resolves ${env.X} from the environment", () => {
    expect(storedCredentials(file("${env.CID}~?~${env.CSECRET}"), "exchange", { CID: "id1", CSECRET: "sec1" })).toMatchObject({ clientId: "id1", clientSecret: "sec1" });
  });

  it.each([
    [file("${env.CID}~?~x"), "${env.CID}"],
    [file("{COQLCE6DU6GtcS5P=}"), "encrypted"],
    [file("no-separator"), "clientID~?~clientSecret"],
    [file("id~?~s", "deployer"), "not an Anypoint connected app"],
  ])("refuses %#: %s", (text, message) => {
    expect(usage(() => storedCredentials(text, "exchange", {}))).toContain(message);
  });

  it("names the servers there are when the id is missing", () => {
    try {
      storedCredentials(file("a~?~b"), "other", {});
    } catch (e) {
      expect((e as M2Error).details.hint).toContain("exchange");
      return;
    }
    throw new Error("expected an error");
  });
});
