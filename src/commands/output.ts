/** Printing a command's result: one JSON object for --json, short sentences otherwise; warnings on stderr. */
import type { Io } from "./io";

export function report(io: Io, json: boolean, result: Record<string, unknown>, human: string[]): void {
  for (const w of (result.warnings as string[] | undefined) ?? []) io.stderr(`warning: ${w}`);
  if (json) io.stdout(JSON.stringify(result));
  else for (const line of human) io.stdout(line);
}
