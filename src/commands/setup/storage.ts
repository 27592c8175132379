/** How setup writes the password (src/settings/stores.ts): settled with the other inputs, from flags or the wizard. */
import { Exit, M2Error } from "../../errors";
import { createSecurityFile, readMaster, refuseProjectMaster, securityFileExists, securityLocation } from "../../io/security";
import { securityXml } from "../../maven/security";
import { CREATE4_HINT, exists, newSecurity4, readMaster4, refuseProjectMaster4, security4File } from "../../io/security4";
import { mavenVersion } from "../../io/maven-version";
import { CLIENT_ID_ENV, CLIENT_SECRET_ENV } from "../../domain";
import type { sharedStore, Store } from "../../settings/stores";

/** The store the servers to write already share (settings/stores.ts sharedStore). */
export type KeptStore = ReturnType<typeof sharedStore>;
import { checkEnvName } from "../../settings/value";
import type { Io } from "../../world";

export interface StorageArgs {
  store?: Store;
  idEnv?: string;
  secretEnv?: string;
  securityFile?: string;
  mavenReadsSecurityFile?: boolean;
  /** Maven 4: the master source of a new settings-security4.xml (`env:NAME`, `file:/path`). */
  masterSource?: string;
  mavenVersion?: string;
  verify?: boolean;
}

export interface Storage {
  readonly store: Store;
  /** The store was named (--store, an option that implies one, the wizard's answer), not the default. */
  readonly named: boolean;
  /** env: the variables Maven reads the credentials from when it runs. */
  readonly variables?: { id: string; secret: string };
  /**
   * encrypted: the master password and the security file it comes from (after relocations); `create`: the
   * content of a new security file the wizard made, written once the change is confirmed.
   */
  readonly security?: { path: string; file: string; master: string; create?: string; generation?: 4; source?: string };
}

type Wizard = typeof import("../../wizard/wizard");

/**
 * --store, --id-env, --secret-env and --security-file; the wizard asks for the store when none was given.
 * The variable names imply the env store, a security file the encrypted one. For the encrypted store the
 * master password is read now, before any question or request; when there is no security file, the wizard
 * offers to create one, and anywhere else that is a usage error naming how to make one.
 */
export async function settleStorage(args: StorageArgs, io: Io, wizard: Wizard | undefined, kept?: KeptStore): Promise<Storage> {
  const implied: Store | undefined = args.idEnv !== undefined || args.secretEnv !== undefined ? "env" : args.securityFile !== undefined || args.masterSource !== undefined ? "encrypted" : undefined;
  if (args.mavenReadsSecurityFile && args.securityFile === undefined) {
    throw new M2Error(Exit.usage, "--maven-reads-security-file goes with --security-file", { hint: "Name the file with --security-file PATH, or leave both out to use the one Maven reads." });
  }
  for (const [option, given, belongs] of [["--id-env", args.idEnv, "env"], ["--secret-env", args.secretEnv, "env"], ["--security-file", args.securityFile, "encrypted"], ["--maven-reads-security-file", args.mavenReadsSecurityFile || undefined, "encrypted"], ["--master-source", args.masterSource, "encrypted"]] as const) {
    if (given !== undefined && (args.store ?? implied) !== belongs) {
      const store = args.store ?? implied;
      throw new M2Error(Exit.usage, `${option} goes with --store ${belongs}${store ? `, not --store ${store}` : ""}`);
    }
  }
  if (args.idEnv !== undefined) checkEnvName("--id-env", args.idEnv);
  if (args.secretEnv !== undefined) checkEnvName("--secret-env", args.secretEnv);
  // No store named: the one the servers already have (the wizard's default), never the secret written back.
  const store = args.store ?? implied ?? (wizard ? await wizard.askStore(kept?.store) : (kept?.store ?? "literal"));
  const named = args.store !== undefined || implied !== undefined || wizard !== undefined || kept !== undefined;
  const variables = store === "env" ? kept?.variables : undefined;
  if (store === "env") return { store, named, variables: { id: args.idEnv ?? variables?.id ?? CLIENT_ID_ENV, secret: args.secretEnv ?? variables?.secret ?? CLIENT_SECRET_ENV } };
  if (store === "token" && args.verify === false) {
    throw new M2Error(Exit.usage, "--store token needs the credential check: the token is what Anypoint answers it with", { hint: "Leave out --no-verify, or choose another store." });
  }
  if (store !== "encrypted") return { store, named };
  const maven = mavenVersion(args, io);
  if (args.masterSource !== undefined || (maven && maven.major >= 4)) return { store, named, security: await maven4Security(args, io, wizard, maven?.version ?? "4") };
  const location = securityLocation(args, io);
  refuseProjectMaster(location);
  const purpose = "--store encrypted needs Maven's master password";
  // Only where Maven reads one file: the wizard never makes a security file Maven would not read.
  if (wizard && !location.unusable && !securityFileExists(io.fs, location.path)) {
    const master = await wizard.askNewMaster(location.path);
    return { store, named, security: { path: location.path, file: location.path, master, create: securityXml(master) } };
  }
  return { store, named, security: readMaster(location, io, purpose) };
}

/**
 * Maven 4's master password for the encrypted store: its settings-security4.xml's source. When there is no such
 * file, --master-source (or the wizard's answer) makes one, written once the change is confirmed; a file already
 * there is used as it is, and --master-source must then name its source.
 */
async function maven4Security(args: StorageArgs, io: Io, wizard: Wizard | undefined, version: string): Promise<NonNullable<Storage["security"]>> {
  const location = security4File(args, io);
  refuseProjectMaster4(location);
  if (!exists(io.fs, location.path)) {
    const source = args.masterSource ?? (wizard ? await wizard.askMasterSource(location.path) : undefined);
    if (source === undefined) throw new M2Error(Exit.usage, `--store encrypted for Maven ${version} needs Maven 4's master password, but there is no ${location.path} (${location.source})`, { hint: CREATE4_HINT });
    const made = newSecurity4(source, io, location.path);
    return { path: location.path, file: location.path, master: made.master, create: made.text, generation: 4, source };
  }
  const found = readMaster4(location, io, "--store encrypted needs Maven 4's master password");
  if (args.masterSource !== undefined && args.masterSource !== found.source) {
    throw new M2Error(Exit.usage, `${location.path} already takes the master password from ${found.source}, not ${args.masterSource}`, { hint: "Leave out --master-source to use that file, or move it away first." });
  }
  return { path: location.path, file: location.path, master: found.master, generation: 4, source: found.source };
}

/** The security file the wizard made, written once the change is confirmed and before settings.xml is. */
export function writeNewSecurityFile(io: Io, storage: Storage, quiet: boolean): void {
  const security = storage.security;
  if (!security?.create) return;
  createSecurityFile(io.fs, security.path, security.create);
  if (quiet) return;
  if (security.generation === 4) io.stderr(`Created ${security.path} (mode 600): Maven 4 takes the master password from ${security.source} (the file holds no password); set it wherever Maven runs.`);
  else io.stderr(`Created ${security.path} (mode 600): it holds your master password, encrypted as Maven does it; Maven reads it to decrypt the password.`);
}
