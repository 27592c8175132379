// Bundles the CLI into dist/: dist/cli.cjs, the package's bin, holds everything an ordinary run needs, in one
// CommonJS file (Node starts a CommonJS entry faster than an ES module). What only some runs need is bundled
// apart and loaded on demand with require(): dist/help.cjs (help, rendered by yargs), dist/anypoint.cjs
// (the credential check and the Exchange probe, with undici), dist/wizard.cjs (the prompts), dist/preview.cjs (diffs, with jsdiff),
// dist/doctor.cjs (the doctor command).
//
// The GitHub Action (action.yml) runs dist/action/main.cjs and dist/action/post.cjs: each one file, with all it
// needs (the runner loads nothing beside it). The Action's users get them from the repository, where dist/ is
// not: `node build.mjs --action` copies them to action/, which is committed (test/action-bundle.test.ts checks
// that it is the build of the sources).
//
// Each bundle has its own copy of errors.ts, hence M2Error's brand check. One ES module build with esbuild's
// code splitting (a shared chunk for errors.ts, no brand check, no `lazy` plugin) was measured against this
// layout: `list` vs `node -e 0`, medians of 30 interleaved rounds, repeated, on the 2-core machine with Node
// 20.20: CommonJS 1.18-1.36x stripped (PATH, HOME), 0.97-1.19x with NODE_EXTRA_CA_CERTS; ESM split 1.60-1.95x
// stripped (over the 1.6x goal; +7-13 ms: the ES module loader ~4 ms, the four static chunks the rest),
// 1.09-1.31x with the CA bundle. Its `await import("dotenv")` also lost the named exports (two env-file
// tests failed). So CommonJS stays.
import { chmodSync, cpSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
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
const LAZY = { "src/cli/help.ts": "help", "src/anypoint/network.ts": "anypoint", "src/wizard/wizard.ts": "wizard", "src/commands/preview.ts": "preview", "src/commands/doctor.ts": "doctor", "src/commands/setup/findings.ts": "findings" };

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
  // `await import("./x")` becomes a require(): the ES module loader would cost ~4 ms.
  supported: { "dynamic-import": false },
};

/** yargs is an ES module that reads import.meta.url; in CommonJS that is this file's URL. */
const importMetaUrl = 'var __importMetaUrl = require("node:url").pathToFileURL(__filename).href;';

/** A part run as if it were the command (`node dist/help.cjs`) says so, rather than exit 0 having done nothing. */
const notTheCommand = (name) =>
  `if (require.main === module) { process.stderr.write("anypoint-m2: ${name}.cjs is a part of anypoint-m2, not the command: run cli.cjs beside it\\n"); process.exit(1); }`;

await rm("dist", { recursive: true, force: true });
// "node --": Node reads an --env-file argument even after the script's name (nodejs/node#54232): it exits
// when the file is missing, and it drains a pipe (--env-file <(vault read ...)) before anypoint-m2 can read
// it. It stops looking at "--". `env -S` is GNU's, the BSDs' and macOS's (npm's Windows shims read it too);
// BusyBox's env (Alpine) has no -S, and the README says what to do there.
await build({ ...common, entryPoints: { cli: "src/bin.ts" }, outExtension: { ".js": ".cjs" }, outdir: "dist", plugins: [raw, lazy], banner: { js: "#!/usr/bin/env -S node --" } });
chmodSync("dist/cli.cjs", 0o755);
for (const [source, name] of Object.entries(LAZY)) {
  const yargs = name === "help" ? { banner: { js: importMetaUrl }, define: { "import.meta.url": "__importMetaUrl" } } : {};
  await build({ ...common, ...yargs, footer: { js: notTheCommand(name) }, entryPoints: { [name]: source }, outExtension: { ".js": ".cjs" }, outdir: "dist", plugins: [raw, lazy] });
}
// The Action's steps: everything in one file each (the runner starts them with its own Node, and nothing beside).
// Always minified, so that the committed copy does not depend on NO_MINIFY.
await build({ ...common, minify: true, entryPoints: { main: "src/action/main.ts", post: "src/action/post.ts" }, outExtension: { ".js": ".cjs" }, outdir: "dist/action", plugins: [raw] });
if (process.argv.includes("--action")) cpSync("dist/action", "action", { recursive: true });
