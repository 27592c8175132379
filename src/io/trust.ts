/**
 * What a project may decide. A project brings files into the folder anypoint-m2 runs in: `./.env`, `pom.xml`,
 * `.mvn/maven.config` and `.mvn/jvm.config` (from the current folder or any folder above it, as Maven looks
 * for them) and the settings file those choose. They are read as Maven reads them, but they may not choose
 * where a credential is sent (the control plane, the Exchange URL, a proxy) nor which environment variable
 * is read into what anypoint-m2 prints or sends. Every command goes through this module for that:
 *
 * - `./.env`, read unasked, supplies only the credentials, and a control plane only as one of Anypoint's own
 *   regions: `projectEnv`. A file named with --env-file is the user's choice and supplies everything.
 * - a settings file a project's `.mvn/` chose gets no secret written (`refuseTargetChosenByProject`) and gives
 *   no proxy to a request that carries a credential (`credentialProxies`), so none of its `${env.X}` is
 *   resolved into proxy credentials either.
 * - a pom may name one of Anypoint's own regions (by its Exchange host: src/project/exchange.ts), nothing else.
 *
 * The user's own settings file (--settings, MAVEN_ARGS, the account's ~/.m2) is trusted as Maven trusts it:
 * its <proxy> is used with `${env.X}` resolved from the environment, as Maven resolves it for every build.
 */
import { REGIONS } from "../anypoint/endpoint";
import { PROXY_VARIABLES } from "../anypoint/proxy";
import { CLIENT_ID_ENV, CLIENT_SECRET_ENV } from "../domain";
import { Exit, M2Error } from "../errors";
import { readProxies, type SettingsProxy } from "../settings/proxies";
import type { Io } from "../world";
import { chosenByProject, isProjectFile, mavenUserSettings } from "./paths";

/** What a project's `./.env` may give: the connected app's credentials. */
const PROJECT_CREDENTIALS = new Set([CLIENT_ID_ENV, CLIENT_SECRET_ENV]);

const REGION_HOSTS = new Set<string>(Object.values(REGIONS));

/** Everything else anypoint-m2 takes from an env file: where Anypoint and its Exchange are, and the proxy. */
const ENV_FILE_CHOICES = new Set(["ANYPOINT_HOST", "ANYPOINT_BASE_URL", "ANYPOINT_EXCHANGE_URL", ...PROXY_VARIABLES, "no_proxy", "NO_PROXY"]);

/**
 * Which of `names` (set by a project's `./.env`) are taken: the credentials, and ANYPOINT_HOST when it is a
 * region's host (Anypoint's own, as a pom's Exchange host may choose). `ignored` names the rest that
 * anypoint-m2 would read from a file the user named; variables it never reads are neither.
 */
export function projectEnv(names: string[], values: Record<string, string>): { taken: string[]; ignored: string[] } {
  const region = (name: string) => name === "ANYPOINT_HOST" && REGION_HOSTS.has(values[name]!.trim().toLowerCase());
  const taken = names.filter((name) => PROJECT_CREDENTIALS.has(name) || region(name));
  const ignored = names.filter((name) => !taken.includes(name) && ENV_FILE_CHOICES.has(name));
  return { taken, ignored };
}

/**
 * A settings file that a project's .mvn/ chose gets no secret written unless --settings names it; a dry run
 * (or --stdout) writes nothing, so it goes on, and a warning says what the real run would do.
 */
export function refuseTargetChosenByProject(args: { settings?: string; dryRun?: boolean; stdout?: boolean; quiet?: boolean }, io: Io, path: string): void {
  const chooser = chosenByProject(args, io);
  if (!chooser) return;
  const message = `${chooser} makes Maven read ${path}: a file that comes with the project does not choose where the secret is written`;
  const hint = `Pass --settings ${path} to write it there, or --settings with another file.`;
  if (!args.dryRun && !args.stdout) throw new M2Error(Exit.usage, message, { hint });
  if (!args.quiet) io.stderr(`warning: run without ${args.dryRun ? "--dry-run" : "--stdout"}, this is refused (exit 2): ${message}. ${hint}`);
}

/**
 * The <proxy> entries a request carrying a credential may go through. None from a settings file a project's
 * .mvn/ chose: its <proxy> would be told the secret (a proxy sees what it forwards, and `${env.X}` in its
 * credentials would send any variable). `ignored` says so when that file declares an active proxy.
 * `${env.X}` is resolved from the environment Maven runs in (`env`), never from an env file.
 */
export function credentialProxies(text: string | undefined, env: Record<string, string | undefined>, chooser: string | undefined): { proxies: SettingsProxy[]; ignored?: string } {
  if (text === undefined) return { proxies: [] };
  if (chooser === undefined) return { proxies: readProxies(text, env) };
  let active = false;
  try {
    // Read without the environment: nothing of it is resolved for a file the project chose.
    active = readProxies(text, {}).some((p) => p.active);
  } catch {
    // A file Maven refuses has no proxy to ignore.
  }
  return {
    proxies: [],
    ignored: active ? `the <proxy> of the settings file is not used for requests to Anypoint: ${chooser} chose that file, and a project does not choose where credentials are sent; set HTTPS_PROXY, or pass --settings to trust the file` : undefined,
  };
}

/** What `${…}` in the settings file is resolved from, for what anypoint-m2 reads, prints and sends. */
export interface SettingsValues {
  env: Record<string, string | undefined>;
  properties: Record<string, string>;
}

/** Maven's own properties, which hold nothing of the user's: the home and current folders. */
const JAVA_OWN = new Set(["user.home", "user.dir"]);

/**
 * The user's own settings file is resolved as Maven resolves it: from the environment Maven runs in and its
 * properties (every -D). A file a project's .mvn/ chose gets neither: only the properties the project itself
 * gave (its -D options) and Java's own, so no variable or -D of the user's (a token in MAVEN_OPTS, a CI
 * secret) goes from it into a request or into output; a note on stderr says so.
 */
export function settingsValues(args: { settings?: string; quiet?: boolean }, io: Io): SettingsValues {
  const maven = mavenUserSettings(io);
  const chooser = chosenByProject(args, io);
  const say = (line: string) => {
    if (!args.quiet && !said.has(io)) io.stderr(line);
  };
  const fromProject = (name: string) => isProjectFile(maven.sources[name] ?? "");
  if (chooser === undefined) {
    // A project's -Denv.X stands in for the variable X in ${env.X} (Maven reads it so): not here.
    const redefined = Object.keys(maven.properties).filter((name) => name.startsWith("env.") && fromProject(name));
    if (redefined.length === 0) return { env: io.env, properties: maven.properties };
    say(`warning: ${redefined.map((n) => `-D${n}`).join(", ")} in ${maven.sources[redefined[0]!]} stands in for the environment variable in \${${redefined[0]}} for Maven: a project does not choose which variable is read, so anypoint-m2 reads the variable itself; remove ${redefined.length > 1 ? "them" : "it"} from that file`);
    said.add(io);
    return { env: io.env, properties: Object.fromEntries(Object.entries(maven.properties).filter(([name]) => !redefined.includes(name))) };
  }
  const properties = Object.fromEntries(Object.entries(maven.properties).filter(([name]) => JAVA_OWN.has(name) || fromProject(name)));
  say(`note: \${…} in ${maven.path} is not resolved from your environment: ${chooser} chose that file, and a project does not choose which variable is read; pass --settings to trust it`);
  said.add(io);
  return { env: {}, properties };
}

/** Runs that have said what settingsValues says: once each. */
const said = new WeakSet<Io>();
