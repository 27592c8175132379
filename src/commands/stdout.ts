/**
 * `anypoint-m2 setup --stdout > ~/.m2/settings.xml`: the shell empties the file before the tool runs, so
 * reading it would find nothing and every server the user had would be lost. Caught before anything else.
 */
import { Exit, M2Error } from "../errors";
import type { Io } from "../world";

export function refuseStdoutOntoSettings(io: Io, path: string, command: string): void {
  const out = io.stdoutFile();
  if (!out) return;
  let target;
  try {
    target = io.fs.statSync(path);
  } catch {
    return;
  }
  if (target.dev !== out.dev || target.ino !== out.ino) return;
  let backup = `${path}.bak`;
  try {
    io.fs.statSync(backup);
  } catch {
    backup = "";
  }
  const what = target.size === 0 ? "the shell emptied it before anypoint-m2 started" : "what anypoint-m2 prints would be mixed into it";
  throw new M2Error(Exit.usage, `standard output is ${path} itself: ${what}`, {
    hint: `${target.size > 0 ? "The file is as it was." : backup ? `Its previous version may be in ${backup} (from the last change anypoint-m2 made); check it before restoring it.` : "No backup of it exists."} Run ${command} without redirecting its output onto the settings file${command === "setup" || command === "remove" ? "; --stdout is for writing a new file elsewhere" : ""}.`,
  });
}
