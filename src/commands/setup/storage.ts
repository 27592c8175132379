/** How setup writes the password (src/settings/stores.ts): settled with the other inputs, from flags or the wizard. */
import { Exit, M2Error } from "../../errors";
import { createSecurityFile, readMaster, refuseProjectMaster, securityFileExists, securityLocation } from "../../io/security";
import { securityXml } from "../../maven/security";
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
  readonly security?: { path: string; file: string; master: string; create?: string };
}

type Wizard = typeof import("../../wizard/wizard");

/**
 * --store, --id-env, --secret-env and --security-file; the wizard asks for the store when none was given.
 * The variable names imply the env store, a security file the encrypted one. For the encrypted store the
 * master password is read now, before any question or request; when there is no security file, the wizard
 * offers to create one, and anywhere else that is a usage error naming how to make one.
 */
export async function settleStorage(args: StorageArgs, io: Io, wizard: Wizard | undefined, kept?: KeptStore): Promise<Storage> {
  const implied: Store | undefined = args.idEnv !== undefined || args.secretEnv !== undefined ? "env" : args.securityFile !== undefined ? "encrypted" : undefined;
  if (args.mavenReadsSecurityFile && args.securityFile === undefined) {
    throw new M2Error(Exit.usage, "--maven-reads-security-file goes with --security-file", { hint: "Name the file with --security-file PATH, or leave both out to use the one Maven reads." });
  }
  for (const [option, given, belongs] of [["--id-env", args.idEnv, "env"], ["--secret-env", args.secretEnv, "env"], ["--security-file", args.securityFile, "encrypted"], ["--maven-reads-security-file", args.mavenReadsSecurityFile || undefined, "encrypted"]] as const) {
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

/** The security file the wizard made, written once the change is confirmed and before settings.xml is. */
export function writeNewSecurityFile(io: Io, storage: Storage, quiet: boolean): void {
  const security = storage.security;
  if (!security?.create) return;
  createSecurityFile(io.fs, security.path, security.create);
  if (!quiet) io.stderr(`Created ${security.path} (mode 600): it holds your master password, encrypted as Maven does it; Maven reads it to decrypt the password.`);
}
