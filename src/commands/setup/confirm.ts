/** The wizard's last questions: whether to exclude the ids from a mirror that would take them; the change, secrets masked, what doctor finds of it, and whether to write it. */
import { Exit, M2Error } from "../../errors";
import { outcomeOf, type Plan } from "../../io/edit";
import { facadeRegion } from "../../project/exchange";
import { excludeFromMirrors } from "../../settings/exclude";
import type { Io } from "../../world";
import { mirrorTargets } from "./mirrors";
import type { Inputs, SetupArgs } from "./inputs";

/**
 * When a mirror would take an id written (and --exclude-from-mirrors was not given), the wizard offers to add
 * `!id` to it: the inputs that do so, or the same inputs.
 */
export async function offerExclusion(args: SetupArgs, io: Io, inputs: Inputs, plan: Plan<unknown>): Promise<Inputs> {
  if (inputs.mirrorTargets || args.excludeFromMirrors === false) return inputs;
  const targets = mirrorTargets(args, io, inputs.serverIds, inputs.exchange?.url);
  const { env, properties } = inputs.values;
  const { mirrors } = excludeFromMirrors(outcomeOf(plan).after, targets, env, properties, (m) => facadeRegion(m.url!) !== undefined);
  if (mirrors.length === 0) return inputs;
  return (await inputs.wizard!.askExcludeFromMirrors(mirrors)) ? { ...inputs, mirrorTargets: targets } : inputs;
}

/** The wizard shows what will be written (secrets masked) and what doctor finds of it, and asks before writing. */
export async function confirm(args: SetupArgs, io: Io, inputs: Inputs, plan: Plan<unknown>, dryRun: boolean): Promise<void> {
  const preview = outcomeOf(plan);
  if (preview.change === "unchanged") return;
  io.stdout((await import("../preview")).maskedDiff(plan.path, preview.before, preview.after, [inputs.clientSecret, ...(inputs.token ? [inputs.token.value] : [])], { color: io.color, cwd: io.cwd }, preview.edits));
  if (dryRun) return;
  // The moment of truth: what the build will still get, before the user says yes.
  const { findingLines, setupFindings } = await import("./findings");
  for (const line of findingLines(setupFindings(args, io, inputs, plan.path, preview.after, preview.mode), "planned", io.color)) io.stdout(line);
  // A password going into a file others can read: asked before, not warned about after (the env store writes none).
  const mode = plan.file.mode;
  const exposed = mode !== undefined && (mode & 0o077) !== 0 && inputs.storage.store !== "env";
  const makePrivate = exposed && (await inputs.wizard!.askPrivate(plan.path, mode));
  const question = preview.newFile ? `Create ${plan.path} (new file) with this content?` : `Write this to ${plan.path}?`;
  if (!(await inputs.wizard!.askConfirm(question))) throw new M2Error(Exit.cancelled, "not confirmed; nothing was written");
  if (!makePrivate) return;
  try {
    // The file is written in place of this one, keeping its mode; its backup is a link to this one.
    io.fs.chmodSync(plan.file.target, 0o600);
  } catch (e) {
    throw new M2Error(Exit.writeFailed, `could not make ${plan.file.target} private (chmod 600): ${(e as NodeJS.ErrnoException).code ?? String(e)}; nothing was written`, {
      hint: `Run chmod 600 ${plan.file.target} (as its owner), then setup again.`,
    });
  }
}
