/**
 * The commands and their options, declared once: read.ts reads a command line with this table (and
 * coerces and checks the values by it), help.ts has yargs lay it out as --help, and completion.ts offers
 * its names and choices.
 *
 * String and number options take one value: an option given twice is a usage error, never a silent pick,
 * unless the table says it takes several (`multiple`: each occurrence adds one, e.g. --server-id a --server-id b).
 */
export type OptionSpec = {
  describe: string;
  default?: string | boolean | number;
  defaultDescription?: string;
  /** The values a string option accepts, in lower case; the user's value is matched ignoring case. */
  choices?: readonly string[];
  /** One letter for a switch: `-y` for `--yes`. */
  alias?: string;
  /** A string option that `--no-<name>` turns off (its value is then false). */
  negatable?: boolean;
  /** A string option that may be given several times: its value is the list of values given, each once. */
  multiple?: boolean;
  /** Words that are not choices but name one (`canada`: ca), suggested when given; near misses are found without it. */
  suggest?: Record<string, string>;
} & ({ type: "string" | "boolean" } | { type: "number"; range: NumberRange });

/** What a number option accepts, in plain decimal notation. */
export interface NumberRange {
  min: number;
  max: number;
  /** Whole numbers only. */
  integer: boolean;
  /** What the number counts, for messages: "seconds". */
  unit: string;
}

export interface PositionalSpec {
  name: string;
  /** A noun phrase: "remove needs <describe>". */
  describe: string;
  required: boolean;
  choices?: readonly string[];
}

export interface CommandSpec {
  name: "setup" | "verify" | "list" | "remove" | "doctor" | "rotate" | "completion" | "exec";
  describe: string;
  positional?: PositionalSpec;
  /** The words after `--` are a command to run (exec): its name, for usage lines. */
  rest?: string;
  options: Record<string, OptionSpec>;
  /** It writes settings.xml, so an unsafe file's error says that nothing was written. */
  edits: boolean;
  examples: [string, string][];
}

const settings: OptionSpec = { type: "string", describe: "Maven settings file", defaultDescription: "the one Maven reads: ~/.m2/settings.xml of the account, or as MAVEN_OPTS, MAVEN_ARGS or .mvn/ say" };
const securityFile: OptionSpec = {
  type: "string",
  describe: "Maven's settings-security.xml, which holds the master password of encrypted passwords",
  defaultDescription: "the one Maven reads: -Dsettings.security, else ~/.m2/settings-security.xml",
};
const mavenReadsSecurityFile: OptionSpec = {
  type: "boolean",
  default: false,
  describe: "with --security-file: Maven is told to read it (-Dsettings.security) where this run cannot see: ~/.mavenrc, a CI job's MAVEN_OPTS, an image",
};
const masterSource: OptionSpec = {
  type: "string",
  describe: "with --store encrypted, for Maven 4: create settings-security4.xml whose master password comes from env:NAME or file:/absolute/path (a file of mode 600)",
};
const serverId: OptionSpec = { type: "string", describe: "<server> id; must match the repository id in your pom.xml", defaultDescription: "anypoint-exchange-v3" };
const exchangeUrl: OptionSpec = { type: "string", describe: "the Exchange Maven URL to probe [env: ANYPOINT_EXCHANGE_URL]", defaultDescription: "the pom's Exchange repositories, else the settings profile's, else the region's" };
const pom: OptionSpec = { type: "string", describe: "the project's pom.xml (or its folder)", defaultDescription: "./pom.xml when there is one" };
const mavenVersion: OptionSpec = {
  type: "string",
  describe: "the Maven version that will read the settings file, e.g. 3.10.0 or 4.0.0-rc-4 (4.x writes and checks Maven 4's encryption)",
  defaultDescription: "the project's Maven wrapper, else the mvn on the PATH (its lib/maven-core jar)",
};

/** How results are printed; every command has these. */
const output: Record<string, OptionSpec> = {
  json: { type: "boolean", describe: "print one JSON object on stdout", default: false },
  quiet: { type: "boolean", alias: "q", describe: "print nothing but errors", default: false },
  verbose: { type: "boolean", describe: "print diagnostics on stderr (never secrets) [env: DEBUG]", default: false },
};

/** Previews and waiting, for the commands that edit. */
const preview: Record<string, OptionSpec> = {
  "lock-timeout": { type: "number", default: 10, range: { min: 0, max: 600, integer: false, unit: "seconds" }, describe: "seconds to wait while another run edits the same file" },
  "dry-run": { type: "boolean", describe: "print the change as a diff (secrets masked), write nothing", default: false },
  stdout: { type: "boolean", describe: "print the resulting settings.xml instead of writing it", default: false },
};

/** Where Anypoint is, how long to wait for it, and the env file. */
const connection: Record<string, OptionSpec> = {
  region: {
    type: "string",
    choices: ["us", "eu", "gov", "ca", "jp"],
    describe: "Anypoint control plane region",
    defaultDescription: "us",
    suggest: { usa: "us", europe: "eu", canada: "ca", japan: "jp", govcloud: "gov", "us-gov": "gov", eu1: "eu", ca1: "ca", jp1: "jp" },
  },
  host: { type: "string", describe: "control plane host name, e.g. eu1.anypoint.mulesoft.com [env: ANYPOINT_HOST]" },
  "base-url": { type: "string", describe: "control plane URL, for private endpoints [env: ANYPOINT_BASE_URL]" },
  // Whole seconds: the request's abort timer takes whole milliseconds.
  timeout: { type: "number", default: 10, range: { min: 1, max: 600, integer: true, unit: "seconds" }, describe: "seconds to wait for each request to Anypoint" },
  "env-file": { type: "string", negatable: true, describe: "read variables from this file (--no-env-file: none)", defaultDescription: "./.env when it exists" },
};

/** --region's default, said as each command decides it (setup, doctor, verify and rotate read the pom). */
const regionFromPom = (what: string): Record<string, OptionSpec> => ({ region: { ...connection.region!, defaultDescription: what } });

export const COMMANDS: CommandSpec[] = [
  {
    name: "setup",
    describe: "check the connected app's credentials, then add or update its <server> in settings.xml",
    edits: true,
    options: {
      "client-id": { type: "string", describe: "connected app client ID [env: ANYPOINT_CLIENT_ID]" },
      "client-secret-stdin": { type: "boolean", describe: "read the client secret from stdin [else env: ANYPOINT_CLIENT_SECRET]" },
      "client-secret": { type: "string", describe: "the client secret (visible to other users: prefer the environment or stdin)" },
      "server-id": { ...serverId, multiple: true, describe: "<server> id; must match the repository id in your pom.xml (repeat for several ids: each gets the same credentials)" },
      "from-pom": { type: "boolean", default: false, describe: "take the server ids of the Exchange repositories in the pom (--pom, else ./pom.xml)" },
      aliases: { type: "boolean", default: false, describe: "write the ids as one server: the first, with the others as its <aliases> (a Maven that reads them: 3.10)" },
      pom,
      settings,
      "on-existing": { type: "string", choices: ["update", "keep", "fail"], describe: "what to do when the server id already exists", defaultDescription: "update a connected-app entry; anyone else's: ask, or exit 5" },
      store: {
        type: "string",
        choices: ["literal", "env", "encrypted", "token"],
        describe: "how the password is written: as is, as ${env.X} references (no secret on disk), encrypted with Maven's master password, or as a token (~~~Token~~~, about an hour; needs the check)",
        defaultDescription: "the env or encrypted store the servers already have, else literal",
      },
      "id-env": { type: "string", describe: "with --store env: the variable Maven reads the client ID from", defaultDescription: "ANYPOINT_CLIENT_ID" },
      "secret-env": { type: "string", describe: "with --store env: the variable Maven reads the client secret from", defaultDescription: "ANYPOINT_CLIENT_SECRET" },
      "security-file": securityFile,
      "maven-reads-security-file": mavenReadsSecurityFile,
      "master-source": masterSource,
      "maven-version": mavenVersion,
      verify: { type: "boolean", default: true, describe: "request a token before writing (--no-verify to skip)" },
      "with-repositories": { type: "boolean", describe: "also add the Exchange and MuleSoft repositories a Mule build needs (profile anypoint-exchange)", defaultDescription: "no; the wizard asks" },
      "org-id": { type: "string", describe: "organization ID: print the URL to publish to and the pom's <distributionManagement>", defaultDescription: "the one the credential check reports" },
      "exchange-url": { type: "string", describe: "Exchange Maven URL, for a private control plane [env: ANYPOINT_EXCHANGE_URL]", defaultDescription: "the region's" },
      "exclude-from-mirrors": { type: "boolean", describe: "add !ID to the <mirrorOf> of each mirror that would take a server id written (Maven would send the mirror's credentials)", defaultDescription: "no; the wizard asks when a mirror takes one" },
      force: { type: "boolean", default: false, describe: "write a client ID or secret holding ~ or ? even for a server a mule-maven-plugin deployment block names (the plugin splits the password at each)" },
      ...connection,
      ...regionFromPom("the control plane of the pom's Exchange repositories, else us"),
      ...preview,
      yes: { type: "boolean", alias: "y", default: false, describe: "ask nothing: take the defaults and write" },
      "non-interactive": { type: "boolean", default: false, describe: "never prompt; missing input is an error (also when CI is set or there is no terminal)" },
      ...output,
    },
    examples: [
      ["ANYPOINT_CLIENT_SECRET=... $0 setup --client-id 0123abcd", "check the credentials, then write the server"],
      ["$0 setup --region eu --env-file ci.env", "credentials from ci.env, control plane in the EU"],
      ["$0 setup --dry-run", "show the change as a diff, write nothing"],
      ["$0 setup --from-pom", "one server for each Exchange repository id of ./pom.xml, in one write"],
      ["$0 setup --with-repositories --region eu", "also the repositories a Mule build needs, EU Exchange"],
      ["$0 setup --store env --no-verify --yes", "write ${env.ANYPOINT_CLIENT_ID}~?~${env.ANYPOINT_CLIENT_SECRET}: no secret on disk"],
      ["$0 setup --store encrypted", "encrypt the password with the master password of ~/.m2/settings-security.xml"],
      ["$0 setup --store encrypted --master-source env:MAVEN_MASTER_PASSWORD", "Maven 4: encrypt with the master password in $MAVEN_MASTER_PASSWORD (creates ~/.m2/settings-security4.xml)"],
      ["$0 setup --no-verify --yes --settings base.xml --stdout > ci-settings.xml", "print the result to a new file (never onto the file it reads)"],
      ['printf %s "$SECRET" | $0 setup --client-id 0123abcd --client-secret-stdin --no-verify --yes', "offline image build: secret from stdin, no check"],
    ],
  },
  {
    name: "verify",
    describe: "check the credentials stored in settings.xml with Anypoint again",
    edits: false,
    options: {
      "server-id": { ...serverId, defaultDescription: "the first of the pom's Exchange repository ids with a server in the file, else anypoint-exchange-v3" },
      settings,
      "security-file": securityFile,
      "maven-reads-security-file": mavenReadsSecurityFile,
      exchange: { type: "boolean", default: false, describe: "also send Exchange's Maven facade the request Maven sends (Basic auth) for each Exchange repository with this id; not accepted: exit 9" },
      "exchange-url": exchangeUrl,
      pom,
      ...connection,
      ...regionFromPom("the control plane of the pom's Exchange repositories with the server's id, else us"),
      ...output,
    },
    examples: [
      ["$0 verify --server-id anypoint-exchange-v3", "does the stored connected app still get a token?"],
      ["$0 verify --exchange", "and does Exchange's Maven facade accept it, as Maven sends it?"],
    ],
  },
  {
    name: "list",
    describe: "list the servers in settings.xml (never their passwords)",
    edits: false,
    options: { settings, "security-file": securityFile, "maven-reads-security-file": mavenReadsSecurityFile, ...output },
    examples: [["$0 list --json", "machine-readable list"]],
  },
  {
    name: "remove",
    describe: "remove the server(s) with this id from settings.xml",
    edits: true,
    positional: { name: "id", describe: "the id of the server to remove", required: true },
    options: {
      settings,
      "with-repositories": { type: "boolean", default: false, describe: "also take out what setup --with-repositories added" },
      "from-mirrors": { type: "boolean", default: false, describe: "also take !ID out of the mirrors' <mirrorOf> (what setup --exclude-from-mirrors added)" },
      ...preview,
      ...output,
    },
    examples: [
      ["$0 remove anypoint-exchange-v3", "remove the default server"],
      ["$0 remove anypoint-exchange-v3 --with-repositories", "and the repositories setup added with it"],
      ["$0 remove anypoint-exchange-v3 --from-mirrors", "and the !anypoint-exchange-v3 setup --exclude-from-mirrors added"],
      ["$0 remove old-exchange --dry-run", "show what would be removed"],
    ],
  },
  {
    name: "doctor",
    describe: "explain why a build may still get a 401: settings.xml, the pom's Exchange repositories, mirrors, stored passwords, and a token check",
    edits: false,
    options: {
      pom,
      settings,
      "security-file": securityFile,
      "maven-reads-security-file": mavenReadsSecurityFile,
      offline: { type: "boolean", default: false, describe: "make no request to Anypoint (skip the token check and the Exchange probe)" },
      "maven-version": mavenVersion,
      "exchange-url": exchangeUrl,
      ...connection,
      ...regionFromPom("the control plane of the pom's Exchange repositories with the server's id, else us"),
      ...output,
    },
    examples: [
      ["$0 doctor", "check the project in the current folder against the settings file Maven reads"],
      ["$0 doctor --offline --json", "no network; one JSON object with every finding"],
    ],
  },
  {
    name: "rotate",
    describe: "check a connected app's new secret, then update every server that holds that client ID",
    edits: true,
    options: {
      "client-id": { type: "string", describe: "the connected app's client ID [env: ANYPOINT_CLIENT_ID]" },
      "client-secret-stdin": { type: "boolean", describe: "read the new client secret from stdin [else env: ANYPOINT_CLIENT_SECRET]" },
      "client-secret": { type: "string", describe: "the new client secret (visible to other users: prefer the environment or stdin)" },
      settings,
      "security-file": securityFile,
      "maven-reads-security-file": mavenReadsSecurityFile,
      verify: { type: "boolean", default: true, describe: "request a token with the new secret before writing (--no-verify to skip)" },
      ...connection,
      ...regionFromPom("the control plane of ./pom.xml's Exchange repositories of the servers it updates, else us"),
      ...preview,
      yes: { type: "boolean", alias: "y", default: false, describe: "ask nothing" },
      "non-interactive": { type: "boolean", default: false, describe: "never prompt; missing input is an error (also when CI is set or there is no terminal)" },
      ...output,
    },
    examples: [
      ["ANYPOINT_CLIENT_SECRET=... $0 rotate --client-id 0123abcd", "check the new secret, then update every server of that app"],
      ["$0 rotate --client-id 0123abcd --dry-run", "show which servers would change, write nothing"],
    ],
  },
  {
    name: "completion",
    describe: "print a bash or zsh completion script (add it to your shell's rc file)",
    edits: false,
    positional: { name: "shell", describe: "the shell (without it: zsh when $SHELL is zsh, else bash)", required: false, choices: ["bash", "zsh"] },
    options: {},
    examples: [
      ["$0 completion bash >> ~/.bashrc", "complete commands, options and choices in bash"],
      ["$0 completion zsh >> ~/.zshrc", "the same in zsh (after compinit)"],
    ],
  },
];

/** Setup's options that exec does not take: it writes no file of the user's, prints on stderr, and never asks. */
const NOT_FOR_EXEC = new Set(["dry-run", "stdout", "lock-timeout", "json", "yes", "non-interactive"]);

// exec takes setup's options, so it is made from setup's entry, and listed after it.
COMMANDS.splice(1, 0, {
  name: "exec",
  describe: "run a command (mvn, ./mvnw, mvnd) with a private copy of settings.xml that holds the server, removed when the command ends; ~/.m2 is not written",
  rest: "COMMAND [ARGS...]",
  edits: false,
  options: Object.fromEntries(Object.entries(COMMANDS[0]!.options).filter(([name]) => !NOT_FOR_EXEC.has(name))),
  examples: [
    ["ANYPOINT_CLIENT_SECRET=... $0 exec --client-id 0123abcd -- mvn deploy", "check the credentials, then run Maven with them; nothing left on disk"],
    ["$0 exec --from-pom -- ./mvnw -B verify", "the pom's Exchange server ids, through the project's Maven Wrapper"],
    ["$0 exec -- sh -c 'mvn -s \"$ANYPOINT_M2_SETTINGS\" deploy'", "another command finds the file's path in ANYPOINT_M2_SETTINGS"],
  ],
});

/** The command line a command is written as in help: `remove <id>`, `completion [shell]`. */
export function usageOf(spec: CommandSpec): string {
  const p = spec.positional;
  if (spec.rest) return `${spec.name} [options] -- ${spec.rest}`;
  return p ? `${spec.name} ${p.required ? `<${p.name}>` : `[${p.name}]`}` : spec.name;
}

/** Each exit code, and the commands that can end with it (none named: every command). */
const EXITS: [code: number, meaning: string, commands?: CommandSpec["name"][]][] = [
  [0, "done"],
  [1, "unexpected failure"],
  [2, "usage error or missing input"],
  [3, "credentials rejected by Anypoint", ["setup", "exec", "verify", "doctor", "rotate"]],
  [4, "Anypoint unreachable or answered unexpectedly", ["setup", "exec", "verify", "doctor", "rotate"]],
  [5, "settings file cannot be edited safely (nothing written)", ["setup", "exec", "verify", "list", "remove", "rotate"]],
  [6, "file could not be written (permissions, lock)", ["setup", "exec", "remove", "rotate"]],
  [7, "doctor found at least one error", ["doctor"]],
  [8, "rotate could not compare a copy, which may still hold the old secret", ["rotate"]],
  [9, "verify --exchange: Exchange's Maven facade did not accept the credentials", ["verify"]],
  [126, "exec: the command could not be run", ["exec"]],
  [127, "exec: the command was not found", ["exec"]],
  [130, "cancelled by the user"],
];

/** The exit codes `command` can end with (all of them for the general help), as help lists them. */
export function exitCodes(command?: CommandSpec["name"]): string {
  const lines = EXITS.filter(([, , commands]) => !command || !commands || commands.includes(command));
  const own = !command || command === "exec" ? ["       (otherwise exec exits with the command's own code, 128+n when signal n ended it)"] : [];
  return `Exit codes:\n${[...lines.map(([code, meaning]) => `  ${String(code).padEnd(5)}${meaning}`), ...own].join("\n")}`;
}

export const EXIT_CODES = exitCodes();

/** "client-id" -> "clientId", the key commands read. */
export const camel = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
