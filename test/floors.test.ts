// The floors of src/: a module imports only from a lower floor, or from its own folder. An import that runs
// back up (a type, a lazy `import()`, a `typeof import()` too) fails here, named with the floors it crosses.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Lowest first. Folders on one floor know nothing of each other: anypoint/ (the Anypoint platform: regions,
 * credentials, the token request, proxies) and settings/ (settings.xml's model and edits) meet only above.
 */
const FLOORS: readonly (readonly string[])[] = [
  // The ground: the error type, the world handle (Io), the names every layer shares.
  ["errors.ts", "world.ts", "domain.ts", "raw.d.ts"],
  // Text: scanning, encodings, edits and layout of XML.
  ["xml"],
  // Maven's own rules: its cipher, settings-security.xml, its command line and the user settings it reads.
  ["maven"],
  ["anypoint", "settings"],
  // Files and the environment: settings.xml on disk, the lock, paths, the security file, env files, trust.
  ["io"],
  // The project: its pom.xml, read from disk.
  ["project"],
  ["doctor", "wizard"],
  ["commands"],
  ["cli"],
  // The command itself (dist/cli.cjs), and the GitHub Action's steps (action/main.cjs, action/post.cjs).
  ["bin.ts", "action"],
];

const SRC = join(import.meta.dirname, "..", "src");

/** The room of a module: its folder under src/, or its own name for a file at src/'s top. */
const roomOf = (file: string): string => relative(SRC, file).split("/")[0]!;
const floorOf = (room: string): number => FLOORS.findIndex((rooms) => rooms.includes(room));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

/** The relative specifiers a module names: static imports and re-exports, `import()` and `require()`. */
function importsOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return [...code.matchAll(/\bfrom\s+"(\.[^"]*)"|\bimport\s*\(\s*"(\.[^"]*)"\s*\)|\brequire\s*\(\s*"(\.[^"]*)"\s*\)|^\s*import\s+"(\.[^"]*)"/gm)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!);
}

/** Every import of a src module that lands in src/, as [importer, imported], paths from src/. */
function edges(): [string, string][] {
  return sources(SRC).flatMap((file) =>
    importsOf(readFileSync(file, "utf8"))
      .map((spec) => join(dirname(file), spec.replace(/\?raw$/, "")))
      .filter((target) => !relative(SRC, target).startsWith(".."))
      .map((target): [string, string] => [relative(SRC, file), relative(SRC, /\.\w+$/.test(target) ? target : `${target}.ts`)]),
  );
}

/** The imports that do not go down: "from (floor n) imports to (floor m)". */
function upward(list: [string, string][]): string[] {
  return list.flatMap(([from, to]) => {
    const a = roomOf(join(SRC, from));
    const b = roomOf(join(SRC, to));
    if (a === b) return [];
    const fa = floorOf(a);
    const fb = floorOf(b);
    return fb < fa ? [] : [`${from} (floor ${fa}, ${a}) imports ${to} (floor ${fb}, ${b})`];
  });
}

describe("floors", () => {
  it("puts every file of src/ on a floor", () => {
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(40);
    expect(files.map((f) => relative(SRC, f)).filter((f) => floorOf(roomOf(join(SRC, f))) < 0)).toEqual([]);
  });

  it("has no import that runs back up, nor across one floor", () => {
    const list = edges();
    expect(list.length).toBeGreaterThan(200);
    expect(upward(list)).toEqual([]);
  });

  it("sees imports of every kind, and names one that runs back up", () => {
    expect(importsOf(`import type { Io } from "../world";\nconst w = await import("../wizard/wizard");\ntype W = typeof import("./x");\nrequire("./y");\n// import { no } from "./comment";`)).toEqual(["../world", "../wizard/wizard", "./x", "./y"]);
    expect(upward([["anypoint/proxy.ts", "settings/proxies.ts"], ["io/paths.ts", "commands/io.ts"], ["settings/list.ts", "settings/model.ts"], ["xml/scan.ts", "errors.ts"]])).toEqual([
      "anypoint/proxy.ts (floor 3, anypoint) imports settings/proxies.ts (floor 3, settings)",
      "io/paths.ts (floor 4, io) imports commands/io.ts (floor 7, commands)",
    ]);
  });
});
