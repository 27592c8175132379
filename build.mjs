// Bundles the CLI into dist/: dist/cli.cjs holds everything an ordinary run needs, in one CommonJS file
// (Node starts a CommonJS entry faster than an ES module); yargs, needed only for help and usage errors,
// is dist/yargs.cjs, loaded on demand.
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

/** `import("./yargs")` from the CLI: the separate bundle, not inlined. */
const lazyYargs = {
  name: "lazy-yargs",
  setup(b) {
    b.onResolve({ filter: /^\.\/yargs$/ }, () => ({ path: "./yargs.cjs", external: true }));
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
  // yargs is an ES module that reads import.meta.url; in CommonJS that is this file's URL.
  define: { "import.meta.url": "__importMetaUrl" },
  banner: { js: 'var __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
};

await rm("dist", { recursive: true, force: true });
await build({ ...common, entryPoints: { cli: "src/bin.ts" }, outExtension: { ".js": ".cjs" }, outdir: "dist", plugins: [raw, lazyYargs] });
await build({ ...common, entryPoints: { yargs: "src/cli/yargs.ts" }, outExtension: { ".js": ".cjs" }, outdir: "dist" });
