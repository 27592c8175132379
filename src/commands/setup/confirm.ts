/** The wizard's last question: the change, secrets masked, and whether to write it. */
import { Exit, M2Error } from "../../errors";
import { outcomeOf, type Plan } from "../../io/edit";
import type { Io } from "../../world";
import type { Inputs } from "./inputs";

/** The wizard shows what will be written (secrets masked) and asks before writing. */
export async function confirm(io: Io, inputs: Inputs, plan: Plan<unknown>, dryRun: boolean): Promise<void> {
  const preview = outcomeOf(plan);
  if (preview.change === "unchanged") return;
  io.stdout((await import("../preview")).maskedDiff(plan.path, preview.before, preview.after, [inputs.clientSecret], { color: io.color, cwd: io.cwd }, preview.edits));
  if (dryRun) return;
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
