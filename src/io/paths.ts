/**
 * Where the settings file is: --settings, else the file Maven itself reads (src/maven/user-settings.ts), found
 * from the environment, the account, the project's `.mvn` folder and the `mvn` launcher on the PATH.
 */
import { homedir, userInfo } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import type { Fs, Io } from "../world";
import { launcherDialect, userSettings, type UserSettings } from "../maven/user-settings";
import type { MavenDialect } from "../maven/arguments";
import { Exit, M2Error } from "../errors";
import { findCommand } from "./command";

/**
 * The account's home directory, as Java reads it for user.home (the password database, not $HOME). An
 * account without an entry falls back to $HOME, as Java does since 19.
 */
export function accountHome(): string {
  try {
    const home = userInfo().homedir;
    if (home) return home;
  } catch {
    /* no entry for this uid */
  }
  return homedir();
}

type PathIo = Pick<Io, "env" | "cwd" | "home" | "fs" | "stderr">;

const isDirectory = (fs: Fs, path: string): boolean => fs.statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;

/** The text of the first executable `mvn` on the PATH, as a shell would pick it (a small script, or nothing). */
function launcherScript(fs: Fs, pathVariable: string | undefined, cwd: string): string | undefined {
  const found = findCommand(fs, "mvn", pathVariable, cwd);
  if (found === undefined) return undefined;
  try {
    return fs.statSync(found)!.size > 1 << 20 ? undefined : (fs.readFileSync(found, "utf8") as string);
  } catch {
    return undefined;
  }
}

/**
 * The launcher's project base directory: MAVEN_BASEDIR, else the nearest folder from the current one up
 * that holds a `.mvn` folder (the root itself only from Maven 3.9 on), else the current folder.
 */
function projectBaseDir(fs: Fs, env: Io["env"], cwd: string, dialect: () => MavenDialect): string {
  if (env.MAVEN_BASEDIR) return resolve(cwd, env.MAVEN_BASEDIR);
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (isDirectory(fs, join(dir, ".mvn")) && (dir !== "/" || dialect() !== "3.8")) return dir;
    if (dir === dirname(dir)) return cwd;
  }
}

/** Far above any real `.mvn/jvm.config` or `maven.config` (a few lines; the shell's limit on a command line is 2 MiB). */
const MAX_CONFIG_BYTES = 1 << 20;

function readOptional(fs: Fs, path: string): { path: string; text: string } | undefined {
  const stat = fs.statSync(path, { throwIfNoEntry: false });
  if (!stat?.isFile()) return undefined;
  if (stat.size > MAX_CONFIG_BYTES) {
    throw new M2Error(Exit.usage, `${path} is larger than 1 MiB, which no Maven configuration file is, so anypoint-m2 does not read it`, {
      hint: "Look at what put it there; remove it, or run from a folder outside it.",
    });
  }
  try {
    return { path, text: fs.readFileSync(path, "utf8") as string };
  } catch {
    return undefined;
  }
}

const found = new WeakMap<object, UserSettings>();

/** The user settings file Maven reads, and the properties it will resolve `${…}` in settings.xml from. */
export function mavenUserSettings(io: PathIo): UserSettings {
  const cached = found.get(io);
  if (cached) return cached;
  let dialect: MavenDialect | undefined;
  const getDialect = (): MavenDialect => (dialect ??= launcherDialect(launcherScript(io.fs, io.env.PATH, io.cwd)));
  const base = projectBaseDir(io.fs, io.env, io.cwd, getDialect);
  const jvmConfig = readOptional(io.fs, join(base, ".mvn", "jvm.config"));
  const mavenConfig = readOptional(io.fs, join(base, ".mvn", "maven.config"));
  // Which Maven only matters for the .mvn files and MAVEN_ARGS; the PATH is searched only then.
  const result = userSettings({
    env: io.env,
    cwd: io.cwd,
    accountHome: io.home,
    dialect: mavenConfig || jvmConfig || io.env.MAVEN_ARGS ? getDialect() : "3.9",
    jvmConfig,
    mavenConfig,
  });
  found.set(io, result);
  return result;
}

/** Maven's properties that `${name}` in settings.xml resolves to (user.home, user.dir, every known -D). */
export function mavenProperties(io: PathIo): Record<string, string> {
  return mavenUserSettings(io).properties;
}

function why({ path, reason }: UserSettings, home: string): string {
  const instead = `not ${join(home, ".m2", "settings.xml")} under HOME`;
  switch (reason.kind) {
    case "option":
      return `using ${path}, the file Maven reads (-s ${reason.value} in ${reason.source}${reason.value.startsWith("/") ? "" : ", relative to the current folder"}), ${instead}`;
    case "user.home":
      return `using ${path}, the file Maven reads (-Duser.home=${reason.value} in ${reason.source}), ${instead}`;
    case "account":
      return `using ${path}, the file Maven reads: Java takes the home folder from the user account (${reason.value}), not from HOME (${home})`;
  }
}

/**
 * A file named by an option: a leading ~ is HOME (as the shell would expand it), a relative path is from the
 * current folder. Only what the path needs is looked up (a run with no home folder, or whose current folder
 * is gone, can still name a file by its absolute path).
 */
export function optionPath(option: string, io: Pick<Io, "env" | "home" | "cwd">): string {
  if (option === "~" || option.startsWith("~/")) return join(io.env.HOME || io.home, option.slice(1));
  return isAbsolute(option) ? resolve(option) : resolve(io.cwd, option);
}

/**
 * Why a `.mvn/` file may not be the project's own: it or its folder belongs to another user, or anyone may
 * write there (a `.mvn` planted in /tmp is found from every folder below it, by Maven too).
 */
function plantable(fs: Fs, source: string): string | undefined {
  const me = process.getuid?.();
  for (const path of [dirname(source), source]) {
    const stat = fs.statSync(path, { throwIfNoEntry: false });
    if (!stat) continue;
    if (me !== undefined && stat.uid !== me && stat.uid !== 0) return `${path} belongs to another user`;
    if ((stat.mode & 0o002) !== 0) return `any user can write ${path}`;
  }
  return undefined;
}

/**
 * The settings file a command works on: --settings (see optionPath), else the file Maven reads; when that is
 * not the one under $HOME, a note on stderr says so, naming both, and a warning when the `.mvn/` file that
 * chose it may have been put there by someone else.
 */
export function settingsPath(args: { settings?: string; quiet?: boolean }, io: PathIo): string {
  const option = args.settings;
  if (option) return optionPath(option, io);
  const maven = mavenUserSettings(io);
  if (io.env.HOME && maven.path !== join(resolve(io.env.HOME), ".m2", "settings.xml") && !args.quiet) {
    io.stderr(`note: ${why(maven, io.env.HOME)}; pass --settings to choose the file`);
  }
  const chooser = chosenByProject(args, io);
  const risk = chooser && !args.quiet ? plantable(io.fs, chooser) : undefined;
  if (chooser && risk) {
    io.stderr(`warning: ${risk}, and ${chooser} chooses the settings file Maven reads below ${dirname(dirname(chooser))}: anypoint-m2 takes it as a project's (it writes no secret there and uses no proxy of it); check it, or remove it`);
  }
  return maven.path;
}

/**
 * The project file (a `.mvn/maven.config` or `.mvn/jvm.config`, in the current folder or any above it) that
 * chose the settings file Maven reads, when one did and --settings did not. Such a file comes with a
 * project, so it does not get to choose where a secret is written.
 */
export function chosenByProject(args: { settings?: string }, io: PathIo): string | undefined {
  if (args.settings) return undefined;
  const { reason } = mavenUserSettings(io);
  return reason.kind !== "account" && isProjectFile(reason.source) ? reason.source : undefined;
}

/** Whether a source of Maven's options is a file that comes with a project (a `.mvn/` config file). */
export const isProjectFile = (source: string): boolean => /(^|\/)\.mvn\/[^/]+$/.test(source);

/** Where Maven's `name` property was given (see mavenUserSettings), "" when nowhere. */
export function propertySource(io: PathIo, name: string): string {
  return mavenUserSettings(io).sources[name] ?? "";
}
