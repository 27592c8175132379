/**
 * What doctor would find about what setup writes (src/doctor/diagnose.ts on the text as planned or written):
 * the findings about the ids written (a mirror that takes them, their password's form and store), the pom's
 * Exchange repositories left without a server, the file's permissions and whether Maven reads it at all.
 * They never change setup's exit code: the text says the build will still fail, and why. A bundle of its own
 * (dist/findings.cjs, with doctor's diagnose), loaded once a file is planned: the other commands start without it.
 */
import { diagnose } from "../../doctor/diagnose";
import { describeFinding, sortFindings, type Finding } from "../../doctor/findings";
import { diagnoseContext } from "../../doctor/context";
import type { Io } from "../../world";
import type { Inputs, SetupArgs } from "./inputs";
import { projectPom } from "./mirrors";

/** Findings about the whole file or the pom's ids that concern any write; the others, only about the ids written. */
const ALWAYS = new Set(["settings-rejected", "no-server"]);

/** Doctor's findings on `text` (the settings file setup writes, of this mode), those about what setup writes. */
export function setupFindings(args: SetupArgs, io: Io, inputs: Inputs, path: string, text: string, mode: number | undefined, command: "setup" | "exec" = "setup"): Finding[] {
  const pom = projectPom(args, io);
  const diagnosis = diagnose({ path, text, exists: true, mode }, pom?.error ? undefined : pom, { ...diagnoseContext(args, io, inputs.values), command });
  const written = new Set(inputs.serverIds);
  const kept = diagnosis.findings.filter((f) => {
    if (ALWAYS.has(f.code)) return true;
    // The store named the variables Maven will need (storageLines says so): unset here is no news.
    if (f.code === "env-unset") return inputs.storage.store !== "env";
    // Who can read the file matters for the secret written as is; the env store writes none.
    if (f.code === "settings-readable") return inputs.storage.store === "literal";
    return (diagnosis.about.get(f) ?? []).some((id) => written.has(id));
  });
  return sortFindings(kept);
}

/** Errors whose build gets a 401: Maven sends no credentials, or not these. */
const UNAUTHORIZED = new Set(["no-server", "mirror-intercepts", "not-connected-app", "username-case", "password-form", "env-unset", "encrypted-undecryptable"]);

/**
 * The findings as lines for people, under a sentence that says whether the build will still fail: once the
 * file is written (`planned`: a dry run or the wizard's preview), or (`run`: exec) when the command runs now.
 */
export function findingLines(findings: readonly Finding[], when: "written" | "planned" | "run", color: boolean): string[] {
  if (findings.length === 0) return [];
  // A mirror that takes an id written fails the build wherever the pom uses the id (doctor, without the pom, cannot tell).
  const errors = findings.filter((f) => f.severity === "error" || f.code === "mirror-intercepts");
  const outcome = errors.every((f) => UNAUTHORIZED.has(f.code)) ? "get a 401 from Exchange" : "fail";
  const head =
    when === "run" ? (errors.length > 0 ? `The build will still ${outcome}, as anypoint-m2 doctor finds:` : "anypoint-m2 doctor notes:")
    : errors.length > 0 ? `${when === "planned" ? "Once written" : "Written"}, but the build will still ${outcome}, as anypoint-m2 doctor finds:`
    : `${when === "planned" ? "Once written" : "Written"}; anypoint-m2 doctor notes:`;
  return [head, ...findings.flatMap((f) => describeFinding(f, color).map((l) => `  ${l}`))];
}
