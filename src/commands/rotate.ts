/**
 * rotate: a connected app's new secret goes into every server that holds its client ID, whatever the store
 * (src/settings/rotate.ts). The new secret is checked with a token request first (unless --no-verify);
 * nothing is written unless it is accepted. All copies change in one write, under one lock, with one backup.
 * A copy it cannot compare fails the run (exit 8) after the others are written.
 */
import { gatherCredentials, requireCredentials } from "../anypoint/credentials";
import type { Identity } from "../anypoint/token";
import { Exit, M2Error } from "../errors";
import { outcomeOf, planEdit, writePlan, type EditOutcome } from "../io/edit";
import { loadEnvironment } from "../io/envfile";
import { mavenProperties, settingsPath } from "../io/paths";
import { readMaster, securityLocation, refuseProjectMaster } from "../io/security";
import { encrypt } from "../maven/cipher";
import { rotateSecret, type RotatedServer, type Rotation } from "../settings/rotate";
import { describeIdentity, prepareCheck, type ConnectionArgs } from "./check";
import type { Io } from "../world";
import { announceEnvFile, debug, done, reportEdit, type OutputArgs } from "./output";
import { refuseTargetChosenByProject } from "../io/trust";
import { readSecretFromStdin } from "./setup";
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
const UNCHECKED_HINT =
  "Make it comparable (give its security file with --security-file, or set the variable its client ID comes from) and run rotate again: copies updated now are then found current.";

export async function rotate(args: RotateArgs, io: Io): Promise<void> {
  if (args.stdout && (args.json || args.dryRun)) throw new M2Error(Exit.usage, "--stdout prints the settings file; it goes with neither --json nor --dry-run");
  const path = settingsPath(args, io);
  refuseStdoutOntoSettings(io, path, "rotate");
  if (!args.dryRun && !args.stdout) refuseTargetChosenByProject(args, io, path);
  const loaded = await loadEnvironment(io.fs, io.env, args.envFile, io.cwd);
  announceEnvFile(io, args, loaded);
  const prompt = !args.yes && !args.nonInteractive && !args.json && !args.stdout && !io.env.CI && io.terminal;
  const stdinSecret = args.clientSecretStdin ? await readSecretFromStdin(io) : undefined;
  const found = gatherCredentials({ clientId: args.clientId, clientSecret: args.clientSecret, stdinSecret, env: loaded.env, envFile: loaded.file });
  const wizard = prompt && (!found.clientId || !found.clientSecret) ? await import("../wizard/wizard") : undefined;
  if (wizard) {
    found.clientId ??= await wizard.askClientId();
    found.clientSecret ??= await wizard.askSecret("New client secret");
  }
  const { clientId, clientSecret, warnings } = requireCredentials(found);
  const check = args.verify ? prepareCheck(args, io, loaded.env) : undefined;
  debug(io, `settings: ${path}; control plane: ${check ? check.base.origin : "not checked (--no-verify)"}`);

  // The master password is read once, and only when an encrypted password is met; new values are encrypted
  // once per run, so that the plan and the write under the lock agree byte for byte.
  let master: { master: string; file: string } | { problem: string } | undefined;
  const readOnce = () =>
    (master ??= (() => {
      const location = securityLocation(args, io);
      // Encrypted copies are written back with this master password: a project's .mvn/ does not choose it.
      refuseProjectMaster(location);
      try {
        return readMaster(location, io, "comparing it needs Maven's master password");
      } catch (e) {
        if (!(e instanceof M2Error)) throw e;
        return { problem: `${e.message}${e.details.file ? ` (${e.details.file})` : ""}` };
      }
    })());
  const encrypted = new Map<string, string>();
  let rotation: Rotation | undefined;
  const operation = (text: string) => {
    rotation = rotateSecret(text, clientId, clientSecret, {
      env: io.env,
      properties: mavenProperties(io),
      master: readOnce,
      encrypt: (clear, key) => encrypted.get(clear) ?? encrypted.set(clear, encrypt(clear, key)).get(clear)!,
    });
    return rotation.change;
  };

  const plan = planEdit(io.fs, path, operation, false);
  if (plan.file.bytes === undefined) throw new M2Error(Exit.usage, `${path} does not exist`, { hint: "Run anypoint-m2 setup first." });
  const planned = rotation!;
  if (planned.updated.length + planned.current.length + planned.env.length === 0) {
    if (planned.unchecked.length > 0) throw new M2Error(Exit.unchecked, `no server in ${path} was found to hold the client ID ${clientId}, and ${notCompared(planned.unchecked)}`, { hint: UNCHECKED_HINT });
    throw new M2Error(Exit.usage, `no connected-app server in ${path} holds the client ID ${clientId}`, { hint: "See anypoint-m2 list; run anypoint-m2 setup for a new server." });
  }

  let identity: Identity | undefined;
  if (check) identity = await check.run(clientId, clientSecret, plan.result.text, path);
  if (wizard && planned.updated.length > 0 && !args.dryRun) {
    io.stdout((await import("./preview")).maskedDiff(path, outcomeOf(plan).before, outcomeOf(plan).after, [clientSecret], { color: io.color, cwd: io.cwd }));
    if (!(await wizard.askConfirm(`Write this to ${path}?`))) throw new M2Error(Exit.cancelled, "not confirmed; nothing was written");
  }
  const outcome = args.dryRun || args.stdout ? outcomeOf(plan) : await writePlan(io.fs, plan, operation, (args.lockTimeout ?? 10) * 1000);
  await print(args, io, { path, clientId, clientSecret, outcome, rotation: rotation!, identity, check: check?.base.host, warnings, wizard: Boolean(wizard) });
}

interface Result {
  path: string;
  clientId: string;
  clientSecret: string;
  outcome: EditOutcome;
  rotation: Rotation;
  identity: Identity | undefined;
  check: string | undefined;
  warnings: string[];
  wizard: boolean;
}

async function print(args: RotateArgs, io: Io, r: Result): Promise<void> {
  const { path, outcome, rotation } = r;
  const warnings = [...r.warnings, ...outcome.warnings];
  if (rotation.unchecked.length > 0) io.exitCode = Exit.unchecked;
  const failure = () => {
    if (rotation.unchecked.length > 0) io.stderr(`anypoint-m2: ${notCompared(rotation.unchecked)}\n  ${UNCHECKED_HINT}`);
  };
  if (args.stdout) {
    if (!args.quiet) for (const w of warnings) io.stderr(`warning: ${w}`);
    io.writeStdout(outcome.bytes);
    failure();
    return;
  }
  const ids = (list: RotatedServer[]) => list.map(name).join(", ");
  const who = r.identity ? describeIdentity(r.identity) : "";
  const diff = args.dryRun ? (await import("./preview")).maskedDiff(path, outcome.before, outcome.after, [r.clientSecret], { color: io.color && !args.json, cwd: io.cwd }) : "";
  const lines = [
    ...(r.check ? [done(io, `Anypoint (${r.check}) accepted the new secret${who ? ` of ${who}` : ""}.`)] : []),
    ...(rotation.updated.length > 0 ? [done(io, `${args.dryRun ? "Would update" : "Updated"} server ${ids(rotation.updated)} in ${path}.`)] : []),
    ...(rotation.current.length > 0 ? [`Server ${ids(rotation.current)} already ${rotation.current.length > 1 ? "hold" : "holds"} the new secret.`] : []),
    ...rotation.env.map((s) => `Server ${name(s)} takes its secret from the environment: update the variable ${s.variables.join(" and ")} wherever Maven runs.`),
    ...(args.dryRun ? ["Dry run: nothing written."] : []),
    ...(outcome.backup ? [`Previous version saved as ${outcome.backup}.`] : []),
  ];
  const result = {
    settings: path,
    clientId: r.clientId,
    change: outcome.change,
    updated: rotation.updated.map((s) => s.id),
    current: rotation.current.map((s) => s.id),
    env: rotation.env.map((s) => ({ id: s.id, variables: s.variables })),
    unchecked: rotation.unchecked.map((s) => ({ id: s.id, line: s.line, reason: s.reason })),
    backup: outcome.backup ?? null,
    verified: r.identity !== undefined,
    ...(r.identity?.app ? { app: r.identity.app } : {}),
    ...(args.dryRun ? { dryRun: true, diff } : {}),
    warnings,
  };
  reportEdit(io, args, result, lines, diff);
  failure();
}
