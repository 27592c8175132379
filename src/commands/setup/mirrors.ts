/** What setup asks the mirrors about (--exclude-from-mirrors), and the summary's lines about it. */
import { facadeHost } from "../../project/exchange";
import { findPom, loadPom, pomExchange } from "../../project/load";
import type { MirrorIds } from "../../settings/exclude";
import type { MirrorTarget } from "../../settings/mirrors";
import type { Io } from "../../world";
import type { SetupArgs } from "./inputs";

/** The project's pom for the findings: --pom, else ./pom.xml; none when neither is there. */
export function projectPom(args: SetupArgs, io: Io) {
  try {
    const path = findPom(io, args.pom);
    return path === undefined ? undefined : loadPom(io, path);
  } catch {
    // setup says what is wrong with the pom where it uses it; here a pom that cannot be found tells nothing.
    return undefined;
  }
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
