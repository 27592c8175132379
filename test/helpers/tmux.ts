// Drives the built CLI in a real pseudo-terminal: a detached tmux session, keys sent with send-keys,
// the screen read with capture-pane.
import { execFileSync } from "node:child_process";
import { CLI, cliEnv } from "./cli";

let sessions = 0;

export interface Terminal {
  /** Sends keys: literal text, or tmux key names such as "Enter", "C-c", "Escape", "Down". */
  type(text: string): void;
  key(...names: string[]): void;
  /** The screen's text; with escapes, its colour codes too. */
  screen(escapes?: boolean): string;
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
  /** The exit code once the program has ended. */
  exited(timeoutMs?: number): Promise<number>;
  close(): void;
}

/**
 * tmux on a server of the session's own (-L NAME): on a shared server, one session's kill-session can end
 * the server while another is starting ("server exited unexpectedly"), and runs in parallel share it.
 */
export const tmuxOn = (server: string) => (...args: string[]): string => execFileSync("tmux", ["-L", server, ...args], { encoding: "utf8" });

export function terminal(args: string[], { env, cwd, columns = 160 }: { env: Record<string, string>; cwd: string; columns?: number }): Terminal {
  const name = `anypoint-m2-test-${process.pid}-${sessions++}`;
  const tmux = tmuxOn(name);
  const vars = Object.entries({ ...cliEnv(env.HOME ?? cwd), TERM: "xterm-256color", ...env }).map(([k, v]) => `${k}=${v}`);
  // A shell runs the program and prints its exit code; the pane stays after that (remain-on-exit).
  tmux("new-session", "-d", "-s", name, "-x", String(columns), "-y", "50", "-c", cwd);
  tmux("set-option", "-t", name, "remain-on-exit", "on");
  tmux("respawn-pane", "-k", "-t", name, "-c", cwd, "env", "-i", ...vars, "sh", "-c", '"$0" "$@"; echo "[exited $?]"', CLI, ...args);
  const screen = (escapes = false) => tmux("capture-pane", "-p", "-J", ...(escapes ? ["-e"] : []), "-t", name, "-S", "-200");
  const poll = async <T>(what: () => T | undefined, timeoutMs: number, description: string): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = what();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}; screen:\n${screen()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    type: (text) => tmux("send-keys", "-t", name, "-l", text) && undefined,
    key: (...names) => tmux("send-keys", "-t", name, ...names) && undefined,
    screen,
    waitFor: (text, timeoutMs = 10_000) =>
      poll(() => {
        const s = screen(false);
        return (typeof text === "string" ? s.includes(text) : text.test(s)) ? s : undefined;
      }, timeoutMs, String(text)),
    exited: (timeoutMs = 10_000) =>
      poll(() => {
        const m = /\[exited (\d+)\]/.exec(screen(false));
        return m ? Number(m[1]) : undefined;
      }, timeoutMs, "the program to end"),
    close: () => {
      try {
        tmux("kill-server");
      } catch {
        /* already gone */
      }
    },
  };
}

/**
 * The wizard's repositories question, answered no. With a loopback control plane (whose Exchange URL is not
 * known) it is not asked: the wizard says so instead.
 */
export async function declineRepositoriesIfAsked(t: Terminal): Promise<void> {
  const screen = await t.waitFor(/Also add the Exchange and MuleSoft repositories|repositories are not offered/);
  if (!screen.includes("repositories are not offered")) {
    t.type("n");
    t.key("Enter");
  }
}
