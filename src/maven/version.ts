/**
 * Which Maven line will read a settings file, read from a Maven distribution's own files without starting a
 * JVM: the version in the name of lib/maven-core-X.jar, else (Debian names it maven-core-3.x.jar) the
 * pom.properties inside that jar; or the version in a Maven wrapper's distributionUrl. Pure: text and bytes
 * in, a version out; src/io/maven-version.ts finds the files.
 */

export interface MavenVersion {
  /** As Maven spells it: "3.9.16", "4.0.0-rc-4". */
  version: string;
  major: number;
  minor: number;
}

/** "3.10.0" -> 3, 10; undefined for what is not a Maven version. */
export function parseMavenVersion(text: string): MavenVersion | undefined {
  const m = /^(\d+)\.(\d+)(?:\.\d+)?(?:-[A-Za-z0-9.-]+)?$/.exec(text.trim());
  return m ? { version: text.trim(), major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/** The version in a jar's name: "maven-core-3.9.16.jar" -> "3.9.16"; Debian's "maven-core-3.x.jar" has none. */
export function jarNameVersion(name: string, artifact = "maven-core"): MavenVersion | undefined {
  const m = new RegExp(`^${artifact}-(.+)\\.jar$`).exec(name);
  return m ? parseMavenVersion(m[1]!) : undefined;
}

/** `version=` of a pom.properties text (Java properties: `key=value`, `key: value`, `#` comments). */
export function propertiesValue(text: string, key: string): string | undefined {
  for (const line of text.split(/\r\n|\r|\n/)) {
    const m = /^\s*([^#!=:\s]+)\s*[=:]\s*(.*?)\s*$/.exec(line);
    if (m && m[1] === key) return m[2];
  }
  return undefined;
}

/** The Maven version of a wrapper's maven-wrapper.properties: the one in its distributionUrl's file name. */
export function wrapperVersion(text: string): MavenVersion | undefined {
  const url = propertiesValue(text, "distributionUrl")?.replace(/\\:/g, ":");
  const m = url && /apache-maven-([^/]+?)-bin\.(?:zip|tar\.gz)$/.exec(url);
  return m ? parseMavenVersion(m[1]!) : undefined;
}

/**
 * The text of one stored or deflated entry of a zip (a jar), found through its central directory; undefined
 * when there is no such entry or the bytes are not a zip this reads (no zip64, no encryption).
 */
export function zipEntry(zip: Uint8Array, name: string): string | undefined {
  const view = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  // The end-of-central-directory record: in the last 64 KiB + 22 bytes (its comment is at most 64 KiB).
  let end = -1;
  for (let i = view.length - 22; i >= Math.max(0, view.length - 22 - 0xffff); i--) {
    if (view.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return undefined;
  const count = view.readUInt16LE(end + 10);
  let at = view.readUInt32LE(end + 16);
  for (let n = 0; n < count && at + 46 <= view.length && view.readUInt32LE(at) === 0x02014b50; n++) {
    const method = view.readUInt16LE(at + 10);
    const size = view.readUInt32LE(at + 20);
    const nameLength = view.readUInt16LE(at + 28);
    const skip = nameLength + view.readUInt16LE(at + 30) + view.readUInt16LE(at + 32);
    const local = view.readUInt32LE(at + 42);
    if (view.toString("latin1", at + 46, at + 46 + nameLength) === name) {
      if (local + 30 > view.length || view.readUInt32LE(local) !== 0x04034b50) return undefined;
      const start = local + 30 + view.readUInt16LE(local + 26) + view.readUInt16LE(local + 28);
      const data = view.subarray(start, start + size);
      try {
        if (method === 0) return data.toString("utf8");
        // zlib is loaded only here, where a jar's entry is read, not with the bundle.
        if (method === 8) return process.getBuiltinModule("node:zlib").inflateRawSync(data).toString("utf8");
      } catch {
        return undefined;
      }
      return undefined;
    }
    at += 46 + skip;
  }
  return undefined;
}

const CORE_PROPERTIES = "META-INF/maven/org.apache.maven/maven-core/pom.properties";

/** The version of Maven a maven-core jar belongs to, from the pom.properties Maven's build puts in it. */
export function coreJarVersion(jar: Uint8Array): MavenVersion | undefined {
  const properties = zipEntry(jar, CORE_PROPERTIES);
  const version = properties === undefined ? undefined : propertiesValue(properties, "version");
  return version === undefined ? undefined : parseMavenVersion(version);
}

/**
 * Whether that Maven reads `<server><aliases>` (settings model 1.3.0): measured, 3.10.0 does; 3.8.7 and 3.9.16
 * ignore it with a warning, and 4.0.0-rc-4's settings model has no such element (README, "Which Maven reads what").
 */
export const readsAliases = (v: Pick<MavenVersion, "major" | "minor">): boolean => v.major === 3 && v.minor >= 10;
