// Shell completion for real: the printed scripts sourced by bash and zsh, asking the built CLI for
// candidates, and a Tab pressed in an interactive bash and zsh (tmux).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { completions } from "../src/cli/completion";
import { CLI, cliEnv, run, tempHome } from "./helpers/cli";
import { tmuxOn } from "./helpers/tmux";

/** A HOME whose bin/ holds `anypoint-m2` (the built CLI), as an installed package would. */
function installed(): { home: string; env: Record<string, string> } {
  const home = tempHome();
  mkdirSync(join(home, "bin"));
  symlinkSync(CLI, join(home, "bin", "anypoint-m2"));
  const env = cliEnv(home);
  return { home, env: { ...env, PATH: `${join(home, "bin")}:${env.PATH}` } };
}

function shell(program: "bash" | "zsh", script: string, env: Record<string, string>): string {
  const r = spawnSync(program, ["-c", script], { env, encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return r.stdout;
}

describe("candidates", () => {
  const cases: [string[], string[]][] = [
    [["anypoint-m2", ""], ["setup", "exec", "verify", "list", "remove", "doctor", "rotate", "completion"]],
    [["anypoint-m2", "l"], ["list"]],
    [["anypoint-m2", "-"], ["--help", "--version"]],
    [["anypoint-m2", "setup", "--reg"], ["--region"]],
    [["anypoint-m2", "setup", "--region", ""], ["us", "eu", "gov", "ca", "jp"]],
    [["anypoint-m2", "setup", "--region", "g"], ["gov"]],
    [["anypoint-m2", "setup", "--region=e"], ["--region=eu"]],
    [["anypoint-m2", "setup", "--on-existing", ""], ["update", "keep", "fail"]],
    [["anypoint-m2", "setup", "--no-v"], ["--no-verify"]],
    [["anypoint-m2", "setup", "--no-e"], ["--no-env-file"]],
    [["anypoint-m2", "setup", "--settings", ""], []],
    [["anypoint-m2", "completion", ""], ["bash", "zsh"]],
    [["anypoint-m2", "remove", "x", "--dr"], ["--dry-run"]],
    [["anypoint-m2", "list", "--", "-"], []],
  ];
  it.each(cases)("%j", (words, want) => {
    expect(completions(words)).toEqual(want);
  });

  it("offers each option of a command once, long names only, not the ones already given", () => {
    const offered = completions(["anypoint-m2", "setup", "--json", "-"]);
    expect(offered).toContain("--client-id");
    expect(offered).toContain("--yes");
    expect(offered).toContain("--quiet");
    expect(offered).not.toContain("--json");
    expect(offered).not.toContain("--y");
    expect(offered).not.toContain("--q");
    expect(offered).not.toContain("--no-json");
    expect(new Set(offered).size).toBe(offered.length);
  });
});

describe("completion command", () => {
  it("prints the bash script, the zsh script, and its help", async () => {
    const home = tempHome();
    const bash = await run(["completion", "bash"], { home });
    expect(bash.code).toBe(0);
    expect(bash.stdout).toContain("complete -o bashdefault -o default -F _anypoint_m2_completions anypoint-m2");
    const zsh = await run(["completion", "zsh"], { home });
    expect(zsh.code).toBe(0);
    expect(zsh.stdout.startsWith("#compdef anypoint-m2\n")).toBe(true);
    expect(zsh.stderr).toBe("");
    // Without a name: the shell the user logs in with.
    expect((await run(["completion"], { home, env: { SHELL: "/usr/bin/zsh" } })).stdout).toBe(zsh.stdout);
    expect((await run(["completion"], { home, env: { SHELL: "/bin/bash" } })).stdout).toBe(bash.stdout);
    const help = await run(["completion", "--help"], { home });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("anypoint-m2 completion [shell]");
    expect(help.stdout).not.toContain("###-begin");
    const fish = await run(["completion", "fish"], { home });
    expect(fish.code).toBe(2);
    expect(fish.stderr).toContain('completion takes one of bash, zsh (got "fish")');
  });
});

describe("bash", () => {
  it("sourced, its function fills COMPREPLY from the CLI for the word under the cursor", () => {
    const { env } = installed();
    const complete = (words: string[], cword: number) =>
      shell(
        "bash",
        `source <(anypoint-m2 completion bash)
COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${cword}
_anypoint_m2_completions
printf '%s\\n' "\${COMPREPLY[@]}"`,
        env,
      )
        .split("\n")
        .filter(Boolean);
    expect(complete(["anypoint-m2", ""], 1)).toEqual(["setup", "exec", "verify", "list", "remove", "doctor", "rotate", "completion"]);
    expect(complete(["anypoint-m2", "setup", "--reg"], 2)).toEqual(["--region"]);
    expect(complete(["anypoint-m2", "setup", "--region", ""], 3)).toEqual(["us", "eu", "gov", "ca", "jp"]);
    // The cursor on an earlier word: the words after it do not count.
    expect(complete(["anypoint-m2", "setup", "--reg", "--json"], 2)).toEqual(["--region"]);
    const options = complete(["anypoint-m2", "setup", "--"], 2);
    expect(options).toContain("--no-verify");
    expect(options).not.toContain("--y");
    // Nothing to offer: bash falls back to file names (-o default).
    expect(complete(["anypoint-m2", "setup", "--settings", ""], 3)).toEqual([]);
    expect(shell("bash", "source <(anypoint-m2 completion bash); complete -p anypoint-m2", env)).toContain("-o default");
  });
});

describe("zsh", { tags: ["zsh"] }, () => {
  it("is valid zsh, registers itself with compinit, and hands the CLI's candidates to compadd", () => {
    const { home, env } = installed();
    const script = join(home, "anypoint-m2.zsh");
    writeFileSync(script, execFileSync(CLI, ["completion", "zsh"], { env }));
    shell("zsh", `zsh -n ${script}`, env);
    expect(shell("zsh", `autoload -Uz compinit && compinit -u -D; source ${script}; print -r -- $_comps[anypoint-m2]`, env).trim()).toBe("_anypoint_m2");
    // compadd and _files stand in for the completion system's own, to see what the function passes them.
    const candidates = (words: string[]) =>
      shell("zsh", `compdef() {}; compadd() { print -rl -- "$@" }; _files() { print -r -- FILES }; source ${script}; words=(${words.map((w) => `'${w}'`).join(" ")}); CURRENT=${words.length}; _anypoint_m2`, env)
        .split("\n")
        .filter(Boolean);
    expect(candidates(["anypoint-m2", "setup", "--reg"])).toEqual(["--", "--region"]);
    expect(candidates(["anypoint-m2", "setup", "--region=e"])).toEqual(["--", "--region=eu"]);
    expect(candidates(["anypoint-m2", "completion", ""])).toEqual(["--", "bash", "zsh"]);
    expect(candidates(["anypoint-m2", "setup", "--settings", ""])).toEqual(["FILES"]);
  });

  it("says what to do when sourced before compinit", () => {
    const { env } = installed();
    const r = spawnSync("zsh", ["-f", "-c", "source <(anypoint-m2 completion zsh)"], { env, encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("autoload -Uz compinit && compinit");
  });
});

describe("a Tab pressed in an interactive shell", () => {
  let session: string | undefined;
  afterEach(() => {
    if (session) {
      try {
        tmuxOn(session)("kill-server");
      } catch {
        /* already gone */
      }
    }
    session = undefined;
  });

  /** Starts `bash`/`zsh` in tmux with the completion script in its rc file; returns the screen reader. */
  function interactive(program: "bash" | "zsh") {
    const { home, env } = installed();
    const rc = program === "zsh" ? 'autoload -Uz compinit && compinit -u\neval "$(anypoint-m2 completion zsh)"\nPS1="$ "\n' : 'eval "$(anypoint-m2 completion bash)"\nPS1="$ "\n';
    writeFileSync(join(home, program === "zsh" ? ".zshrc" : ".bashrc"), rc);
    session = `anypoint-m2-completion-${process.pid}-${program}`;
    const vars = Object.entries({ ...env, TERM: "xterm-256color", ZDOTDIR: home }).map(([k, v]) => `${k}=${v}`);
    const args = program === "zsh" ? ["zsh", "-i"] : ["bash", "--rcfile", join(home, ".bashrc"), "-i"];
    const tmux = tmuxOn(session);
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "20", "-c", home, "env", "-i", ...vars, ...args);
    const name = session;
    const screen = () => tmux("capture-pane", "-p", "-t", name);
    return {
      type: (text: string) => tmux("send-keys", "-t", name, "-l", text),
      tab: () => tmux("send-keys", "-t", name, "Tab"),
      waitFor: async (text: string) => {
        const deadline = Date.now() + 10_000;
        while (!screen().includes(text)) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(text)}; screen:\n${screen()}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      },
    };
  }

  const completes = async (program: "bash" | "zsh") => {
    const t = interactive(program);
    // (The screen as tmux gives it has no trailing spaces: "g" typed after the Tab shows the space.)
    await t.waitFor("$");
    t.type("anypoint-m2 setup --reg");
    t.tab();
    await t.waitFor("$ anypoint-m2 setup --region");
    t.type("g");
    t.tab();
    await t.waitFor("$ anypoint-m2 setup --region gov");
  };
  it("bash completes an option and then its value", { tags: ["tmux"] }, () => completes("bash"));
  it("zsh completes an option and then its value", { tags: ["tmux", "zsh"] }, () => completes("zsh"));
});
