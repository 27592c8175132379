/**
 * Where the connected app's credentials come from, highest first: flags, the environment, the env file
 * (already merged under the environment by the caller), stdin for the secret. Values are trimmed with a
 * warning; a missing one is an error naming every place it could have come from.
 */
import { Exit, M2Error } from "../errors";
import { CLIENT_ID_ENV, CLIENT_SECRET_ENV, SEPARATOR } from "../domain";

export interface CredentialInput {
  clientId?: string;
  clientSecret?: string;
  /** The secret as read from stdin (--client-secret-stdin). */
  stdinSecret?: string;
  /** The environment with the env file's variables under it. */
  env: Record<string, string | undefined>;
  /** Whether an env file was read, and which. */
  envFile?: string;
}

export interface Credentials {
  clientId: string;
  clientSecret: string;
  warnings: string[];
}

function pick(label: string, candidates: [string | undefined, string][], warnings: string[]): string | undefined {
  for (const [value, source] of candidates) {
    if (value === undefined) continue;
    const trimmed = value.trim();
    if (trimmed !== value) warnings.push(`the ${label} from ${source} had whitespace around it; it was trimmed`);
    if (trimmed === "") {
      // Nothing on stdin is most often an unset variable, or a pipe that was not made.
      const hint = source === "stdin" ? 'Pipe the secret in: printf %s "$ANYPOINT_CLIENT_SECRET" | anypoint-m2 ... --client-secret-stdin (is the variable set in this shell?).' : undefined;
      throw new M2Error(Exit.usage, `the ${label} from ${source} is empty`, hint ? { hint } : {});
    }
    // Bytes that are not UTF-8 reach Node's environment, argv and stdin as U+FFFD: what was meant is lost.
    if (trimmed.includes("\uFFFD")) {
      throw new M2Error(Exit.usage, `the ${label} from ${source} holds U+FFFD, the character that replaces bytes that are not valid UTF-8`, {
        hint: "Give the value as UTF-8 text.",
      });
    }
    return trimmed;
  }
  return undefined;
}

export interface FoundCredentials {
  clientId: string | undefined;
  clientSecret: string | undefined;
  warnings: string[];
}

/** What the flags, stdin and environment hold, trimmed; missing values stay undefined. */
export function gatherCredentials(input: CredentialInput): FoundCredentials {
  const warnings: string[] = [];
  const envSource = (name: string) => (input.envFile && input.env[name] !== undefined ? `${name} (environment or ${input.envFile})` : name);
  const clientId = pick("client ID", [[input.clientId, "--client-id"], [input.env[CLIENT_ID_ENV], envSource(CLIENT_ID_ENV)]], warnings);
  if (input.clientSecret !== undefined) {
    warnings.push(`--client-secret is visible to other users in the process list and stays in your shell history; prefer ${CLIENT_SECRET_ENV} or --client-secret-stdin`);
  }
  const stdin = input.stdinSecret?.replace(/\r?\n$/, "");
  const clientSecret = pick(
    "client secret",
    [[input.clientSecret, "--client-secret"], [stdin, "stdin"], [input.env[CLIENT_SECRET_ENV], envSource(CLIENT_SECRET_ENV)]],
    warnings,
  );
  if (clientId?.includes(SEPARATOR)) {
    throw new M2Error(Exit.usage, `the client ID contains "${SEPARATOR}", which separates it from the secret in the password`);
  }
  return { clientId, clientSecret, warnings };
}

/** Both values, or a usage error with one line per missing input naming the flag and the variable. */
export function requireCredentials(found: FoundCredentials): Credentials {
  const missing: string[] = [];
  if (!found.clientId) missing.push(`client ID: pass --client-id, or set ${CLIENT_ID_ENV} (in the environment or a .env file)`);
  if (!found.clientSecret) missing.push(`client secret: set ${CLIENT_SECRET_ENV} (in the environment or a .env file), or pass --client-secret-stdin`);
  if (missing.length > 0) throw new M2Error(Exit.usage, `missing input:\n  ${missing.join("\n  ")}`);
  return { clientId: found.clientId!, clientSecret: found.clientSecret!, warnings: found.warnings };
}
