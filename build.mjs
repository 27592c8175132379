// Bundles the CLI into dist/: one file for start-up, with lazily loaded chunks for what only some commands need.
import { readFile } from "node:fs/promises";
import { build } from "esbuild";

/** `import text from "./file?raw"`: the file's text, as Vite (and so vitest) reads it. */
const raw = {
  name: "raw",
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (args) => ({ path: new URL(args.path.slice(0, -4), `file://${args.resolveDir}/`).pathname, namespace: "raw" }));
    b.onLoad({ filter: /.*/, namespace: "raw" }, async (args) => ({ contents: await readFile(args.path, "utf8"), loader: "text" }));
  },
};

await build({
  entryPoints: { cli: "src/bin.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "none",
  chunkNames: "chunks/[name]-[hash]",
  plugins: [raw],
  logLevel: "warning",
});
