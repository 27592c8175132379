/**
 * The env file: --env-file PATH, else ./.env when it exists, never with --no-env-file. Its variables go
 * under the environment's: a variable already set is never overridden.
 */
import { join } from "node:path";
import { Exit, M2Error } from "../errors";
import type { Fs } from "./files";

export interface Environment {
  env: Record<string, string | undefined>;
  /** The env file that was read, if any. */
  file: string | undefined;
  /** The names of the variables the env file supplied (those the environment did not already have). */
  supplied?: string[];
  warnings?: string[];
}

export async function loadEnvironment(fs: Fs, env: Record<string, string | undefined>, option: string | false | undefined, cwd: string): Promise<Environment> {
  if (option === false) return { env, file: undefined };
  const path = option ?? join(cwd, ".env");
  let content: string;
  try {
    content = fs.readFileSync(path, "utf8") as string;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (option === undefined && code === "ENOENT") return { env, file: undefined };
    throw new M2Error(Exit.usage, `could not read the env file ${path}: ${code === "ENOENT" ? "it does not exist" : (code ?? String(e))}`, {
      hint: option === undefined ? "Pass --no-env-file to ignore ./.env." : undefined,
    });
  }
  const { parse } = await import("dotenv");
  const fromFile = parse(content);
  return { env: { ...fromFile, ...env }, file: path, supplied: Object.keys(fromFile).filter((name) => env[name] === undefined) };
}
