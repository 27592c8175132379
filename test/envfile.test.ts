// The env file: which variables it supplied (names only), and values dotenv cuts at "#".
import * as fs from "node:fs";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadEnvironment } from "../src/io/envfile";

function folderWith(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), "anypoint-m2-envfile-"));
  writeFileSync(join(dir, ".env"), content);
  return dir;
}

describe("env file", () => {
  it("says which variables it supplied: not those the environment already set", async () => {
    const dir = folderWith("ANYPOINT_CLIENT_ID=file-id\nANYPOINT_CLIENT_SECRET=file-secret\nexport ANYPOINT_HOST=eu1.anypoint.mulesoft.com\n");
    const loaded = await loadEnvironment(fs, { ANYPOINT_CLIENT_SECRET: "env-secret", EMPTY: "" }, undefined, dir);
    expect(loaded.file).toBe(join(dir, ".env"));
    expect(loaded.supplied).toEqual(["ANYPOINT_CLIENT_ID", "ANYPOINT_HOST"]);
    expect(loaded.env).toMatchObject({ ANYPOINT_CLIENT_ID: "file-id", ANYPOINT_CLIENT_SECRET: "env-secret", ANYPOINT_HOST: "eu1.anypoint.mulesoft.com", EMPTY: "" });
    expect(loaded.warnings).toEqual([]);
  });

  it("no file, or --no-env-file: nothing supplied", async () => {
    const dir = mkdtempSync(join(tmpdir(), "anypoint-m2-envfile-"));
    expect(await loadEnvironment(fs, { A: "1" }, undefined, dir)).toEqual({ env: { A: "1" }, file: undefined, supplied: [], warnings: [] });
    expect(await loadEnvironment(fs, { A: "1" }, false, folderWith("B=2\n"))).toEqual({ env: { A: "1" }, file: undefined, supplied: [], warnings: [] });
  });

  it("warns, by name and line and without the value, when an unquoted value is cut at '#'", async () => {
    const dir = folderWith(
      [
        "ANYPOINT_CLIENT_ID=plain # after a space: said neutrally on a credential's line",
        "ANYPOINT_HOST=eu1.anypoint.mulesoft.com # after a space, elsewhere: a comment, nothing said",
        "ANYPOINT_CLIENT_SECRET=abc#def",
        'QUOTED="a#b"',
        "EMPTY_NOW=#xyz",
        "SET_IN_ENV=q#r",
        "REDEFINED=s#t",
        "REDEFINED=fine",
      ].join("\n"),
    );
    // Named, so that every variable is taken (./.env gives only the credentials).
    const loaded = await loadEnvironment(fs, { SET_IN_ENV: "from-env" }, join(dir, ".env"), dir);
    // What dotenv makes of them: the warnings are about this.
    expect(loaded.env).toMatchObject({ ANYPOINT_CLIENT_ID: "plain", ANYPOINT_HOST: "eu1.anypoint.mulesoft.com", ANYPOINT_CLIENT_SECRET: "abc", QUOTED: "a#b", EMPTY_NOW: "", REDEFINED: "fine" });
    expect(loaded.warnings).toEqual([
      `ANYPOINT_CLIENT_ID in ${join(dir, ".env")} (line 1) is read up to " #": dotenv takes the rest of the line as a comment; if the "#" and what follows belong to the value, put it in quotes (ANYPOINT_CLIENT_ID="…")`,
      `ANYPOINT_CLIENT_SECRET in ${join(dir, ".env")} (line 3) ends at "#": dotenv reads the rest of the line as a comment; put the value in quotes (ANYPOINT_CLIENT_SECRET="…") to keep the "#"`,
      `EMPTY_NOW in ${join(dir, ".env")} (line 5) ends at "#": dotenv reads the rest of the line as a comment; put the value in quotes (EMPTY_NOW="…") to keep the "#"`,
    ]);
    expect(loaded.warnings.join()).not.toMatch(/abc|def|xyz|plain/);
  });

  it("./.env gives credentials and region hosts, never a base URL, another host or a proxy; --env-file may", async () => {
    const content = "ANYPOINT_CLIENT_ID=id\nANYPOINT_BASE_URL=https://evil.example\nHTTPS_PROXY=http://evil:1\nno_proxy=*\n";
    const implicit = await loadEnvironment(fs, {}, undefined, folderWith(content));
    expect(implicit.supplied).toEqual(["ANYPOINT_CLIENT_ID"]);
    expect(implicit.env).toEqual({ ANYPOINT_CLIENT_ID: "id" });
    expect(implicit.warnings).toEqual([expect.stringContaining("ignored ANYPOINT_BASE_URL, HTTPS_PROXY, no_proxy from")]);
    const hosts = await loadEnvironment(fs, {}, undefined, folderWith("ANYPOINT_HOST=eu1.anypoint.mulesoft.com\n"));
    expect(hosts.env).toEqual({ ANYPOINT_HOST: "eu1.anypoint.mulesoft.com" });
    const other = await loadEnvironment(fs, {}, undefined, folderWith("ANYPOINT_HOST=anypoint.evil.example\n"));
    expect(other.env).toEqual({});
    const dir = folderWith(content);
    const named = await loadEnvironment(fs, {}, join(dir, ".env"), dir);
    expect(named.supplied).toEqual(["ANYPOINT_CLIENT_ID", "ANYPOINT_BASE_URL", "HTTPS_PROXY", "no_proxy"]);
    expect(named.warnings).toEqual([]);
  });

  it("./.env gives nothing but the credentials: the Exchange URL and the rest are not taken, and only what anypoint-m2 reads is named", async () => {
    const dir = folderWith(
      [
        "ANYPOINT_CLIENT_SECRET=s",
        "ANYPOINT_EXCHANGE_URL=https://evil.example/maven",
        "MAVEN_OPTS=-Duser.home=/tmp/evil",
        "MAVEN_ARGS=-s /tmp/evil.xml",
        "DEBUG=1",
        "NO_COLOR=1",
        "DATABASE_URL=postgres://db",
        "ALL_PROXY=http://evil:1",
      ].join("\n"),
    );
    const loaded = await loadEnvironment(fs, { PATH: "/bin" }, undefined, dir);
    expect(loaded.env).toEqual({ PATH: "/bin", ANYPOINT_CLIENT_SECRET: "s" });
    expect(loaded.supplied).toEqual(["ANYPOINT_CLIENT_SECRET"]);
    expect(loaded.warnings).toEqual([
      `ignored ANYPOINT_EXCHANGE_URL, ALL_PROXY from ${join(dir, ".env")}: from a project's .env only the credentials (and a region's ANYPOINT_HOST) are read, as a project does not choose where credentials are sent; pass --env-file ${join(dir, ".env")} to use it`,
    ]);
  });

  it("refuses an env file that is not UTF-8 text (UTF-16, as some editors save it)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "anypoint-m2-envfile-"));
    writeFileSync(join(dir, ".env"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("ANYPOINT_CLIENT_ID=x\n", "utf16le")]));
    await expect(loadEnvironment(fs, {}, undefined, dir)).rejects.toThrow("is not UTF-8 text (it looks like UTF-16)");
  });
});
