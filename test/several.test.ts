// Several server ids in one change: the engine over fixtures/several (exact after.xml, one <servers> created
// for all), Maven's settings builder resolving each id, and the CLI writing them in one write with one backup.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { M2Error } from "../src/errors";
import { changeBytes } from "../src/settings/bytes";
import { upsertServers, type OnExisting } from "../src/settings/servers";
import { controlPlane, tokenEndpoint, type ControlPlane } from "./helpers/anypoint";
import { run, tempHome } from "./helpers/cli";
import { b64, compileProbe, type Probe } from "./helpers/maven";

interface Case {
  servers: string[];
  onExisting?: OnExisting;
  change: string;
  changes: string[];
}

const root = join(import.meta.dirname, "..", "fixtures", "several");
const cases = readdirSync(root).sort();
const server = (id: string) => ({ id, username: "~~~Client~~~", password: "cid~?~sec" });
const upsert = (bytes: Uint8Array, c: Case) => changeBytes(bytes, (text) => upsertServers(text, c.servers.map(server), c.onExisting ?? "update"));
const caseOf = (name: string) => JSON.parse(readFileSync(join(root, name, "case.json"), "utf8")) as Case;

describe("several servers in one change", () => {
  it("has cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(5);
  });

  it.each(cases)("%s", (name) => {
    const c = caseOf(name);
    const result = upsert(readFileSync(join(root, name, "before.xml")), c);
    expect(Buffer.from(result.bytes).toString("latin1")).toBe(readFileSync(join(root, name, "after.xml"), "latin1"));
    expect(result.change).toBe(c.change);
    expect(result.servers!.map((s) => s.change)).toEqual(c.changes);
    // The same again changes nothing.
    const again = upsert(result.bytes, c);
    expect(again.change).toBe("unchanged");
    expect(Buffer.compare(again.bytes, result.bytes)).toBe(0);
  });

  it("a file without <servers> gets one <servers>, holding every new server", () => {
    const result = upsert(readFileSync(join(root, "no-servers-section", "before.xml")), caseOf("no-servers-section"));
    const text = Buffer.from(result.bytes).toString("utf8");
    expect(text.match(/<servers>/g)).toHaveLength(1);
    expect(text.match(/<server>/g)).toHaveLength(3);
  });

  it("--on-existing fail with one id that exists: refused, naming it, whatever the others", () => {
    let caught: unknown;
    try {
      upsert(readFileSync(join(root, "update-one-add-two", "before.xml")), { servers: ["new-one", "anypoint-exchange-v3"], onExisting: "fail", change: "", changes: [] });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(M2Error);
    expect((caught as M2Error).exitCode).toBe(5);
    expect((caught as M2Error).message).toContain('"anypoint-exchange-v3" already exists');
    expect((caught as M2Error).details.line).toBe(8);
  });

  describe("Maven's settings builder", { tags: ["maven"] }, () => {
    let probe: Probe;
    beforeAll(() => {
      probe = compileProbe();
    });

    it("resolves each id of each result to the credentials written (the kept one to its own)", () => {
      const requests: string[] = [];
      const expected: string[] = [];
      for (const name of cases) {
        const c = caseOf(name);
        const file = join(root, name, "after.xml");
        c.servers.forEach((id, i) => {
          requests.push(["server", file, id].join("\t"));
          const kept = c.changes[i] === "unchanged";
          expected.push(`ok ${b64("~~~Client~~~")} ${b64(kept ? "old~?~old-secret" : "cid~?~sec")}`);
        });
      }
      expect(requests.length).toBeGreaterThan(10);
      expect(probe.ask(requests)).toEqual(expected);
    });
  });
});

describe("setup with several ids (the built CLI)", { tags: ["maven"] }, () => {
  const CLIENT_ID = "5f1e2d3c4b5a69788796a5b4c3d2e1f0";
  const SECRET = "Several-Ids-Secret-41";
  const TOKEN = "tok-4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8";
  let anypoint: ControlPlane;
  let probe: Probe;
  beforeAll(async () => {
    anypoint = await controlPlane();
    probe = compileProbe();
  });
  afterAll(async () => {
    await anypoint.close();
  });

  it("one token request, one write, one backup holding the file as it was; --json reports each id; Maven resolves each", async () => {
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const home = tempHome();
    mkdirSync(join(home, ".m2"));
    const settings = join(home, ".m2", "settings.xml");
    const original = readFileSync(join(root, "update-one-add-two", "before.xml"));
    writeFileSync(settings, original);
    const r = await run(["setup", "--client-id", CLIENT_ID, "--server-id", "Repository", "--server-id", "anypoint-exchange-v3", "--server-id", "exchange-v2", "--on-existing", "update", "--yes", "--json"], {
      home,
      env: { ANYPOINT_CLIENT_SECRET: SECRET, ANYPOINT_BASE_URL: anypoint.url },
    });
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({
      serverId: "Repository",
      change: "updated",
      verified: true,
      servers: [
        { serverId: "Repository", change: "added" },
        { serverId: "anypoint-exchange-v3", change: "updated" },
        { serverId: "exchange-v2", change: "added" },
      ],
    });
    expect(anypoint.requests.filter((q) => q.url === "/accounts/api/v2/oauth2/token")).toHaveLength(1);
    // Written once: a second write would have left the first one's result as the backup.
    expect(readFileSync(`${settings}.bak`)).toEqual(original);
    expect(readdirSync(join(home, ".m2")).sort()).toEqual(["settings.xml", "settings.xml.bak"]);
    const answers = probe.ask(["Repository", "anypoint-exchange-v3", "exchange-v2", "nexus"].map((id) => ["server", settings, id].join("\t")));
    expect(answers.slice(0, 3)).toEqual(Array(3).fill(`ok ${b64("~~~Client~~~")} ${b64(`${CLIENT_ID}~?~${SECRET}`)}`));
    expect(answers[3]).toBe(`ok ${b64("deployer")} ${b64("nexus-pw")}`);
    expect(`${r.stdout}${r.stderr}`).not.toContain(SECRET);
    expect(`${r.stdout}${r.stderr}`).not.toContain(TOKEN);
  });

  it("prints a line for each id, and the same id twice counts once", async () => {
    const home = tempHome();
    const r = await run(["setup", "--server-id", "a", "--server-id", "b", "--server-id", "a", "--no-verify", "--yes"], {
      home,
      env: { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Added server "a" to ${join(home, ".m2", "settings.xml")} (new file).`);
    expect(r.stdout).toContain(`Added server "b" to ${join(home, ".m2", "settings.xml")}.`);
    expect(r.stdout).toContain("Next: use these ids (<id>a</id>, <id>b</id>)");
    expect(readFileSync(join(home, ".m2", "settings.xml"), "utf8").match(/<id>a<\/id>/g)).toHaveLength(1);
  });

  it("an empty --server-id among others is a usage error, and nothing is written", async () => {
    const home = tempHome();
    const r = await run(["setup", "--server-id", "a", "--server-id=", "--no-verify", "--yes"], { home, env: { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--server-id needs a value");
    expect(existsSync(join(home, ".m2"))).toBe(false);
  });
});

