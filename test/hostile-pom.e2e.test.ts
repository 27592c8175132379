// A hostile pom or settings file costs bounded time and memory: the work is linear in the number of
// repositories and servers, and no interpolated value grows past 64 KiB. The outcome is asserted; time only
// with a bound ten times above a normal run, to catch a quadratic blow-up, never as a speed goal (bench/ has those).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run, tempHome } from "./helpers/cli";

const EXCHANGE = "https://maven.anypoint.mulesoft.com/api/v3/maven";
const env = { ANYPOINT_CLIENT_ID: "5b1e2c3d4f5a6b7c8d9e0f1a2b3c4d5e", ANYPOINT_CLIENT_SECRET: "Hostile-Pom-Secret-3" };
/** A heap a small CI container gives: a run that needs more fails here instead of passing slowly. */
const SMALL_HEAP = { NODE_OPTIONS: "--max-old-space-size=256" };
/** Ten times what a run over 20,000 repositories takes here (1-2 s on a loaded machine). */
const BOUND_MS = 20_000;

interface Finding {
  code: string;
  message: string;
}

function project(pom: string, settings?: string): string {
  const home = tempHome();
  writeFileSync(join(home, "pom.xml"), pom);
  mkdirSync(join(home, ".m2"));
  if (settings !== undefined) writeFileSync(join(home, ".m2", "settings.xml"), settings, { mode: 0o600 });
  return home;
}

describe("a pom whose properties double each other", () => {
  // 2 KB: <aN>${aN-1}${aN-1}</aN> 60 times; ${a60} would be 2^60 times the first value.
  const properties = ["<a0>x</a0>", ...Array.from({ length: 60 }, (_, i) => `<a${i + 1}>\${a${i}}\${a${i}}</a${i + 1}>`)].join("");
  const pom = `<project><modelVersion>4.0.0</modelVersion><groupId>g</groupId><artifactId>a</artifactId><version>1</version><properties>${properties}</properties><repositories><repository><id>ex-\${a60}</id><url>${EXCHANGE}</url></repository></repositories></project>\n`;

  it("is 2 KB", () => {
    expect(pom.length).toBeLessThan(2200);
  });

  it("doctor reports the id unresolved, past 64 KiB, within a 256 MB heap", async () => {
    const home = project(pom);
    const r = await run(["doctor", "--offline", "--json"], { home, env: { ...env, ...SMALL_HEAP } });
    expect(r.code, r.stderr).toBe(7);
    const findings = (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
    expect(findings.filter((f) => f.code === "pom-unresolved").map((f) => f.message)).toEqual([
      expect.stringMatching(/^the id of an Exchange repository \(repositories\) is ex-\$\{a60\}, and resolving \$\{a\d+\} passes 64 KiB/),
    ]);
    expect(findings.map((f) => f.code)).not.toContain("pom-unreadable");
  });

  it("setup --from-pom says so and takes no id from it, within a 256 MB heap", async () => {
    const home = project(pom);
    const r = await run(["setup", "--from-pom", "--no-verify", "--yes", "--dry-run", "--json"], { home, env: { ...env, ...SMALL_HEAP } });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { servers: { serverId: string }[]; warnings: string[] };
    expect(result.servers.map((s) => s.serverId)).toEqual(["anypoint-exchange-v3"]);
    expect(result.warnings.join("\n")).toContain("passes 64 KiB");
  });
});

describe("a pom of many profiles, each with properties of its own, whose URLs hold a 64 KB property", () => {
  const big = "x".repeat(65_000);
  const profiles = Array.from({ length: 1000 }, (_, k) => {
    const repositories = Array.from({ length: 50 }, (_, i) => `<repository><id>r${k}_${i}</id><url>https://maven.anypoint.mulesoft.com/\${big}</url></repository>`).join("");
    return `<profile><id>p${k}</id><properties><z>1</z></properties><repositories>${repositories}</repositories></profile>`;
  });
  const pom = `<project><modelVersion>4.0.0</modelVersion><groupId>g</groupId><artifactId>a</artifactId><version>1</version><properties><big>${big}</big></properties><profiles>${profiles.join("")}</profiles></project>\n`;

  // Once an out-of-memory crash: each profile's interpolator had a budget of its own (1,000 times 64 MiB).
  it("doctor ends with its findings within a 256 MB heap: one budget for the whole pom", async () => {
    const home = project(pom);
    const r = await run(["doctor", "--offline", "--json"], { home, env: { ...env, ...SMALL_HEAP } });
    expect(r.code, r.stderr.slice(0, 500)).toBe(7);
    const findings = (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
    expect(findings.length).toBeGreaterThan(1000);
    expect(findings.map((f) => f.code)).not.toContain("pom-unreadable");
  }, BOUND_MS * 3);
});

describe("20,000 Exchange repositories", () => {
  const N = 20_000;
  const ids = Array.from({ length: N }, (_, i) => `ex-${i}`);
  const pom = `<project><modelVersion>4.0.0</modelVersion><groupId>g</groupId><artifactId>a</artifactId><version>1</version><repositories>\n${ids.map((id) => `<repository><id>${id}</id><url>${EXCHANGE}</url></repository>\n`).join("")}</repositories></project>\n`;
  const settings = `<settings><servers>\n${ids.map((id) => `<server><id>${id}</id><username>~~~Client~~~</username><password>app~?~old</password></server>\n`).join("")}</servers></settings>\n`;

  it("doctor finds each one's server (one credential check for them all), in linear time", async () => {
    const home = project(pom, settings);
    const r = await run(["doctor", "--offline"], { home, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Not checked with Anypoint (--offline): 1 connected app.");
    expect(r.stdout).toContain("No problems found.");
    expect(r.ms).toBeLessThan(BOUND_MS);
  });

  it("setup --from-pom --dry-run adds a server for each to a new file, in linear time", async () => {
    const home = project(pom);
    const r = await run(["setup", "--from-pom", "--no-verify", "--yes", "--dry-run", "--json"], { home, env });
    expect(r.code, r.stderr).toBe(0);
    const servers = (JSON.parse(r.stdout) as { servers: { serverId: string; change: string }[] }).servers;
    expect(servers).toHaveLength(N);
    expect(servers.every((s, i) => s.serverId === ids[i] && s.change === "added")).toBe(true);
    expect(r.ms).toBeLessThan(BOUND_MS);
  });

  it("setup --from-pom --dry-run previews the update of each one's server in a file of 20,000, in linear time", async () => {
    const home = project(pom, settings);
    const r = await run(["setup", "--from-pom", "--no-verify", "--yes", "--dry-run", "--json"], { home, env });
    expect(r.code, r.stderr).toBe(0);
    const diff = (JSON.parse(r.stdout) as { diff: string }).diff.split("\n");
    expect(diff.filter((line) => line.startsWith("-<server>"))).toHaveLength(N);
    expect(diff.filter((line) => line.startsWith("+<server>"))).toHaveLength(N);
    expect(r.ms).toBeLessThan(BOUND_MS);
  });

  it("setup --from-pom updates each one's server in a file of 20,000, in linear time", async () => {
    const home = project(pom, settings);
    const r = await run(["setup", "--from-pom", "--no-verify", "--yes", "--json"], { home, env });
    expect(r.code, r.stderr).toBe(0);
    const servers = (JSON.parse(r.stdout) as { servers: { serverId: string; change: string }[] }).servers;
    expect(servers).toHaveLength(N);
    expect(servers.every((s, i) => s.serverId === ids[i] && s.change === "updated")).toBe(true);
    expect(r.ms).toBeLessThan(BOUND_MS);
  });
});
