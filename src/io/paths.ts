import { join, resolve } from "node:path";

/** The settings file a command works on: --settings (with ~ expanded), else ~/.m2/settings.xml. */
export function settingsPath(option: string | undefined, home: string): string {
  if (!option) return join(home, ".m2", "settings.xml");
  if (option === "~" || option.startsWith("~/")) return join(home, option.slice(1));
  return resolve(option);
}
