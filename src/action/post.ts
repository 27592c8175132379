/**
 * The GitHub Action's post step (action.yml runs.post), when the job ends, whatever its outcome: each file
 * the main step watched (snapshot.ts) is put back byte for byte, mode too, or removed when the job created
 * it, and so are the folders it created while they are empty; a file changed after the Action wrote it is
 * left as it is, with a warning. Then the private copies are removed.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { command, say } from "./runner";
import { look, MANIFEST, putBack, removeEmptyFolders, SNAPSHOT_STATE, verdict, type Snapshot } from "./snapshot";

export function post(env: Record<string, string | undefined>): number {
  const keep = env[`STATE_${SNAPSHOT_STATE}`];
  // The main step stopped before it looked at anything (a wrong input): nothing to put back.
  if (!keep) return 0;
  let failed = false;
  try {
    const snapshot = JSON.parse(readFileSync(join(keep, MANIFEST), "utf8")) as Snapshot;
    for (const watched of snapshot.files) {
      const what = verdict(watched, look(watched.path));
      try {
        if (what === "restore" || what === "remove") {
          putBack(watched, what);
          say(what === "restore" ? `Put ${watched.path} back as it was before the job.` : `Removed ${watched.path}, which this job created.`);
        } else if (what === "changed") {
          command("warning", `${watched.path} was changed after anypoint-m2 wrote it, so it is left as it is: it may still hold the connected app's credentials.`);
        }
      } catch (e) {
        failed = true;
        command("error", `could not put ${watched.path} back as it was before the job (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): it may still hold the connected app's credentials.`);
      }
    }
    // Only while empty: Maven's repository cache, say, keeps a created ~/.m2.
    for (const folder of removeEmptyFolders(snapshot.missingFolders)) say(`Removed ${folder}, which this job created.`);
  } catch (e) {
    failed = true;
    command("error", `could not read what the settings file was before the job (${(e as Error).message}); it is left as anypoint-m2 wrote it.`);
  } finally {
    rmSync(keep, { recursive: true, force: true });
  }
  return failed ? 1 : 0;
}

process.exitCode = post(process.env);
