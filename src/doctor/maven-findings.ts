/**
 * Findings that depend on which Maven reads the files (src/io/maven-version.ts): `<aliases>` that Maven
 * ignores, and credentials in the project's `.mvn/settings.xml` (Maven 4's project settings, which may not
 * hold them). Pure: texts and the Maven in, findings out.
 */
import { lineColumn } from "../errors";
import { readsAliases, type MavenVersion } from "../maven/version";
import { fieldValue, readSettings } from "../settings/model";
import { serverAliases } from "../settings/servers";
import type { Finding } from "./findings";

export interface JudgingMaven extends MavenVersion {
  source: string;
}

const CREDENTIALS = ["username", "password", "privateKey", "passphrase"];

/** The servers of a settings text, each with its line; none when the text is not one this reads. */
function servers(text: string): { id: string; line: number; aliases: string[]; credentials: string[] }[] {
  try {
    const model = readSettings(text);
    return (model.servers?.children("server") ?? []).map((element) => ({
      id: fieldValue(model, element.child("id")) ?? "",
      line: lineColumn(text, element.start).line,
      aliases: serverAliases(model, element),
      credentials: CREDENTIALS.filter((name) => element.child(name)),
    }));
  } catch {
    return [];
  }
}

/** Which Maven doctor judged by, for people. */
export const describeMaven = (maven: JudgingMaven | undefined): string =>
  maven ? `Maven ${maven.version} (${maven.source})` : "no mvn found on the PATH (pass --maven-version to name the Maven that reads the file)";

export function mavenFindings(settings: { path: string; text: string | undefined }, project: { path: string; text: string } | undefined, maven: JudgingMaven | undefined): Finding[] {
  const findings: Finding[] = [];
  if (settings.text !== undefined && maven && !readsAliases(maven)) {
    for (const s of servers(settings.text).filter((x) => x.aliases.length > 0)) {
      findings.push({
        severity: "warning",
        code: "aliases-ignored",
        message: `server "${s.id}" lists <aliases> (${s.aliases.map((a) => `"${a}"`).join(", ")}), which ${describeMaven(maven)} ignores: repositories with those ids get no credentials from it`,
        file: settings.path,
        line: s.line,
        fix: `give each id a server of its own (anypoint-m2 setup ${s.aliases.map((a) => `--server-id ${a}`).join(" ")}), or build with Maven 3.10`,
      });
    }
  }
  if (project) {
    const holding = servers(project.text).filter((x) => x.credentials.length > 0);
    for (const s of holding) {
      const four = maven !== undefined && maven.major >= 4;
      findings.push({
        severity: four ? "error" : "warning",
        code: "project-settings-credentials",
        message:
          `server "${s.id}" in the project's settings holds ${s.credentials.map((c) => `<${c}>`).join(", ")}: ` +
          (four ? `${describeMaven(maven)} does not take credentials from project settings (it warns "not supported on project settings")` : "Maven 4 takes no credentials from project settings, Maven 3 does not read the file at all") +
          ", and a project file is shared with everyone who clones it",
        file: project.path,
        line: s.line,
        fix: "move the credentials to your user settings (anypoint-m2 setup), and take them out of the project",
      });
    }
  }
  return findings;
}
