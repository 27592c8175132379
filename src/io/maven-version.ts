/**
 * Which Maven will read the settings file, without starting a JVM: --maven-version; else the Maven of the
 * project's wrapper (`.mvn/wrapper/maven-wrapper.properties`, what `./mvnw` runs); else the distribution of
 * the `mvn` on the PATH (its symbolic links followed, as /usr/bin/mvn -> /usr/share/maven/bin/mvn), read from
 * its lib/maven-core jar. MAVEN_HOME is not looked at: the launcher takes its home from where it lies.
 */
import { dirname, join, resolve } from "node:path";
import type { Fs, Io } from "../world";
import { coreJarVersion, jarNameVersion, parseMavenVersion, wrapperVersion, type MavenVersion } from "../maven/version";
import { Exit, M2Error } from "../errors";

export interface JudgedMaven extends MavenVersion {
  /** Where the version comes from: "--maven-version", a wrapper's properties file, or a Maven home. */
  source: string;
}

type VersionIo = Pick<Io, "env" | "cwd" | "fs">;

/** A path with its symbolic links followed (the file's own, then its folders' as the system resolves them). */
function followLinks(fs: Fs, path: string): string {
  for (let hops = 0; hops < 40; hops++) {
    if (!fs.lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) return path;
    path = resolve(dirname(path), fs.readlinkSync(path, "utf8") as string);
  }
  return path;
}

/** The first executable `mvn` on the PATH, as a shell picks it. */
function mvnOnPath(fs: Fs, pathVariable: string | undefined, cwd: string): string | undefined {
  for (const dir of (pathVariable ?? "").split(":")) {
    const candidate = resolve(cwd, dir || ".", "mvn");
    const stat = fs.statSync(candidate, { throwIfNoEntry: false });
    if (stat?.isFile() && (stat.mode & 0o111) !== 0) return candidate;
  }
  return undefined;
}

/** The version of the Maven distribution at `home`: its lib/maven-core jar's name, else that jar's pom.properties. */
export function distributionVersion(fs: Fs, home: string): MavenVersion | undefined {
  const lib = join(home, "lib");
  let names: string[];
  try {
    names = (fs.readdirSync(lib) as string[]).filter((n) => /^maven-core-.*\.jar$/.test(n)).sort();
  } catch {
    return undefined;
  }
  for (const name of names) {
    const fromName = jarNameVersion(name);
    if (fromName) return fromName;
    try {
      const fromJar = coreJarVersion(fs.readFileSync(join(lib, name)) as Buffer);
      if (fromJar) return fromJar;
    } catch {
      /* unreadable: try the next */
    }
  }
  return undefined;
}

/** The file at `under` in the `.mvn` folder of the project the current folder is in (the nearest `.mvn` up), if there is one. */
function projectFile(fs: Fs, cwd: string, ...under: string[]): string | undefined {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (fs.statSync(join(dir, ".mvn"), { throwIfNoEntry: false })?.isDirectory()) {
      const path = join(dir, ".mvn", ...under);
      return fs.statSync(path, { throwIfNoEntry: false })?.isFile() ? path : undefined;
    }
    if (dir === dirname(dir)) return undefined;
  }
}

/** The project's `.mvn/settings.xml` (Maven 4's project settings) and its text, when there is one. */
export function projectSettings(io: Pick<Io, "cwd" | "fs">): { path: string; text: string } | undefined {
  const path = projectFile(io.fs, io.cwd, "settings.xml");
  if (!path) return undefined;
  try {
    return { path, text: io.fs.readFileSync(path, "utf8") as string };
  } catch {
    return undefined;
  }
}

/** The Maven that will read the settings file (see the top of this file), or undefined when none is found. */
export function mavenVersion(args: { mavenVersion?: string }, io: VersionIo): JudgedMaven | undefined {
  if (args.mavenVersion !== undefined) {
    const given = parseMavenVersion(args.mavenVersion);
    if (!given) throw new M2Error(Exit.usage, `--maven-version ${JSON.stringify(args.mavenVersion)} is not a Maven version`, { hint: "Give it as Maven prints it: 3.9.9, 3.10.0, 4.0.0-rc-4." });
    return { ...given, source: "--maven-version" };
  }
  const wrapper = projectFile(io.fs, io.cwd, "wrapper", "maven-wrapper.properties");
  if (wrapper) {
    try {
      const version = wrapperVersion(io.fs.readFileSync(wrapper, "utf8") as string);
      if (version) return { ...version, source: wrapper };
    } catch {
      /* unreadable: the mvn on the PATH decides */
    }
  }
  const mvn = mvnOnPath(io.fs, io.env.PATH, io.cwd);
  if (!mvn) return undefined;
  const home = dirname(dirname(followLinks(io.fs, mvn)));
  const version = distributionVersion(io.fs, home);
  return version ? { ...version, source: home } : undefined;
}
