import { Exit, M2Error } from "../errors";
import { editSettings } from "../io/edit";
import { mavenProperties, settingsPath } from "../io/paths";
import { removeServer } from "../settings/servers";
import type { Io } from "./io";
import { debug, done, report, type OutputArgs } from "./output";
import { refuseStdoutOntoSettings } from "./stdout";

export interface RemoveArgs extends OutputArgs {
  id: string;
  settings?: string;
  dryRun?: boolean;
  stdout?: boolean;
  lockTimeout: number;
}

export async function remove(args: RemoveArgs, io: Io): Promise<void> {
  if (args.stdout && (args.json || args.dryRun)) throw new M2Error(Exit.usage, "--stdout prints the settings file; it goes with neither --json nor --dry-run");
  const path = settingsPath(args, io);
  refuseStdoutOntoSettings(io, path, "remove");
  debug(io, `settings: ${path}`);
  const outcome = await editSettings(io.fs, path, (text) => removeServer(text, args.id, io.env, mavenProperties(io)), { create: false, dryRun: args.dryRun || args.stdout, lockWaitMs: args.lockTimeout * 1000 });
  if (args.stdout) {
    io.writeStdout(outcome.bytes);
    return;
  }
  const diff = args.dryRun ? (await import("./preview")).maskedDiff(path, outcome.before, outcome.after, [], { color: io.color && !args.json, cwd: io.cwd }) : "";
  const prose =
    outcome.change !== "removed"
      ? [`No server "${args.id}" in ${path}; nothing changed.`]
      : args.dryRun
        ? [`Dry run: would remove server "${args.id}" from ${path}; nothing written.`]
        : [done(io, `Removed server "${args.id}" from ${path}.`), ...(outcome.backup ? [`Previous version saved as ${outcome.backup}.`] : [])];
  report(
    io,
    args,
    { settings: path, serverId: args.id, change: outcome.change, backup: outcome.backup ?? null, ...(args.dryRun ? { dryRun: true, diff } : {}), warnings: outcome.warnings },
    // A dry run's stdout is the patch alone, so that it can be saved and applied; what it means goes to stderr.
    args.dryRun ? (diff ? [diff] : []) : prose,
  );
  if (args.dryRun && !args.json && !args.quiet) for (const line of prose) io.stderr(line);
}
