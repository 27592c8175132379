// `list`: a header on every column, the client ID of connected apps as written, never a secret.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run, tempHome } from "./helpers/cli";

const SERVERS = [
  ["plain", "~~~Client~~~", "0123abcd~?~kListSecret1"],
  ["by-env", "~~~Client~~~", "${env.ANYPOINT_CLIENT_ID}~?~${env.ANYPOINT_CLIENT_SECRET}"],
  ["whole-env", "~~~Client~~~", "${env.EXCHANGE_PASSWORD}"],
  ["cdata", "~~~Client~~~", "<![CDATA[cdataid~?~kListSecret2]]>"],
  ["no-separator", "~~~Client~~~", "kListSecret3"],
  ["nexus", "deployer", "kListSecret4~?~kListSecret5"],
] as const;

function home(): string {
  const h = tempHome();
  mkdirSync(join(h, ".m2"));
  const servers = SERVERS.map(([id, user, password]) => `    <server>\n      <id>${id}</id>\n      <username>${user}</username>\n      <password>${password}</password>\n    </server>`);
  writeFileSync(join(h, ".m2", "settings.xml"), `<settings>\n  <servers>\n${servers.join("\n")}\n  </servers>\n</settings>\n`);
  return h;
}

const SECRETS = ["kListSecret1", "kListSecret2", "kListSecret3", "kListSecret4", "kListSecret5"];

describe("list", () => {
  it("--json gives each connected app's client ID as written, null when there is none, never a secret", async () => {
    const r = await run(["list", "--json"], { home: home(), env: { ANYPOINT_CLIENT_ID: "resolved-id" } });
    expect(r.code).toBe(0);
    const { servers } = JSON.parse(r.stdout) as { servers: { id: string; clientId: string | null }[] };
    expect(servers.map((s) => [s.id, s.clientId])).toEqual([
      ["plain", "0123abcd"],
      ["by-env", "${env.ANYPOINT_CLIENT_ID}"],
      ["whole-env", null],
      ["cdata", "cdataid"],
      ["no-separator", null],
      ["nexus", null],
    ]);
    for (const secret of [...SECRETS, "resolved-id"]) expect(r.stdout).not.toContain(secret);
  });

  it("prints a header over every column, the client ID among them", async () => {
    const r = await run(["list"], { home: home() });
    expect(r.code).toBe(0);
    const [, header, ...rows] = r.stdout.trimEnd().split("\n");
    expect(header!.trim().split(/ {2,}/)).toEqual(["ID", "USERNAME", "PASSWORD", "CLIENT ID", "LINE", "NOTES"]);
    expect(rows).toHaveLength(SERVERS.length);
    const cells = rows.map((row) => row.trim().split(/ {2,}/));
    expect(cells[0]).toEqual(["plain", "~~~Client~~~", "literal", "0123abcd", "3", "Anypoint connected app"]);
    expect(cells[5]).toEqual(["nexus", "deployer", "literal", "-", "28"]);
    // Every value starts under its column's header.
    const at = (name: string) => header!.indexOf(name);
    expect(rows[1]!.indexOf("${env.ANYPOINT_CLIENT_ID}")).toBe(at("CLIENT ID"));
    expect(rows[0]!.indexOf("Anypoint connected app")).toBe(at("NOTES"));
    for (const secret of SECRETS) expect(r.stdout).not.toContain(secret);
  });
});
