/** Where a command is, as a shell finds it: a name with a slash from the current folder, any other on the PATH. */
import { resolve } from "node:path";
import type { Fs } from "../world";

/** An executable file (a directory or a file without an x bit is not one). */
const executable = (fs: Fs, path: string): boolean => {
  const stat = fs.statSync(path, { throwIfNoEntry: false });
  return Boolean(stat?.isFile() && (stat.mode & 0o111) !== 0);
};

/**
 * The file `command` runs: a name with a slash is taken from `cwd` when it exists (executable or not: running it
 * tells which); any other, the first executable of that name in a PATH folder (an empty entry is the current
 * folder). Undefined when there is none.
 */
export function findCommand(fs: Fs, command: string, pathVariable: string | undefined, cwd: string): string | undefined {
  if (command.includes("/")) {
    const path = resolve(cwd, command);
    return fs.statSync(path, { throwIfNoEntry: false }) ? path : undefined;
  }
  return (pathVariable ?? "").split(":").map((dir) => resolve(cwd, dir || ".", command)).find((candidate) => executable(fs, candidate));
}
