// The built CLI as a child process a test can signal, and that cannot hang the test: one still running
// after `guardMs` is killed and reported as hung.
import { spawn, type ChildProcess } from "node:child_process";
import { CLI, cliEnv } from "./cli";

export interface Ended {
  code: number | null;
  /** It was still running after the guard time and had to be killed. */
  hung: boolean;
  stderr: string;
}

export function start(args: string[], { home, env = {} }: { home: string; env?: Record<string, string> }, guardMs = 20_000): { child: ChildProcess; ended: Promise<Ended> } {
  const child = spawn(CLI, args, { cwd: home, env: cliEnv(home, env), stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  let hung = false;
  const guard = setTimeout(() => {
    hung = true;
    child.kill("SIGKILL");
  }, guardMs);
  const ended = new Promise<Ended>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(guard);
      resolve({ code, hung, stderr });
    });
  });
  return { child, ended };
}
