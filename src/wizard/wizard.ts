/**
 * The questions of the setup wizard, with @inquirer/prompts (the inquirer project's prompt API). Bundled
 * apart (dist/wizard.cjs) and loaded only when a prompt is shown. Ctrl-C or Escape at any prompt ends
 * the run with exit 130 and nothing written.
 */
import { emitKeypressEvents } from "node:readline";
import { checkbox, confirm, input, password, select } from "@inquirer/prompts";
import { REGIONS, type Region } from "../anypoint/endpoint";
import { Exit, M2Error } from "../errors";
import type { ServerSummary } from "../settings/list";
import type { Store } from "../settings/stores";

/** Runs one prompt; Escape aborts it, and an aborted or interrupted prompt is a cancellation. */
async function ask<T>(prompt: (context: { signal: AbortSignal }) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onKey = (_: unknown, key: { name?: string } | undefined) => {
    if (key?.name === "escape") controller.abort();
  };
  emitKeypressEvents(process.stdin);
  process.stdin.on("keypress", onKey);
  try {
    return await prompt({ signal: controller.signal });
  } catch (e) {
    const name = (e as Error)?.name;
    if (name === "ExitPromptError" || name === "AbortPromptError" || name === "CancelPromptError") {
      throw new M2Error(Exit.cancelled, "cancelled; nothing was written");
    }
    throw e;
  } finally {
    process.stdin.off("keypress", onKey);
    // Listening for keys set stdin flowing; paused, it no longer keeps the process alive after the last prompt.
    process.stdin.pause();
  }
}

/**
 * A line of the wizard's own on stderr, wrapped at spaces to the terminal's width (80 when it is not known):
 * a prompt's message stays short and constant, and what varies (ids, paths, usernames) is said before it.
 */
export function say(text: string): void {
  const width = Math.max(40, (process.stderr.columns || 80) - 1);
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(" ")) {
      if (line !== "" && [...line].length + 1 + [...word].length > width) {
        lines.push(line);
        line = word;
      } else line = line === "" ? word : `${line} ${word}`;
    }
    lines.push(line);
  }
  process.stderr.write(`${lines.join("\n")}\n`);
}

const required = (what: string) => (value: string) => (value.trim() === "" ? `Enter the ${what}.` : true);

export async function askRegion(): Promise<Region> {
  return ask((context) =>
    select<Region>(
      {
        message: "Anypoint control plane",
        choices: (Object.keys(REGIONS) as Region[]).map((r) => ({ name: `${r.padEnd(4)} ${REGIONS[r]}`, value: r })),
        default: "us",
      },
      context,
    ),
  );
}

/** With `current` (after a rejection) as the default: Enter keeps it, or the user corrects it. */
export async function askClientId(current?: string): Promise<string> {
  return ask((context) => input({ message: current ? "Connected app client ID (Enter keeps it)" : "Connected app client ID", default: current, validate: required("client ID") }, context)).then((v) => v.trim());
}

export async function askSecret(message = "Client secret"): Promise<string> {
  return ask((context) => password({ message, mask: "*", validate: required("client secret") }, context)).then((v) => v.trim());
}

export async function askServerId(servers: ServerSummary[], fallback: string): Promise<string> {
  // The default shows as the prompt's answer already; the note names the file's other ids.
  const ids = [...new Set(servers.map((s) => s.id).filter((x): x is string => x !== null && x !== fallback))];
  if (ids.length > 0) say(`Server ids in the file: ${ids.join(", ")}.`);
  return ask((context) => input({ message: "Server id, the repository id in your pom.xml", default: fallback, validate: required("server id") }, context)).then((v) => v.trim());
}

const PASSWORD_WORDS: Record<ServerSummary["password"], string> = {
  none: "no password",
  empty: "an empty password",
  literal: "a password written in the file",
  env: "a password from environment variables",
  encrypted: "a password encrypted with Maven's master password",
  token: "an Anypoint token of a connected app (--store token)",
};

/** Replacing a connected app's entry is the usual case (yes); anyone else's credentials, the exception (no). */
export async function askUpdate(server: ServerSummary): Promise<boolean> {
  const owner = server.connectedApp ? "an Anypoint connected app" : `username ${server.username ?? "(none)"}, not a connected app`;
  say(`Server "${server.id}" exists (${owner}, ${PASSWORD_WORDS[server.password]}).`);
  return ask((context) => confirm({ message: "Replace its credentials?", default: server.connectedApp }, context));
}

/** The servers asked about were kept: another id for the credentials, or "" to write nothing. */
export async function askOtherServerId(kept: string[]): Promise<string> {
  say(`${kept.map((id) => `"${id}"`).join(", ")} ${kept.length > 1 ? "stay as they are" : "stays as it is"}.`);
  return ask((context) => input({ message: "Another server id for these credentials (Enter alone: write nothing)" }, context)).then((v) => v.trim());
}

/** The settings file others can read, before a password goes in: make it private (yes by default). */
export async function askPrivate(path: string, mode: number): Promise<boolean> {
  say(`${path} can be read by other users (mode ${mode.toString(8)}).`);
  return ask((context) => confirm({ message: "Make it private (chmod 600) before the password goes in?", default: true }, context));
}

/** Anypoint could not be reached: try again, write without the check, or stop (nothing written). */
export async function askUnreachable(): Promise<"retry" | "unchecked" | "cancel"> {
  return ask((context) =>
    select<"retry" | "unchecked" | "cancel">(
      {
        message: "The credentials could not be checked",
        choices: [
          { value: "retry", name: "Try again" },
          { value: "unchecked", name: "Write them without the check (run anypoint-m2 verify later)" },
          { value: "cancel", name: "Stop: write nothing" },
        ],
      },
      context,
    ),
  );
}

/** Default yes when neither settings.xml nor ./pom.xml declares a repository with the server's id. */
export async function askRepositories(byDefault: boolean): Promise<boolean> {
  say("A Mule build finds its dependencies in the Exchange and MuleSoft repositories (profile anypoint-exchange).");
  return ask((context) => confirm({ message: "Also add the Exchange and MuleSoft repositories?", default: byDefault }, context));
}

/** Mirrors that would take ids written: exclude the ids from them (`!id` in their mirrorOf)? Yes by default. */
export async function askExcludeFromMirrors(mirrors: { mirror: string; mirrorOf: string; ids: string[] }[]): Promise<boolean> {
  for (const m of mirrors) {
    process.stderr.write(`Mirror "${m.mirror}" (mirrorOf ${m.mirrorOf}) takes ${m.ids.map((id) => `"${id}"`).join(", ")}:\n  Maven would send it the mirror's credentials, not these.\n`);
  }
  const ids = [...new Set(mirrors.flatMap((m) => m.ids))].map((id) => `!${id}`).join(",");
  return ask((context) => confirm({ message: `Add ${ids} to ${mirrors.length > 1 ? "their" : "its"} <mirrorOf>?`, default: true }, context));
}

export async function askConfirm(message: string): Promise<boolean> {
  return ask((context) => confirm({ message, default: true }, context));
}

/** The Exchange repositories of the pom, each offered as a server id and checked; none checked: the caller asks for one. */
export async function askServerIds(repositories: { id: string; where: string }[], pom: string): Promise<string[]> {
  say(`${pom} declares Exchange repositories.`);
  return ask((context) =>
    checkbox(
      {
        message: "Server ids: the Exchange repositories of the pom (Space toggles, Enter accepts)",
        choices: repositories.map((r) => ({ value: r.id, name: `${r.id}  (${r.where})`, checked: true })),
      },
      context,
    ),
  );
}

/** Several of the chosen ids exist: one question for them all (the change applies to each alike). */
export async function askUpdateAll(servers: ServerSummary[]): Promise<boolean> {
  const others = servers.filter((s) => !s.connectedApp).map((s) => `"${s.id}" (username ${s.username ?? "(none)"})`);
  const note = others.length > 0 ? ` (not connected apps: ${others.join(", ")})` : " (Anypoint connected apps)";
  say(`Servers ${servers.map((s) => `"${s.id}"`).join(", ")} exist${note}.`);
  return ask((context) => confirm({ message: "Replace their credentials?", default: others.length === 0 }, context));
}

/** How the password is written; each choice says when it fits. */
export async function askStore(current: Store = "literal"): Promise<Store> {
  const choices: { value: Store; name: string; short: Store }[] = [
    { value: "literal", short: "literal", name: "literal     as is, in a settings.xml only you can read: your own machine" },
    { value: "env", short: "env", name: "env         as ${env.X} references, no secret on disk: CI jobs and images" },
    { value: "encrypted", short: "encrypted", name: "encrypted   with Maven's master password: hidden from a casual reader" },
  ];
  return ask((context) => select<Store>({ message: "Store the password as", choices, default: current }, context));
}

/**
 * Maven 4 and no settings-security4.xml at `path`: offers to create one, and asks where Maven 4 takes the
 * master password from (never the password itself, which stays in the variable or a file of mode 600).
 */
export async function askMasterSource(path: string): Promise<string> {
  const create = await ask((context) => confirm({ message: `There is no ${path} (Maven 4's). Create it?`, default: true }, context));
  if (!create) {
    throw new M2Error(Exit.cancelled, "no Maven 4 security file, so nothing to encrypt with; nothing was written", {
      hint: "Pass --master-source env:NAME, or choose another store.",
    });
  }
  const valid = (v: string) => (/^env:[A-Za-z_][A-Za-z0-9_]*$/.test(v) || /^file:\//.test(v) ? true : "Enter env:NAME or file:/absolute/path.");
  return ask((context) =>
    input({ message: "Where Maven 4 takes the master password from (env:NAME, set wherever Maven runs, or file:/path of mode 600)", default: "env:MAVEN_MASTER_PASSWORD", validate: valid }, context),
  ).then((v) => v.trim());
}

/**
 * There is no security file at `path`: offers to create one, and asks its master password twice, hidden.
 * Declining is a cancellation: the encrypted store needs a master password.
 */
export async function askNewMaster(path: string): Promise<string> {
  say(`There is no ${path}.`);
  const create = await ask((context) => confirm({ message: "Create it, with a new master password?", default: true }, context));
  if (!create) {
    throw new M2Error(Exit.cancelled, "no security file, so nothing to encrypt with; nothing was written", {
      hint: "Create one with mvn --encrypt-master-password, or pass --security-file, or choose another store.",
    });
  }
  for (;;) {
    const master = await ask((context) => password({ message: "New master password", mask: "*", validate: (v) => (v === "" ? "Enter a master password." : true) }, context));
    const again = await ask((context) => password({ message: "The master password again", mask: "*" }, context));
    if (again === master) return master;
    process.stderr.write("The two do not match; enter it again.\n");
  }
}
