/**
 * The GitHub Action's main step (action.yml runs.main): its inputs become setup's options, read by the same
 * table as the command line, and setup writes the server(s) as the CLI does. Before that, the secret is
 * masked, and the settings file is seen as it was (snapshot.ts), for the post step (post.ts) to put back.
 * Outputs: settings-path, and server-ids one a line.
 */
import * as fs from "node:fs";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { read, type Invocation } from "../cli/read";
import { describe } from "../cli/main";
import { setup, type SetupArgs, type SetupResult } from "../commands/setup";
import { CLIENT_ID_ENV, CLIENT_SECRET_ENV } from "../domain";
import { Exit, M2Error } from "../errors";
import { accountHome, settingsPath } from "../io/paths";
import type { Io } from "../world";
import { secretForms, setupWords, type Env } from "./inputs";
import { appendFileCommand, command, input, mask, say, withoutCommands } from "./runner";
import { after, before, MANIFEST, SNAPSHOT_STATE, type Snapshot } from "./snapshot";

/** What setup may touch: this process's files and environment, with the inputs' credentials in it; no terminal. */
function actionIo(env: Env, warnings: string[]): Io {
  return {
    env,
    home: accountHome(),
    cwd: process.cwd(),
    fs,
    stdout: (text) => say(text),
    // setup's warnings become annotations, said once workflow commands are on again.
    stderr: (text) => (text.startsWith("warning: ") ? warnings.push(text.slice("warning: ".length)) : say(text, 2)),
    writeStdout: (bytes) => fs.writeSync(1, bytes),
    readStdin: async () => undefined,
    terminal: false,
    stdinTerminal: false,
    stdoutFile: () => undefined,
    color: false,
  };
}

export async function main(env: Env): Promise<number> {
  // The secret first: nothing is printed before the runner knows to hide it.
  const clientId = input(env, "client-id") || (env[CLIENT_ID_ENV] ?? "");
  const secret = input(env, "client-secret") || (env[CLIENT_SECRET_ENV] ?? "");
  for (const form of secretForms(clientId, secret)) mask(form);

  const warnings: string[] = [];
  try {
    // Said in the workflow's words: setup's own message would name its flags and variables.
    // (The env store unchecked writes only ${env.X} references: it needs neither.)
    const references = input(env, "store").toLowerCase() === "env" && input(env, "verify").toLowerCase() === "false";
    const missing = references ? [] : [!clientId && "client-id", !secret && "client-secret"].filter(Boolean);
    if (missing.length > 0) {
      throw new M2Error(Exit.usage, `the ${missing.join(" and ")} input${missing.length > 1 ? "s are" : " is"} empty (and ${missing.map((m) => (m === "client-id" ? CLIENT_ID_ENV : CLIENT_SECRET_ENV)).join(", ")} not set)`, {
        hint: "Pass them from the repository's secrets: client-id: ${{ secrets.ANYPOINT_CLIENT_ID }}, client-secret: ${{ secrets.ANYPOINT_CLIENT_SECRET }} (a workflow run from a fork gets no secrets).",
      });
    }
    // An input given overrides the variable; an empty one (a secret a fork's run does not get) does not.
    const io = actionIo({ ...env, ...(clientId ? { [CLIENT_ID_ENV]: clientId } : {}), ...(secret ? { [CLIENT_SECRET_ENV]: secret } : {}) }, warnings);
    // The words are all setup's options, so the table reads them as setup's arguments.
    const args = (read(setupWords(env)) as Invocation).args as unknown as SetupArgs;
    const keep = mkdtempSync(join(env.RUNNER_TEMP || tmpdir(), "anypoint-m2-"));
    appendFileCommand(env, "GITHUB_STATE", SNAPSHOT_STATE, keep);
    const manifest = join(keep, MANIFEST);
    const save = (s: Snapshot) => writeFileSync(manifest, JSON.stringify(s), { mode: 0o600 });
    const seen = before(settingsPath({ ...args, quiet: true }, io), keep);
    save(seen);
    let result: SetupResult | undefined;
    try {
      result = await withoutCommands(() => setup(args, io));
    } finally {
      save(after(seen));
    }
    appendFileCommand(env, "GITHUB_OUTPUT", "settings-path", result!.settings);
    appendFileCommand(env, "GITHUB_OUTPUT", "server-ids", result!.servers.map((s) => s.serverId).join("\n"));
    return Exit.ok;
  } catch (caught) {
    const error = caught instanceof M2Error ? caught : new M2Error(Exit.unexpected, `unexpected failure: ${String((caught as Error)?.message ?? caught).split("\n")[0]}`);
    command("error", describe(error, true));
    return error.exitCode;
  } finally {
    for (const w of warnings) command("warning", w);
  }
}

void main(process.env).then((code) => process.exit(code));
