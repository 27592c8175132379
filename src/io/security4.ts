/**
 * Maven 4's master password: the settings-security4.xml Maven 4 reads (the `maven.settings.security` property,
 * else `${maven.user.conf}/settings-security4.xml`, else `<user.home>/.m2/settings-security4.xml`:
 * DefaultSettingsBuilder.getSecuritySettings), and the master password its `master` configuration's source
 * gives (`env:NAME` from the environment Maven runs in, `file:/path` read as FileMasterSource reads it). And a
 * new such file, written 0600 and never over an existing one; it names the source, never the password.
 */
import { isAbsolute, join, resolve } from "node:path";
import type { Fs, Io } from "../world";
import { Exit, M2Error } from "../errors";
import { masterFromFile, masterSource, parseSecurity4, security4Xml } from "../maven/security4";
import { CIPHER4 } from "../maven/cipher4";
import { readXmlFile } from "./files";
import { isProjectFile, mavenProperties, optionPath, propertySource } from "./paths";
import { createSecurityFile } from "./security";

type Security4Io = Pick<Io, "env" | "cwd" | "home" | "fs" | "stderr">;

export interface Security4Location {
  path: string;
  /** For messages: "maven.settings.security in MAVEN_OPTS", "Maven 4's default"... */
  source: string;
  /** The project file (`.mvn/maven.config`, `.mvn/jvm.config`) that chose it, when one did. */
  project?: string;
}

export interface Master4 {
  /** The security file, and its master source as written (`env:NAME`, `file:/path`). */
  file: string;
  source: string;
  master: string;
}

export type Master4Reading = { master: Master4 } | { problem: M2Error };

const usage = (message: string, hint?: string, file?: string) => new M2Error(Exit.usage, message, { hint, ...(file ? { file } : {}) });

export const CREATE4_HINT =
  "Create one with anypoint-m2 setup --store encrypted --master-source env:MAVEN_MASTER_PASSWORD (or file:/absolute/path to a file of mode 600 holding the master password), or with Maven 4's mvnenc init.";

/** Where a property reaches Maven 4 as a user property: its command line (MAVEN_ARGS) or `.mvn/maven.config`. */
const userPropertySource = (source: string): boolean => source === "MAVEN_ARGS" || source.endsWith("maven.config");

/**
 * The security file Maven 4 reads here (a relative `maven.settings.security` is from the current folder). Maven 4
 * takes `maven.settings.security` and `maven.user.conf` from its user properties only (measured with 4.0.0-rc-4:
 * in MAVEN_ARGS they count, in MAVEN_OPTS they do not), user.home from the JVM.
 */
export function security4Location(io: Security4Io): Security4Location {
  const properties = mavenProperties(io);
  const user = (name: string) => {
    const given = propertySource(io, name);
    const value = properties[name];
    if (value === undefined || value === "" || !userPropertySource(given)) return undefined;
    return { value, source: `-D${name} in ${given}`, ...(isProjectFile(given) ? { project: given } : {}) };
  };
  const named = user("maven.settings.security");
  if (named) return { path: resolve(io.cwd, named.value), source: named.source, ...(named.project ? { project: named.project } : {}) };
  const conf = user("maven.user.conf");
  if (conf) return { path: resolve(io.cwd, conf.value, "settings-security4.xml"), source: conf.source, ...(conf.project ? { project: conf.project } : {}) };
  const home = propertySource(io, "user.home");
  return { path: join(resolve(io.cwd, properties["user.home"] ?? io.home), ".m2", "settings-security4.xml"), source: "Maven 4's default", ...(isProjectFile(home) ? { project: home } : {}) };
}

/**
 * The security file to read for Maven 4: the one Maven 4 reads. `--security-file` must name that file, unless
 * `--maven-reads-security-file` says Maven is told about it where this run cannot see; otherwise it is exit 2.
 */
export function security4File(args: { securityFile?: string; mavenReadsSecurityFile?: boolean }, io: Security4Io): Security4Location {
  const maven = security4Location(io);
  if (!args.securityFile) return maven;
  const path = optionPath(args.securityFile, io);
  if (args.mavenReadsSecurityFile || path === maven.path) return { path, source: "--security-file" };
  throw usage(
    `--security-file ${path} is not the security file Maven 4 reads: it reads ${maven.path} (${maven.source}); a password encrypted with its master password would stop Maven 4's build`,
    `Tell Maven 4 where it is: -Dmaven.settings.security=${path} in MAVEN_ARGS or .mvn/maven.config; then run again, or leave out --security-file. Where Maven is told elsewhere, add --maven-reads-security-file.`,
  );
}

/** A master password chosen by a project's `.mvn/` does not encrypt the user's secret (see refuseProjectMaster). */
export function refuseProjectMaster4(location: Security4Location): void {
  if (!location.project) return;
  throw usage(
    `${location.project} names the Maven 4 security file ${location.path}: a file that comes with the project does not choose the master password your secret is encrypted with`,
    `Pass --security-file ${location.path} --maven-reads-security-file to use it anyway.`,
  );
}

/** Whether a file is there (a link to nothing counts: it is not replaced either). */
export const exists = (fs: Fs, path: string): boolean => fs.lstatSync(path, { throwIfNoEntry: false }) !== undefined;

/** A file that only its owner may read and write (no group or other permission at all). */
const private600 = (fs: Fs, path: string): boolean => ((fs.statSync(path, { throwIfNoEntry: false })?.mode ?? 0) & 0o077) === 0;

/** The master password a source gives here; a problem names the source, never the password. */
export function readSource(source: string, io: Security4Io, file: string): string | M2Error {
  const parsed = masterSource(source);
  if (!parsed) return usage(`its master source is ${source}, which anypoint-m2 cannot read (it reads env: and file: sources)`, "Use --store env, or a master source env:NAME or file:/path.", file);
  if (parsed.kind === "env") {
    const value = io.env[parsed.name];
    if (value === undefined) return usage(`its master source is env:${parsed.name}, and ${parsed.name} is not set in this environment (Maven 4 would stop the build)`, `Set ${parsed.name} to the master password wherever Maven runs.`, file);
    return value;
  }
  if (!isAbsolute(parsed.path)) return usage(`its master source file:${parsed.path} is not an absolute path, which Maven 4 does not read`, "Make it absolute.", file);
  // As Java's Files.readAllLines reads it: UTF-8, a byte order mark kept (it is part of the first line).
  const stat = io.fs.statSync(parsed.path, { throwIfNoEntry: false });
  if (stat && (!stat.isFile() || stat.size > 1 << 16)) return usage(`the master password file ${parsed.path} is not a small regular file`, "Point file: at the file holding the master password.", file);
  let text;
  try {
    text = stat ? (io.fs.readFileSync(parsed.path) as Buffer).toString("utf8") : undefined;
  } catch (e) {
    return usage(`the master password file ${parsed.path} cannot be read: ${(e as NodeJS.ErrnoException).code ?? e}`, "Check its permissions.", file);
  }
  const master = text === undefined ? undefined : masterFromFile(text);
  if (master === undefined) return usage(`its master source file:${parsed.path} ${text === undefined ? "does not exist" : "holds no line that is not a # comment"}`, "Put the master password on the file's first line.", file);
  return master;
}

/**
 * Reads Maven 4's master password: the security file, its `master` configuration (source and cipher), the
 * source. Every problem is exit 2, naming the file; `purpose` starts the error when there is no file.
 */
export function findMaster4(location: Security4Location, io: Security4Io, purpose: string): Master4Reading {
  let text;
  try {
    text = readXmlFile(io.fs, location.path, 1 << 20, (why) => usage(`the security file ${location.path} ${why}`));
  } catch (e) {
    if (e instanceof M2Error) return { problem: new M2Error(Exit.usage, e.message, { ...e.details, file: location.path }) };
    throw e;
  }
  if (text === undefined) return { problem: usage(`${purpose}, but there is no Maven 4 security file at ${location.path} (${location.source})`, CREATE4_HINT) };
  let parsed;
  try {
    parsed = parseSecurity4(text);
  } catch (e) {
    if (e instanceof M2Error) return { problem: new M2Error(Exit.usage, e.message, { ...e.details, file: location.path }) };
    throw e;
  }
  const source = parsed.master?.source;
  if (source === undefined) return { problem: usage("the security file has no master configuration with a source property", CREATE4_HINT, location.path) };
  if (parsed.master?.cipher !== CIPHER4) return { problem: usage(`the security file's master cipher is ${parsed.master?.cipher ?? "missing"}, not ${CIPHER4}`, `Set the master configuration's cipher to ${CIPHER4}.`, location.path) };
  const master = readSource(source, io, location.path);
  if (master instanceof M2Error) return { problem: master };
  if (master === "") return { problem: usage(`its master source ${source} gives an empty master password`, "Set a master password.", location.path) };
  return { master: { file: location.path, source, master } };
}

export function readMaster4(location: Security4Location, io: Security4Io, purpose: string): Master4 {
  const found = findMaster4(location, io, purpose);
  if ("problem" in found) throw found.problem;
  return found.master;
}

/**
 * A master source for a new security file (`--master-source`, the wizard), checked here before anything is
 * written: `env:NAME` set in this environment, or `file:/absolute/path` to a file of mode 600 (never a master
 * password in a file others can read). Returns the new file's text and the master password it gives.
 */
export function newSecurity4(source: string, io: Security4Io, path: string): { text: string; master: string } {
  const parsed = masterSource(source);
  if (!parsed) throw usage(`--master-source ${source} is not env:NAME or file:/absolute/path`, "For example --master-source env:MAVEN_MASTER_PASSWORD.");
  if (parsed.kind === "env" && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(parsed.name)) throw usage(`--master-source env:${parsed.name}: ${parsed.name} is not a variable name`);
  if (parsed.kind === "file" && isAbsolute(parsed.path) && exists(io.fs, parsed.path) && !private600(io.fs, parsed.path)) {
    throw usage(`--master-source file:${parsed.path}: the file can be read by other users, and it holds the master password`, `chmod 600 ${parsed.path}, then run again.`);
  }
  const master = readSource(source, io, path);
  if (master instanceof M2Error) throw new M2Error(Exit.usage, `--master-source ${source}: ${master.message.replace(/^its master source \S+ /, "")}`, { hint: master.details.hint });
  if (master === "") throw usage(`--master-source ${source} gives an empty master password`, "Set a master password.");
  return { text: security4Xml(source), master };
}

/** Writes the new security file (0600, never over an existing one: src/io/security.ts). */
export const createSecurity4File = (fs: Fs, path: string, text: string): void => createSecurityFile(fs, path, text);
