/**
 * rotate: a connected app's new secret goes into every server that holds its client ID, whatever the store
 * (src/settings/rotate.ts). The new secret is checked with a token request first (unless --no-verify);
 * nothing is written unless it is accepted. All copies change in one write, under one lock, with one backup.
 * A copy it cannot compare fails the run (exit 8) after the others are written.
 */
import { requireCredentials } from "../anypoint/credentials";
import type { Identity } from "../anypoint/token";
import { Exit, M2Error } from "../errors";
import { outcomeOf, planEdit, writePlan, type EditOutcome, type Operation } from "../io/edit";
import { settingsPath } from "../io/paths";
import { settingsValues } from "../io/trust";
import { readMaster, securityLocation, refuseProjectMaster } from "../io/security";
import { readMaster4, refuseProjectMaster4, security4File } from "../io/security4";
import { encrypt4 } from "../maven/cipher4";
import { encrypt } from "../maven/cipher";
import { rotateSecret, type RotatedServer, type Rotation } from "../settings/rotate";
import { applyImpliedRegion, describeIdentity, notChecked, prepareCheck, WRITE_UNCHECKED, type Check, type ConnectionArgs } from "./check";
import { findPom, loadPom, pomExchange } from "../project/load";
import { canPrompt, givenCredentials } from "./credentials";
import type { Io } from "../world";
import { debug, done, reportEdit, type OutputArgs } from "./output";
import { refuseTargetChosenByProject } from "../io/trust";
import { refuseStdoutOntoSettings } from "./stdout";

export interface RotateArgs extends ConnectionArgs, OutputArgs {
  clientId?: string;
  clientSecret?: string;
  clientSecretStdin?: boolean;
  settings?: string;
  securityFile?: string;
  mavenReadsSecurityFile?: boolean;
  verify: boolean;
  envFile?: string | false;
  dryRun?: boolean;
  stdout?: boolean;
  lockTimeout?: number;
  yes?: boolean;
  nonInteractive?: boolean;
}

const name = (s: RotatedServer): string => `"${s.id ?? "(no id)"}" (line ${s.line})`;

/** Copies rotate could not compare: each may still hold the old secret, so the run fails (exit 8), quiet or not. */
const notCompared = (unchecked: Rotation["unchecked"]): string =>
  `${unchecked.map((s) => `server ${name(s)} was not compared (${s.reason})`).join("; ")}, so ${unchecked.length > 1 ? "they" : "it"} may still hold the old secret`;
/** What makes these copies comparable: only what their reasons call for, then the same run again. */
const uncheckedHint = (unchecked: Rotation["unchecked"]): string => {
  const steps = new Set(
    unchecked.map((s) =>
      s.reason.includes("Maven 4's format")
        ? `write server "${s.id}" again with anypoint-m2 setup --server-id ${s.id} --store encrypted`
        : s.reason.includes("encrypted")
          ? "give the security file that decrypts it with --security-file"
          : "set the variable its client ID comes from",
    ),
  );
  const text = [...steps].join("; or ");
  return `${text[0]!.toUpperCase()}${text.slice(1)}; then run rotate again (copies updated now are found current then).`;
};

export async function rotate(args: RotateArgs, io: Io): Promise<void> {
  if (args.stdout && (args.json || args.dryRun)) throw new M2Error(Exit.usage, "--stdout prints the settings file; it goes with neither --json nor --dry-run");
  const path = settingsPath(args, io);
  refuseStdoutOntoSettings(io, path, "rotate");
  refuseTargetChosenByProject(args, io, path);
  const settled = await settleInputs(args, io);
  const { clientId, clientSecret, wizard } = settled;

  const change = operation(args, io, settled);
  const plan = planEdit(io.fs, path, change, false);
  if (plan.file.bytes === undefined) throw new M2Error(Exit.usage, `${path} does not exist`, { hint: "Run anypoint-m2 setup first." });
  const planned = plan.report;
  if (planned.updated.length + planned.current.length + planned.env.length === 0) {
    if (planned.unchecked.length > 0) throw new M2Error(Exit.unchecked, `no server in ${path} was found to hold the client ID ${clientId}, and ${notCompared(planned.unchecked)}`, { hint: uncheckedHint(planned.unchecked) });
    throw new M2Error(Exit.usage, `no connected-app server in ${path} holds the client ID ${clientId}`, { hint: "See anypoint-m2 list; run anypoint-m2 setup for a new server." });
  }
  const inputs = { ...settled, check: settled.check && regionalCheck(args, io, settled.env, [...planned.updated, ...planned.current, ...planned.env]) };
  const { check } = inputs;
  debug(io, `settings: ${path}; control plane: ${check ? check.base.origin : "not checked (--no-verify)"}`);

  const identity = check ? await check.run(clientId, clientSecret, plan.result.text, path) : undefined;
  if (wizard && planned.updated.length > 0 && !args.dryRun) {
    io.stdout((await import("./preview")).maskedDiff(path, outcomeOf(plan).before, outcomeOf(plan).after, [clientSecret], { color: io.color, cwd: io.cwd }));
    if (!(await wizard.askConfirm(`Write this to ${path}?`))) throw new M2Error(Exit.cancelled, "not confirmed; nothing was written");
  }
  const outcome = args.dryRun || args.stdout ? outcomeOf(plan) : await writePlan(io.fs, plan, change, (args.lockTimeout ?? 10) * 1000);
  await print(args, io, inputs, outcome, identity);
}

/** The new credentials (flags, stdin, environment, env file, else the wizard) and the check to prove them. */
interface Inputs {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly warnings: readonly string[];
  readonly wizard: typeof import("../wizard/wizard") | undefined;
  readonly check: Check | undefined;
  /** The environment with the env file under it (where Anypoint is). */
  readonly env: Record<string, string | undefined>;
}

async function settleInputs(args: RotateArgs, io: Io): Promise<Inputs> {
  const { env, found } = await givenCredentials(args, io);
  const wizard = canPrompt(io, args) && (!found.clientId || !found.clientSecret) ? await import("../wizard/wizard") : undefined;
  if (wizard) {
    found.clientId ??= await wizard.askClientId();
    found.clientSecret ??= await wizard.askSecret("New client secret");
  }
  const { clientId, clientSecret, warnings } = requireCredentials(found);
  const check = args.verify ? prepareCheck(args, io, env, WRITE_UNCHECKED) : undefined;
  return { clientId, clientSecret, warnings, wizard, check, env };
}

/**
 * The check in the control plane of ./pom.xml's Exchange repositories with the ids of these servers (else of
 * all of them), when nothing says where Anypoint is; said in one line, as setup says it.
 */
function regionalCheck(args: RotateArgs, io: Io, env: Record<string, string | undefined>, servers: readonly RotatedServer[]): Check {
  const pomPath = findPom(io, undefined);
  if (!pomPath) return prepareCheck(args, io, env, WRITE_UNCHECKED);
  const all = pomExchange(loadPom(io, pomPath));
  const ids = new Set(servers.flatMap((s) => (s.id ? [s.id] : [])));
  const theirs = all.filter((r) => ids.has(r.id!));
  const endpoint = { ...args };
  const notes: string[] = [];
  applyImpliedRegion(theirs.length > 0 ? theirs : all, pomPath, endpoint, env, notes);
  if (!args.quiet) for (const note of notes) io.stderr(note);
  return prepareCheck(endpoint, io, env, WRITE_UNCHECKED);
}

/**
 * The rotation as a pure function of the file's text, reporting which copies it updated, found current, left
 * to the environment or could not compare. The master password is read once, and only when an encrypted
 * password is met; new values are encrypted once per run, so that the plan and the write under the lock
 * agree byte for byte.
 */
function operation(args: RotateArgs, io: Io, { clientId, clientSecret }: Inputs): Operation<Rotation> {
  let master: { master: string; file: string } | { problem: string } | undefined;
  const readOnce = () =>
    (master ??= (() => {
      const location = securityLocation(args, io);
      // Encrypted copies are written back with this master password: a project's .mvn/ does not choose it.
      refuseProjectMaster(location);
      try {
        return readMaster(location, io, "decrypting it needs Maven's master password");
      } catch (e) {
        if (!(e instanceof M2Error)) throw e;
        return { problem: `${e.message}${e.details.file ? ` (${e.details.file})` : ""}` };
      }
    })());
  let master4: { master: string } | { problem: string } | undefined;
  const readOnce4 = () =>
    (master4 ??= (() => {
      try {
        const location = security4File(args, io);
        refuseProjectMaster4(location);
        return readMaster4(location, io, "comparing a Maven 4 value needs Maven 4's master password");
      } catch (e) {
        if (!(e instanceof M2Error)) throw e;
        return { problem: `${e.message}${e.details.file ? ` (${e.details.file})` : ""}` };
      }
    })());
  const encrypted = new Map<string, string>();
  const options = {
    // A settings file a project's .mvn/ chose resolves none of the user's values (io/trust.ts).
    ...settingsValues(args, io),
    master: readOnce,
    master4: readOnce4,
    encrypt: (clear: string, key: string, generation: 3 | 4) => {
      const memo = `${generation}:${clear}`;
      return encrypted.get(memo) ?? encrypted.set(memo, (generation === 4 ? encrypt4 : encrypt)(clear, key)).get(memo)!;
    },
  };
  return (text) => {
    const rotation = rotateSecret(text, clientId, clientSecret, options);
    return { ...rotation.change, report: rotation };
  };
}

async function print(args: RotateArgs, io: Io, inputs: Inputs, outcome: EditOutcome<Rotation>, identity: Identity | undefined): Promise<void> {
  const { settings: path, report: rotation } = outcome;
  const warnings = [...inputs.warnings, ...outcome.warnings, ...(inputs.check ? [] : [notChecked("the new secret was")])];
  if (rotation.unchecked.length > 0) io.exitCode = Exit.unchecked;
  const failure = () => {
    if (rotation.unchecked.length > 0) io.stderr(`anypoint-m2: ${notCompared(rotation.unchecked)}\n  ${uncheckedHint(rotation.unchecked)}`);
  };
  if (args.stdout) {
    if (!args.quiet) for (const w of warnings) io.stderr(`warning: ${w}`);
    io.writeStdout(outcome.bytes);
    failure();
    return;
  }
  const ids = (list: RotatedServer[]) => list.map(name).join(", ");
  const who = identity ? describeIdentity(identity) : "";
  const diff = args.dryRun ? (await import("./preview")).maskedDiff(path, outcome.before, outcome.after, [inputs.clientSecret], { color: io.color && !args.json, cwd: io.cwd }) : "";
  const lines = [
    ...(inputs.check ? [done(io, `Anypoint (${inputs.check.base.host}) accepted the new secret${who ? ` of ${who}` : ""}.`)] : []),
    ...(rotation.updated.length > 0 ? [done(io, `${args.dryRun ? "Would update" : "Updated"} server ${ids(rotation.updated)} in ${path}.`)] : []),
    ...(rotation.current.length > 0 ? [`Server ${ids(rotation.current)} already ${rotation.current.length > 1 ? "hold" : "holds"} the new secret.`] : []),
    ...rotation.env.map((s) => `Server ${name(s)} takes its secret from the environment: update the variable ${s.variables.join(" and ")} wherever Maven runs.`),
    ...(args.dryRun ? ["Dry run: nothing written."] : []),
    ...(outcome.backup ? [`Previous version saved as ${outcome.backup}.`] : []),
  ];
  const result = {
    settings: path,
    clientId: inputs.clientId,
    change: outcome.change,
    updated: rotation.updated.map((s) => s.id),
    current: rotation.current.map((s) => s.id),
    env: rotation.env.map((s) => ({ id: s.id, variables: s.variables })),
    unchecked: rotation.unchecked.map((s) => ({ id: s.id, line: s.line, reason: s.reason })),
    backup: outcome.backup ?? null,
    verified: identity !== undefined,
    ...(identity?.app ? { app: identity.app } : {}),
    ...(args.dryRun ? { dryRun: true, diff } : {}),
    warnings,
  };
  reportEdit(io, args, result, lines, diff);
  failure();
}
