/**
 * How `anypoint-m2 exec` points a command at its private settings file: Maven's launchers (mvn, the Maven
 * Wrapper's mvnw, the Maven Daemon's mvnd, and their Windows .cmd forms) get `-s FILE` as their first
 * argument; any other command gets only the ANYPOINT_M2_SETTINGS variable, to pass on itself. Pure.
 */
import { mavenOptions } from "./arguments";

/** The variable every command exec runs finds the private settings file's path in. */
export const SETTINGS_VARIABLE = "ANYPOINT_M2_SETTINGS";

/** mvn, mvnw, mvnd, mvnDebug, by their file name (any folder: ./mvnw, /opt/maven/bin/mvn, C:\maven\bin\mvn.cmd). */
const LAUNCHER = /^(mvn|mvnw|mvnd|mvnDebug)(\.cmd|\.bat|\.sh)?$/i;

export const isMavenLauncher = (command: string): boolean => LAUNCHER.test(command.split(/[\\/]/).pop() ?? "");

export type Launch = { argv: string[] } | { refused: string; hint: string };

/**
 * The command line to run: for a Maven launcher, `-s FILE` first. A `-s`/`--settings` of the user's own is
 * refused: Maven reads the first one it is given, so one of the two files would be silently ignored.
 */
export function launch(command: string, args: readonly string[], file: string): Launch {
  if (!isMavenLauncher(command)) return { argv: [command, ...args] };
  if (mavenOptions([...args]).some((o) => o.key === "s")) {
    return {
      refused: `the command names a settings file (-s or --settings); exec gives Maven its own, the file Maven would read merged with the server`,
      hint: "Give that file to exec instead, which merges the server into a private copy of it: anypoint-m2 exec --settings FILE -- mvn ...",
    };
  }
  return { argv: [command, "-s", file, ...args] };
}
