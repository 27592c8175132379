/**
 * The commands and their options, declared once: yargs builds help, completion and error messages from
 * this table, and the fast path parses ordinary invocations with it without loading yargs.
 */
export interface OptionSpec {
  type: "string" | "boolean" | "number";
  describe: string;
  default?: string | boolean | number;
  defaultDescription?: string;
  choices?: readonly string[];
  alias?: string;
  /** A string option that `--no-<name>` turns off (its value is then false). */
  negatable?: boolean;
}

export interface CommandSpec {
  name: "setup" | "verify" | "list" | "remove";
  describe: string;
  positional?: { name: string; describe: string };
  options: Record<string, OptionSpec>;
  examples: [string, string][];
}

const settings: OptionSpec = { type: "string", describe: "Maven settings file", defaultDescription: "~/.m2/settings.xml" };
const serverId: OptionSpec = { type: "string", describe: "<server> id; must match the repository id in your pom.xml", defaultDescription: "anypoint-exchange-v3" };

/** How results are printed; every command has these. */
const output: Record<string, OptionSpec> = {
  json: { type: "boolean", describe: "print one JSON object on stdout", default: false },
  quiet: { type: "boolean", alias: "q", describe: "print nothing but errors", default: false },
  verbose: { type: "boolean", describe: "print diagnostics on stderr (never secrets) [env: DEBUG]", default: false },
};

/** Previews and waiting, for the commands that edit. */
const preview: Record<string, OptionSpec> = {
  "lock-timeout": { type: "number", default: 10, describe: "seconds to wait while another run edits the same file" },
  "dry-run": { type: "boolean", describe: "print the change as a diff (secrets masked), write nothing", default: false },
  stdout: { type: "boolean", describe: "print the resulting settings.xml instead of writing it", default: false },
};

/** Where Anypoint is, how long to wait for it, and the env file. */
const connection: Record<string, OptionSpec> = {
  region: { type: "string", choices: ["us", "eu", "gov", "ca", "jp"], describe: "Anypoint control plane region", defaultDescription: "us" },
  host: { type: "string", describe: "control plane host name, e.g. eu1.anypoint.mulesoft.com [env: ANYPOINT_HOST]" },
  "base-url": { type: "string", describe: "control plane URL, for private endpoints [env: ANYPOINT_BASE_URL]" },
  timeout: { type: "number", default: 10, describe: "seconds to wait for each request to Anypoint" },
  "env-file": { type: "string", negatable: true, describe: "read variables from this file (--no-env-file: none)", defaultDescription: "./.env when it exists" },
};

export const COMMANDS: CommandSpec[] = [
  {
    name: "setup",
    describe: "check the connected app's credentials, then add or update its <server> in settings.xml",
    options: {
      "client-id": { type: "string", describe: "connected app client ID [env: ANYPOINT_CLIENT_ID]" },
      "client-secret-stdin": { type: "boolean", describe: "read the client secret from stdin [else env: ANYPOINT_CLIENT_SECRET]" },
      "client-secret": { type: "string", describe: "the client secret (visible to other users: prefer the environment or stdin)" },
      "server-id": serverId,
      settings,
      "on-existing": { type: "string", choices: ["update", "keep", "fail"], describe: "what to do when the server id already exists", defaultDescription: "update" },
      verify: { type: "boolean", default: true, describe: "request a token before writing (--no-verify to skip)" },
      ...connection,
      ...preview,
      yes: { type: "boolean", alias: "y", default: false, describe: "ask nothing: take the defaults and write" },
      "non-interactive": { type: "boolean", default: false, describe: "never prompt; missing input is an error (also when CI is set or there is no terminal)" },
      ...output,
    },
    examples: [
      ["ANYPOINT_CLIENT_SECRET=... $0 setup --client-id 0123abcd", "check the credentials, then write the server"],
      ["$0 setup --region eu --env-file ci.env", "credentials from ci.env, control plane in the EU"],
      ["$0 setup --dry-run", "show the change as a diff, write nothing"],
      ["$0 setup --no-verify --yes --stdout > settings.xml", "Dockerfile: print the resulting file"],
      ['printf %s "$SECRET" | $0 setup --client-id 0123abcd --client-secret-stdin --no-verify --yes', "offline image build: secret from stdin, no check"],
    ],
  },
  {
    name: "verify",
    describe: "check the credentials stored in settings.xml with Anypoint again",
    options: { "server-id": serverId, settings, ...connection, ...output },
    examples: [["$0 verify --server-id anypoint-exchange-v3", "does the stored connected app still get a token?"]],
  },
  {
    name: "list",
    describe: "list the servers in settings.xml (never their passwords)",
    options: { settings, ...output },
    examples: [["$0 list --json", "machine-readable list"]],
  },
  {
    name: "remove",
    describe: "remove the server(s) with this id from settings.xml",
    positional: { name: "id", describe: "server id" },
    options: { settings, ...preview, ...output },
    examples: [
      ["$0 remove anypoint-exchange-v3", "remove the default server"],
      ["$0 remove old-exchange --dry-run", "show what would be removed"],
    ],
  },
];

export const EXIT_CODES = `Exit codes:
  0    done
  1    unexpected failure
  2    usage error or missing input
  3    credentials rejected by Anypoint
  4    Anypoint unreachable or answered unexpectedly
  5    settings file cannot be edited safely (nothing written)
  6    file could not be written (permissions, lock)
  130  cancelled by the user`;

/** "client-id" -> "clientId", the key commands read. */
export const camel = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
