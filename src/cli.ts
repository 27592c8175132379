/**
 * The command line: parses arguments, runs a command, prints its result. The only place that sets the exit
 * code and prints errors. Heavy modules (network, prompts) are imported by the commands that need them.
 */
import yargs, { type Argv } from "yargs";
import { Exit, M2Error } from "./errors";
import type { Io } from "./commands/io";

const EXIT_CODES = `Exit codes:
  0    done
  1    unexpected failure
  2    usage error or missing input
  3    credentials rejected by Anypoint
  4    Anypoint unreachable or answered unexpectedly
  5    settings file cannot be edited safely (nothing written)
  6    file could not be written (permissions, lock)
  130  cancelled by the user`;

const settingsOption = {
  type: "string",
  describe: "Maven settings file to edit",
  defaultDescription: "~/.m2/settings.xml",
  normalize: false,
} as const;
const jsonOption = { type: "boolean", describe: "print one JSON object on stdout", default: false } as const;

function parser(argv: string[], io: Io): Argv {
  return yargs(argv)
    .scriptName("anypoint-m2")
    .usage("$0 <command> [options]\n\nPut an Anypoint Exchange connected app's credentials into Maven's settings.xml.")
    .command(
      "setup",
      "add or update the Exchange <server> in settings.xml",
      (y) =>
        y
          .option("client-id", { type: "string", describe: "connected app client ID [env: ANYPOINT_CLIENT_ID]" })
          .option("client-secret-stdin", { type: "boolean", describe: "read the client secret from stdin [else env: ANYPOINT_CLIENT_SECRET]" })
          .option("server-id", { type: "string", default: "anypoint-exchange-v3", describe: "<server> id; must match the repository id in your pom" })
          .option("settings", settingsOption)
          .option("on-existing", { choices: ["update", "keep", "fail"] as const, default: "update" as const, describe: "what to do when the server id exists" })
          .option("verify", { type: "boolean", default: true, describe: "request a token before writing (--no-verify to skip)" })
          .option("base-url", { type: "string", describe: "Anypoint control plane URL [env: ANYPOINT_BASE_URL]", defaultDescription: "https://anypoint.mulesoft.com" })
          .option("timeout", { type: "number", default: 10, describe: "seconds to wait for Anypoint" })
          .option("yes", { type: "boolean", alias: "y", default: false, describe: "do not ask for confirmation" })
          .option("json", jsonOption)
          .example("ANYPOINT_CLIENT_SECRET=... $0 setup --client-id 0123abcd... --no-verify", "write the server without checking the credentials")
          .example("printf %s \"$SECRET\" | $0 setup --client-id 0123abcd... --client-secret-stdin --yes", "read the secret from stdin"),
      async (args) => {
        const { setup } = await import("./commands/setup");
        await setup(args, io);
      },
    )
    .command(
      "list",
      "list the servers in settings.xml (never their passwords)",
      (y) => y.option("settings", settingsOption).option("json", jsonOption).example("$0 list --json", "machine-readable list"),
      async (args) => {
        const { list } = await import("./commands/list");
        await list(args, io);
      },
    )
    .command(
      "remove <id>",
      "remove the server(s) with this id from settings.xml",
      (y) =>
        y
          .positional("id", { type: "string", demandOption: true, describe: "server id" })
          .option("settings", settingsOption)
          .option("json", jsonOption)
          .example("$0 remove anypoint-exchange-v3", "remove the default server"),
      async (args) => {
        const { remove } = await import("./commands/remove");
        await remove(args, io);
      },
    )
    .demandCommand(1, "Name a command: setup, list or remove.")
    .strict()
    .epilogue(EXIT_CODES)
    .help()
    .alias("help", "h")
    .version()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new M2Error(Exit.usage, message);
    });
}

function describe(error: M2Error): string {
  const { file, line, column, hint } = error.details;
  const where = file ? `${file}${line ? `:${line}${column ? `:${column}` : ""}` : ""}: ` : line ? `line ${line}${column ? `, column ${column}` : ""}: ` : "";
  let text = `anypoint-m2: ${where}${error.message}`;
  if (hint) text += `\n  ${hint}`;
  if (error.exitCode === Exit.unsafe) text += "\n  Nothing was written.";
  return text;
}

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    await parser(argv, io).parseAsync();
    return io.exitCode ?? Exit.ok;
  } catch (error) {
    if (error instanceof M2Error) {
      io.stderr(describe(error));
      return error.exitCode;
    }
    io.stderr(`anypoint-m2: unexpected failure: ${(error as Error)?.message ?? String(error)}`);
    if (io.env.DEBUG) io.stderr(String((error as Error)?.stack));
    return Exit.unexpected;
  }
}
