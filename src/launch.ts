/**
 * The command (dist/cli.cjs): runs the CLI's bundle, dist/app.cjs, from V8's code cache of it, dist/app.cache.
 * The build writes the cache after one `setup` run, so it holds the compiled code of every function such a run
 * calls: a run then neither parses the 140 KB bundle nor compiles those functions again (~5 ms of each start on
 * a 2-core machine). When the cache does not fit (another Node version, other V8 flags in NODE_OPTIONS) V8
 * says so and the bundle is compiled as usual.
 *
 * Why by hand: Node 22 has module.enableCompileCache(), which Node 20 lacks (and which writes its cache under
 * the system's temp folder while the command runs); the v8-compile-cache package also writes at run time.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Script } from "node:vm";

export interface App {
  /** The compiled bundle, from which the build makes the cache. */
  script: Script;
  /** Whether the bundle was compiled without the cache (there is none, or V8 refused it). */
  uncached: boolean;
  /** Runs the CLI on process.argv. */
  run(): void;
}

/** The bundle in `dir`, compiled with the cache beside it when there is one that fits. */
export function app(dir = __dirname): App {
  const file = join(dir, "app.cjs");
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(join(dir, "app.cache"));
  } catch {
    /* built without one */
  }
  // The function CommonJS wraps a module in; the bundle's own requires ("./yargs.cjs") are resolved from here.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(file, "utf8")}\n})`, { filename: file, cachedData });
  return {
    script,
    uncached: cachedData === undefined || script.cachedDataRejected === true,
    run: () => {
      const bundle = { exports: {} };
      (script.runInThisContext() as (...args: unknown[]) => void)(bundle.exports, require, bundle, file, dir);
    },
  };
}

if (require.main === module) app().run();
