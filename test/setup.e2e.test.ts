// setup's footguns, end to end: output redirected onto the file it edits, someone else's server, a
// secret typed where it shows, values that are not what the user meant, and what the env file supplied.
import { execFileSync, spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { encrypt, MASTER_PASSPHRASE } from "../src/maven/cipher";
import { CLI, cliEnv, run, tempHome } from "./helpers/cli";
import { terminal, type Terminal } from "./helpers/tmux";

const CLIENT_ID = "0123456789abcdef0123456789abcdef";
const SECRET = "Footgun-Secret-4711";
const env = { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET };
const NEXUS = "<settings>\n  <servers>\n    <server>\n      <id>anypoint-exchange-v3</id>\n      <username>deployer</username>\n      <password>nexus-pass</password>\n    </server>\n  </servers>\n</settings>\n";

function homeWithSettings(content: string): { home: string; settings: string } {
  const home = tempHome();
  mkdirSync(join(home, ".m2"));
  const settings = join(home, ".m2", "settings.xml");
  writeFileSync(settings, content);
  return { home, settings };
}

/** Runs the CLI with stdout opened on `file` as a shell's `>` (or `>>`) would. */
function runInto(file: string, flags: "w" | "a", args: string[], home: string): Promise<{ code: number | null; stderr: string }> {
  const fd = openSync(file, flags);
  return new Promise((resolve, reject) => {
    const child = spawn(CLI, args, { cwd: home, env: cliEnv(home, env), stdio: ["ignore", fd, "pipe"] });
    closeSync(fd);
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("setup refuses to write onto its own standard output", () => {
  it("> settings.xml: exit 2, says the shell emptied it and where the backup is, writes nothing", async () => {
    const { home, settings } = homeWithSettings(NEXUS);
    writeFileSync(`${settings}.bak`, NEXUS);
    const r = await runInto(settings, "w", ["setup", "--no-verify", "--yes", "--stdout", "--server-id", "x"], home);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`standard output is ${settings} itself: the shell emptied it`);
    expect(r.stderr).toContain(`${settings}.bak`);
    // Left as the shell left it: not filled from the template.
    expect(readFileSync(settings, "utf8")).toBe("");
    expect(readFileSync(`${settings}.bak`, "utf8")).toBe(NEXUS);
    // Running setup again, as the message says, fills the empty file and keeps the backup: the only copy.
    const again = await run(["setup", "--no-verify", "--yes", "--server-id", "x"], { home, env });
    expect(again.code).toBe(0);
    expect(readFileSync(`${settings}.bak`, "utf8")).toBe(NEXUS);
  });

  it(">> settings.xml, without --stdout: exit 2 and the file unchanged", async () => {
    const { home, settings } = homeWithSettings(NEXUS);
    const r = await runInto(settings, "a", ["setup", "--no-verify", "--yes", "--server-id", "x"], home);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("would be mixed into it");
    expect(r.stderr).toContain("The file is as it was.");
    expect(readFileSync(settings, "utf8")).toBe(NEXUS);
  });

  it("> another file is fine: the result goes there", async () => {
    const { home, settings } = homeWithSettings(NEXUS);
    const out = join(home, "new-settings.xml");
    const r = await runInto(out, "w", ["setup", "--no-verify", "--yes", "--stdout", "--server-id", "x"], home);
    expect(r.code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("<id>x</id>");
    expect(readFileSync(settings, "utf8")).toBe(NEXUS);
  });
});

describe("setup without a terminal and a server that is not a connected app", () => {
  it("refuses to replace its credentials (exit 5), naming the server and its username", async () => {
    const { home, settings } = homeWithSettings(NEXUS);
    const r = await run(["setup", "--no-verify", "--yes"], { home, env });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`${settings}:3: server "anypoint-exchange-v3" is not an Anypoint connected app: its username is "deployer"`);
    expect(r.stderr).toContain("--on-existing update");
    expect(readFileSync(settings, "utf8")).toBe(NEXUS);
    expect(existsSync(`${settings}.bak`)).toBe(false);
  });

  it("replaces them when told to with --on-existing update", async () => {
    const { home, settings } = homeWithSettings(NEXUS);
    const r = await run(["setup", "--no-verify", "--yes", "--on-existing", "update"], { home, env });
    expect(r.code).toBe(0);
    const text = readFileSync(settings, "utf8");
    expect(text).toContain("<username>~~~Client~~~</username>");
    expect(text).toContain(`<password>${CLIENT_ID}~?~${SECRET}</password>`);
  });

  it("updates a connected-app entry without being told", async () => {
    const { home, settings } = homeWithSettings(NEXUS.replace("deployer", "~~~Client~~~").replace("nexus-pass", "old~?~old"));
    const r = await run(["setup", "--no-verify", "--yes"], { home, env });
    expect(r.code).toBe(0);
    expect(readFileSync(settings, "utf8")).toContain(`<password>${CLIENT_ID}~?~${SECRET}</password>`);
  });
});

describe("secrets that are not what the user meant", () => {
  it("refuses a secret piped in that is not valid UTF-8 (exit 2)", async () => {
    const home = tempHome();
    const r = await run(["setup", "--no-verify", "--yes", "--client-id", CLIENT_ID, "--client-secret-stdin", "--settings", join(home, "s.xml")], {
      home,
      input: Buffer.from([0x61, 0x62, 0xff, 0x63]),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("not valid UTF-8");
    expect(existsSync(join(home, "s.xml"))).toBe(false);
  });

  it("refuses a secret from the environment whose bytes were not UTF-8 (exit 2)", async () => {
    const home = tempHome();
    const settings = join(home, "s.xml");
    // The variable is set by a shell from raw bytes, as a CI secret store might.
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const script = `ANYPOINT_CLIENT_SECRET="$(printf 'ab\\377c')" exec "$0" setup --no-verify --yes --client-id ${CLIENT_ID} --settings "$1"`;
      const child = spawn("/bin/sh", ["-c", script, CLI, settings], { cwd: home, env: cliEnv(home), stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr!.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stderr }));
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("ANYPOINT_CLIENT_SECRET holds U+FFFD");
    expect(existsSync(settings)).toBe(false);
  });
});

describe("the env file", () => {
  it("names the variables it supplied (names only) on stderr, and nothing with --quiet", async () => {
    const home = tempHome();
    writeFileSync(join(home, ".env"), `ANYPOINT_CLIENT_SECRET=${SECRET}\nOTHER=1\n`);
    const args = ["setup", "--no-verify", "--yes", "--client-id", CLIENT_ID, "--settings", join(home, "s.xml")];
    const r = await run(args, { home, env: { OTHER: "set-already" } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Read ANYPOINT_CLIENT_SECRET from ${join(home, ".env")}.`);
    expect(r.stderr).not.toContain("OTHER");
    expect(r.stderr + r.stdout).not.toContain(SECRET);
    const quiet = await run([...args, "--quiet"], { home });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe("");
  });
});

describe("--dry-run output", () => {
  it("puts only the patch on stdout and the prose on stderr", async () => {
    const home = tempHome();
    const r = await run(["setup", "--no-verify", "--dry-run", "--settings", join(home, "s.xml")], { home, env });
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(/^--- /);
    expect(r.stdout).not.toContain("Dry run");
    expect(r.stderr).toContain("Dry run: nothing written.");
    expect(r.stderr).toContain("(new file)");
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(existsSync(join(home, "s.xml"))).toBe(false);
  });
});

describe("in a terminal", { tags: ["tmux"] }, () => {
  let open: Terminal | undefined;
  afterEach(() => {
    open?.close();
    open = undefined;
  });

  it("--client-secret-stdin from a terminal is refused before anything is typed (exit 2)", async () => {
    const home = tempHome();
    open = terminal(["setup", "--client-id", CLIENT_ID, "--client-secret-stdin", "--no-verify", "--settings", join(home, "s.xml")], { cwd: home, env: { HOME: home } });
    expect(await open.exited()).toBe(2);
    expect(open.screen()).toContain("leave the flag out to be asked for it hidden");
    expect(existsSync(join(home, "s.xml"))).toBe(false);
  });

  it("a control plane whose Exchange URL is not known: the repositories are not offered, so no answer is lost", async () => {
    const home = tempHome();
    open = terminal(["--base-url", "http://127.0.0.1:9", "--no-verify", "--settings", join(home, "s.xml")], { cwd: home, env: { HOME: home, ...env } });
    await open.waitFor("Server id");
    open.key("Enter");
    await open.waitFor("Store the password as");
    open.key("Enter");
    const screen = await open.waitFor("with this content?");
    expect(screen).toContain("The Exchange repositories are not offered");
    expect(screen).not.toContain("Also add the Exchange and MuleSoft repositories");
    open.key("Enter");
    expect(await open.exited()).toBe(0);
    expect(readFileSync(join(home, "s.xml"), "utf8")).toContain("<id>anypoint-exchange-v3</id>");
  });

  it("options without a command start the wizard with them", async () => {
    const home = tempHome();
    open = terminal(["--no-verify", "--settings", join(home, "s.xml")], { cwd: home, env: { HOME: home, ...env } });
    await open.waitFor("Server id");
    expect(open.screen()).not.toContain("Name a command");
  });

  it("asks before replacing a server that is not a connected app, defaulting to no; no means another id or nothing", async () => {
    const { home, settings } = homeWithSettings(NEXUS);
    open = terminal(["setup", "--no-verify"], { cwd: home, env: { HOME: home, ...env } });
    await open.waitFor("Server id");
    open.key("Enter");
    const asked = await open.waitFor("Replace its credentials?");
    expect(asked).toContain('username deployer, not a connected app, a password written in the file');
    expect(asked).toMatch(/\(y\/N\)/);
    open.key("Enter");
    // Kept: the credentials need another id, or nothing is written, and that is said (exit 130).
    await open.waitFor("Another server id for these credentials");
    open.key("Enter");
    expect(await open.exited()).toBe(130);
    expect(open.screen()).toContain("the credentials entered were not stored");
    expect(readFileSync(settings, "utf8")).toBe(NEXUS);
  });
});

describe("remove refuses to write onto its own standard output", () => {
  it("remove ID --stdout > settings.xml: exit 2, the file as the shell left it", async () => {
    const { home, settings } = homeWithSettings(NEXUS);
    const r = await runInto(settings, "w", ["remove", "anypoint-exchange-v3", "--stdout"], home);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`standard output is ${settings} itself`);
    expect(readFileSync(settings, "utf8")).toBe("");
  });
});

describe("--dry-run on an empty settings.xml", () => {
  it("shows the change from the empty file, not from the template", async () => {
    const { home, settings } = homeWithSettings("\n");
    const r = await run(["setup", "--no-verify", "--dry-run", "--settings", settings], { home, env });
    expect(r.code).toBe(0);
    const body = r.stdout.split("\n").slice(2);
    expect(body[0]).toMatch(/^@@ -1(,1)? \+1,\d+ @@$/);
    // Every line of the new content is added; the template is not shown as if it were already there.
    expect(body.filter((l) => l.startsWith(" "))).toEqual([]);
    expect(body.some((l) => l.startsWith("+<settings"))).toBe(true);
    expect(readFileSync(settings, "utf8")).toBe("\n");
  });
});

describe("./.env that is not a regular file", () => {
  it("a FIFO named .env is not read unasked: exit 2 at once, not a run that blocks", async () => {
    const home = tempHome();
    execFileSync("mkfifo", [join(home, ".env")]);
    const r = await run(["setup", "--no-verify", "--yes", "--settings", join(home, "s.xml")], { home, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(home, ".env")} is not a regular file`);
    expect(existsSync(join(home, "s.xml"))).toBe(false);
  });
});

describe("read-only commands redirected onto the settings file", () => {
  it.each([["list"], ["verify"]])("%s > settings.xml: exit 2, naming the command", async (command) => {
    const { home, settings } = homeWithSettings(NEXUS);
    const r = await runInto(settings, "w", [command], home);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`standard output is ${settings} itself`);
    expect(r.stderr).toContain(`Run ${command} without redirecting`);
    expect(r.stderr).not.toContain("Nothing was written");
  });
});

describe("an empty settings.xml", () => {
  it("--stdout refuses it (exit 5): a pipe back into the file (| tee) empties it first", async () => {
    const { home, settings } = homeWithSettings("");
    const r = await run(["setup", "--no-verify", "--yes", "--stdout"], { home, env });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain("is empty, so --stdout would print a new file from the template");
    expect(r.stdout).toBe("");
    expect(readFileSync(settings, "utf8")).toBe("");
  });

  it("is filled from the template with a warning that says so", async () => {
    const { home, settings } = homeWithSettings("");
    const r = await run(["setup", "--no-verify", "--yes"], { home, env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: ${settings} was empty`);
    expect(readFileSync(settings, "utf8")).toContain("<id>anypoint-exchange-v3</id>");
  });
});

describe("--on-existing keep over an existing server", () => {
  it("says the credentials were not stored, checks nothing, and suggests no pom id", async () => {
    const { home, settings } = homeWithSettings(NEXUS);
    const r = await run(["setup", "--yes", "--on-existing", "keep", "--base-url", "http://127.0.0.1:9"], { home, env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("the connected app's credentials were not stored");
    expect(r.stdout).not.toContain("Next:");
    expect(readFileSync(settings, "utf8")).toBe(NEXUS);
  });
});

describe("--client-secret-stdin with far too much input", () => {
  it("stops reading past 64 KiB: exit 2, nothing written", async () => {
    const home = tempHome();
    const r = await run(["setup", "--no-verify", "--yes", "--client-id", CLIENT_ID, "--client-secret-stdin", "--settings", join(home, "s.xml")], {
      home,
      input: Buffer.alloc(65 * 1024, 0x61),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("more than 64 KiB came on stdin");
    expect(existsSync(join(home, "s.xml"))).toBe(false);
  });
});

describe("standard output that cannot be written", () => {
  it("> /dev/full: exit 1 with a line on stderr, no stack trace", async () => {
    const home = tempHome();
    const r = await runInto("/dev/full", "w", ["setup", "--no-verify", "--yes", "--json", "--settings", join(home, "s.xml")], home);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("could not write to standard output (ENOSPC)");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(home, "s.xml"), "utf8")).toContain("<id>anypoint-exchange-v3</id>");
  });
});

describe("a master password chosen by the project's .mvn/", () => {
  it("--store encrypted refuses -Dsettings.security from .mvn/maven.config (exit 2), unless --security-file names it", async () => {
    const { home, settings } = homeWithSettings("<settings>\n  <servers>\n  </servers>\n</settings>\n");
    const project = join(home, "project");
    mkdirSync(join(project, ".mvn"), { recursive: true });
    writeFileSync(join(project, ".mvn", "maven.config"), `-Dsettings.security=${join(project, "evil-security.xml")}\n`);
    writeFileSync(join(project, "evil-security.xml"), `<settingsSecurity><master>${encrypt("attacker", MASTER_PASSPHRASE)}</master></settingsSecurity>\n`);
    const r = await run(["setup", "--store", "encrypted", "--no-verify", "--yes"], { home, env, cwd: project });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("does not choose the master password your secret is encrypted with");
    expect(readFileSync(settings, "utf8")).not.toContain("<password>");
    const named = await run(["setup", "--store", "encrypted", "--no-verify", "--yes", "--security-file", join(project, "evil-security.xml")], { home, env, cwd: project });
    expect(named.code).toBe(0);
    expect(readFileSync(settings, "utf8")).toMatch(/<password>\{[A-Za-z0-9+/=]+\}<\/password>/);
  });

  /** A project whose .mvn/jvm.config sets user.home to its own fakehome, holding an attacker's security file `name`. */
  function projectHome(name: string): { home: string; settings: string; project: string; security: string } {
    const { home, settings } = homeWithSettings("<settings>\n  <servers>\n  </servers>\n</settings>\n");
    const project = join(home, "project");
    mkdirSync(join(project, ".mvn"), { recursive: true });
    mkdirSync(join(project, "fakehome", ".m2"), { recursive: true });
    writeFileSync(join(project, ".mvn", "jvm.config"), `-Duser.home=${join(project, "fakehome")}\n`);
    const security = join(project, "fakehome", ".m2", name);
    writeFileSync(security, `<settingsSecurity><master>${encrypt("attacker", MASTER_PASSPHRASE)}</master></settingsSecurity>\n`);
    return { home, settings, project, security };
  }

  // jvm.config comes before JAVA_TOOL_OPTIONS' user.home on Maven's command line, so it is the one Maven takes.
  it.each([
    ["the default security file under a -Duser.home from .mvn/jvm.config, even into the user's own --settings", "settings-security.xml", ""],
    ["a -Dsettings.security=~/... of the user's whose ~ is a -Duser.home from .mvn/jvm.config", "sec.xml", "-Dsettings.security=~/.m2/sec.xml"],
  ])("--store encrypted refuses %s", async (_, name, mavenOpts) => {
    const { home, settings, project, security } = projectHome(name);
    const projectEnv = { ...env, MAVEN_OPTS: mavenOpts, JAVA_TOOL_OPTIONS: `-Duser.home=${home}` };
    const r = await run(["setup", "--store", "encrypted", "--no-verify", "--yes", "--settings", settings], { home, env: projectEnv, cwd: project });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(project, ".mvn", "jvm.config")} names the security file ${security}`);
    expect(r.stderr).toContain("does not choose the master password your secret is encrypted with");
    expect(readFileSync(settings, "utf8")).not.toContain("<password>");
  });
});
