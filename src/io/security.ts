/**
 * The master password, from the settings-security.xml Maven 3 would read: `--security-file`, else the
 * `settings.security` property Maven sees (a leading `~` is Maven's user.home), else
 * `<user.home>/.m2/settings-security.xml`; a `<relocation>` is followed as Maven follows it. And a new
 * security file, written 0600 and atomically, never over an existing one.
 */
import { basename, dirname, join, resolve } from "node:path";
import type { Io } from "../commands/io";
import { Exit, M2Error } from "../errors";
import { masterPassword, MAVEN4_HINT, parseSecurity } from "../maven/security";
import { decodeXml } from "../xml/encoding";
import { fileError, kindOf, makeFolders, READ_FLAGS, removeQuietly, tempBeside, writeAll, type Fs } from "./files";
import { isProjectFile, mavenProperties, optionPath, propertySource } from "./paths";

type SecurityIo = Pick<Io, "env" | "cwd" | "home" | "fs" | "stderr">;

export interface SecurityLocation {
  path: string;
  /** Where the path comes from, for messages: "--security-file", "-Dsettings.security in MAVEN_OPTS"... */
  source: string;
  /** The project file (`.mvn/maven.config` or `jvm.config`) that chose it, when one did. */
  project?: string;
}

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

/** The security file Maven would read. */
export function securityLocation(args: { securityFile?: string }, io: SecurityIo): SecurityLocation {
  const option = args.securityFile;
  if (option) return { path: optionPath(option, io), source: "--security-file" };
  const properties = mavenProperties(io);
  const userHome = resolve(io.cwd, properties["user.home"] ?? io.home);
  const property = properties["settings.security"];
  // plexus-sec-dispatcher replaces a leading "~" with user.home; anything else is a path from the current folder.
  if (property) {
    const given = propertySource(io, "settings.security");
    return {
      path: property.startsWith("~") ? resolve(io.cwd, userHome + property.slice(1)) : resolve(io.cwd, property),
      source: `-Dsettings.security${given ? ` in ${given}` : ""}`,
      ...(isProjectFile(given) ? { project: given } : {}),
    };
  }
  return { path: join(userHome, ".m2", "settings-security.xml"), source: "Maven's default" };
}

/** The file's text, or undefined when nothing is there; anything but a regular file of sane size is refused. */
function readText(fs: Fs, path: string): string | undefined {
  const stat = fs.statSync(path, { throwIfNoEntry: false });
  if (!stat) return undefined;
  if (!stat.isFile()) throw usage(`the security file ${path} is ${kindOf(stat)}, not a file`);
  if (stat.size > MAX_BYTES) throw usage(`the security file ${path} is larger than 1 MiB: it is not a settings-security.xml`);
  let bytes: Buffer;
  try {
    const fd = fs.openSync(path, READ_FLAGS);
    try {
      bytes = fs.readFileSync(fd) as Buffer;
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    throw usage(fileError("read", path, e).message, "Check the file's permissions.");
  }
  try {
    return decodeXml(bytes).text;
  } catch (e) {
    throw e instanceof M2Error ? new M2Error(Exit.usage, e.message, { ...e.details, file: path }) : e;
  }
}

/** A relocation as plexus-sec-dispatcher opens it: a URL for its protocols, else a path from the current folder. */
function relocationPath(relocation: string, cwd: string, from: string): string {
  const url = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(relocation);
  if (url && url[0].length > 4) {
    if (url[1]!.toLowerCase() === "file") return resolve(cwd, decodeURIComponent(relocation.slice(url[0].length)));
    throw usage(`the security file relocates to ${relocation}, which anypoint-m2 does not fetch`, "Copy that file here and pass it with --security-file.", from);
  }
  if (relocation === "") throw usage("the security file has an empty <relocation>, which Maven cannot follow", undefined, from);
  return resolve(cwd, relocation);
}

/** The missing-file error, mentioning a Maven 4 security file beside it. */
function missing(fs: Fs, location: SecurityLocation, purpose: string): M2Error {
  const beside = join(dirname(location.path), "settings-security4.xml");
  const maven4 = basename(location.path) !== "settings-security4.xml" && fs.statSync(beside, { throwIfNoEntry: false })?.isFile();
  return usage(
    `${purpose}, but there is no security file at ${location.path} (${location.source})${maven4 ? `; ${beside} is Maven 4's, which anypoint-m2 cannot use` : ""}`,
    maven4 ? MAVEN4_HINT : CREATE_HINT,
  );
}

/** Whether the security file Maven would read exists (relocations are not followed). */
export function securityFileExists(fs: Fs, path: string): boolean {
  return fs.lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}

/**
 * Reads the master password as Maven 3 would, following relocations; `purpose` starts the error when there is
 * no file ("the password is to be encrypted"). Every failure is exit 2, naming the file.
 */
export function readMaster(location: SecurityLocation, io: SecurityIo, purpose: string): Master {
  if (basename(location.path) === "settings-security4.xml") throw usage(`${location.path} is Maven 4's security file`, MAVEN4_HINT);
  const seen = new Set<string>();
  for (let path = location.path; ; ) {
    const text = readText(io.fs, path);
    if (text === undefined) {
      if (path === location.path) throw missing(io.fs, location, purpose);
      throw usage(`the security file relocates to ${path}, which does not exist`, "Fix the <relocation>, or pass --security-file.", [...seen].pop());
    }
    let parsed;
    try {
      parsed = parseSecurity(text);
    } catch (e) {
      throw e instanceof M2Error ? new M2Error(Exit.usage, e.message, { ...e.details, file: path }) : e;
    }
    seen.add(path);
    if (parsed.relocation !== undefined) {
      const next = relocationPath(parsed.relocation, io.cwd, path);
      if (seen.has(next) || seen.size > MAX_RELOCATIONS) throw usage("the security file's relocations go round in a loop", "Fix the <relocation>.", path);
      path = next;
      continue;
    }
    if (parsed.master === undefined) throw usage("the security file has no <master>", CREATE_HINT, path);
    const master = masterPassword(parsed.master);
    if (master === undefined) {
      throw usage("the security file's <master> does not decrypt with Maven's passphrase (settings.security)", "Replace it with the output of mvn --encrypt-master-password.", path);
    }
    return { path: location.path, file: path, master };
  }
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
    `Pass --security-file ${location.path} to use it anyway, or --security-file with your own.`,
  );
}
