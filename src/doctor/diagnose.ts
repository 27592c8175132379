/**
 * Why a Mule build still gets a 401, as far as the files tell: the settings file Maven reads, the project's
 * pom and the environment, in; findings and the credential checks to make, out. Pure: the command
 * (src/commands/doctor.ts) reads the files and makes the requests.
 *
 * The servers looked at are those Maven would send to Exchange: for each Exchange repository of the pom,
 * the first server with its id, or with the id of the mirror Maven puts in front of it; without a pom,
 * every connected-app server Maven would use (the first with each id).
 */
import { CONNECTED_APP_USERNAME, SEPARATOR, splitCharacters } from "../domain";
import { hideCredentials, type Region } from "../anypoint/endpoint";
import { Exit, lineColumn, M2Error } from "../errors";
import { encryptedPart } from "../maven/cipher";
import { value4 } from "../maven/cipher4";
import { facadeHost, facadeRegion } from "../project/exchange";
import type { ProjectPom } from "../project/load";
import { exchangeRepositories, type PomRepository } from "../project/pom";
import { interpolate, type Env, type Properties } from "../settings/interpolate";
import { mirrorSelector, readMirrors, type SettingsMirror } from "../settings/mirrors";
import { fieldValue, readSettings, serverEntries, type ServerEntry, type SettingsModel } from "../settings/model";
import { javaTrim } from "../xml/scan";
import { describeExpiry, noteAt, tokenState, TOKEN_USERNAME } from "../settings/token";
import type { Finding } from "./findings";
import { altDeploymentFinding, clientIdAsUsername, isClientIdLogin, pomMisconfig, type AltDeployment } from "./misconfig";
import type { PasswordReader } from "./passwords";
import { deploymentServers, pluginFindings, type AboutFinding, type DeployServer } from "./plugin";
import type { PomDeployment } from "../project/deployments";

export interface SettingsInput {
  path: string;
  /** The decoded text; undefined when the file does not exist (or is blank) or could not be read. */
  text: string | undefined;
  exists: boolean;
  /** Why it could not be read or decoded. */
  error?: M2Error;
  /** Its permission bits. */
  mode?: number;
}

export interface DiagnoseContext {
  /** The environment Maven runs in, and its properties (for `${…}` in settings.xml). */
  env: Env;
  properties: Properties;
  passwords: PasswordReader;
  /** The Maven line that reads the file, when known (src/io/maven-version.ts): which encrypted values it opens. */
  maven?: { version: string; major: number };
  /** The pom as the user named it (doctor --pom), for the commands a fix gives. */
  pomOption?: string;
  /** -DaltDeploymentRepository, when a project's .mvn/maven.config gives it. */
  altDeployment?: AltDeployment;
  /** The command whose options a mirror's fix names: exec makes setup's change on its private copy. */
  command?: "setup" | "exec";
}

/** A token request to make: a connected app's credentials and the servers that hold them. */
export interface CredentialCheck {
  servers: { id: string; line: number }[];
  clientId: string;
  clientSecret: string;
  /** The control plane of the Exchange repositories they serve, when the pom says. */
  region?: Region;
  /** The pom's Exchange repositories they serve (for the Exchange probe); none without a pom. */
  repositories: { id: string; url: string; line: number }[];
}

export interface Diagnosis {
  findings: Finding[];
  checks: CredentialCheck[];
  /** The server ids (as Maven matches them) each finding about servers is about: what setup reports of the ids it writes. */
  about: Map<Finding, string[]>;
}

const DOWNLOADS = new Set(["repositories", "pluginRepositories"]);
/** A value exactly as Maven's password encryption writes it. */
const ENCRYPTED = /^\{[A-Za-z0-9+/=]+\}$/;
const quote = (ids: readonly string[]) => ids.map((id) => `"${id}"`).join(", ");
/** A list in a map, made on first use. */
const append = <K, V>(map: Map<K, V[]>, key: K, value: V): void => void (map.get(key) ?? map.set(key, []).get(key)!).push(value);
/** Each id once (by the id Maven matches), in order. */
function uniqueIds(ids: { id: string; shown: string }[]): { id: string; shown: string }[] {
  const seen = new Set<string>();
  return ids.filter((i) => !seen.has(i.id) && Boolean(seen.add(i.id)));
}
/** The setup command for a server id as shown: one written with `${…}` is given as the id Maven resolves it to. */
const setupFor = (shown: string): string =>
  shown.includes("${") ? `anypoint-m2 setup --server-id ID (ID: the id Maven resolves ${shown} to)` : `anypoint-m2 setup --server-id ${shown}`;

export function diagnose(settings: SettingsInput, pom: ProjectPom | undefined, context: DiagnoseContext): Diagnosis {
  const findings: Finding[] = [];
  const repositories = pomFindings(pom, findings);
  if (settings.error) {
    findings.push(rejected(settings.path, settings.error));
    return { findings, checks: [], about: new Map() };
  }
  let read: { model: SettingsModel; entries: ServerEntry[]; mirrors: SettingsMirror[] } | undefined;
  if (settings.text !== undefined) {
    try {
      const model = readSettings(settings.text);
      read = { model, entries: serverEntries(model, context.env, context.properties), mirrors: readMirrors(model, context.env, context.properties) };
    } catch (e) {
      if (!(e instanceof M2Error)) throw e;
      findings.push(rejected(settings.path, e));
      return { findings, checks: [], about: new Map() };
    }
  }
  const report = pom?.report;
  const deployments = deploymentServers(report?.deployments ?? []);
  const doctor = new Doctor(settings, read?.model, read?.entries ?? [], read?.mirrors ?? [], context, findings, pom?.path, deployments);
  doctor.fileFindings();
  // A pom without Exchange repositories (a parent may declare them) tells nothing: every connected app is looked at.
  if (repositories.length > 0) doctor.forRepositories(repositories);
  else doctor.forConnectedApps();
  // The servers mule-maven-plugin deploys with, looked at as those Maven sends to Exchange are.
  for (const id of deployments.keys()) doctor.examine(id);
  const lookup = (id: string) => doctor.serverOf(id);
  const reported = new Set([...doctor.about].filter(([f]) => f.code === "no-server").flatMap(([, ids]) => ids));
  const more: AboutFinding[] = [
    ...doctor.misconfigured(),
    ...(report ? pluginFindings(report.deployments, pom!.path, settings.path, lookup) : []).filter((a) => a.finding.code !== "deploy-no-server" || !reported.has(a.ids![0]!)),
    ...(report ? pomMisconfig(report, pom!.path, settings.path, lookup) : []),
    ...altDeploymentFinding(context.altDeployment).map((finding) => ({ finding })),
  ];
  for (const { finding, ids } of more) {
    findings.push(finding);
    if (ids) doctor.about.set(finding, ids);
  }
  return { findings, checks: doctor.checks, about: doctor.about };
}

function rejected(path: string, error: M2Error): Finding {
  return {
    severity: "error",
    code: "settings-rejected",
    message: `Maven cannot use this settings file: ${error.message}`,
    file: error.details.file ?? path,
    line: error.details.line,
    fix: error.details.hint ?? "Correct the file; Maven stops at it before any download.",
  };
}

/** Findings about the pom itself; its Exchange repositories. */
function pomFindings(pom: ProjectPom | undefined, findings: Finding[]): PomRepository[] {
  if (!pom) return [];
  if (pom.error) {
    findings.push({
      severity: "error",
      code: "pom-unreadable",
      message: `the pom cannot be read: ${pom.error.message}`,
      file: pom.path,
      line: pom.error.details.line,
      fix: pom.error.details.hint ?? "Correct the pom; Maven cannot build the project either.",
    });
    return [];
  }
  const report = pom.report!;
  for (const p of report.problems) findings.push({ severity: "warning", code: "pom-unresolved", message: p.message, file: pom.path, line: p.line, fix: p.hint });
  const repositories = exchangeRepositories(report);
  if (repositories.length === 0 && report.problems.length === 0) {
    findings.push({
      severity: "info",
      code: "pom-no-exchange",
      message: "the pom declares no Exchange repository (a parent pom may)",
      file: pom.path,
      fix: "If a parent pom declares them, run anypoint-m2 doctor --pom with that pom.",
    });
  }
  return repositories;
}

class Doctor {
  readonly checks: CredentialCheck[] = [];
  readonly about = new Map<Finding, string[]>();
  /** The same checks, by credentials and control plane. */
  private readonly checked = new Map<string, CredentialCheck>();
  /** The server Maven uses for each id: the first with it. */
  private readonly used = new Map<string, ServerEntry>();

  constructor(
    private readonly settings: SettingsInput,
    private readonly model: SettingsModel | undefined,
    private readonly entries: ServerEntry[],
    private readonly mirrors: SettingsMirror[],
    private readonly context: DiagnoseContext,
    private readonly findings: Finding[],
    private readonly pomFile: string | undefined,
    /** The servers the pom's deployment blocks name, by id. */
    private readonly deployments: Map<string, PomDeployment> = new Map(),
  ) {
    for (const e of entries) if (e.id !== undefined && !this.used.has(e.id)) this.used.set(e.id, e);
  }

  private line(offset: number): number {
    return lineColumn(this.model!.text, offset).line;
  }

  /** A finding; `ids`, the servers it is about. */
  private add(finding: Omit<Finding, "file"> & { file?: string }, ids?: string[]): void {
    const full = { file: this.settings.path, ...finding };
    this.findings.push(full);
    if (ids) this.about.set(full, ids);
  }

  private value(entry: ServerEntry, field: "username" | "password"): string | undefined {
    return this.model ? fieldValue(this.model, entry[field]) : undefined;
  }

  /** The file as a whole: duplicate ids, usernames in the wrong case, incomplete mirrors, who can read it. */
  fileFindings(): void {
    const { path, exists } = this.settings;
    if (!exists) return;
    const lenient = this.model?.mavenWarning;
    if (lenient) {
      this.add({
        severity: "warning",
        code: "settings-lenient",
        line: lenient.line,
        message: `${lenient.message} (at column ${lenient.column})`,
        fix: "Correct it: Maven 4 and other tools may read the file strictly.",
      });
    }
    const seen = new Map<string, ServerEntry[]>();
    for (const e of this.entries) if (e.id !== undefined) append(seen, e.id, e);
    for (const list of seen.values()) {
      if (list.length < 2) continue;
      const id = [...new Set(list.map((e) => e.shown))].join('" = "');
      const [first, ...others] = list.map((e) => this.line(e.element.start));
      this.add({
        severity: "warning",
        code: "duplicate-server",
        line: others[0],
        message: `server id "${id}" appears ${list.length} times (lines ${[first, ...others].join(", ")}); Maven uses the first, at line ${first}, and ignores the others`,
        fix: `Keep one <server> with id "${id}": the one whose credentials you mean.`,
      }, [list[0]!.id!]);
    }
    for (const entry of this.used.values()) {
      const id = entry.shown;
      const username = this.value(entry, "username");
      if (username !== undefined && username !== CONNECTED_APP_USERNAME && username.toLowerCase() === CONNECTED_APP_USERNAME.toLowerCase()) {
        this.add({
          severity: "error",
          code: "username-case",
          line: this.line(entry.username!.start),
          message: `server "${id}" has the username ${username}; Exchange takes a connected app's credentials only with exactly ${CONNECTED_APP_USERNAME}`,
          fix: `Write <username>${CONNECTED_APP_USERNAME}</username>.`,
        }, [entry.id!]);
      }
    }
    const mode = this.settings.mode;
    if (mode !== undefined && (mode & 0o044) !== 0 && this.holdsLiteralSecret()) {
      this.add({
        severity: "warning",
        code: "settings-readable",
        message: `the file can be read by other users (mode ${(mode & 0o777).toString(8)}) and holds passwords as written`,
        fix: `chmod 600 ${path}`,
      });
    }
  }

  /** A password or passphrase written as such: neither encrypted nor a `${…}` reference. */
  private holdsLiteralSecret(): boolean {
    return this.entries.some((e) => {
      const passphrase = e.element.child("passphrase");
      return [this.value(e, "password"), passphrase && fieldValue(this.model!, passphrase)].some(
        (v) => v !== undefined && v !== "" && !ENCRYPTED.test(v) && !/^(\$\{[^}]+\}|~\?~)+$/.test(v),
      );
    });
  }

  /** The pom's Exchange repositories: mirrors in front of them, and the server each needs. */
  forRepositories(repositories: PomRepository[]): void {
    const complete = this.mirrors.filter((m) => m.id && m.url && m.mirrorOf);
    const intercepted = new Map<SettingsMirror, PomRepository[]>();
    // By the id Maven matches; `shown`, what is said of it (as written when it comes from the environment).
    const needed = new Map<string, { shown: string; list: PomRepository[] }>();
    const need = (id: string, shown: string, r: PomRepository) => (needed.get(id) ?? needed.set(id, { shown, list: [] }).get(id)!).list.push(r);
    const selector = mirrorSelector(complete);
    for (const r of repositories) {
      const mirror = DOWNLOADS.has(r.section) && r.url ? selector({ id: r.id!, url: r.url, layout: r.layout }) : undefined;
      if (!mirror) need(r.id!, r.shown!, r);
      // A mirror that is itself Exchange needs the connected app under its own id.
      else if (facadeRegion(mirror.url!)) need(mirror.id!, mirror.shown.id!, r);
      else append(intercepted, mirror, r);
    }
    for (const [mirror, list] of intercepted) this.intercepts(mirror, uniqueIds(list.map((r) => ({ id: r.id!, shown: r.shown! }))), "error");
    // Taken out of the mirror, a repository needs a server of its own: said now, not on the next run.
    const behind = new Map<string, { shown: string; list: PomRepository[]; mirror: SettingsMirror }>();
    for (const [mirror, list] of intercepted) {
      for (const r of list) if (!this.used.has(r.id!) && !needed.has(r.id!)) (behind.get(r.id!) ?? behind.set(r.id!, { shown: r.shown!, list: [], mirror }).get(r.id!)!).list.push(r);
    }
    for (const [key, { shown, list, mirror }] of behind) this.noServer(key, shown, list, mirror);
    for (const [key, { shown: id, list }] of needed) {
      const found = this.used.get(key);
      // A server found for an id the pom takes from the environment is named as the pom writes it.
      const entry = found && (list[0]!.idFromEnv ? { ...found, shown: id } : found);
      const region = list.find((r) => r.region)?.region;
      if (!entry) this.noServer(key, id, list);
      else this.server(entry, region, list.filter((r) => r.url && !r.urlFromEnv).map((r) => ({ id: r.id!, url: r.url!, line: r.line })));
    }
  }

  /** An Exchange repository without a server; `mirror`, the mirror that takes it for now. */
  private noServer(key: string, id: string, list: PomRepository[], mirror?: SettingsMirror): void {
    const sections = [...new Set(list.map((r) => r.section.replace(/^distributionManagement\..*/, "distributionManagement")))].join(", ");
    const pom = this.context.pomOption === undefined ? "" : ` --pom ${/^[\w@%+=:,./-]+$/.test(this.context.pomOption) ? this.context.pomOption : `'${this.context.pomOption.replace(/'/g, "'\\''")}'`}`;
    const sends = mirror ? `once it is excluded from mirror "${mirror.shown.id}", Maven sends no credentials for it` : "Maven sends no credentials";
    this.add({
      severity: "error",
      code: "no-server",
      file: this.pomFile,
      line: list[0]!.line,
      message: `Exchange repository "${id}" (${sections}) has no <server> with that id in ${this.settings.path}${this.settings.exists ? "" : " (the file does not exist)"}: ${sends}, and Exchange answers 401`,
      fix: `${setupFor(id)}${mirror ? " --exclude-from-mirrors" : ""} (or anypoint-m2 setup --from-pom${pom}${mirror ? " --exclude-from-mirrors" : ""} for every Exchange id of the pom)`,
    }, [key]);
  }

  /** Without a pom: every connected-app server Maven would use. */
  forConnectedApps(): void {
    const apps = [...this.used].filter(([, e]) => this.value(e, "username")?.toLowerCase() === CONNECTED_APP_USERNAME.toLowerCase());
    if (apps.length === 0) {
      this.add({
        severity: this.settings.exists ? "warning" : "error",
        code: this.settings.exists ? "no-connected-app" : "settings-missing",
        message: this.settings.exists ? "no server holds an Anypoint connected app (username ~~~Client~~~)" : "the settings file does not exist: Maven has no credentials to send",
        fix: "anypoint-m2 setup (in the project folder, anypoint-m2 setup --from-pom)",
      });
      return;
    }
    // Without the pom the repositories' ids and URLs are not known: each app's id is taken for an Exchange repository.
    const complete = this.mirrors.filter((m) => m.id && m.url && m.mirrorOf);
    const intercepted = new Map<SettingsMirror, { id: string; shown: string }[]>();
    const selector = mirrorSelector(complete);
    for (const [id, entry] of apps) {
      const mirror = selector({ id, url: `https://${facadeHost("us")}/api/v3/maven` });
      if (mirror && !facadeRegion(mirror.url!)) append(intercepted, mirror, { id, shown: entry.shown! });
    }
    for (const [mirror, ids] of intercepted) this.intercepts(mirror, ids, "warning");
    for (const [, entry] of apps) this.server(entry, undefined);
  }

  /** `ids`: by the id Maven matches, and as shown (as written when it comes from the environment). */
  private intercepts(mirror: SettingsMirror, ids: { id: string; shown: string }[], severity: "error" | "warning"): void {
    const pattern = mirror.mirrorOf!;
    const entries = new Set(pattern.split(","));
    const listed = ids.filter(({ id }) => pattern !== "*" && (pattern === id || entries.has(id)));
    const shown = ids.map((i) => i.shown);
    const fix = listed.length > 0
      ? `Take ${quote(listed.map((i) => i.shown))} out of its <mirrorOf>${ids.length > listed.length ? `, and add ${ids.filter((i) => !listed.includes(i)).map((i) => `!${i.shown}`).join(",")}` : ""}.`
      : `Exclude them from it: <mirrorOf>${mirror.shown.mirrorOf},${shown.map((id) => `!${id}`).join(",")}</mirrorOf> (anypoint-m2 ${this.context.command ?? "setup"} --exclude-from-mirrors does it${this.context.command === "exec" ? " on the private copy" : ""}), unless that mirror proxies Exchange with its own credentials.`;
    this.add({
      severity,
      code: "mirror-intercepts",
      line: mirror.line,
      message:
        `mirror "${mirror.shown.id}" (mirrorOf ${mirror.shown.mirrorOf}) takes the downloads of ${severity === "warning" ? "the Exchange repository your pom may name " : "Exchange repository "}${quote(shown)}: ` +
        `Maven fetches them from ${hideCredentials(mirror.shown.url!)} with the credentials of server "${mirror.shown.id}", not those of ${quote(shown)}`,
      fix,
    }, ids.map((i) => i.id));
  }

  /** The token store's server: expired (an error) or expiring within EXPIRING_MINUTES (a warning), by its expiry note. */
  private token(entry: ServerEntry, name: string, line: number): void {
    const expiresAt = entry.password ? noteAt(this.model!.text, entry.password.end)?.expiresAt : undefined;
    const state = tokenState(expiresAt, Date.now());
    const fix = "Store a new token: anypoint-m2 setup --store token (in CI, run the build through anypoint-m2 exec --store token).";
    if (state === "expired") this.add({ severity: "error", code: "token-expired", line, message: `${name} holds an Anypoint token that ${describeExpiry(expiresAt!, Date.now())}`, fix });
    else if (state === "expiring") this.add({ severity: "warning", code: "token-expiring", line, message: `${name} holds an Anypoint token that ${describeExpiry(expiresAt!, Date.now())}`, fix });
    else if (state === "unknown") this.add({ severity: "warning", code: "token-expiring", line, message: `${name} holds an Anypoint token (~~~Token~~~) without anypoint-m2's expiry note: when it expires cannot be told`, fix });
  }

  /** The servers looked at (server()), by id. */
  private readonly examined = new Set<string>();

  /** A deploy server not looked at yet, when it holds a connected app (plugin.ts says what else is wrong with it). */
  examine(id: string): void {
    const entry = this.used.get(id);
    if (!entry || this.examined.has(id) || this.serverOf(id)?.username?.toLowerCase() !== CONNECTED_APP_USERNAME.toLowerCase()) return;
    this.server(entry, undefined);
  }

  /** The server Maven uses for an id: its line and its username as resolved. */
  serverOf(id: string): DeployServer | undefined {
    const entry = this.used.get(id);
    if (!entry) return undefined;
    const username = this.value(entry, "username");
    return { line: this.line(entry.element.start), username: username === undefined ? undefined : javaTrim(interpolate(username, this.context.env, this.context.properties).value) };
  }

  /** The servers whose username is a client ID (misconfig.ts). */
  misconfigured(): AboutFinding[] {
    const { env, properties } = this.context;
    const resolved = (v: string | undefined) => (v === undefined ? undefined : javaTrim(interpolate(v, env, properties).value));
    const servers = [...this.used.values()].map((e) => ({
      id: e.id!,
      shown: e.shown!,
      // Found only for the few that are wrong: a line of each of 20,000 servers is a scan of the file.
      line: () => this.line(e.element.start),
      username: resolved(this.value(e, "username")),
      password: resolved(this.value(e, "password")),
    }));
    return clientIdAsUsername(servers, this.settings.path);
  }

  /** One server Maven sends to Exchange: its form, its password's store, then the token check to make. */
  private server(entry: ServerEntry, region: Region | undefined, repositories: CredentialCheck["repositories"] = []): void {
    this.examined.add(entry.id!);
    const from = this.findings.length;
    this.serverFindings(entry, region, repositories);
    for (const f of this.findings.slice(from)) this.about.set(f, [entry.id!]);
  }

  private serverFindings(entry: ServerEntry, region: Region | undefined, repositories: CredentialCheck["repositories"]): void {
    const id = entry.shown!;
    const line = this.line(entry.element.start);
    const name = `server "${id}"`;
    const username = this.value(entry, "username");
    const { env, properties } = this.context;
    const fix = `${setupFor(id)} --on-existing update`;
    if (username === undefined || username === "") {
      this.add({ severity: "error", code: "not-connected-app", line, message: `${name} has no username, so Maven sends no credentials`, fix });
      return;
    }
    const resolvedUsername = javaTrim(interpolate(username, env, properties).value);
    if (resolvedUsername === TOKEN_USERNAME) return this.token(entry, name, line);
    const connectedApp = resolvedUsername === CONNECTED_APP_USERNAME;
    if (!connectedApp && resolvedUsername.toLowerCase() !== CONNECTED_APP_USERNAME.toLowerCase()) {
      // A client ID as the username is client-id-as-username (misconfig.ts), ~~~Token~~~ on a deploy server deploy-token (plugin.ts).
      const password = this.value(entry, "password");
      if (isClientIdLogin(resolvedUsername, password === undefined ? undefined : javaTrim(interpolate(password, env, properties).value))) return;
      if (this.deployments.has(entry.id!) && resolvedUsername === TOKEN_USERNAME) return;
      this.add({
        severity: "warning",
        code: "not-connected-app",
        line,
        message: `${name} is not a connected app: its username is not ${CONNECTED_APP_USERNAME}, so anypoint-m2 cannot check it (a platform user's password fails with multi-factor authentication)`,
        fix,
      });
      return;
    }
    const raw = this.value(entry, "password");
    if (raw === undefined || raw === "") {
      this.add({ severity: "error", code: "password-form", line, message: `${name} has no password`, fix });
      return;
    }
    const { value, unresolved } = interpolate(raw, env, properties);
    const unset = unresolved.filter((n) => n.startsWith("env.")).map((n) => n.slice(4));
    const others = unresolved.filter((n) => !n.startsWith("env."));
    if (others.length > 0) {
      this.add({
        severity: "warning",
        code: "expression-in-password",
        line,
        message: `${name}: its password holds ${others.map((n) => `\${${n}}`).join(", ")}; Maven replaces it with the property of that name when one is set as it runs, and otherwise sends it as written, braces and all, which it takes for an encrypted value`,
        fix: "If it is part of the secret, store the password encrypted (mvn --encrypt-password), which Maven does not interpolate.",
      });
    }
    if (unset.length > 0) {
      this.add({
        severity: "error",
        code: "env-unset",
        line,
        message: `${name}: its password needs ${unset.join(" and ")}, not set in this environment; Maven would send the text \${env.${unset[0]}} as written`,
        fix: `Set ${unset.join(" and ")} where Maven runs (export ${unset[0]}=...).`,
      });
      return;
    }
    let clear = javaTrim(value);
    const maven = this.context.maven;
    const maven4 = value4(clear) !== undefined;
    if (maven4 && maven && maven.major < 4) {
      this.add({
        severity: "error",
        code: "maven4-value",
        line,
        message: `${name}: its password is encrypted in Maven 4's format, which Maven ${maven.version} cannot decrypt; it would send the encrypted text`,
        fix: `Run ${setupFor(id)} --store encrypted with Maven ${maven.version}'s settings-security.xml, or use Maven 4.`,
      });
      return;
    }
    if (ENCRYPTED.test(clear) || maven4) {
      const decrypted = this.context.passwords.decrypt(clear);
      const under4 = maven4 || (maven !== undefined && maven.major >= 4);
      if ("problem" in decrypted) {
        this.add({
          severity: "error",
          code: "encrypted-undecryptable",
          line,
          message: `${name}: its password is encrypted, but ${decrypted.problem}; ${under4 ? "Maven 4 stops the build on a password it cannot decrypt" : "Maven would send the encrypted text"}`,
          fix: decrypted.fix,
        });
        return;
      }
      if (!maven4 && maven && maven.major >= 4 && decrypted.relocated) {
        this.add({
          severity: "error",
          code: "legacy-relocated",
          line,
          message: `${name}: its password is encrypted as Maven 3 does it, with the master password ${decrypted.relocated.from} relocates to ${decrypted.relocated.to}; Maven ${maven.version} reads <master> from ${decrypted.relocated.from} itself and does not follow <relocation>, so it cannot decrypt the password and stops the build`,
          fix: `Encrypt it for Maven 4: ${setupFor(id)} --store encrypted --master-source env:MAVEN_MASTER_PASSWORD (or put the <master> in ${decrypted.relocated.from}).`,
        });
        return;
      }
      if (!maven4 && maven && maven.major >= 4) {
        this.add({
          severity: "warning",
          code: "legacy-encrypted",
          line,
          message: `${name}: its password is encrypted as Maven 3 does it; Maven ${maven.version} still decrypts it (with Maven 3's settings-security.xml, no <relocation> followed) but warns of a pre-Maven 4 legacy encrypted password`,
          fix: `Encrypt it for Maven 4: ${setupFor(id)} --store encrypted --master-source env:MAVEN_MASTER_PASSWORD (or the source of your settings-security4.xml).`,
        });
      }
      clear = decrypted.clear;
    } else if (encryptedPart(clear) !== undefined && others.length === 0) {
      this.add({
        severity: "warning",
        code: "brace-in-password",
        line,
        message: `${name}: its password holds {…}, which Maven takes for an encrypted value; Maven 3 fails to decrypt it and sends the text as written (saying so only with -X); Maven 4 stops the build`,
        fix: "Store the password encrypted (mvn --encrypt-password), the one form that keeps braces.",
      });
    }
    const at = clear.indexOf(SEPARATOR);
    if (at <= 0 || at + SEPARATOR.length === clear.length) {
      this.add({ severity: "error", code: "password-form", line, message: `${name}: its password is not in the form clientID${SEPARATOR}clientSecret`, fix });
      return;
    }
    const clientId = clear.slice(0, at);
    const clientSecret = clear.slice(at + SEPARATOR.length);
    const split = splitCharacters(clientId, clientSecret);
    if (split.length > 0) {
      // A server a deployment block names is split for certain: an error, naming the block.
      const deploy = this.deployments.get(entry.id!);
      this.add({
        severity: deploy ? "error" : "warning",
        code: "split-character",
        line,
        message: deploy
          ? `${name}: ${split.join(" and ")}; ${deploy.kind} (${this.pomFile}:${deploy.line}) deploys with it, and mule-maven-plugin splits the password at each ~ and ? (StringUtils.split(password, "~?~")), so it deploys with a wrong ID or secret (downloads from Exchange are not affected)`
          : `${name}: ${split.join(" and ")}; the Mule Maven plugin's deployer splits the password at each ~ and ?, so deployments would get a wrong ID or secret (downloads from Exchange are not affected)`,
        fix: "Deploy with the credentials given another way (the plugin's connectedAppClientId/Secret), or use an app whose ID and secret hold neither.",
      });
    }
    if (!connectedApp) return;
    const key = JSON.stringify([clientId, clientSecret, region ?? null]);
    const same = this.checked.get(key);
    if (same) {
      same.servers.push({ id, line });
      same.repositories.push(...repositories);
    } else {
      const check: CredentialCheck = { servers: [{ id, line }], clientId, clientSecret, ...(region ? { region } : {}), repositories: [...repositories] };
      this.checked.set(key, check);
      this.checks.push(check);
    }
  }
}

/** A server check's failure, as a finding. */
export function checkFinding(check: CredentialCheck, error: M2Error, settingsPath: string): Finding {
  const ids = quote(check.servers.map((s) => s.id));
  const rejectedCredentials = error.exitCode === Exit.rejected;
  return {
    severity: "error",
    code: rejectedCredentials ? "credentials-rejected" : "check-failed",
    file: settingsPath,
    line: check.servers[0]!.line,
    message: rejectedCredentials
      ? `Anypoint rejected the credentials of server ${ids} (client ID ${check.clientId}): ${error.message}`
      : `the credentials of server ${ids} could not be checked: ${error.message}`,
    fix: rejectedCredentials
      ? `Check the connected app in Access Management, then ${setupFor(check.servers[0]!.id)} with its current secret.`
      : error.exitCode === Exit.unreachable
        ? "Check the network and the proxy settings (and --region, --host), or pass --offline to skip the check."
        : (error.details.hint ?? "Correct what the message names, or pass --offline to skip the check."),
  };
}
