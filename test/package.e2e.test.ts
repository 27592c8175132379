// The package as users get it: `npm pack`, installed from the tarball into an empty prefix outside this
// repository (so nothing of its node_modules or sources is reachable), and the installed anypoint-m2 run
// through its own bin link. Dependencies come from the registry through npm's cache; when the registry is
// unreachable and the cache cannot serve them, the tests say so and are skipped.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it, type TestContext } from "vitest";
import { version } from "../package.json";
import { actionYml, job } from "./helpers/action";
import { cliEnv, tempHome } from "./helpers/cli";

const repository = join(import.meta.dirname, "..");
const NETWORK_FAILURE = /E(NOTFOUND|AI_AGAIN|CONNREFUSED|CONNRESET|TIMEDOUT|NETUNREACH)|network/i;

interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string; mode: number }[];
}

function exec(file: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { ...options, timeout: 90_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

let packed: Packed;
let bin: string;
/** Where the package is installed. */
let installedRoot: string;
/** Why the installed package cannot be run here, when it cannot. */
let unreachable: string | undefined;

beforeAll(async () => {
  const out = mkdtempSync(join(process.env.ANYPOINT_M2_TEST_SCRATCH ?? tmpdir(), "anypoint-m2-pack-"));
  // The global setup has built dist/; scripts are not run again (a rebuild would pull dist/ from under other tests).
  const pack = await exec("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", out], { cwd: repository });
  expect(pack.code, pack.stderr).toBe(0);
  packed = (JSON.parse(pack.stdout) as Packed[])[0]!;
  const prefix = mkdtempSync(join(process.env.ANYPOINT_M2_TEST_SCRATCH ?? tmpdir(), "anypoint-m2-install-"));
  const install = await exec("npm", ["install", "--prefix", prefix, "--no-audit", "--no-fund", "--prefer-offline", join(out, packed.filename)], { cwd: prefix });
  if (install.code !== 0) {
    if (!NETWORK_FAILURE.test(install.stderr)) throw new Error(`npm install failed:\n${install.stderr}`);
    unreachable = `the npm registry is unreachable and the cache lacks the dependencies: ${install.stderr.split("\n").find((l) => NETWORK_FAILURE.test(l))}`;
  }
  bin = join(prefix, "node_modules", ".bin", "anypoint-m2");
  installedRoot = join(prefix, "node_modules", "anypoint-m2");
  console.info(`package: ${packed.filename}, ${(packed.size / 1024).toFixed(0)} KiB packed, ${(packed.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${packed.files.length} files`);
}, 120_000);

/** Runs the installed bin itself (its #! line), in a temp HOME with Maven's user.home pinned there. */
async function installed(context: TestContext, args: string[], env: Record<string, string> = {}) {
  if (unreachable) context.skip(unreachable);
  const home = tempHome();
  return { home, ...(await exec(bin, args, { cwd: home, env: cliEnv(home, env) })) };
}

describe("the packed package", () => {
  it("holds the bundles, the templates and the README, and no sources or tests", () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["dist/cli.cjs", "dist/anypoint.cjs", "dist/doctor.cjs", "dist/wizard.cjs", "dist/help.cjs", "dist/preview.cjs", "templates/settings.xml", "templates/repositories.xml", "README.md", "package.json"]));
    expect(paths.filter((p) => /^(src|test|fixtures|bench)\//.test(p))).toEqual([]);
    // The bin is executable in the tarball, as npm links it.
    expect(packed.files.find((f) => f.path === "dist/cli.cjs")!.mode & 0o111).not.toBe(0);
    expect(packed.size).toBeLessThan(1024 * 1024);
  });

  it("holds the GitHub Action: action.yml and the bundles it names, each once", () => {
    const paths = packed.files.map((f) => f.path);
    const { main, post } = actionYml();
    expect(paths).toEqual(expect.arrayContaining(["action.yml", main, post]));
    // dist/action/ is the same build as action/: not shipped twice.
    expect(paths.filter((p) => p.startsWith("dist/action/"))).toEqual([]);
  });

  it("the installed package's Action runs from its folder alone: main writes, post removes", async (context) => {
    if (unreachable) context.skip(unreachable);
    const ci = job(tempHome(), { root: installedRoot });
    const settings = join(ci.home, ".m2", "settings.xml");
    const main = await ci.main({ "client-id": "0123abcd", "client-secret": "Packed-Secret-2", verify: "false" });
    expect(main.code, main.log).toBe(0);
    expect(main.outputs["settings-path"]).toBe(settings);
    expect(readFileSync(settings, "utf8")).toContain("<password>0123abcd~?~Packed-Secret-2</password>");
    const post = await ci.post();
    expect(post.code, post.log).toBe(0);
    expect(existsSync(settings)).toBe(false);
  });

  it("--version: the installed bin runs through its #! line", async (context) => {
    const r = await installed(context, ["--version"]);
    expect(r).toMatchObject({ code: 0, stdout: `${version}\n` });
    expect(statSync(bin).isFile()).toBe(true);
  });

  it("list: an empty HOME has no settings.xml", async (context) => {
    const r = await installed(context, ["list", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ exists: false, servers: [] });
  });

  it("setup --no-verify --yes: a new settings.xml from the template, with the repositories", async (context) => {
    const r = await installed(context, ["setup", "--no-verify", "--yes", "--with-repositories"], { ANYPOINT_CLIENT_ID: "0123abcd", ANYPOINT_CLIENT_SECRET: "Packed-Secret-1" });
    expect(r.code, r.stderr).toBe(0);
    const written = readFileSync(join(r.home, ".m2", "settings.xml"), "utf8");
    expect(written).toContain('<settings xmlns="http://maven.apache.org/SETTINGS/1.2.0"');
    expect(written).toContain("<password>0123abcd~?~Packed-Secret-1</password>");
    expect(written).toContain("<activeProfile>anypoint-exchange</activeProfile>");
    expect(r.stdout + r.stderr).not.toContain("Packed-Secret-1");
  });
});
