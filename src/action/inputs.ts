/** The Action's inputs, read as the runner passes them: what to mask, and the setup command line they stand for. */
import { SEPARATOR } from "../domain";
import { escapeText } from "../settings/value";
import { booleanInput, input, inputLines } from "./runner";

export type Env = Record<string, string | undefined>;

/** Every form in which the secret could reach the log: as given, in the password, and as written in XML. */
export function secretForms(clientId: string, secret: string): string[] {
  if (secret === "") return [];
  const forms = [secret, secret.trim(), ...(clientId ? [`${clientId}${SEPARATOR}${secret}`, `${clientId.trim()}${SEPARATOR}${secret.trim()}`] : [])];
  return [...new Set([...forms, ...forms.map(escapeText)])].filter((f) => f !== "");
}

/** The command line the inputs stand for: `setup --yes` and one option for each input given. */
export function setupWords(env: Env): string[] {
  const words = ["setup", "--yes"];
  const region = input(env, "region");
  if (region) words.push(`--region=${region}`);
  for (const id of inputLines(env, "server-id")) words.push(`--server-id=${id}`);
  const store = input(env, "store");
  if (store) words.push(`--store=${store}`);
  const flags = { "from-pom": "--from-pom", "with-repositories": "--with-repositories", verify: "--verify" } as const;
  for (const [name, flag] of Object.entries(flags)) {
    const value = booleanInput(env, name);
    if (value !== undefined) words.push(value ? flag : flag.replace("--", "--no-"));
  }
  return words;
}
