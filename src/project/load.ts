/**
 * The project's pom.xml on disk: `--pom PATH` (a file, or a folder holding pom.xml, as `mvn -f` takes it),
 * else pom.xml in the current folder. A pom that cannot be read or parsed is returned with its error, for
 * the caller to report: it never stops a run by itself.
 */
import { dirname, join, resolve } from "node:path";
import type { Io } from "../world";
import { Exit, M2Error } from "../errors";
import { readXmlFile } from "../io/files";
import { isProjectFile, mavenUserSettings } from "../io/paths";
import { exchangeIds, exchangeRepositories, readPom, type PomReport, type PomRepository } from "./pom";
import type { Region } from "../anypoint/endpoint";

/** Far above any real pom (tens of KiB). */
const MAX_POM_BYTES = 16 * 1024 * 1024;

export interface ProjectPom {
  path: string;
  /** What the pom declares; undefined when it could not be read. */
  report?: PomReport;
  /** Why it could not be read (with file and line where known). */
  error?: M2Error;
}

type PomIo = Pick<Io, "fs" | "cwd" | "env" | "home" | "stderr">;

/** The pom to read: --pom (which must exist), else ./pom.xml when there is one, else undefined. */
export function findPom(io: PomIo, option: string | undefined): string | undefined {
  if (option === undefined) {
    const here = join(io.cwd, "pom.xml");
    return io.fs.statSync(here, { throwIfNoEntry: false })?.isFile() ? here : undefined;
  }
  let path = resolve(io.cwd, option);
  const stat = io.fs.statSync(path, { throwIfNoEntry: false });
  if (stat?.isDirectory()) path = join(path, "pom.xml");
  if (!io.fs.statSync(path, { throwIfNoEntry: false })?.isFile()) {
    throw new M2Error(Exit.usage, `--pom: ${path} ${stat?.isDirectory() || !stat ? "does not exist" : "is not a regular file"}`, {
      hint: "Pass --pom with the path of your project's pom.xml, or its folder.",
    });
  }
  return path;
}

/** Reads and parses the pom; failures come back in `error`. */
export function loadPom(io: PomIo, path: string): ProjectPom {
  try {
    const text = readXmlFile(io.fs, path, MAX_POM_BYTES, (why) => new M2Error(Exit.unsafe, `the pom ${why}`));
    if (text === undefined) throw new M2Error(Exit.unsafe, "could not read it: it no longer exists");
    return { path, report: readPom(text, { env: io.env, ...pomProperties(io), basedir: dirname(path) }) };
  } catch (e) {
    // Not readable (fileError's exit code is a failed write's): a pom that could not be read.
    const error = e instanceof M2Error && e.exitCode !== Exit.writeFailed ? e : new M2Error(Exit.unsafe, `could not read it: ${(e as Error).message}`);
    return { path, error: error.inFile(path) };
  }
}

/** The Exchange repositories of a pom that was read (none for one that was not). */
export const pomExchange = (pom: ProjectPom | undefined): PomRepository[] => (pom?.report ? exchangeRepositories(pom.report) : []);
export const pomExchangeIds = (pom: ProjectPom | undefined): string[] => (pom?.report ? exchangeIds(pom.report) : []);

/** The ids of the pom's <repositories> (the project's and its profiles'), as Maven resolves them; none for a pom not read. */
export const pomRepositoryIds = (pom: ProjectPom | undefined): string[] =>
  pom?.report ? pom.report.repositories.filter((r) => r.section === "repositories" && r.id !== undefined).map((r) => r.id!) : [];

/**
 * The one control plane these Exchange repositories are in; undefined when there are none. Repositories in
 * several control planes cannot share one connected app: that is a usage error, naming them.
 */
export function impliedRegion(repositories: readonly PomRepository[], path: string): Region | undefined {
  const regions = [...new Set(repositories.map((r) => r.region!))];
  if (regions.length <= 1) return regions[0];
  const listed = regions.map((region) => `${region}: ${[...new Set(repositories.filter((r) => r.region === region).map((r) => r.shown))].join(", ")}`).join("; ");
  throw new M2Error(Exit.usage, `the pom's Exchange repositories are in ${regions.length} control planes (${listed}); one connected app belongs to one`, {
    file: path,
    hint: "Run setup once per control plane, with --region and the --server-id values of that region.",
  });
}

/**
 * Maven's properties for a pom, split by who gave them: Java's own and the project's .mvn/ files, and the
 * user's -D options, which the pom resolves as Maven does but never shows or writes (like `${env.X}`).
 */
function pomProperties(io: Parameters<typeof mavenUserSettings>[0]): { properties: Record<string, string>; userProperties: Record<string, string> } {
  const { properties, sources } = mavenUserSettings(io);
  const mine = (name: string) => sources[name] !== "" && !isProjectFile(sources[name] ?? "") && name !== "user.home" && name !== "user.dir";
  const entries = Object.entries(properties);
  return { properties: Object.fromEntries(entries.filter(([n]) => !mine(n))), userProperties: Object.fromEntries(entries.filter(([n]) => mine(n))) };
}
