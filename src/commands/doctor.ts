/**
 * `anypoint-m2 doctor`: why a build may still get a 401. Reads the settings file Maven reads and the project's
 * pom, lists findings (src/doctor/diagnose.ts), then asks Anypoint for a token with each connected app Maven
 * would send (unless --offline). Exit 0 when no finding is an error, 7 otherwise. Bundled apart
 * (dist/doctor.cjs) and loaded only for this command.
 */
import type { Region } from "../anypoint/endpoint";
import { checkFinding, diagnose, type CredentialCheck, type SettingsInput } from "../doctor/diagnose";
import { count, describeFinding, sortFindings, tally, type Finding } from "../doctor/findings";
import { diagnoseContext } from "../doctor/context";
import { describeMaven, mavenFindings, type JudgingMaven } from "../doctor/maven-findings";
import { mavenVersion, projectSettings } from "../io/maven-version";
import { Exit, M2Error } from "../errors";
import { loadEnvironment } from "../io/envfile";
import { readSettingsFile, settingsText } from "../io/files";
import { settingsPath } from "../io/paths";
import { settingsValues } from "../io/trust";
import { findPom, loadPom } from "../project/load";
import { describeIdentity, prepareCheck, type ConnectionArgs } from "./check";
import type { Io } from "../world";
import { announceEnvFile, debug, type OutputArgs } from "./output";
import { repositoryUrls } from "../settings/repositories";
import { facadeRegion, regionOfHost } from "../project/exchange";
import { defaultFacade, describeProbe, givenExchangeUrl, probeExchange, probeFinding, probeJson, uniqueTargets, type ExchangeArgs, type ProbeOutcome, type ProbeTarget } from "./probe";

export interface DoctorArgs extends ConnectionArgs, ExchangeArgs, OutputArgs {
  pom?: string;
  settings?: string;
  offline: boolean;
  envFile?: string | false;
  securityFile?: string;
  mavenReadsSecurityFile?: boolean;
  mavenVersion?: string;
}

/** What was asked of Anypoint, for the report: never a secret. */
interface Checked {
  servers: string[];
  clientId: string;
  controlPlane: string;
  result: "accepted" | "rejected" | "failed";
  app?: string;
  orgId?: string;
}

export async function doctor(args: DoctorArgs, io: Io): Promise<void> {
  const loaded = await loadEnvironment(io.fs, io.env, args.envFile, io.cwd);
  announceEnvFile(io, args, loaded);
  const path = settingsPath(args, io);
  const pomPath = findPom(io, args.pom);
  debug(io, `settings: ${path}; pom: ${pomPath ?? "none"}`);
  const values = settingsValues(args, io);
  const settings = readSettings(io, path);
  const pom = pomPath ? loadPom(io, pomPath) : undefined;
  // ${env.X} in settings.xml as Maven resolves it: from the environment Maven runs in, not the env file.
  const diagnosis = diagnose(settings, pom, diagnoseContext(args, io, values));
  const maven = mavenVersion(args, io);
  const findings = [...diagnosis.findings, ...mavenFindings(settings, projectSettings(io), maven)];
  const checked: Checked[] = [];
  const probed: ProbeOutcome[] = [];
  if (!args.offline) {
    for (const check of diagnosis.checks) {
      const outcome = await tokenCheck(args, io, loaded.env, check, settings);
      checked.push(outcome.checked);
      if (outcome.finding) findings.push(outcome.finding);
      // Exchange is asked only with credentials Anypoint accepted: a rejected app is rejected there too.
      if (outcome.checked.result !== "accepted") continue;
      const targets = probeTargets(args, loaded.env, outcome.base, check, settings, pomPath, values);
      const coordinates = pom?.report ? { groupId: pom.report.groupId, artifactId: pom.report.artifactId } : undefined;
      const outcomes = await probeExchange(args, io, loaded.env, { targets, clientId: check.clientId, clientSecret: check.clientSecret, coordinates, settingsText: settings.text, settingsPath: path });
      probed.push(...outcomes);
      for (const o of outcomes) {
        const finding = probeFinding(o, { file: path, line: check.servers[0]!.line });
        if (finding) findings.push(finding);
      }
    }
  }
  print(args, io, { settings: path, pom: pomPath ?? null, maven: maven ? { version: maven.version, source: maven.source } : null, judged: maven, findings: sortFindings(findings), checked, exchange: probed, offline: args.offline, toCheck: diagnosis.checks.length });
  io.exitCode = count(findings, "error") > 0 ? Exit.problems : Exit.ok;
}

/** The settings file as doctor sees it: a file Maven would refuse is a finding, not a failure. */
function readSettings(io: Io, path: string): SettingsInput {
  try {
    const file = readSettingsFile(io.fs, path);
    if (file.bytes === undefined) return { path, text: undefined, exists: false };
    const text = settingsText(file);
    // A blank file is one Maven cannot read.
    if (text === undefined) {
      return { path, text: undefined, exists: true, mode: file.mode, error: new M2Error(Exit.unsafe, "the file is empty", { hint: "Run anypoint-m2 setup to fill it." }) };
    }
    return { path, text, exists: true, mode: file.mode };
  } catch (e) {
    if (!(e instanceof M2Error)) throw e;
    return { path, text: undefined, exists: true, error: e };
  }
}

/**
 * Where Maven sends one app's credentials: --exchange-url; else the pom's Exchange repositories it serves; else
 * the settings profiles' repositories with its servers' ids; else the facade of the control plane checked.
 */
function probeTargets(args: DoctorArgs, env: Record<string, string | undefined>, base: URL, check: CredentialCheck, settings: SettingsInput, pomPath: string | undefined, values: ReturnType<typeof settingsValues>): ProbeTarget[] {
  const id = check.servers[0]!.id;
  const given = givenExchangeUrl(args, env, base);
  if (given) return [{ id, url: given, source: "given" }];
  // The app belongs to the control plane that accepted it: the pom's facades of that one are asked (another's
  // would send its credentials to a control plane nobody chose for this check).
  const region = regionOfHost(base.hostname);
  const fromPom = check.repositories.filter((r) => facadeRegion(r.url) === region).map((r): ProbeTarget => ({ id: r.id, url: r.url, source: "pom", file: pomPath, line: r.line }));
  if (fromPom.length > 0) return uniqueTargets(fromPom);
  const fromSettings = settings.text === undefined ? [] : check.servers.flatMap((s) => repositoryUrls(settings.text!, s.id, values.env, values.properties).map((r): ProbeTarget => ({ id: s.id, url: r.url, source: "settings", file: settings.path, line: r.line })));
  if (fromSettings.length > 0) return uniqueTargets(fromSettings);
  const fallback = defaultFacade(base);
  return fallback ? [{ id, url: fallback, source: "default" }] : [];
}

/**
 * The token request for one connected app, to the control plane the flags or environment name, else the one
 * whose Exchange the pom's repositories use, else the default. Its failure is a finding.
 */
async function tokenCheck(args: DoctorArgs, io: Io, env: Record<string, string | undefined>, check: CredentialCheck, settings: SettingsInput): Promise<{ checked: Checked; base: URL; finding?: Finding }> {
  const chosen = args.region !== undefined || args.host !== undefined || args.baseUrl !== undefined || env.ANYPOINT_HOST || env.ANYPOINT_BASE_URL;
  const region: Region | undefined = chosen ? (args.region as Region | undefined) : check.region;
  const prepared = prepareCheck({ ...args, region }, io, env);
  const base: Omit<Checked, "result"> = { servers: check.servers.map((s) => s.id), clientId: check.clientId, controlPlane: prepared.base.host };
  try {
    const identity = await prepared.run(check.clientId, check.clientSecret, settings.text, settings.path);
    return { base: prepared.base, checked: { ...base, result: "accepted", ...(identity.app ? { app: identity.app } : {}), ...(identity.orgId ? { orgId: identity.orgId } : {}) } };
  } catch (e) {
    if (!(e instanceof M2Error)) throw e;
    return { base: prepared.base, checked: { ...base, result: e.exitCode === Exit.rejected ? "rejected" : "failed" }, finding: checkFinding(check, e, settings.path) };
  }
}

interface Report {
  settings: string;
  pom: string | null;
  /** The Maven the findings are judged by (src/io/maven-version.ts). */
  maven: { version: string; source: string } | null;
  judged: JudgingMaven | undefined;
  findings: Finding[];
  checked: Checked[];
  exchange: ProbeOutcome[];
  offline: boolean;
  toCheck: number;
}

function print(args: DoctorArgs, io: Io, report: Report): void {
  const { findings, checked } = report;
  const errors = count(findings, "error");
  const warnings = count(findings, "warning");
  if (args.json) {
    const { toCheck: _, judged: __, exchange, ...rest } = report;
    io.stdout(JSON.stringify({ ...rest, exchange: probeJson(exchange), errors, warnings }));
    return;
  }
  if (args.quiet) {
    for (const f of findings.filter((x) => x.severity === "error")) for (const line of describeFinding(f, false)) io.stderr(line);
    return;
  }
  const color = io.color;
  io.stdout(`Settings: ${report.settings}`);
  io.stdout(`Project:  ${report.pom ?? "no pom.xml here (pass --pom to name one); looked at every connected app in the settings"}`);
  io.stdout(`Maven:    ${describeMaven(report.judged)}`);
  io.stdout("");
  for (const f of findings) for (const line of describeFinding(f, color)) io.stdout(line);
  for (const c of checked.filter((x) => x.result === "accepted")) {
    const who = describeIdentity({ app: c.app, orgId: c.orgId });
    io.stdout(`ok: Anypoint (${c.controlPlane}) accepted the credentials of server ${c.servers.map((s) => `"${s}"`).join(", ")}${who ? `: ${who}` : ""}.`);
  }
  for (const o of report.exchange.filter((x) => x.result === "accepted")) io.stdout(describeProbe(o));
  if (report.offline && report.toCheck > 0) io.stdout(`Not checked with Anypoint (--offline): ${report.toCheck} connected app${report.toCheck === 1 ? "" : "s"}.`);
  // Say when no token request could be made, so that silence is not read as "the credentials work".
  if (!report.offline && report.toCheck === 0) io.stdout("Token check: none made, as no server Maven would use holds usable connected-app credentials (see above).");
  if (findings.length > 0 || checked.length > 0) io.stdout("");
  io.stdout(findings.length === 0 ? "No problems found." : `${tally(findings)}.${errors === 0 && warnings > 0 ? " No errors." : ""}`);
}
