// Bundles the CLI into dist/: dist/app.cjs holds everything an ordinary run needs, in one CommonJS file
// (Node starts a CommonJS entry faster than an ES module), and dist/cli.cjs (src/launch.ts) runs it from V8's
// code cache of it, dist/app.cache, made here by one `setup` run. What only some runs need is bundled apart
// and loaded on demand with require(): dist/yargs.cjs (help, usage errors, completion), dist/anypoint.cjs (the
// credential check, with undici), dist/wizard.cjs (the prompts), dist/preview.cjs (diffs, with jsdiff),
// dist/doctor.cjs (the doctor command).
//
// Each bundle has its own copy of errors.ts, hence M2Error's brand check. One ES module build with esbuild's
// code splitting (a shared chunk for errors.ts, no brand check, no `lazy` plugin) was measured against this
// layout: `list` vs `node -e 0`, medians of 30 interleaved rounds, repeated, on the 2-core machine with Node
// 20.20: CommonJS 1.18-1.36x stripped (PATH, HOME), 0.97-1.19x with NODE_EXTRA_CA_CERTS; ESM split 1.60-1.95x
// stripped (over the 1.6x goal; +7-13 ms: the ES module loader ~4 ms, the four static chunks the rest),
// 1.09-1.31x with the CA bundle. Its `await import("dotenv")` also lost the named exports (two env-file
// tests failed). So CommonJS stays.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";

/** `import text from "./file?raw"`: the file's text, as Vite (and so vitest) reads it. */
const raw = {
  name: "raw",
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (args) => ({ path: new URL(args.path.slice(0, -4), `file://${args.resolveDir}/`).pathname, namespace: "raw" }));
    b.onLoad({ filter: /.*/, namespace: "raw" }, async (args) => ({ contents: await readFile(args.path, "utf8"), loader: "text" }));
  },
};

/** Modules imported with `await import(...)` that become bundles of their own: source -> output. */
const LAZY = { "src/cli/yargs.ts": "yargs", "src/anypoint/token.ts": "anypoint", "src/wizard/wizard.ts": "wizard", "src/commands/preview.ts": "preview", "src/commands/doctor.ts": "doctor" };

const lazy = {
  name: "lazy",
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind !== "dynamic-import") return undefined;
      const source = new URL(`${args.path}.ts`, `file://${args.resolveDir}/`).pathname.replace(`${process.cwd()}/`, "");
      return LAZY[source] ? { path: `./${LAZY[source]}.cjs`, external: true } : undefined;
    });
  },
};

const common = {
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  minify: !process.env.NO_MINIFY,
  legalComments: "none",
  logLevel: "warning",
  // `await import("./x")` becomes a require(): the ES module loader would cost ~4 ms, and the bundle runs
  // from a vm.Script (src/launch.ts), which has no loader for import().
  supported: { "dynamic-import": false },
};

/** yargs is an ES module that reads import.meta.url; in CommonJS that is this file's URL. */
const importMetaUrl = {
  define: { "import.meta.url": "__importMetaUrl" },
  banner: { js: 'var __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
};

await rm("dist", { recursive: true, force: true });
await build({ ...common, entryPoints: { app: "src/bin.ts" }, outExtension: { ".js": ".cjs" }, outdir: "dist", plugins: [raw, lazy] });
for (const [source, name] of Object.entries(LAZY)) {
  await build({ ...common, ...(name === "yargs" ? importMetaUrl : {}), entryPoints: { [name]: source }, outExtension: { ".js": ".cjs" }, outdir: "dist", plugins: [raw, lazy] });
}
// The launcher runs app.cjs from a vm.Script, which has no loader for import(): none may be left in it.
if (/\bimport\(/.test(await readFile("dist/app.cjs", "utf8"))) throw new Error("dist/app.cjs calls import(), which src/launch.ts cannot load: use require()");
// "node --": Node reads an --env-file argument even after the script's name (nodejs/node#54232): it exits
// when the file is missing, and it drains a pipe (--env-file <(vault read ...)) before anypoint-m2 can read
// it. It stops looking at "--". `env -S` is GNU's, the BSDs' and macOS's (npm's Windows shims read it too);
// BusyBox's env (Alpine) has no -S, and the README says what to do there.
await build({ ...common, entryPoints: { cli: "src/launch.ts" }, outExtension: { ".js": ".cjs" }, outdir: "dist", banner: { js: "#!/usr/bin/env -S node --" } });
chmodSync("dist/cli.cjs", 0o755);

/**
 * Writes dist/app.cache: V8's code cache of the bundle, made after a `setup` run (on a copy of a fixture, in a
 * scratch home, with nothing of this environment) so that it holds the functions such a run compiles. Only the
 * Node that made it uses it (src/launch.ts); a cache that does not fit costs the reading of it.
 */
function writeCodeCache() {
  const scratch = mkdtempSync(join(tmpdir(), "anypoint-m2-build-"));
  try {
    const settings = join(scratch, "settings.xml");
    copyFileSync("fixtures/engine/append-two-space-indent/before.xml", settings);
    const script = [
      `const { app, cacheFile } = require(${JSON.stringify(resolve("dist/cli.cjs"))});`,
      `const bundle = app(${JSON.stringify(resolve("dist"))});`,
      `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(resolve("dist/app.cache"))}, cacheFile(bundle.source, bundle.script.createCachedData())));`,
      `process.argv = [process.execPath, "anypoint-m2", "setup", "--no-verify", "--yes", "--quiet", "--client-id", "build", "--settings", ${JSON.stringify(settings)}];`,
      "bundle.run();",
    ].join("\n");
    const env = { PATH: process.env.PATH ?? "", HOME: scratch, MAVEN_OPTS: `-Duser.home=${scratch}`, ANYPOINT_CLIENT_SECRET: "build-secret" };
    const r = spawnSync(process.execPath, ["-e", script], { env, cwd: scratch, encoding: "utf8" });
    // Without the cache the command works, only starts slower (test/launch.e2e.test.ts fails on it).
    if (r.status !== 0) {
      rmSync("dist/app.cache", { force: true });
      console.warn(`build: no dist/app.cache (the run that makes it failed, exit ${r.status}), so anypoint-m2 will start ~5 ms slower:\n${r.stderr}`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
writeCodeCache();
