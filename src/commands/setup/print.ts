/** setup's summary: what happened to each server and to the repositories, the store, what to do next. */
import { resolveBaseUrl } from "../../anypoint/endpoint";
import { isOrgId } from "../../anypoint/exchange";
import type { Identity } from "../../anypoint/token";
import type { EditOutcome } from "../../io/edit";
import { PROFILE_ID } from "../../settings/repositories";
import type { ChangeKind } from "../../settings/servers";
import { describeIdentity, notChecked } from "../check";
import type { Io } from "../../world";
import { debug, done, reportEdit } from "../output";
import type { Inputs, SetupArgs } from "./inputs";
import type { SetupReport } from "./plan";
import { traps } from "./plan";
import { describeExpiry } from "../../settings/token";
import { exchangeFor, publishing, repositoryLines } from "./repositories";
import { mirrorLines } from "./mirrors";
import type { Storage } from "./storage";

/** What the run did: the outcome of the edit (with the plan's report), the check's answer, and more to warn about. */
export interface Done {
  outcome: EditOutcome<SetupReport>;
  identity: Identity | undefined;
  /** The server was kept as it was (--on-existing keep, or "no" in the wizard): nothing was written for it. */
  kept: boolean;
  warnings: string[];
}

/** What setup did, as `--json` prints it; undefined for --stdout, which prints the file instead. */
export type SetupResult = NonNullable<Awaited<ReturnType<typeof print>>>;

export async function print(args: SetupArgs, io: Io, inputs: Inputs, { outcome, identity, kept, warnings: more }: Done) {
  const { serverIds, check, wizard, storage } = inputs;
  const path = outcome.settings;
  // Unchecked and written (or to be): said, so that nobody takes the run's success for a proof.
  // (In the wizard, Anypoint may have been out of reach and the user chose to write anyway.)
  const unchecked = identity === undefined && !(kept && outcome.change === "unchanged") ? [notChecked("the credentials were", check ? "it could not be reached" : "--no-verify")] : [];
  const warnings = [...inputs.warnings, ...more, ...traps(inputs, io).map((t) => t.message), ...outcome.warnings, ...unchecked];
  const { findingLines, setupFindings } = await import("./findings");
  const findings = setupFindings(args, io, inputs, path, outcome.after, outcome.mode);
  const found = findingLines(findings, args.dryRun ? "planned" : "written", io.color && !args.json);
  if (args.stdout) {
    if (!args.quiet) for (const w of warnings) io.stderr(`warning: ${w}`);
    if (!args.quiet) for (const line of found) io.stderr(line);
    io.writeStdout(outcome.bytes);
    return undefined;
  }
  // The env store writes no secret; the other two do (an encrypted one is hidden only from a casual reader).
  const readable = findings.some((f) => f.code === "settings-readable");
  if (outcome.mode !== undefined && (outcome.mode & 0o077) !== 0 && outcome.change !== "unchanged" && !args.dryRun && storage.store !== "env" && !readable) {
    warnings.push(`${path} can be read by other users (mode ${outcome.mode.toString(8)}) and holds a secret; run: chmod 600 ${path}`);
  }
  const diff =
    args.dryRun && !wizard ? (await import("../preview")).maskedDiff(path, outcome.before, outcome.after, [inputs.clientSecret, ...(inputs.token ? [inputs.token.value] : [])], { color: io.color && !args.json, cwd: io.cwd }, outcome.edits) : "";
  const who = identity ? describeIdentity(identity) : "";
  const servers = outcome.servers ?? serverIds.map((id) => ({ id, change: outcome.change }));
  const newFile = outcome.created || (args.dryRun && outcome.newFile);
  const verbs: Record<ChangeKind, string> = args.dryRun
    ? { added: "Would add", updated: "Would update", unchanged: "Would keep", removed: "" }
    : { added: "Added", updated: "Updated", unchanged: "Kept", removed: "" };
  const serverLine = ({ id, change }: { id: string; change: ChangeKind }, i: number) =>
    inputs.onExisting === "keep" && change === "unchanged" && !outcome.newFile
      ? `Kept server "${id}" in ${path} as it was: the connected app's credentials were not stored there (choose another --server-id to store them).`
      : done(io, `${verbs[change]} server "${id}" ${change === "added" ? "to" : "in"} ${path}${i === 0 && newFile ? " (new file)" : ""}${change === "unchanged" ? ": nothing to change" : ""}.`);
  const next =
    inputs.fromPom ? []
    : serverIds.length === 1 ? [`Next: use <id>${serverIds[0]}</id> for the Exchange repository in your pom.xml.`]
    : [`Next: use these ids (${serverIds.map((id) => `<id>${id}</id>`).join(", ")}) for the Exchange repositories in your pom.xml.`];
  const repositories = inputs.withRepositories ? outcome.report.repositories ?? "unchanged" : undefined;
  const publish = publishTarget(args, io, inputs, identity);
  const lines = [
    ...(check && !wizard ? [done(io, `Anypoint (${check.base.host}) accepted the credentials${who ? ` of ${who}` : ""}.`)] : []),
    ...servers.map(serverLine),
    ...(repositories ? repositoryLines(repositories, outcome.report.declared ?? [], Boolean(args.dryRun)) : []),
    ...mirrorLines(outcome.report.mirrors, Boolean(args.dryRun)),
    ...(args.dryRun ? ["Dry run: nothing written."] : []),
    ...(outcome.backup && !outcome.backupScrubbed ? [`Previous version saved as ${outcome.backup}.`] : []),
    ...(outcome.backupScrubbed
      ? [`Previous version saved as ${outcome.backup}, with the password this run moved out of the file replaced there too by its ${storage.store} form.`]
      : []),
    ...storageLines(storage, Boolean(args.dryRun)),
    ...(storage.store === "token" ? [tokenLine(inputs.token?.expiresAt)] : []),
    ...(args.dryRun || kept || repositories ? [] : next),
    ...(publish ? [`To publish to Exchange, put this in your pom.xml (its groupId is the organization ID):`, publish.distributionManagement] : []),
    ...found,
  ];
  const result = {
    settings: path,
    serverId: serverIds[0],
    change: outcome.report.server,
    servers: servers.map(({ id, change }) => ({ serverId: id, change })),
    created: outcome.created,
    backup: outcome.backup ?? null,
    ...(outcome.backupScrubbed ? { backupWithoutSecret: true } : {}),
    verified: identity !== undefined,
    ...(identity?.app ? { app: identity.app } : {}),
    ...(identity?.orgId ? { orgId: identity.orgId } : {}),
    ...(repositories ? { repositories: { profile: PROFILE_ID, change: repositories, url: inputs.exchange!.url, declared: outcome.report.declared ?? [] } } : {}),
    ...(publish ? { publishUrl: publish.url, distributionManagement: publish.distributionManagement } : {}),
    store: storage.store,
    ...(storage.variables ? { variables: [storage.variables.id, storage.variables.secret] } : {}),
    ...(storage.security ? { securityFile: storage.security.file } : {}),
    ...(outcome.report.mirrors ? { mirrors: { excluded: outcome.report.mirrors.mirrors, named: outcome.report.mirrors.named } } : {}),
    ...(storage.store === "token" ? { tokenExpires: inputs.token?.expiresAt ?? null } : {}),
    ...(args.dryRun ? { dryRun: true, diff } : {}),
    findings,
    warnings,
  };
  reportEdit(io, args, result, lines, diff);
  return result;
}

/** The organisation's publish URL and pom block: for --org-id, else the organisation the check reported. */
function publishTarget(args: SetupArgs, io: Io, inputs: Inputs, identity: Identity | undefined) {
  // What Anypoint reported is used only when it is an organization ID.
  const orgId = inputs.orgId ?? (identity?.orgId && isOrgId(identity.orgId) ? identity.orgId : undefined);
  if (orgId === undefined) return undefined;
  let exchange = inputs.exchange;
  try {
    exchange ??= exchangeFor(inputs.check?.base ?? resolveBaseUrl(args, inputs.env), args, inputs.env);
  } catch (e) {
    // Only for an organisation nobody asked about: a control plane whose facade is not known prints no URL.
    debug(io, `no publish URL: ${(e as Error).message}`);
    return undefined;
  }
  return publishing(exchange, inputs.publishId, orgId);
}

/** The token store: when the token stops working (the client secret itself is written nowhere). */
export function tokenLine(expiresAt: string | undefined): string {
  const when = expiresAt ? describeExpiry(expiresAt, Date.now()) : "expires when Anypoint says (it did not give expires_in)";
  return `The password is a token of the connected app (username ~~~Token~~~), not its secret; it ${when}: run again for a new one.`;
}

/** What the store means for the build: the variables Maven will need, or where its master password is. */
function storageLines({ store, variables, security }: Storage, dryRun: boolean): string[] {
  if (store === "env") {
    return [`The password is written as \${env.${variables!.id}}~?~\${env.${variables!.secret}}: Maven will need ${variables!.id} and ${variables!.secret} set when it runs.`];
  }
  if (store === "encrypted" && security!.generation === 4) {
    return [`The password is encrypted for Maven 4 with the master password from ${security!.source} (${security!.path}${security!.create && dryRun ? ", which would be created" : ""}); Maven 4 decrypts it from there.`];
  }
  if (store === "encrypted") {
    const file = security!.file === security!.path ? security!.path : `${security!.path} (relocated to ${security!.file})`;
    return [`The password is encrypted with the master password of ${file}${security!.create && dryRun ? ", which would be created" : ""}; Maven decrypts it from there.`];
  }
  return [];
}
