// exec end to end: the built CLI runs a stand-in `mvn` (a script on the PATH) that records the settings file
// it was given; Maven's own settings builder then reads what it recorded. Each test has its own TMPDIR, so
// that what exec leaves there (nothing, or a killed run's folder) is this test's alone.
// @module-tag maven
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { controlPlane, tokenEndpoint } from "./helpers/anypoint";
import { CLI, cliEnv, tempHome } from "./helpers/cli";
import { b64, compileProbe, type Probe } from "./helpers/maven";

const CLIENT_ID = "0123456789abcdef0123456789abcdef";
const SECRET = "Exec-Secret-<&>-42";
const USER_SETTINGS = `<?xml version="1.0" encoding="UTF-8"?>\r\n<settings>\r\n  <!-- mine -->\r\n  <servers>\r\n    <server>\r\n      <id>nexus</id>\r\n      <username>me</username>\r\n      <password>nexus-pass</password>\r\n    </server>\r\n  </servers>\r\n</settings>\r\n`;

/** The stand-in: records its arguments, the -s file (a copy) and its modes, then waits (STANDIN_WAIT) or exits STANDIN_EXIT. */
const STANDIN = `#!/bin/sh
r="$STANDIN_RECORD"
printf '%s\\n' "$@" > "$r/args"
printf '%s' "$ANYPOINT_M2_SETTINGS" > "$r/variable"
if [ "$1" = "-s" ]; then cp "$2" "$r/settings.xml"; stat -c '%a' "$2" "$(dirname "$2")" > "$r/modes"; fi
cat > "$r/stdin"
echo "$$" > "$r/pid"
if [ -n "$STANDIN_TRAP" ]; then trap 'kill $s; exit 42' INT TERM HUP; sleep 300 & s=$!; : > "$r/started"; wait; fi
if [ -n "$STANDIN_WAIT" ]; then : > "$r/started"; exec sleep 300; fi
exit "\${STANDIN_EXIT:-0}"
`;

interface Scene {
  home: string;
  bin: string;
  record: string;
  tmp: string;
  settings: string;
}

function scene(content: string | null = USER_SETTINGS): Scene {
  const home = tempHome();
  const bin = join(home, "bin");
  const record = join(home, "record");
  const tmp = join(home, "tmp");
  for (const dir of [bin, record, tmp, join(home, ".m2")]) mkdirSync(dir);
  for (const name of ["mvn", "mvnw"]) {
    writeFileSync(join(bin, name), STANDIN);
    chmodSync(join(bin, name), 0o755);
  }
  const settings = join(home, ".m2", "settings.xml");
  if (content !== null) writeFileSync(settings, content);
  return { home, bin, record, tmp, settings };
}

function start(s: Scene, args: string[], env: Record<string, string> = {}, input = "", cwd = s.home): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; stderr: string; stdout: string }> } {
  const child = spawn(CLI, args, {
    cwd,
    env: cliEnv(s.home, { PATH: `${s.bin}:${cliEnv(s.home).PATH}`, TMPDIR: s.tmp, STANDIN_RECORD: s.record, ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET, ...env }),
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  child.stdin!.end(input);
  const done = new Promise<{ code: number | null; signal: string | null; stderr: string; stdout: string }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stderr, stdout })));
  return { child, done };
}

const exec = (s: Scene, args: string[], env?: Record<string, string>, input?: string) => start(s, ["exec", ...args], env, input).done;

/** Resolves once `path` exists (the stand-in's "started" mark): polled, as the file is made by another process. */
async function appears(path: string): Promise<void> {
  for (let i = 0; i < 2000 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 10));
  expect(existsSync(path), `${path} was not made`).toBe(true);
}

const left = (s: Scene) => readdirSync(s.tmp);

let probe: Probe;
beforeAll(() => {
  probe = compileProbe();
}, 120_000);

describe("exec", () => {
  it("gives mvn a private copy with the server, judged by Maven; keeps the other servers; passes the exit code; removes the copy; leaves ~/.m2 as it was", async () => {
    const s = scene();
    const before = readFileSync(s.settings);
    const r = await exec(s, ["--no-verify", "--", "mvn", "-B", "deploy"], { STANDIN_EXIT: "7" }, "piped in\n");
    expect(r.stderr).not.toContain(SECRET);
    expect(r.code).toBe(7);
    const args = readFileSync(join(s.record, "args"), "utf8").split("\n");
    expect(args.slice(0, 4)).toEqual(["-s", readFileSync(join(s.record, "variable"), "utf8"), "-B", "deploy"]);
    expect(args[1]!.startsWith(s.tmp)).toBe(true);
    expect(readFileSync(join(s.record, "modes"), "utf8").trim()).toBe("600\n700");
    expect(readFileSync(join(s.record, "stdin"), "utf8")).toBe("piped in\n");
    const copy = join(s.record, "settings.xml");
    const [server, ids] = probe.ask([`server\t${copy}\tanypoint-exchange-v3`, `ids\t${copy}`]);
    expect(server).toBe(`ok ${b64("~~~Client~~~")} ${b64(`${CLIENT_ID}~?~${SECRET}`)}`);
    expect(ids).toBe(`ok ${b64("nexus")} ${b64("anypoint-exchange-v3")}`);
    // Byte-faithful: the user's file with the server added, CRLF and comment kept.
    const text = readFileSync(copy, "utf8");
    expect(text.startsWith(USER_SETTINGS.slice(0, USER_SETTINGS.indexOf("  </servers>")))).toBe(true);
    expect(left(s)).toEqual([]);
    expect(readFileSync(s.settings)).toEqual(before);
    expect(statSync(s.settings).mode & 0o777).toBe(0o644);
  });

  it("starts from the template when there is no settings file, and writes none in ~/.m2", async () => {
    const s = scene(null);
    const r = await exec(s, ["--no-verify", "--server-id", "x", "--", "./bin/mvnw"]);
    expect(r.code).toBe(0);
    const [server] = probe.ask([`server\t${join(s.record, "settings.xml")}\tx`]);
    expect(server).toBe(`ok ${b64("~~~Client~~~")} ${b64(`${CLIENT_ID}~?~${SECRET}`)}`);
    expect(readdirSync(join(s.home, ".m2"))).toEqual([]);
    expect(left(s)).toEqual([]);
  });

  it("checks the credentials first: rejected, the command does not run (exit 3)", async () => {
    const s = scene();
    const cp = await controlPlane();
    try {
      cp.handle(tokenEndpoint(CLIENT_ID, "another secret", "tok"));
      const r = await exec(s, ["--base-url", cp.url, "--", "mvn", "deploy"]);
      expect(r.code).toBe(3);
      expect(existsSync(join(s.record, "args"))).toBe(false);
      cp.handle(tokenEndpoint(CLIENT_ID, SECRET, "tok"));
      const ok = await exec(s, ["--base-url", cp.url, "--", "mvn", "deploy"]);
      expect(ok.code).toBe(0);
      expect(ok.stderr).toContain("accepted the credentials");
    } finally {
      await cp.close();
    }
    expect(left(s)).toEqual([]);
  });

  it("gives another command only ANYPOINT_M2_SETTINGS", async () => {
    const s = scene();
    const r = await exec(s, ["--no-verify", "--", "sh", "-c", `cp "$ANYPOINT_M2_SETTINGS" "${s.record}/copy" && echo "$@"`, "sh", "a", "b"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("a b\n");
    expect(readFileSync(join(s.record, "copy"), "utf8")).toContain(`${CLIENT_ID}~?~`);
    expect(left(s)).toEqual([]);
  });

  it.each([
    ["-s in the command", ["--", "mvn", "-s", "mine.xml", "deploy"], {}, "names a settings file"],
    ["--settings= in the command", ["--", "./bin/mvnw", "--settings=mine.xml"], {}, "names a settings file"],
    ["-s in MAVEN_ARGS", ["--", "mvn", "deploy"], { MAVEN_ARGS: "-B -s ci.xml" }, "MAVEN_ARGS names a settings file"],
    ["no command", ["--"], {}, "needs a command"],
    ["a command without --", ["mvn"], {}, "runs the command given after --"],
  ])("refuses %s (exit 2), running nothing", async (_, args, env, message) => {
    const s = scene();
    const r = await exec(s, ["--no-verify", ...args], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(existsSync(join(s.record, "args"))).toBe(false);
    expect(left(s)).toEqual([]);
  });

  it("refuses a settings file the project chose (.mvn/maven.config -s), unless --settings names it", async () => {
    const s = scene();
    const project = join(s.home, "project");
    mkdirSync(join(project, ".mvn"), { recursive: true });
    writeFileSync(join(project, ".mvn", "maven.config"), "-s\nproject-settings.xml\n");
    writeFileSync(join(project, "project-settings.xml"), "<settings/>\n");
    const r = await start(s, ["exec", "--no-verify", "--", "mvn", "deploy"], {}, "", project).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("does not choose where the secret is written");
    expect(existsSync(join(s.record, "args"))).toBe(false);
    const named = await start(s, ["exec", "--no-verify", "--settings", "project-settings.xml", "--", "mvn", "deploy"], {}, "", project).done;
    expect(named.code).toBe(0);
    expect(readFileSync(join(s.record, "settings.xml"), "utf8")).toContain("<id>anypoint-exchange-v3</id>");
    expect(readFileSync(join(project, "project-settings.xml"), "utf8")).toBe("<settings/>\n");
  });

  it("tells doctor's findings about the copy on stderr before the command runs, and runs it all the same (--quiet: silent; --exclude-from-mirrors: fixed in the copy)", async () => {
    const mirrored = USER_SETTINGS.replace("\r\n  </servers>", "\r\n  </servers>\r\n  <mirrors>\r\n    <mirror>\r\n      <id>corp</id>\r\n      <mirrorOf>*</mirrorOf>\r\n      <url>https://nexus.example.com/repo</url>\r\n    </mirror>\r\n  </mirrors>");
    expect(mirrored).toContain("<mirrorOf>*</mirrorOf>");
    const s = scene(mirrored);
    const before = readFileSync(s.settings);
    const command = ["--", "sh", "-c", "echo command-ran >&2; exit 5"];
    const r = await exec(s, ["--no-verify", ...command]);
    expect(r.code).toBe(5);
    const head = "The build will still get a 401 from Exchange, as anypoint-m2 doctor finds:";
    expect(r.stderr).toContain(head);
    expect(r.stderr).toContain(`warning: private copy of ${s.settings}:`);
    expect(r.stderr).toContain('mirror "corp" (mirrorOf *) takes the downloads');
    expect(r.stderr).toContain("(anypoint-m2 exec --exclude-from-mirrors does it on the private copy)");
    expect(r.stderr).not.toContain("Written");
    expect(r.stderr.indexOf(head)).toBeLessThan(r.stderr.indexOf("command-ran"));
    expect(r.stdout).toBe("");
    const quiet = await exec(s, ["--no-verify", "--quiet", ...command]);
    expect(quiet.code).toBe(5);
    expect(quiet.stderr).toBe("command-ran\n");
    const excluded = await exec(s, ["--no-verify", "--exclude-from-mirrors", "--", "mvn", "-B", "validate"]);
    expect(excluded.code).toBe(0);
    expect(excluded.stderr).not.toContain("doctor");
    expect(readFileSync(join(s.record, "settings.xml"), "utf8")).toContain("<mirrorOf>*,!anypoint-exchange-v3</mirrorOf>");
    expect(readFileSync(s.settings)).toEqual(before);
    expect(left(s)).toEqual([]);
  });

  it("says plainly which file the command runs with", async () => {
    const s = scene();
    const r = await exec(s, ["--no-verify", "--", "mvn", "-B", "validate"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`mvn runs with a private copy of ${s.settings} that has the server "anypoint-exchange-v3" (removed when it ends).`);
    const none = scene(null);
    const n = await exec(none, ["--no-verify", "--", "mvn"]);
    expect(n.stderr).toContain(`mvn runs with a private copy of a new settings file (there is no ${none.settings}) that has the server "anypoint-exchange-v3" (removed when it ends).`);
  });

  it("tells a command that is not there (127) before anything else, plainly: not on the PATH, or no such file", async () => {
    const s = scene();
    const cp = await controlPlane();
    try {
      cp.handle(tokenEndpoint(CLIENT_ID, SECRET, "tok"));
      const bare = await exec(s, ["--base-url", cp.url, "--", "mvnx", "-B"]);
      expect(bare.code).toBe(127);
      expect(bare.stderr).toContain("could not run mvnx: command not found");
      expect(bare.stderr).toContain("Check the command's name and the PATH.");
      const wrapper = await exec(s, ["--base-url", cp.url, "--", "./mvnw", "-B"]);
      expect(wrapper.code).toBe(127);
      expect(wrapper.stderr).toContain(`could not run ./mvnw: there is no such file (from ${s.home})`);
      for (const r of [bare, wrapper]) {
        expect(r.stderr).not.toContain("private copy");
        expect(r.stderr).not.toContain("accepted the credentials");
        expect(r.stderr).not.toContain("Maven Wrapper");
      }
      expect(cp.requests).toHaveLength(0);
    } finally {
      await cp.close();
    }
    expect(left(s)).toEqual([]);
  });

  it("exits 127 for a command that is not there", async () => {
    const s = scene();
    const r = await exec(s, ["--no-verify", "--", "no-such-command-here"]);
    expect(r.code).toBe(127);
    expect(left(s)).toEqual([]);
  });

  it.each(["SIGTERM", "SIGINT", "SIGHUP"] as const)("passes %s on to the command, exits 128+n, and removes the copy", async (signal) => {
    const s = scene();
    const { child, done } = start(s, ["exec", "--no-verify", "--", "mvn", "deploy"], { STANDIN_WAIT: "1" });
    await appears(join(s.record, "started"));
    expect(left(s)).toHaveLength(1);
    child.kill(signal);
    const r = await done;
    expect(r.code).toBe(128 + { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal]);
    expect(left(s)).toEqual([]);
  });

  it.each(["SIGTERM", "SIGINT", "SIGHUP"] as const)("waits for a command that handles %s itself, and exits with its code", async (signal) => {
    const s = scene();
    const { child, done } = start(s, ["exec", "--no-verify", "--", "mvn", "deploy"], { STANDIN_TRAP: "1" });
    await appears(join(s.record, "started"));
    child.kill(signal);
    const r = await done;
    expect(r.code).toBe(42);
    expect(left(s)).toEqual([]);
  });

  it("sweeps the folder a killed run (SIGKILL) left, and only that one", async () => {
    const s = scene();
    const { child, done } = start(s, ["exec", "--no-verify", "--", "mvn", "deploy"], { STANDIN_WAIT: "1" });
    await appears(join(s.record, "started"));
    child.kill("SIGKILL");
    await done;
    // The stand-in outlives exec: ended here.
    process.kill(Number(readFileSync(join(s.record, "pid"), "utf8")), "SIGKILL");
    const [leftover] = left(s);
    expect(leftover).toMatch(/^anypoint-m2-exec-/);
    // A live run's folder (this test's own pid) and someone else's file stay.
    mkdirSync(join(s.tmp, "anypoint-m2-exec-alive"));
    const host = (await import("node:os")).hostname();
    const namespace = readlinkSync("/proc/self/ns/pid");
    writeFileSync(join(s.tmp, "anypoint-m2-exec-alive", "run.pid"), `${process.pid} ${host} ${namespace}\n`);
    // A run in another pid namespace on the same host name (a container with host networking): its process
    // id means nothing here, so its folder stays even when no such process is seen.
    const dead = readFileSync(join(s.record, "pid"), "utf8").trim();
    mkdirSync(join(s.tmp, "anypoint-m2-exec-elsewhere"));
    writeFileSync(join(s.tmp, "anypoint-m2-exec-elsewhere", "run.pid"), `${dead} ${host} pid:[1]\n`);
    writeFileSync(join(s.tmp, "unrelated"), "x");
    const r = await exec(s, ["--no-verify", "--", "mvn", "deploy"]);
    expect(r.code).toBe(0);
    expect(left(s).sort()).toEqual(["anypoint-m2-exec-alive", "anypoint-m2-exec-elsewhere", "unrelated"]);
  });
});
