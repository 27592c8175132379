/** setup's credential check: the token request, with the wizard's second chances. */
import type { Identity } from "../../anypoint/token";
import { Exit, M2Error } from "../../errors";
import type { Plan } from "../../io/edit";
import { describeIdentity } from "../check";
import type { Io } from "../../world";
import { done } from "../output";
import type { Inputs } from "./inputs";

/**
 * The token request. In the wizard a progress line shows, and a rejection offers to correct the client ID
 * and asks the secret again (three tries in all); anywhere else a rejection ends the run with exit 3. The
 * credentials accepted come back as inputs of their own: the same inputs when they were not corrected.
 */
export async function checkCredentials(io: Io, inputs: Inputs, plan: Plan<unknown>): Promise<{ identity: Identity | undefined; inputs: Inputs }> {
  const { check, wizard } = inputs;
  let { clientId, clientSecret } = inputs;
  for (let attempt = 1; ; attempt++) {
    if (wizard) wizard.say(`Checking the credentials with ${check!.base.host}…`);
    try {
      const identity = await check!.run(clientId, clientSecret, plan.result.text, plan.path);
      const who = describeIdentity(identity);
      if (wizard) wizard.say(done(io, `Anypoint accepted the credentials${who ? ` of ${who}` : ""}.`));
      const same = clientId === inputs.clientId && clientSecret === inputs.clientSecret;
      return { identity, inputs: same ? inputs : { ...inputs, clientId, clientSecret } };
    } catch (e) {
      if (wizard && e instanceof M2Error && e.exitCode === Exit.unreachable) {
        // The answers stay: try again, write unchecked (said in the result), or stop with nothing written.
        wizard.say(`✘ ${e.message}.`);
        const choice = await wizard.askUnreachable();
        if (choice === "cancel") throw new M2Error(Exit.cancelled, "stopped; nothing was written", { hint: e.details.hint });
        if (choice === "unchecked") return { identity: undefined, inputs: clientId === inputs.clientId && clientSecret === inputs.clientSecret ? inputs : { ...inputs, clientId, clientSecret } };
        attempt--;
        continue;
      }
      if (!wizard || !(e instanceof M2Error) || e.exitCode !== Exit.rejected || attempt >= 3) throw e;
      wizard.say(`✘ ${e.message}. ${e.details.hint ?? ""}`);
      clientId = await wizard.askClientId(clientId);
      clientSecret = await wizard.askSecret("Client secret (try again)");
    }
  }
}
