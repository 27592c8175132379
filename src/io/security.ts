/**
 * The master password, from the settings-security.xml Maven 3 would read: the `settings.security` property
 * Maven sees (a leading `~` is Maven's user.home), else `<user.home>/.m2/settings-security.xml`; a
 * `<relocation>` is followed as Maven follows it. `--security-file` names that same file, or one Maven is told
 * about where this run cannot see (`--maven-reads-security-file`). And a new security file, written 0600 and
 * atomically, never over an existing one.
 */
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import type { Fs, Io } from "../world";
import { Exit, M2Error } from "../errors";
import { masterPassword, MAVEN4_HINT, parseSecurity } from "../maven/security";
import { fileError, makeFolders, readXmlFile, removeQuietly, tempBeside, writeAll } from "./files";
import { isProjectFile, mavenProperties, optionPath, propertySource } from "./paths";

type SecurityIo = Pick<Io, "env" | "cwd" | "home" | "fs" | "stderr">;

export interface SecurityLocation {
  path: string;
  /** Where the path comes from, for messages: "--security-file", "-Dsettings.security in MAVEN_OPTS"... */
  source: string;
  /** The project file (`.mvn/maven.config` or `jvm.config`) that chose it, when one did. */
  project?: string;
  /**
   * Why Maven reads no one security file from what names it, when it does not: an empty `-Dsettings.security`
   * (Maven fails on it), or a relative one (Maven opens it from the folder each build runs in).
   */
  unusable?: { reason: string; mavenFails: boolean };
}

/**
 * The master password, or why there is none: `mavenFails` when Maven 3 fails on this security file too (and
 * so sends encrypted passwords as written), false when it cannot be told here (a Maven 4 file, a relocation
 * to a URL or a relative path, a file that cannot be read).
 */
export type MasterReading = { master: Master } | { problem: M2Error; mavenFails: boolean };

export interface Master {
  /** The file named first, and the one the master password was read from (after relocations). */
  path: string;
  file: string;
  master: string;
}

/** Far above any real security file (a few hundred bytes). */
const MAX_BYTES = 1 << 20;
/** Maven follows relocations without end (a loop overflows its stack); a chain this long is not meant. */
const MAX_RELOCATIONS = 16;

const usage = (message: string, hint?: string, file?: string) => new M2Error(Exit.usage, message, { hint, ...(file ? { file } : {}) });

export const CREATE_HINT =
  "Create one with Maven (mvn --encrypt-master-password, then put the result in <settingsSecurity><master>...</master></settingsSecurity>), run the wizard (anypoint-m2 setup in a terminal) to create it, or name one with --security-file.";

/** The security file Maven reads here, from `-Dsettings.security` or its default. */
function mavenLocation(io: SecurityIo): SecurityLocation {
  const properties = mavenProperties(io);
  const property = properties["settings.security"];
  if (property === undefined) {
    // Under user.home: a project's .mvn/ that sets it chooses the file, and so the master password, too.
    const home = propertySource(io, "user.home");
    const chosen = isProjectFile(home) ? { source: `Maven's default under -Duser.home in ${home}`, project: home } : { source: "Maven's default" };
    return { path: join(resolve(io.cwd, properties["user.home"] ?? io.home), ".m2", "settings-security.xml"), ...chosen };
  }
  const given = propertySource(io, "settings.security");
  const source = `-Dsettings.security${given ? ` in ${given}` : ""}`;
  // A leading "~" is user.home: a project's .mvn/ that sets it chooses the file as much as one that names it.
  const home = property.startsWith("~") ? propertySource(io, "user.home") : "";
  const chooser = isProjectFile(given) ? given : isProjectFile(home) ? home : undefined;
  const project = chooser ? { project: chooser } : {};
  if (property === "") {
    const reason = `${source} is empty (an unset variable?): Maven fails on it (DefaultSecDispatcher: String.charAt) and sends encrypted passwords as written`;
    return { path: "", source, ...project, unusable: { reason, mavenFails: true } };
  }
  // plexus-sec-dispatcher replaces a leading "~" with user.home; any other path is opened from the current folder.
  const path = property.startsWith("~") ? resolve(io.cwd, properties["user.home"] ?? io.home) + property.slice(1) : property;
  if (!isAbsolute(path)) {
    const reason = `${source} is a relative path, ${property}: Maven opens it from the folder each build runs in, so it names no one file`;
    return { path: resolve(io.cwd, path), source, ...project, unusable: { reason, mavenFails: false } };
  }
  return { path: resolve(path), source, ...project };
}

/** Whether two paths name one file: the same path, or the same file reached by another (a link, say). */
function sameFile(fs: Fs, a: string, b: string): boolean {
  if (a === b) return true;
  const x = fs.statSync(a, { throwIfNoEntry: false });
  const y = fs.statSync(b, { throwIfNoEntry: false });
  return x !== undefined && y !== undefined && x.dev === y.dev && x.ino === y.ino;
}

/**
 * The security file to read: the one Maven reads here. `--security-file` must name that file, unless
 * `--maven-reads-security-file` says Maven is told about it where this run cannot see (~/.mavenrc, a CI's
 * MAVEN_OPTS, an image's environment); otherwise it is exit 2, saying how to tell Maven.
 */
export function securityLocation(args: { securityFile?: string; mavenReadsSecurityFile?: boolean }, io: SecurityIo): SecurityLocation {
  const option = args.securityFile;
  if (args.mavenReadsSecurityFile && !option) throw usage("--maven-reads-security-file goes with --security-file", "Name the file with --security-file PATH, or leave both out to use the one Maven reads.");
  const maven = mavenLocation(io);
  if (!option) return maven;
  const path = optionPath(option, io);
  if (args.mavenReadsSecurityFile || (!maven.unusable && sameFile(io.fs, path, maven.path))) return { path, source: "--security-file" };
  const reads = maven.unusable ? maven.unusable.reason : `Maven reads ${maven.path} (${maven.source})`;
  throw usage(
    `--security-file ${path} is not the security file Maven reads: ${reads}; a password encrypted with its master password would reach the server as written`,
    `Tell Maven where it is: -Dsettings.security=${path} in MAVEN_OPTS, ~/.mavenrc or .mvn/jvm.config; then run again${maven.unusable ? "" : `, or leave out --security-file to use ${maven.path}`}. Where Maven is told elsewhere (~/.mavenrc, a CI job's MAVEN_OPTS, an image), add --maven-reads-security-file.`,
  );
}

/** The file's text, or undefined when nothing is there; anything but a regular file of sane size is refused. */
function readText(fs: Fs, path: string): string | undefined {
  try {
    return readXmlFile(fs, path, MAX_BYTES, (why) => usage(`the security file ${path} ${why}`));
  } catch (e) {
    if (!(e instanceof M2Error) || e.exitCode === Exit.usage) throw e;
    // Not readable (fileError), or bytes not valid in its encoding: a problem with the file named.
    throw e.exitCode === Exit.writeFailed ? usage(e.message, "Check the file's permissions.") : new M2Error(Exit.usage, e.message, { ...e.details, file: path });
  }
}

/**
 * A relocation as plexus-sec-dispatcher opens it: a URL for its protocols, else a path from the current folder
 * (no `~` here); what Maven makes of it, when it cannot be told here, is a problem that is not Maven's failure.
 */
function relocationPath(relocation: string, from: string): string | MasterReading {
  const url = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(relocation);
  if (url && url[0].length > 4) {
    if (url[1]!.toLowerCase() === "file") return fileUrlPath(relocation, url[0].length, from);
    return { problem: usage(`the security file relocates to ${relocation}, which anypoint-m2 does not fetch`, "Copy that file here and pass it with --security-file.", from), mavenFails: false };
  }
  if (relocation === "") return { problem: usage("the security file has an empty <relocation>, which Maven cannot follow", undefined, from), mavenFails: true };
  if (!isAbsolute(relocation)) {
    return { problem: usage(`the security file relocates to ${relocation}, a relative path: Maven opens it from the folder each build runs in, so it names no one file`, "Make the <relocation> an absolute path.", from), mavenFails: false };
  }
  return resolve(relocation);
}

/**
 * The file a `file://` relocation names as Java opens it: `file:///path` and `file://localhost/path` are that
 * path; any other host is one Java cannot open a file on, so Maven fails (never a path from the current folder).
 */
function fileUrlPath(relocation: string, afterScheme: number, from: string): string | MasterReading {
  const rest = relocation.slice(afterScheme);
  const slash = rest.indexOf("/");
  const host = slash < 0 ? rest : rest.slice(0, slash);
  if (slash < 0 || (host !== "" && host.toLowerCase() !== "localhost")) {
    return { problem: usage(`the security file relocates to ${relocation}, a file on the host "${host}", which Maven cannot open`, "Make the <relocation> an absolute path.", from), mavenFails: true };
  }
  try {
    return resolve(decodeURIComponent(rest.slice(slash)));
  } catch {
    return { problem: usage(`the security file relocates to ${relocation}, whose %-escapes are malformed`, "Make the <relocation> an absolute path.", from), mavenFails: false };
  }
}

/** The missing-file error, mentioning a Maven 4 security file beside it. */
function missing(fs: Fs, location: SecurityLocation, purpose: string): M2Error {
  const beside = join(dirname(location.path), "settings-security4.xml");
  const maven4 = basename(location.path) !== "settings-security4.xml" && fs.statSync(beside, { throwIfNoEntry: false })?.isFile();
  return usage(
    `${purpose}, but there is no security file at ${location.path} (${location.source})${maven4 ? `; ${beside} is Maven 4's, which Maven 3 does not read` : ""}`,
    maven4 ? MAVEN4_HINT : CREATE_HINT,
  );
}

/** Whether the security file Maven would read exists (relocations are not followed). */
export function securityFileExists(fs: Fs, path: string): boolean {
  return fs.lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}

/**
 * Reads the master password as Maven 3 would, following relocations; `purpose` starts the error when there is
 * no file ("the password is to be encrypted"). Every problem is exit 2, naming the file.
 */
export function findMaster(location: SecurityLocation, io: SecurityIo, purpose: string): MasterReading {
  const fails = (problem: M2Error): MasterReading => ({ problem, mavenFails: true });
  if (location.unusable) {
    const hint = "Set -Dsettings.security to the security file's absolute path (or one starting with ~/), or leave it out for <user.home>/.m2/settings-security.xml.";
    return { problem: usage(location.unusable.reason, hint), mavenFails: location.unusable.mavenFails };
  }
  if (basename(location.path) === "settings-security4.xml") return { problem: usage(`${location.path} is Maven 4's security file`, MAVEN4_HINT), mavenFails: false };
  const seen = new Set<string>();
  for (let path = location.path; ; ) {
    let text;
    try {
      text = readText(io.fs, path);
    } catch (e) {
      if (e instanceof M2Error) return { problem: e, mavenFails: false };
      throw e;
    }
    if (text === undefined) {
      if (path === location.path) return fails(missing(io.fs, location, purpose));
      return fails(usage(`the security file relocates to ${path}, which does not exist`, "Fix the <relocation>, or pass --security-file.", [...seen].pop()));
    }
    let parsed;
    try {
      parsed = parseSecurity(text);
    } catch (e) {
      if (!(e instanceof M2Error)) throw e;
      // The strict reader's refusals are usage errors; a file that is not well-formed XML is one Maven's parser
      // may read otherwise (a DOCTYPE, say).
      return { problem: new M2Error(Exit.usage, e.message, { ...e.details, file: path }), mavenFails: e.exitCode === Exit.usage };
    }
    seen.add(path);
    if (parsed.relocation !== undefined) {
      const next = relocationPath(parsed.relocation, path);
      if (typeof next !== "string") return next;
      if (seen.has(next) || seen.size > MAX_RELOCATIONS) return fails(usage("the security file's relocations go round in a loop", "Fix the <relocation>.", path));
      path = next;
      continue;
    }
    if (parsed.master === undefined) return fails(usage("the security file has no <master>", CREATE_HINT, path));
    const master = masterPassword(parsed.master);
    if (master === undefined) {
      return fails(usage("the security file's <master> does not decrypt with Maven's passphrase (settings.security)", "Replace it with the output of mvn --encrypt-master-password.", path));
    }
    return { master: { path: location.path, file: path, master } };
  }
}

/** findMaster, throwing its problem. */
export function readMaster(location: SecurityLocation, io: SecurityIo, purpose: string): Master {
  const found = findMaster(location, io, purpose);
  if ("problem" in found) throw found.problem;
  return found.master;
}

/**
 * Writes a new security file: a temp file beside it (0600, flushed), then a hard link in its place, which,
 * unlike a rename, fails when a file is there already. Where links are not possible, the temp file is
 * renamed once the path is seen free.
 */
export function createSecurityFile(fs: Fs, path: string, text: string): void {
  const exists = () => new M2Error(Exit.writeFailed, `${path} already exists; anypoint-m2 does not replace a security file`, { hint: "Use it (it holds your master password), or pass --security-file." });
  const temp = tempBeside(path);
  try {
    makeFolders(fs, dirname(path));
    const fd = fs.openSync(temp, "wx", 0o600);
    try {
      writeAll(fs, fd, Buffer.from(text, "utf8"));
      fs.fchmodSync(fd, 0o600);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    try {
      fs.linkSync(temp, path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EEXIST") throw exists();
      if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS" && code !== "EXDEV") throw e;
      if (securityFileExists(fs, path)) throw exists();
      fs.renameSync(temp, path);
    }
  } catch (e) {
    throw e instanceof M2Error ? e : fileError("write", path, e);
  } finally {
    removeQuietly(fs, temp);
  }
}

/**
 * A master password chosen by a project's `.mvn/` (its `-Dsettings.security`) does not encrypt the user's
 * secret: the project would pick the key (and Maven elsewhere could not decrypt it). --security-file may.
 */
export function refuseProjectMaster(location: SecurityLocation): void {
  if (!location.project) return;
  throw usage(
    `${location.project} names the security file ${location.path}: a file that comes with the project does not choose the master password your secret is encrypted with`,
    `Pass --security-file ${location.path} to use it anyway. To use your own, tell Maven so where it wins over ${location.project}: -Dsettings.security=YOURS ${location.project.endsWith("maven.config") ? "on mvn's command line or in MAVEN_ARGS (Maven 3.9 and later)" : "in MAVEN_OPTS or ~/.mavenrc"}, then pass --security-file YOURS.`,
  );
}
