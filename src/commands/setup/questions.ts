/**
 * The wizard's part in settling setup's inputs: it asks only for what the flags, the environment and the pom
 * left open. Each function returns its answers; the prompts themselves are src/wizard/.
 */
import type { FoundCredentials } from "../../anypoint/credentials";
import { resolveBaseUrl, type EndpointChoice, type Region } from "../../anypoint/endpoint";
import { readSettingsText } from "../../io/edit";
import { mavenProperties } from "../../io/paths";
import { facadeHost } from "../../project/exchange";
import { impliedRegion } from "../../project/load";
import { listServers, serversUsedFor } from "../../settings/list";
import type { OnExisting } from "../../settings/servers";
import type { Io } from "../../world";
import { Exit, M2Error } from "../../errors";
import { DEFAULT_SERVER_ID } from "../../domain";
import { endpointGiven, projectIds, sectionsOf, type Project } from "./project";
import { exchangeFor, repositoriesByDefault, type RepositoryArgs } from "./repositories";

export type Wizard = typeof import("../../wizard/wizard");

/** What the first questions settle (each as given when it was given). */
export interface Answers {
  endpoint: EndpointChoice;
  found: FoundCredentials;
  serverIds: string[];
  onExisting: OnExisting | undefined;
}

/**
 * Before the store: the control plane (unless the pom's repositories imply it), the credentials, the server
 * ids (offered from the pom, else one asked for), and whether to update servers that exist. The pom's
 * warnings show first.
 */
export async function askFirst(wizard: Wizard, io: Io, s: { path: string; verify: boolean; env: Record<string, string | undefined>; project: Project; warnings: string[] }, given: Answers): Promise<Answers> {
  const { path, project, env } = s;
  const servers = readSettingsText(io.fs, path, (text) => listServers(text, io.env, mavenProperties(io))).value ?? [];
  for (const w of s.warnings) wizard.say(`warning: ${w}`);
  const endpoint = { ...given.endpoint };
  // The pom's repositories say which control plane, unless they disagree (then the question decides).
  let implied: Region | undefined;
  try {
    implied = impliedRegion(project.repositories, project.path ?? "");
  } catch {
    implied = undefined;
  }
  if (s.verify && !endpointGiven(endpoint, env) && implied) {
    endpoint.region = implied;
    wizard.say(`Control plane: ${implied}, as the pom's Exchange repositories are on ${facadeHost(implied)}.`);
  } else if (s.verify && !endpointGiven(endpoint, env)) endpoint.region = await wizard.askRegion();
  const found = { ...given.found };
  found.clientId ??= await wizard.askClientId();
  found.clientSecret ??= await wizard.askSecret();
  let serverIds = given.serverIds;
  const pomIds = projectIds(project);
  if (serverIds.length === 0 && pomIds.length > 0) {
    const sections = sectionsOf(project.repositories);
    serverIds = await wizard.askServerIds(pomIds.map((id) => ({ id, where: sections.get(id)! })), project.path!);
  }
  if (serverIds.length === 0) serverIds = [await wizard.askServerId(servers, DEFAULT_SERVER_ID)];
  const chosen = given.onExisting === undefined ? await replaceOrElsewhere(wizard, io, path, serverIds) : { serverIds, onExisting: given.onExisting };
  return { endpoint, found, ...chosen };
}

/**
 * The chosen ids that exist are asked about (replace their credentials?). A server the user keeps stays as it
 * is, and the credentials typed go under the other ids; when none is left, the wizard asks for another id
 * (and about it, if it exists too). No id at all is a cancellation that says nothing was stored: typed
 * credentials are never dropped without a word.
 */
async function replaceOrElsewhere(wizard: Wizard, io: Io, path: string, ids: string[]): Promise<{ serverIds: string[]; onExisting: OnExisting | undefined }> {
  // Matched as Maven resolves ids (a server written <id>${env.X}</id> is the one X names).
  const existing = (list: string[]) => readSettingsText(io.fs, path, (text) => serversUsedFor(text, list, io.env, mavenProperties(io))).value ?? [];
  const kept: string[] = [];
  let serverIds = ids;
  for (;;) {
    const found = existing(serverIds);
    if (found.length === 0) return { serverIds, onExisting: undefined };
    if (await (found.length === 1 ? wizard.askUpdate(found[0]!) : wizard.askUpdateAll(found))) return { serverIds, onExisting: "update" };
    const declined = new Set(found.map((s) => s.id));
    kept.push(...serverIds.filter((id) => declined.has(id)));
    serverIds = serverIds.filter((id) => !declined.has(id));
    if (serverIds.length > 0) {
      wizard.say(`Left as ${kept.length > 1 ? "they are" : "it is"}: ${kept.map((id) => `"${id}"`).join(", ")}.`);
      return { serverIds, onExisting: undefined };
    }
    const other = await wizard.askOtherServerId(kept);
    if (other === "") {
      throw new M2Error(Exit.cancelled, `nothing was written: ${kept.map((id) => `"${id}"`).join(", ")} ${kept.length > 1 ? "were" : "was"} left as ${kept.length > 1 ? "they were" : "it was"}, and the credentials entered were not stored`, {
        hint: "Run setup again with another --server-id (the one your pom.xml gives the Exchange repository).",
      });
    }
    serverIds = [other];
  }
}

/**
 * Whether to add the Exchange and MuleSoft repositories too (and, for a yes, the control plane when nothing
 * said it yet); undefined when the question is not offered.
 */
export async function askRepositories(
  wizard: Wizard,
  io: Io,
  s: { path: string; args: RepositoryArgs & { quiet?: boolean }; env: Record<string, string | undefined>; endpoint: EndpointChoice; serverIds: string[] },
): Promise<{ withRepositories: boolean | undefined; region?: Region }> {
  const { endpoint, env, args } = s;
  const endpointKnown = endpointGiven(endpoint, env);
  // Offered only where the Exchange Maven URL can be told (a private control plane needs --exchange-url),
  // so that a "yes" never ends the wizard in an error after every question was answered.
  let known = true;
  if (endpointKnown) {
    try {
      exchangeFor(resolveBaseUrl(endpoint, env), args, env);
    } catch {
      known = false;
    }
  }
  if (!known) {
    if (!args.quiet) wizard.say("The Exchange repositories are not offered: this control plane's Exchange Maven URL is not known (pass --exchange-url to add them).");
    return { withRepositories: undefined };
  }
  // Yes by default unless the settings or the pom already declare a repository with one of the ids.
  const withRepositories = await wizard.askRepositories(repositoriesByDefault(io, s.path, s.serverIds));
  // The Exchange repository is the region's: asked now when the credential check did not ask it.
  return withRepositories && !endpointKnown ? { withRepositories, region: await wizard.askRegion() } : { withRepositories };
}
