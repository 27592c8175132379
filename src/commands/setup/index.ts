/**
 * setup as the pipeline it is: settle the inputs (inputs.ts: flags, environment, env file, pom, wizard), plan
 * the change (plan.ts), check the credentials (check.ts), preview and confirm (confirm.ts), then write under
 * the lock and print what was done (print.ts). Each step is a plain function; each hands the next what it learned.
 */
import { Exit, M2Error } from "../../errors";
import type { Identity } from "../../anypoint/token";
import { outcomeOf, planEdit, writePlan, type Operation, type Plan } from "../../io/edit";
import { settingsPath } from "../../io/paths";
import { refuseTargetChosenByProject } from "../../io/trust";
import type { Io } from "../../world";
import { debug } from "../output";
import { refuseStdoutOntoSettings } from "../stdout";
import { checkCredentials } from "./check";
import { confirm, offerExclusion } from "./confirm";
import { keepStore, settleInputs, type Inputs, type SetupArgs } from "./inputs";
import { operation, type SetupReport } from "./plan";
import { print, type SetupResult } from "./print";
import { pomRepositories } from "./repositories";
import { writeNewSecurityFile } from "./storage";

export type { SetupArgs } from "./inputs";
export type { SetupResult } from "./print";

/** Writes the server(s) and prints what it did; returns that, as `--json` prints it (undefined for --stdout). */
export async function setup(args: SetupArgs, io: Io): Promise<SetupResult | undefined> {
  if (args.stdout && (args.json || args.dryRun)) throw new M2Error(Exit.usage, "--stdout prints the settings file; it goes with neither --json nor --dry-run");
  const path = settingsPath(args, io);
  refuseStdoutOntoSettings(io, path, "setup");
  refuseTargetChosenByProject(args, io, path);
  const { inputs, identity, plan, change, kept, warnings } = await prepare(args, io, path);
  if (inputs.wizard) await confirm(args, io, inputs, plan, Boolean(args.dryRun));
  if (!args.dryRun && !args.stdout) writeNewSecurityFile(io, inputs.storage, Boolean(args.quiet));
  const outcome = args.dryRun || args.stdout ? outcomeOf(plan) : await writePlan(io.fs, plan, change, args.lockTimeout * 1000);
  return print(args, io, inputs, { outcome, identity, kept, warnings });
}

/** What setup has settled before it writes: the inputs, the check's answer, and the change planned on the file at `path`. */
export interface Prepared {
  inputs: Inputs;
  identity: Identity | undefined;
  plan: Plan<SetupReport>;
  change: Operation<SetupReport>;
  kept: boolean;
  warnings: string[];
}

/** Settle the inputs, plan the change, check the credentials: all but writing (setup writes the file, exec a private copy). */
export async function prepare(args: SetupArgs, io: Io, path: string): Promise<Prepared> {
  let settled = await settleInputs(args, io, path);
  debug(io, `settings: ${path}; server ids: ${settled.serverIds.join(", ")}; control plane: ${settled.check ? settled.check.base.origin : "not checked (--no-verify)"}`);

  // The file's problems come before the network: plan first, then check, then plan again if the wizard
  // corrected the credentials meanwhile (new inputs, so a new operation).
  // --with-repositories gives each id the URL the project's pom gives it: the pom is read once, here.
  const pom = settled.withRepositories ? pomRepositories(io, args.pom) : undefined;
  let first = operation(settled, io, pom);
  let planned = planEdit(io.fs, path, first, true);
  if (planned.report.kept) {
    // No store named, and the servers have one: kept (a new operation for the new inputs).
    settled = await keepStore(args, io, settled, planned.report.kept);
    first = operation(settled, io, pom);
    planned = planEdit(io.fs, path, first, true);
  }
  const warnings = emptyFile(args, planned);
  // A server kept as it was (--on-existing keep, or "no" in the wizard) gets nothing written: nothing to prove.
  const kept = settled.onExisting === "keep" && planned.report.server === "unchanged" && planned.file.bytes !== undefined;
  const checked = settled.check && !kept ? await checkCredentials(io, settled, planned) : { inputs: settled, identity: undefined };
  const { identity } = checked;
  // The wizard offers to exclude the ids from a mirror that would take them: new inputs again.
  const offered = checked.inputs.wizard ? await offerExclusion(args, io, checked.inputs, planned) : checked.inputs;
  const inputs = withToken(offered, identity);
  const change = inputs === settled ? first : operation(inputs, io, pom);
  const plan = inputs === settled ? planned : planEdit(io.fs, path, change, true);
  return { inputs, identity, plan, change, kept, warnings };
}

/** --store token: the inputs with the token the check got (new inputs, so a new operation). */
function withToken(inputs: Inputs, identity: Identity | undefined): Inputs {
  if (inputs.storage.store !== "token" || !identity?.access) return inputs;
  const { token, expiresIn } = identity.access;
  return { ...inputs, token: { value: token, ...(expiresIn ? { expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString() } : {}) } };
}

/** An empty file is filled from the template (a warning), except for --stdout, where it is most likely a mistake. */
function emptyFile(args: SetupArgs, plan: Plan<SetupReport>): string[] {
  const empty = plan.file.bytes !== undefined && outcomeOf(plan).before.trim() === "";
  if (empty && args.stdout) {
    // `--stdout | tee settings.xml` empties the file before it is read: the result would drop everything.
    throw new M2Error(Exit.unsafe, `${plan.path} is empty, so --stdout would print a new file from the template`, {
      hint: "If its content was piped back into it (| tee, or a redirect in another command), that emptied it first: restore it (perhaps from its .bak) and print to another file.",
    });
  }
  return empty ? [`${plan.path} was empty (Maven cannot read such a file); it is filled from the template (an existing .bak is left as it is)`] : [];
}
