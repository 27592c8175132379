// Speed goals, measured in one run and reported as ratios (not a timed test):
//   1. cold start: `anypoint-m2 list --settings F` vs `node -e 0`, medians of interleaved runs: target <= 1.6x
//   2. adding a server to a 5 MB settings.xml with 20,000 servers vs `xmlstarlet ed` doing the same: <= 2x
//   3. ten times the input (50 MB, 200,000 servers) costs at most twelve times the time
// Usage: npm run bench [-- --runs N]
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "dist", "cli.cjs");
const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;
const work = mkdtempSync(join(tmpdir(), "anypoint-m2-bench-"));
const NS = "http://maven.apache.org/SETTINGS/1.0.0";
const env = { PATH: `${dirname(process.execPath)}:${process.env.PATH}`, HOME: work, ANYPOINT_CLIENT_SECRET: "benchsecret0123456789" };

if (spawnSync("xmlstarlet", ["--version"]).status !== 0) {
  console.error("bench: xmlstarlet is not installed (apt-get install xmlstarlet)");
  process.exit(1);
}

function time(command, args, { before } = {}) {
  before?.();
  const started = process.hrtime.bigint();
  const r = spawnSync(command, args, { env, stdio: ["ignore", "ignore", "pipe"] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs the commands in turn, RUNS rounds, after one warm-up round; returns each one's median in ms. */
function interleaved(commands, runs = RUNS) {
  const times = commands.map(() => []);
  for (let round = -1; round < runs; round++) {
    commands.forEach((c, i) => {
      const ms = time(c.command, c.args, c);
      if (round >= 0) times[i].push(ms);
    });
  }
  return times.map(median);
}

function bigSettings(servers) {
  const parts = [`<?xml version="1.0" encoding="UTF-8"?>\n<settings xmlns="${NS}">\n  <!-- generated for the benchmark -->\n  <servers>\n`];
  for (let i = 0; i < servers; i++) {
    parts.push(
      `    <server>\n      <id>server-${i}</id>\n      <username>user-${i}-xxxxxxxxxxxxxxxxxxxx</username>\n` +
        `      <password>password-${i}-yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy</password>\n` +
        `      <!-- note ${i} zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz -->\n    </server>\n`,
    );
  }
  parts.push("  </servers>\n  <mirrors/>\n</settings>\n");
  return parts.join("");
}

const report = [];
const line = (s) => {
  report.push(s);
  console.log(s);
};

// 1. Cold start.
const small = join(work, "small-settings.xml");
copyFileSync(join(root, "fixtures", "engine", "append-two-space-indent", "before.xml"), small);
const [nodeMs, listMs] = interleaved([
  { command: process.execPath, args: ["-e", "0"] },
  { command: cli, args: ["list", "--settings", small] },
]);
line(`cold start: node -e 0 ${nodeMs.toFixed(1)} ms, anypoint-m2 list ${listMs.toFixed(1)} ms -> ${(listMs / nodeMs).toFixed(2)}x (target <= 1.6x)`);

// 2. and 3. A large file: anypoint-m2 setup vs xmlstarlet ed, each on a fresh copy.
function addServer(servers, runs) {
  const source = join(work, `source-${servers}.xml`);
  writeFileSync(source, bigSettings(servers));
  const ours = join(work, `ours-${servers}.xml`);
  const theirs = join(work, `theirs-${servers}.xml`);
  const fresh = (target) => () => {
    copyFileSync(source, target);
    rmSync(`${target}.bak`, { force: true });
  };
  const [m2Ms, xmlstarletMs] = interleaved(
    [
      {
        command: cli,
        args: ["setup", "--no-verify", "--yes", "--client-id", "benchclient", "--settings", ours],
        before: fresh(ours),
      },
      {
        command: "xmlstarlet",
        args: ["ed", "-L", "-N", `s=${NS}`, "-s", "/s:settings/s:servers", "-t", "elem", "-n", "server", "--var", "srv", "$prev",
          "-s", "$srv", "-t", "elem", "-n", "id", "-v", "anypoint-exchange-v3",
          "-s", "$srv", "-t", "elem", "-n", "username", "-v", "~~~Client~~~",
          "-s", "$srv", "-t", "elem", "-n", "password", "-v", "benchclient~?~benchsecret0123456789", theirs],
        before: fresh(theirs),
      },
    ],
    runs,
  );
  if (!readFileSync(ours, "utf8").includes("<id>anypoint-exchange-v3</id>")) throw new Error("anypoint-m2 did not add the server");
  if (!readFileSync(theirs, "utf8").includes("<id>anypoint-exchange-v3</id>")) throw new Error("xmlstarlet did not add the server");
  return { bytes: statSync(source).size, m2Ms, xmlstarletMs };
}

const five = addServer(20_000, RUNS);
line(
  `add to ${(five.bytes / 1e6).toFixed(1)} MB (20,000 servers): anypoint-m2 ${five.m2Ms.toFixed(1)} ms, xmlstarlet ed ${five.xmlstarletMs.toFixed(1)} ms -> ${(five.m2Ms / five.xmlstarletMs).toFixed(2)}x (target <= 2x)`,
);
const fifty = addServer(200_000, Math.max(5, Math.ceil(RUNS / 3)));
line(
  `add to ${(fifty.bytes / 1e6).toFixed(1)} MB (200,000 servers): anypoint-m2 ${fifty.m2Ms.toFixed(1)} ms -> ${(fifty.m2Ms / five.m2Ms).toFixed(2)}x the time for ${(fifty.bytes / five.bytes).toFixed(1)}x the input (target <= 12x); ` +
    `beyond node's own start: ${((fifty.m2Ms - nodeMs) / (five.m2Ms - nodeMs)).toFixed(2)}x`,
);

rmSync(work, { recursive: true, force: true });
const failed = [listMs / nodeMs > 1.6, five.m2Ms / five.xmlstarletMs > 2, fifty.m2Ms / five.m2Ms > 12].some(Boolean);
console.log(failed ? "bench: a target was missed" : "bench: all targets met");
