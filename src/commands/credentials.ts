/**
 * The credentials as given to setup and rotate: flags, the piped secret, the environment and the env file
 * (src/anypoint/credentials.ts ranks them); and whether the wizard may ask for what is still missing.
 */
import { isUtf8 } from "node:buffer";
import { gatherCredentials, type FoundCredentials } from "../anypoint/credentials";
import { Exit, M2Error } from "../errors";
import { loadEnvironment, type Environment } from "../io/envfile";
import { CLIENT_SECRET_ENV } from "../domain";
import type { Io } from "../world";
import { announceEnvFile, type OutputArgs } from "./output";

export interface CredentialArgs extends OutputArgs {
  clientId?: string;
  clientSecret?: string;
  clientSecretStdin?: boolean;
  envFile?: string | false;
  stdout?: boolean;
  yes?: boolean;
  nonInteractive?: boolean;
}

/** Prompts only in a terminal, outside CI, and when not told otherwise. */
export function canPrompt(io: Io, args: CredentialArgs): boolean {
  // The flags first: looking at the terminal builds stream objects, which costs a --yes run start-up time.
  return !args.yes && !args.nonInteractive && !args.json && !args.stdout && !io.env.CI && io.terminal;
}

/**
 * The environment with the env file under it (announced), and the credentials found in the flags, on stdin
 * and in that environment; missing values stay undefined, for the wizard or requireCredentials.
 */
export async function givenCredentials(args: CredentialArgs, io: Io): Promise<{ env: Record<string, string | undefined>; found: FoundCredentials }> {
  const loaded = await loadEnvironment(io.fs, io.env, args.envFile, io.cwd);
  announceEnvFile(io, args, loaded);
  refuseTwoSecrets(args, loaded);
  const stdinSecret = args.clientSecretStdin ? await readSecretFromStdin(io) : undefined;
  const found = gatherCredentials({ clientId: args.clientId, clientSecret: args.clientSecret, stdinSecret, env: loaded.env, envFile: loaded.file });
  return { env: loaded.env, found };
}

/**
 * Two secrets given on purpose: --client-secret with --client-secret-stdin, or either with an env file named
 * by --env-file that sets ANYPOINT_CLIENT_SECRET. Which one was meant cannot be told: exit 2, naming both.
 * The environment's variable and ./.env (found, not named) lose to a flag without a word, as a flag wins
 * over the environment in any command.
 */
function refuseTwoSecrets(args: CredentialArgs, loaded: Environment): void {
  const given = [
    ...(args.clientSecret !== undefined ? ["--client-secret"] : []),
    ...(args.clientSecretStdin ? ["--client-secret-stdin"] : []),
    ...(typeof args.envFile === "string" && loaded.supplied.includes(CLIENT_SECRET_ENV) ? [`${CLIENT_SECRET_ENV} in ${loaded.file} (--env-file)`] : []),
  ];
  if (given.length < 2) return;
  throw new M2Error(Exit.usage, `two client secrets were given: ${given.join(" and ")}`, { hint: "Give the secret one way only." });
}

/** Far above any client secret; what a runaway pipe (`yes |`) sends is refused, not kept in memory. */
const MAX_STDIN_SECRET = 64 * 1024;

/** The secret piped in: refused from a terminal (it would echo as typed) and when it is not valid UTF-8. */
async function readSecretFromStdin(io: Io): Promise<string> {
  if (io.stdinTerminal) {
    throw new M2Error(Exit.usage, "--client-secret-stdin reads a piped secret, but standard input is a terminal, where the secret would show as you type it", {
      hint: "Pipe the secret in (printf %s \"$SECRET\" | anypoint-m2 setup ... --client-secret-stdin), or leave the flag out to be asked for it hidden.",
    });
  }
  const bytes = await io.readStdin(MAX_STDIN_SECRET);
  if (bytes === undefined) {
    throw new M2Error(Exit.usage, `more than ${MAX_STDIN_SECRET / 1024} KiB came on stdin for --client-secret-stdin; a client secret is a short line`, {
      hint: "Pipe only the secret.",
    });
  }
  if (!isUtf8(bytes)) {
    throw new M2Error(Exit.usage, "the client secret read from stdin is not valid UTF-8", { hint: "Pipe the secret as UTF-8 text." });
  }
  return Buffer.from(bytes).toString("utf8");
}
