/** The wizard's last question: the change, secrets masked, and whether to write it. */
import { Exit, M2Error } from "../../errors";
import { outcomeOf, type Plan } from "../../io/edit";
import type { Io } from "../../world";
import type { Inputs } from "./inputs";

/** The wizard shows what will be written (secrets masked) and asks before writing. */
export async function confirm(io: Io, inputs: Inputs, plan: Plan<unknown>, dryRun: boolean): Promise<void> {
  const preview = outcomeOf(plan);
  if (preview.change === "unchanged") return;
  io.stdout((await import("../preview")).maskedDiff(plan.path, preview.before, preview.after, [inputs.clientSecret, ...(inputs.token ? [inputs.token.value] : [])], { color: io.color, cwd: io.cwd }, preview.edits));
  if (dryRun) return;
  const question = preview.newFile ? `Create ${plan.path} (new file) with this content?` : `Write this to ${plan.path}?`;
  if (!(await inputs.wizard!.askConfirm(question))) throw new M2Error(Exit.cancelled, "not confirmed; nothing was written");
}
