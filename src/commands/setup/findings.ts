/**
 * What doctor would find about what setup writes (src/doctor/diagnose.ts on the text as planned or written):
 * the findings about the ids written (a mirror that takes them, their password's form and store), the pom's
 * Exchange repositories left without a server, the file's permissions and whether Maven reads it at all.
 * They never change setup's exit code: the text says the build will still fail, and why.
 */
import { diagnose } from "../../doctor/diagnose";
import { describeFinding, sortFindings, type Finding } from "../../doctor/findings";
import { diagnoseContext } from "../../doctor/context";
import { facadeHost } from "../../project/exchange";
import { findPom, loadPom, pomExchange } from "../../project/load";
import type { MirrorIds } from "../../settings/exclude";
import type { MirrorTarget } from "../../settings/mirrors";
import type { Io } from "../../world";
import type { Inputs, SetupArgs } from "./inputs";

/** Findings about the whole file or the pom's ids that concern any write; the others, only about the ids written. */
const ALWAYS = new Set(["settings-rejected", "no-server"]);

/** The project's pom for the findings: --pom, else ./pom.xml; none when neither is there. */
function projectPom(args: SetupArgs, io: Io) {
  try {
    const path = findPom(io, args.pom);
    return path === undefined ? undefined : loadPom(io, path);
  } catch {
    // setup says what is wrong with the pom where it uses it; here a pom that cannot be found tells nothing.
    return undefined;
  }
}

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

/**
 * What the mirrors are asked about for each id written (setup --exclude-from-mirrors): the pom's URL for the
 * id, else the facade setup declares, else the default facade (a wildcard takes any of them alike).
 */
export function mirrorTargets(args: SetupArgs, io: Io, serverIds: readonly string[], exchangeUrl: string | undefined): MirrorTarget[] {
  const pom = projectPom(args, io);
  const repositories = pom && !pom.error ? pomExchange(pom) : [];
  const fallback = exchangeUrl ?? `https://${facadeHost("us")}/api/v3/maven`;
  return serverIds.flatMap((id) => {
    const urls = [...new Set(repositories.filter((r) => r.id === id && r.url).map((r) => r.url!))];
    return (urls.length > 0 ? urls : [fallback]).map((url) => ({ id, url }));
  });
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

/** The summary's lines about --exclude-from-mirrors: the mirrors edited, those left as they are. */
export function mirrorLines(report: { mirrors: MirrorIds[]; named: MirrorIds[] } | undefined, dryRun: boolean): string[] {
  if (!report) return [];
  const ids = (m: MirrorIds) => m.ids.map((id) => `"${id}"`).join(", ");
  return [
    ...report.mirrors.map((m) => `${dryRun ? "Would exclude" : "Excluded"} ${ids(m)} from mirror "${m.mirror}" (line ${m.line}): <mirrorOf>${m.mirrorOf},${m.ids.map((id) => `!${id}`).join(",")}</mirrorOf>.`),
    ...report.named.map((m) => `Left mirror "${m.mirror}" (line ${m.line}) as it is: its <mirrorOf>${m.mirrorOf}</mirrorOf> names ${ids(m)} (take ${m.ids.length > 1 ? "them" : "it"} out by hand if Exchange is not behind it).`),
    ...(report.mirrors.length === 0 && report.named.length === 0 ? ["No mirror takes the ids written: nothing to exclude."] : []),
  ];
}
