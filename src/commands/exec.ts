/**
 * `anypoint-m2 exec [setup's options] -- COMMAND [ARGS…]`: setup's change (the same inputs, checks and merge)
 * made to a private copy of the settings file Maven reads, never to the file itself; COMMAND runs with Maven
 * pointed at the copy (src/maven/launch.ts), and the copy is removed when it ends (src/io/scratch.ts).
 * stdin, stdout and stderr are the command's; exec's own words go to stderr. The exit code is the command's
 * (128+n when a signal n ended it).
 */
import { constants, tmpdir } from "node:os";
import { Exit, M2Error } from "../errors";
import { outcomeOf } from "../io/edit";
import { mavenUserSettings, settingsPath } from "../io/paths";
import { scratchFolder } from "../io/scratch";
import { refuseTargetChosenByProject } from "../io/trust";
import { findCommand } from "../io/command";
import { isMavenLauncher, launch, SETTINGS_VARIABLE } from "../maven/launch";
import type { Io } from "../world";
import { describeIdentity } from "./check";
import { prepare, type SetupArgs } from "./setup";
import { tokenLine } from "./setup/print";

export interface ExecArgs extends SetupArgs {
  /** The command and its arguments: the words after `--`. */
  command: string[];
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

export async function exec(args: ExecArgs, io: Io): Promise<void> {
  const [command, ...rest] = args.command;
  if (command === undefined || command === "") {
    throw new M2Error(Exit.usage, "exec needs a command after --", { hint: "anypoint-m2 exec [options] -- mvn deploy" });
  }
  const given: SetupArgs = { ...args, json: false, stdout: false, dryRun: false, nonInteractive: true };
  const path = settingsPath(given, io);
  const maven = isMavenLauncher(command);
  const chosen = mavenUserSettings(io).reason;
  if (maven && !args.settings && chosen.kind === "option" && chosen.source === "MAVEN_ARGS") {
    throw new M2Error(Exit.usage, "MAVEN_ARGS names a settings file (-s), which Maven reads before the one exec gives it", {
      hint: `Take -s out of MAVEN_ARGS and give the file to exec instead: anypoint-m2 exec --settings ${chosen.value} -- ${command} ...`,
    });
  }
  // Launch refusals (the command's own -s) before any work; the path is filled in once the file exists.
  const refused = launch(command, rest, "");
  if ("refused" in refused) throw new M2Error(Exit.usage, refused.refused, { hint: refused.hint });
  // A command that is not there is told before anything else is said or done (the check, the summary).
  if (io.env.PATH !== undefined && findCommand(io.fs, command, io.env.PATH, io.cwd) === undefined) throw notFound(command, io.cwd);
  // The copy holds the secret as setup would write it: a file a project chose is no more a base for it.
  refuseTargetChosenByProject(given, io, path);
  const { inputs, identity, plan } = await prepare(given, io, path);
  const outcome = outcomeOf(plan);
  if (!args.quiet) {
    for (const w of [...inputs.warnings, ...outcome.warnings]) io.stderr(`warning: ${w}`);
    const who = identity ? describeIdentity(identity) : "";
    const checked = inputs.check ? `Anypoint (${inputs.check.base.host}) accepted the credentials${who ? ` of ${who}` : ""}. ` : "";
    const ids = inputs.serverIds.map((id) => `"${id}"`).join(", ");
    if (inputs.storage.store === "token") io.stderr(tokenLine(inputs.token?.expiresAt));
    const base = outcome.newFile ? `a new settings file (there is no ${path})` : path;
    io.stderr(`${checked}${command} runs with a private copy of ${base} that has the server${inputs.serverIds.length > 1 ? "s" : ""} ${ids} (removed when it ends).`);
    // What doctor finds about the copy (a mirror that takes the ids, say): told, and the command runs all the same.
    // The copy is exec's own, mode 600: who can read the user's file is no matter here. Lines are the copy's.
    const { findingLines, setupFindings } = await import("./setup/findings");
    const findings = setupFindings(given, io, inputs, path, outcome.after, 0o600, "exec").map((f) => (f.file === path ? { ...f, file: `private copy of ${path}` } : f));
    for (const line of findingLines(findings, "run", io.color)) io.stderr(line);
  }

  const scratch = scratchFolder(tmpdir());
  try {
    const file = scratch.write("settings.xml", outcome.bytes);
    const { argv } = launch(command, rest, file) as { argv: string[] };
    io.exitCode = await run(argv, { ...io.env, [SETTINGS_VARIABLE]: file }, io.cwd);
  } finally {
    scratch.remove();
  }
}

/** Exit 127: a path (with a slash) names no file; any other name, no command on the PATH. */
function notFound(command: string, cwd: string): M2Error {
  return command.includes("/")
    ? new M2Error(Exit.commandNotFound, `could not run ${command}: there is no such file (from ${cwd})`, { hint: "Check the path." })
    : new M2Error(Exit.commandNotFound, `could not run ${command}: command not found`, { hint: "Check the command's name and the PATH." });
}

/** Runs the command with exec's stdin, stdout and stderr; the signals exec gets go on to it. Resolves with its exit code. */
function run(argv: string[], env: Record<string, string | undefined>, cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // Loaded here, not with the bundle: every other command starts without child_process (and net, streams).
    const { spawn } = process.getBuiltinModule("node:child_process");
    const child = spawn(argv[0]!, argv.slice(1), { stdio: "inherit", env });
    // bin.ts ends a cancelled run at once (exit 130); here the command decides, and exec ends when it does.
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const signal of SIGNALS) {
      process.removeAllListeners(signal);
      process.on(signal, forward);
    }
    child.on("error", (e: NodeJS.ErrnoException) => {
      reject(e.code === "ENOENT" ? notFound(argv[0]!, cwd) : new M2Error(Exit.cannotExecute, `could not run ${argv[0]}: ${e.code ?? "cannot execute"}`, { hint: "Check that the file is executable." }));
    });
    child.on("exit", (code, signal) => resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
  });
}
