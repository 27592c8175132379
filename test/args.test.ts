// The one reader of a command line (src/cli/read.ts): every argument list is read once, by the option
// table, into the command's arguments, a request for help or the version, or a usage error (exit 2)
// that names the option.
import { describe, expect, it } from "vitest";
import { M2Error } from "../src/errors";
import { read, scan } from "../src/cli/read";
import { COMMANDS } from "../src/cli/spec";

type Outcome = ReturnType<typeof read> | { exit: number; message: string; hint?: string };

function outcome(argv: string[]): Outcome {
  try {
    return read(argv);
  } catch (e) {
    if (!(e instanceof M2Error)) throw e;
    return { exit: e.exitCode, message: e.message, hint: e.details.hint };
  }
}

interface Row {
  argv: string[];
  /** Arguments the command gets (a subset), or the start of the usage error (exit 2). */
  want: Record<string, unknown> | string;
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
  { argv: ["setup", "--timeout", "-1"], want: `${TIMEOUT} (got "-1")` },
  { argv: ["setup", "--timeout=-1"], want: `${TIMEOUT} (got "-1")` },
  { argv: ["setup", "--timeout", "1e9"], want: `${TIMEOUT} (got "1e9")` },
  { argv: ["setup", "--timeout", "0"], want: `${TIMEOUT} (got "0")` },
  { argv: ["setup", "--timeout", "1.5"], want: `${TIMEOUT} (got "1.5")` },
  { argv: ["setup", "--timeout", "601"], want: `${TIMEOUT} (got "601")` },
  { argv: ["setup", "--timeout", "0x10"], want: `${TIMEOUT} (got "0x10")` },
  { argv: ["setup", "--timeout", "Infinity"], want: `${TIMEOUT} (got "Infinity")` },
  { argv: ["setup", "--timeout="], want: `${TIMEOUT} (got "")` },
  { argv: ["setup", "--timeout"], want: `${TIMEOUT} (got "")` },
  { argv: ["setup", "--lock-timeout", "abc"], want: `${LOCK} (got "abc")` },
  { argv: ["remove", "x", "--lock-timeout", "1e3"], want: `${LOCK} (got "1e3")` },
  { argv: ["setup", "--client-id", "a", "--client-id", "b"], want: "--client-id was given 2 times; it takes one value" },
  { argv: ["setup", "--client-id", "a", "--client-id", "b", "--timeout", "abc"], want: "--client-id was given 2 times" },
  { argv: ["setup", "--client-id", "a", "--client-id", "b", "--bogus"], want: "unknown option for setup: --bogus" },
  { argv: ["setup", "--timeout", "5", "--timeout=5"], want: "--timeout was given 2 times" },
  { argv: ["setup", "--no-env-file", "--env-file", "x"], want: "--env-file (or --no-env-file) was given 2 times" },
  { argv: ["setup", "--no-env-file", "--no-env-file"], want: "--env-file (or --no-env-file) was given 2 times" },
  { argv: ["setup", "--region", "mars"], want: '--region takes one of us, eu, gov, ca, jp (got "mars")' },
  { argv: ["setup", "--region", "eu1"], want: '--region takes one of us, eu, gov, ca, jp (got "eu1"); did you mean eu?' },
  { argv: ["verify", "--region", "US1"], want: '--region takes one of us, eu, gov, ca, jp (got "US1"); did you mean us?' },
  { argv: ["doctor", "--region", "Canada"], want: '--region takes one of us, eu, gov, ca, jp (got "Canada"); did you mean ca?' },
  { argv: ["setup", "--region", "japan"], want: '--region takes one of us, eu, gov, ca, jp (got "japan"); did you mean jp?' },
  { argv: ["setup", "--on-existing", "updat"], want: '--on-existing takes one of update, keep, fail (got "updat"); did you mean update?' },
  { argv: ["setup", "--on-existing", ""], want: "--on-existing needs a value" },
  { argv: ["setup", "--client-id", ""], want: "--client-id needs a value" },
  { argv: ["setup", "--settings", ""], want: "--settings needs a value" },
  { argv: ["list", "--settings"], want: "--settings needs a value" },
  { argv: ["list", "--settings", "--json"], want: "--settings needs a value" },
  { argv: ["setup", "--verify=false"], want: "--verify takes no value" },
  { argv: ["setup", "--no-verify=false"], want: "--no-verify takes no value" },
  { argv: ["setup", "--no-env-file=x"], want: "--no-env-file takes no value" },
  { argv: ["setup", "--yes", "false"], want: '--yes takes no value (found "false" after it)' },
  { argv: ["setup", "-y", "true"], want: '-y takes no value (found "true" after it)' },
  { argv: ["remove", "--dry-run", "true"], want: '--dry-run takes no value (found "true" after it)' },
  { argv: ["setup", "--y"], want: "unknown option --y" },
  { argv: ["setup", "--no-q"], want: "unknown option --no-q" },
  { argv: ["setup", "--no-settings"], want: "unknown option --no-settings" },
  { argv: ["setup", "--clientId", "x"], want: "unknown option for setup: --clientId (did you mean --client-id?)" },
  { argv: ["setup", "--dryrun"], want: "unknown option for setup: --dryrun (did you mean --dry-run?)" },
  { argv: ["list", "--on-existing", "keep"], want: "unknown option for list: --on-existing (an option of setup)" },
  // Only the first letter that is no switch is named: the word may be a secret typed in the wrong place.
  { argv: ["remove", "-odd-id"], want: "unknown option for remove: -o" },
  { argv: ["remove", "-5"], want: "unknown option for remove: -5" },
  { argv: ["setup", "-yz"], want: "unknown option for setup: -z" },
  { argv: ["list", "--bogus", "--other", "--bogus"], want: "unknown options for list: --bogus, --other" },
  { argv: ["setup", "--timeout", "-1"], want: `${TIMEOUT} (got "-1")` },
  { argv: ["setup", "--timeout", "--json"], want: `${TIMEOUT} (got "")` },
  { argv: ["setup", "--client-id", "-y"], want: "--client-id needs a value" },
  { argv: ["list", "--security-file", "-q"], want: "--security-file needs a value" },
  { argv: ["setup", "--h"], want: "unknown option --h" },
  { argv: ["setup", "--help=x"], want: "--help takes no value" },
  { argv: ["list", "--version=1"], want: "--version takes no value" },
  { argv: ["setup", "--no-yes", "false"], want: "setup takes only options, but another word was given" },
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
  { argv: ["lst"], want: 'unknown command "lst"; did you mean "list"?' },
  { argv: ["REMOVE", "x"], want: 'unknown command "REMOVE"; did you mean "remove"?' },
  { argv: ["frobnicate"], want: 'unknown command "frobnicate"' },
];

describe("the reader", () => {
  it("has cases", () => expect(ROWS.length).toBeGreaterThan(80));

  it.each(ROWS)("$argv", ({ argv, want }) => {
    const o = outcome(argv);
    if (typeof want === "string") {
      expect(o).toMatchObject({ exit: 2 });
      expect((o as { message: string }).message.startsWith(want), (o as { message: string }).message).toBe(true);
    } else {
      expect(o).toMatchObject({ command: argv[0], args: want });
    }
  });

  it("reads help and the version wherever they are asked for, help first, and nothing after --", () => {
    const setup = COMMANDS.find((c) => c.name === "setup");
    expect(read(["--help"])).toEqual({ help: undefined });
    expect(read(["-h", "--json"])).toEqual({ help: undefined });
    expect(read(["--help", "setup"])).toEqual({ help: setup });
    expect(read(["setup", "-yh"])).toEqual({ help: setup });
    expect(read(["setup", "--settings", "--help"])).toEqual({ help: setup });
    // Help is asked for: the mistakes on the line are what it is for.
    expect(read(["setup", "--bogus", "--timeout", "abc", "--help"])).toEqual({ help: setup });
    expect(read(["setup", "--verify=false", "-h"])).toEqual({ help: setup });
    expect(read(["--version"])).toEqual({ version: true });
    expect(read(["list", "--version"])).toEqual({ version: true });
    expect(read(["--version", "--help"])).toEqual({ help: undefined });
    expect(read(["remove", "--", "--help"])).toMatchObject({ command: "remove", args: { id: "--help" } });
    expect(read(["list", "--settings=--help"])).toMatchObject({ command: "list", args: { settings: "--help" } });
  });

  it("reads no command when only options are given (main starts the wizard, or asks for one)", () => {
    for (const argv of [[], ["--json"], ["--no-verify", "--settings", "s.xml"], ["-q", "list"], ["--", "list"], ["-"]]) expect(read(argv), argv.join(" ")).toBeUndefined();
  });

  it("names a positional that starts with - as going after -- only where one can", () => {
    expect(outcome(["remove", "-x"])).toMatchObject({ hint: expect.stringContaining("anypoint-m2 remove -- -ID") });
    expect(outcome(["completion", "-q"])).toMatchObject({ hint: 'A value that starts with "-" is written --option=-value. See anypoint-m2 completion --help.' });
    expect(outcome(["list", "--bogus"])).toMatchObject({ hint: "See anypoint-m2 list --help." });
  });

  it("scans each word once, for completion as for the reader", () => {
    const setup = COMMANDS.find((c) => c.name === "setup")!;
    expect(scan(setup, ["--region", "EU", "-yq", "--no-env-file", "--settings", "--json", "x", "--", "-y"])).toEqual([
      { kind: "option", name: "region", value: "EU" },
      { kind: "option", name: "yes", value: true },
      { kind: "option", name: "quiet", value: true },
      { kind: "option", name: "env-file", value: false },
      { kind: "option", name: "settings", value: undefined },
      { kind: "option", name: "json", value: true },
      { kind: "argument", word: "x" },
      { kind: "argument", word: "-y" },
    ]);
    // The secret-looking word is taken with its option, so not read again as options of its own.
    expect(scan(setup, ["--client-secret", "-S3cret", "--json"]).map((t) => t.kind)).toEqual(["refused", "option"]);
  });

  it("never repeat a word that could be a secret typed in the wrong place", () => {
    const secret = "s3cr3t-Value";
    const lists = [
      ["setup", "--client-secret-stdin", secret],
      ["setup", "--client-secret", "a", "--client-secret", secret],
      ["setup", "--client-secret", secret, `--client-secret=${secret}`],
      ["setup", "--client-secret", `-${secret}`],
      ["setup", `-${secret}`],
      ["remove", "a", secret],
    ];
    for (const argv of lists) {
      const o = outcome(argv);
      expect(o).toMatchObject({ exit: 2 });
      expect(JSON.stringify(o)).not.toContain(secret);
    }
  });
});
