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
}

export interface CommandSpec {
  name: "setup" | "list" | "remove";
  describe: string;
  positional?: { name: string; describe: string };
  options: Record<string, OptionSpec>;
  examples: [string, string][];
}

const settings: OptionSpec = { type: "string", describe: "Maven settings file to edit", defaultDescription: "~/.m2/settings.xml" };
const json: OptionSpec = { type: "boolean", describe: "print one JSON object on stdout", default: false };

export const COMMANDS: CommandSpec[] = [
  {
    name: "setup",
    describe: "add or update the Exchange <server> in settings.xml",
    options: {
      "client-id": { type: "string", describe: "connected app client ID [env: ANYPOINT_CLIENT_ID]" },
      "client-secret-stdin": { type: "boolean", describe: "read the client secret from stdin [else env: ANYPOINT_CLIENT_SECRET]" },
      "server-id": { type: "string", default: "anypoint-exchange-v3", describe: "<server> id; must match the repository id in your pom.xml" },
      settings,
      "on-existing": { type: "string", choices: ["update", "keep", "fail"], default: "update", describe: "what to do when the server id already exists" },
      verify: { type: "boolean", default: true, describe: "request a token before writing (--no-verify to skip)" },
      "base-url": { type: "string", describe: "Anypoint control plane URL [env: ANYPOINT_BASE_URL]", defaultDescription: "https://anypoint.mulesoft.com" },
      timeout: { type: "number", default: 10, describe: "seconds to wait for Anypoint" },
      yes: { type: "boolean", alias: "y", default: false, describe: "do not ask for confirmation" },
      json,
    },
    examples: [
      ["ANYPOINT_CLIENT_SECRET=... $0 setup --client-id 0123abcd", "check the credentials, then write the server"],
      ["printf %s \"$SECRET\" | $0 setup --client-id 0123abcd --client-secret-stdin --no-verify --yes", "offline image build: secret from stdin, no check"],
    ],
  },
  {
    name: "list",
    describe: "list the servers in settings.xml (never their passwords)",
    options: { settings, json },
    examples: [["$0 list --json", "machine-readable list"]],
  },
  {
    name: "remove",
    describe: "remove the server(s) with this id from settings.xml",
    positional: { name: "id", describe: "server id" },
    options: { settings, json },
    examples: [["$0 remove anypoint-exchange-v3", "remove the default server"]],
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
