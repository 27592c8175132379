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
export async function checkCredentials(io: Io, inputs: Inputs, plan: Plan<unknown>): Promise<{ identity: Identity; inputs: Inputs }> {
  const { check, wizard } = inputs;
  let { clientId, clientSecret } = inputs;
  for (let attempt = 1; ; attempt++) {
    if (wizard) io.stderr(`Checking the credentials with ${check!.base.host}…`);
    try {
      const identity = await check!.run(clientId, clientSecret, plan.result.text, plan.path);
      const who = describeIdentity(identity);
      if (wizard) io.stderr(done(io, `Anypoint accepted the credentials${who ? ` of ${who}` : ""}.`));
      const same = clientId === inputs.clientId && clientSecret === inputs.clientSecret;
      return { identity, inputs: same ? inputs : { ...inputs, clientId, clientSecret } };
    } catch (e) {
      if (!wizard || !(e instanceof M2Error) || e.exitCode !== Exit.rejected || attempt >= 3) throw e;
      io.stderr(`✘ ${e.message}. ${e.details.hint ?? ""}`);
      clientId = await wizard.askClientId(clientId);
      clientSecret = await wizard.askSecret("Client secret (try again)");
    }
  }
}
