/**
 * Which user settings file `mvn` reads, decided as Maven decides it, from what the launcher and MavenCli see:
 * `-s`/`--settings` in MAVEN_ARGS (3.9+) or `.mvn/maven.config`, else `${user.home}/.m2/settings.xml`, where
 * user.home comes from a `-Duser.home` (MAVEN_ARGS, maven.config, _JAVA_OPTIONS, MAVEN_OPTS, `.mvn/jvm.config`,
 * JDK_JAVA_OPTIONS, JAVA_TOOL_OPTIONS, highest first) or else from the user account, never from $HOME.
 * Pure: the shell (src/io/paths.ts) reads the files and the account.
 */
import { isAbsolute, join, resolve } from "node:path";
import { defineProperty, mavenConfigWords, mavenOptions, type MavenDialect } from "./arguments";
import { javaOptionWords, jvmProperties, shellWords } from "./jvm";

export interface LaunchContext {
  env: Record<string, string | undefined>;
  cwd: string;
  /** The account's home directory: what Java sets user.home to when nothing overrides it. */
  accountHome: string;
  dialect: MavenDialect;
  /** The project's `.mvn/jvm.config` and `.mvn/maven.config`, when the launcher finds them. */
  jvmConfig?: { path: string; text: string };
  mavenConfig?: { path: string; text: string };
}

export type SettingsReason =
  /** `-s` or `--settings` in MAVEN_ARGS or maven.config. */
  | { kind: "option"; value: string; source: string }
  /** A `-Duser.home=` somewhere. */
  | { kind: "user.home"; value: string; source: string }
  /** Nothing overrides it: the account's home directory. */
  | { kind: "account"; value: string };

export interface UserSettings {
  path: string;
  reason: SettingsReason;
  /**
   * The system and `-D` properties Maven will have that can be known here (user.home, user.dir and every
   * `-D` of the places above); Maven resolves `${name}` in settings.xml from them.
   */
  properties: Record<string, string>;
  /** Where each property of `properties` was given ("MAVEN_OPTS", a `.mvn/jvm.config` path...; "" for Java's own). */
  sources: Record<string, string>;
}

/** A relative path as Java's File resolves it: against the working directory; "" is the root (new File("", x)). */
const fromCwd = (cwd: string, path: string): string => (path === "" ? "/" : isAbsolute(path) ? resolve(path) : resolve(cwd, path));

export function userSettings(context: LaunchContext): UserSettings {
  const { env, cwd, dialect, jvmConfig, mavenConfig } = context;
  const properties = new Map<string, { value: string; source: string }>([
    ["user.home", { value: context.accountHome, source: "" }],
    ["user.dir", { value: cwd, source: "" }],
  ]);
  const define = (pairs: [string, string][], source: string) => {
    for (const [name, value] of pairs) properties.set(name, { value, source });
  };
  // The JVM: a later -D wins; Maven 3's launcher puts jvm.config before MAVEN_OPTS, Maven 4's after.
  define(jvmProperties(javaOptionWords(env.JAVA_TOOL_OPTIONS ?? "")), "JAVA_TOOL_OPTIONS");
  define(jvmProperties(javaOptionWords(env.JDK_JAVA_OPTIONS ?? "")), "JDK_JAVA_OPTIONS");
  const fromJvmConfig = () => jvmConfig && define(jvmProperties(shellWords(jvmConfig.text)), jvmConfig.path);
  if (dialect !== "4") fromJvmConfig();
  define(jvmProperties(shellWords(env.MAVEN_OPTS ?? "")), "MAVEN_OPTS");
  if (dialect === "4") fromJvmConfig();
  // The JVM applies _JAVA_OPTIONS after its command line.
  define(jvmProperties(javaOptionWords(env._JAVA_OPTIONS ?? "")), "_JAVA_OPTIONS");
  // Java's user.home: Maven 4's -D below are user properties, which leave it as it is.
  const system = properties.get("user.home")!;
  // MavenCli: maven.config's -D first, then the command line's, each set as a system property (the last wins);
  // for -s the command line comes first and the first one wins.
  const config = mavenConfig ? mavenOptions(mavenConfigWords(mavenConfig.text, dialect)).map((o) => ({ ...o, source: mavenConfig.path })) : [];
  const args = dialect !== "3.8" ? mavenOptions(shellWords(env.MAVEN_ARGS ?? "")).map((o) => ({ ...o, source: "MAVEN_ARGS" })) : [];
  for (const o of [...config, ...args]) if (o.key === "D") define([defineProperty(o.value)], o.source);

  const known = Object.fromEntries([...properties].map(([name, p]) => [name, p.value]));
  const sources = Object.fromEntries([...properties].map(([name, p]) => [name, p.source]));
  const option = [...args, ...config].find((o) => o.key === "s");
  if (option) return { path: fromCwd(cwd, option.value), reason: { kind: "option", value: option.value, source: option.source }, properties: known, sources };
  // Maven 4: -Dmaven.user.settings (a user property; the last one wins) stands for -s, a relative path from user.home.
  const userSettingsProperty = dialect === "4" ? [...config, ...args].filter((o) => o.key === "D" && defineProperty(o.value)[0] === "maven.user.settings").at(-1) : undefined;
  if (userSettingsProperty) {
    const value = defineProperty(userSettingsProperty.value)[1];
    const path = isAbsolute(value) ? resolve(value) : resolve(fromCwd(cwd, system.value), value);
    return { path, reason: { kind: "option", value, source: userSettingsProperty.source }, properties: known, sources };
  }
  const home = dialect === "4" ? system : properties.get("user.home")!;
  const path = join(fromCwd(cwd, home.value), ".m2", "settings.xml");
  return { path, reason: home.source ? { kind: "user.home", value: home.value, source: home.source } : { kind: "account", value: home.value }, properties: known, sources };
}

/**
 * Which rules the `mvn` launcher script follows. The real launcher names MAVEN_PROJECTBASEDIR; it reads
 * MAVEN_ARGS from 3.9 on; Maven 4's passes -Dmaven.mainClass. Anything else (a wrapper script, no mvn at all)
 * is taken as a Maven 3.9.
 */
export function launcherDialect(script: string | undefined): MavenDialect {
  if (script === undefined || !script.includes("MAVEN_PROJECTBASEDIR")) return "3.9";
  if (script.includes("maven.mainClass")) return "4";
  return script.includes("MAVEN_ARGS") ? "3.9" : "3.8";
}
