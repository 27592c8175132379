/**
 * Shell completion from the command table: the scripts `anypoint-m2 completion bash|zsh` prints, and the
 * candidates they ask for on each Tab (`anypoint-m2 --get-yargs-completions WORD...`, the request name
 * yargs' scripts used, so scripts installed before keep working).
 */
import { scan } from "./read";
import { COMMANDS, type CommandSpec } from "./spec";

export const COMPLETION_REQUEST = "--get-yargs-completions";

/**
 * The candidates for the last word, given the words typed so far (the program's name first), read by the
 * command's table as the command line will be. Nothing means "a file or free text": the scripts then fall
 * back to file names.
 */
export function completions(words: readonly string[]): string[] {
  const typed = words.slice(1);
  const current = typed[typed.length - 1] ?? "";
  const before = typed.slice(0, -1);
  const spec = COMMANDS.find((c) => c.name === before[0]);
  if (!spec) return before.length > 0 ? [] : matching(current.startsWith("-") ? ["--help", "--version"] : COMMANDS.map((c) => c.name), current);
  if (before.includes("--")) return [];
  // `--region=e` (zsh keeps it one word; bash splits it at "=").
  const inline = /^--([^=]+)=(.*)$/.exec(current);
  if (inline) return (spec.options[inline[1]!]?.choices ?? []).map((v) => `--${inline[1]}=${v}`).filter((c) => c.startsWith(current));
  const tokens = scan(spec, before.slice(1));
  const last = tokens[tokens.length - 1];
  // The word before is a value option still waiting for its value.
  if (last?.kind === "option" && last.value === undefined) return matching(spec.options[last.name]?.choices ?? [], current);
  const positional = spec.positional;
  if (positional && !tokens.some((t) => t.kind === "argument") && !current.startsWith("-")) return matching(positional.choices ?? [], current);
  const given = new Set(tokens.flatMap((t) => (t.kind === "option" && !spec.options[t.name]?.multiple ? [t.name] : [])));
  return matching(optionNames(spec, given), current);
}

/** Long names only (`-y` is not offered as `--y`), with `--no-` where it means something; not those given. */
function optionNames(spec: CommandSpec, given: ReadonlySet<string>): string[] {
  const names = Object.entries(spec.options)
    .filter(([name]) => !given.has(name))
    .flatMap(([name, o]) => [`--${name}`, ...(o.negatable || (o.type === "boolean" && o.default === true) ? [`--no-${name}`] : [])]);
  return [...names, "--help"];
}

const matching = (candidates: readonly string[], prefix: string) => candidates.filter((c) => c.startsWith(prefix));

/** The script for `shell`; `eval "$(anypoint-m2 completion bash)"` or appended to the rc file. */
export function completionScript(shell: "bash" | "zsh"): string {
  return shell === "zsh" ? ZSH : BASH;
}

const BASH = `###-begin-anypoint-m2-completions-###
# anypoint-m2 completion for bash. Install: anypoint-m2 completion bash >> ~/.bashrc
_anypoint_m2_completions() {
  local IFS=$'\\n'
  COMPREPLY=($(anypoint-m2 ${COMPLETION_REQUEST} "\${COMP_WORDS[@]:0:COMP_CWORD+1}" 2>/dev/null))
}
complete -o bashdefault -o default -F _anypoint_m2_completions anypoint-m2
###-end-anypoint-m2-completions-###`;

// Sourced from ~/.zshrc after compinit, or saved as _anypoint-m2 in $fpath, where compinit loads it by
// its #compdef line and runs it as the function itself.
const ZSH = `#compdef anypoint-m2
###-begin-anypoint-m2-completions-###
# anypoint-m2 completion for zsh. Install: anypoint-m2 completion zsh >> ~/.zshrc (after compinit)
_anypoint_m2() {
  local -a candidates
  candidates=(\${(f)"$(anypoint-m2 ${COMPLETION_REQUEST} "\${(@)words[1,CURRENT]}" 2>/dev/null)"})
  if (( \${#candidates} )); then
    compadd -- "\${candidates[@]}"
  else
    _files
  fi
}
if [[ "\${zsh_eval_context[-1]}" == loadautofunc ]]; then
  _anypoint_m2 "$@"
elif (( \${+functions[compdef]} )); then
  compdef _anypoint_m2 anypoint-m2
else
  print -u2 "anypoint-m2 completion: run 'autoload -Uz compinit && compinit' before this script"
fi
###-end-anypoint-m2-completions-###`;
