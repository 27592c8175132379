// One way to read arguments: every argument list goes through node:util (the fast path) and through yargs,
// and both must come to the same outcome, by the one option table and the one validate step.
import { describe, expect, it } from "vitest";
import { M2Error } from "../src/errors";
import { fastParse } from "../src/cli/fast";
import { yargsParse } from "../src/cli/yargs";

type Outcome = { command: string; args: Record<string, unknown> } | { exit: number; message: string } | "deferred";

async function outcome(parse: () => unknown): Promise<Outcome> {
  try {
    const invocation = (await parse()) as { command: string; args: Record<string, unknown> } | undefined;
    return invocation ?? "deferred";
  } catch (e) {
    if (!(e instanceof M2Error)) throw e;
    return { exit: e.exitCode, message: e.message };
  }
}

interface Row {
  argv: string[];
  /** Arguments the command gets (a subset), or the start of the usage error (exit 2). */
  want: Record<string, unknown> | string;
  /** node:util cannot read it (an option-like value, an unknown option): yargs decides alone. */
  defers?: true;
}

const TIMEOUT = "--timeout takes seconds, a whole number from 1 to 600";
const LOCK = "--lock-timeout takes seconds, a number from 0 to 600";

const ROWS: Row[] = [
  // Accepted, with the same arguments.
  { argv: ["setup"], want: { timeout: 10, lockTimeout: 10, verify: true, yes: false, json: false, clientId: undefined, region: undefined } },
  { argv: ["setup", "--timeout", "30"], want: { timeout: 30 } },
  { argv: ["setup", "--timeout=30"], want: { timeout: 30 } },
  { argv: ["setup", "--timeout", " 5"], want: { timeout: 5 } },
  { argv: ["setup", "--lock-timeout", "0.5"], want: { lockTimeout: 0.5 } },
  { argv: ["setup", "--lock-timeout", "0"], want: { lockTimeout: 0 } },
  { argv: ["setup", "--region", "EU"], want: { region: "eu" } },
  { argv: ["setup", "--on-existing", "Keep"], want: { onExisting: "keep" } },
  { argv: ["setup", "-yq"], want: { yes: true, quiet: true } },
  { argv: ["setup", "-y", "-q"], want: { yes: true, quiet: true } },
  { argv: ["setup", "--yes", "--yes", "-y"], want: { yes: true } },
  { argv: ["setup", "--verify", "--no-verify"], want: { verify: false } },
  { argv: ["setup", "--no-verify", "--verify"], want: { verify: true } },
  { argv: ["setup", "--no-yes"], want: { yes: false } },
  { argv: ["setup", "--no-env-file"], want: { envFile: false } },
  { argv: ["setup", "--env-file", "ci.env"], want: { envFile: "ci.env" } },
  { argv: ["setup", "--client-id", "abc", "--server-id=-dash"], want: { clientId: "abc", serverId: ["-dash"] } },
  { argv: ["setup", "--server-id", "-5"], want: '--server-id needs a value; the word after it starts with "-" and is not shown' },
  { argv: ["setup", "--server-id", "a", "--server-id=b", "--server-id", "a"], want: { serverId: ["a", "b"] } },
  { argv: ["doctor", "--offline", "--pom", "app/pom.xml"], want: { offline: true, pom: "app/pom.xml" } },
  { argv: ["verify", "--region", "jp", "--timeout", "600"], want: { region: "jp", timeout: 600 } },
  { argv: ["list", "--settings", "/tmp/s.xml", "--json"], want: { settings: "/tmp/s.xml", json: true } },
  { argv: ["remove", "my-id"], want: { id: "my-id", dryRun: false } },
  { argv: ["remove", "--dry-run", "my-id"], want: { id: "my-id", dryRun: true } },
  { argv: ["remove", "123"], want: { id: "123" } },
  { argv: ["remove", "--", "-odd-id"], want: { id: "-odd-id" } },
  { argv: ["remove", "--", "--json"], want: { id: "--json", json: false } },
  { argv: ["completion"], want: { shell: undefined } },
  { argv: ["completion", "ZSH"], want: { shell: "zsh" } },

  // Refused with exit 2 and a message naming the option.
  { argv: ["setup", "--timeout", "abc"], want: `${TIMEOUT} (got "abc")` },
  { argv: ["setup", "--timeout", "-1"], want: `${TIMEOUT} (got "-1")`, defers: true },
  { argv: ["setup", "--timeout=-1"], want: `${TIMEOUT} (got "-1")` },
  { argv: ["setup", "--timeout", "1e9"], want: `${TIMEOUT} (got "1e9")` },
  { argv: ["setup", "--timeout", "0"], want: `${TIMEOUT} (got "0")` },
  { argv: ["setup", "--timeout", "1.5"], want: `${TIMEOUT} (got "1.5")` },
  { argv: ["setup", "--timeout", "601"], want: `${TIMEOUT} (got "601")` },
  { argv: ["setup", "--timeout", "0x10"], want: `${TIMEOUT} (got "0x10")` },
  { argv: ["setup", "--timeout", "Infinity"], want: `${TIMEOUT} (got "Infinity")` },
  { argv: ["setup", "--timeout="], want: `${TIMEOUT} (got "")` },
  { argv: ["setup", "--timeout"], want: `${TIMEOUT} (got "")`, defers: true },
  { argv: ["setup", "--lock-timeout", "abc"], want: `${LOCK} (got "abc")` },
  { argv: ["remove", "x", "--lock-timeout", "1e3"], want: `${LOCK} (got "1e3")` },
  { argv: ["setup", "--client-id", "a", "--client-id", "b"], want: "--client-id was given 2 times; it takes one value" },
  { argv: ["setup", "--client-id", "a", "--client-id", "b", "--timeout", "abc"], want: "--client-id was given 2 times" },
  { argv: ["setup", "--client-id", "a", "--client-id", "b", "--bogus"], want: "unknown option for setup: --bogus", defers: true },
  { argv: ["setup", "--timeout", "5", "--timeout=5"], want: "--timeout was given 2 times" },
  { argv: ["setup", "--no-env-file", "--env-file", "x"], want: "--env-file (or --no-env-file) was given 2 times" },
  { argv: ["setup", "--no-env-file", "--no-env-file"], want: "--env-file (or --no-env-file) was given 2 times" },
  { argv: ["setup", "--region", "mars"], want: '--region takes one of us, eu, gov, ca, jp (got "mars")' },
  { argv: ["setup", "--on-existing", ""], want: "--on-existing needs a value" },
  { argv: ["setup", "--client-id", ""], want: "--client-id needs a value" },
  { argv: ["setup", "--settings", ""], want: "--settings needs a value" },
  { argv: ["list", "--settings"], want: "--settings needs a value", defers: true },
  { argv: ["list", "--settings", "--json"], want: "--settings needs a value", defers: true },
  { argv: ["setup", "--verify=false"], want: "--verify takes no value" },
  { argv: ["setup", "--no-verify=false"], want: "--no-verify takes no value" },
  { argv: ["setup", "--no-env-file=x"], want: "--no-env-file takes no value" },
  { argv: ["setup", "--yes", "false"], want: '--yes takes no value (found "false" after it)' },
  { argv: ["setup", "-y", "true"], want: '-y takes no value (found "true" after it)' },
  { argv: ["remove", "--dry-run", "true"], want: '--dry-run takes no value (found "true" after it)' },
  { argv: ["setup", "--y"], want: "unknown option --y" },
  { argv: ["setup", "--no-q"], want: "unknown option --no-q" },
  { argv: ["setup", "--no-settings"], want: "unknown option --no-settings", defers: true },
  { argv: ["setup", "--clientId", "x"], want: "unknown option for setup: --clientId (did you mean --client-id?)", defers: true },
  { argv: ["setup", "--dryrun"], want: "unknown option for setup: --dryrun (did you mean --dry-run?)", defers: true },
  { argv: ["list", "--on-existing", "keep"], want: "unknown option for list: --on-existing (an option of setup)", defers: true },
  { argv: ["remove", "-odd-id"], want: "unknown options for remove: -o, -d", defers: true },
  { argv: ["setup", "--client-id", "-abc"], want: '--client-id needs a value; the word after it starts with "-" and is not shown' },
  { argv: ["setup", "--client-secret", "-S3cretValue"], want: '--client-secret needs a value; the word after it starts with "-" and is not shown' },
  { argv: ["setup", "--client-secret=-S3cretValue", "--no-verify"], want: { clientSecret: "-S3cretValue", verify: false } },
  { argv: ["setup", "stray"], want: "setup takes only options, but another word was given" },
  { argv: ["list", "--", "a", "b"], want: "list takes only options, but 2 other words were given" },
  { argv: ["remove"], want: "remove needs the id of the server to remove: anypoint-m2 remove <id>" },
  { argv: ["remove", "--json"], want: "remove needs the id of the server to remove" },
  { argv: ["remove", ""], want: "remove needs the id of the server to remove" },
  { argv: ["remove", "a", "b"], want: "remove takes one <id>, but 2 were given" },
  { argv: ["completion", "fish"], want: 'completion takes one of bash, zsh (got "fish")' },
  { argv: ["completion", "bash", "zsh"], want: "completion takes one <shell>, but 2 were given" },
  { argv: ["lst"], want: 'unknown command "lst"; did you mean "list"?', defers: true },
  { argv: ["REMOVE", "x"], want: 'unknown command "REMOVE"; did you mean "remove"?', defers: true },
  { argv: ["frobnicate"], want: 'unknown command "frobnicate"', defers: true },
];

describe("both parsers", () => {
  it.each(ROWS)("$argv", async ({ argv, want, defers }) => {
    const viaYargs = await outcome(() => yargsParse(argv, 100));
    const viaFast = await outcome(() => fastParse(argv));
    if (typeof want === "string") {
      expect(viaYargs).toMatchObject({ exit: 2 });
      expect((viaYargs as { message: string }).message.startsWith(want)).toBe(true);
    } else {
      expect(viaYargs).toMatchObject({ command: argv[0], args: want });
    }
    expect(viaFast).toEqual(defers ? "deferred" : viaYargs);
  });

  it("never repeat a word that could be a secret typed in the wrong place", async () => {
    const secret = "s3cr3t-Value";
    const lists = [
      ["setup", "--client-secret-stdin", secret],
      ["setup", "--client-secret", "a", "--client-secret", secret],
      ["setup", "--client-secret", secret, `--client-secret=${secret}`],
      ["remove", "a", secret],
    ];
    for (const argv of lists) {
      for (const parse of [() => fastParse(argv), () => yargsParse(argv, 100)]) {
        const o = await outcome(parse);
        expect(o).toMatchObject({ exit: 2 });
        expect(JSON.stringify(o)).not.toContain(secret);
      }
    }
  });
});
