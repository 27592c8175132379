/**
 * What diagnose needs besides the files, as doctor and setup (its findings about what it writes) both give it:
 * the values Maven resolves `${…}` with, the security files' master passwords, the Maven line and the pom named.
 */
import { isProjectFile, mavenUserSettings } from "../io/paths";
import { mavenVersion } from "../io/maven-version";
import { securityLocation } from "../io/security";
import { security4File } from "../io/security4";
import type { SettingsValues } from "../io/trust";
import type { Io } from "../world";
import type { DiagnoseContext } from "./diagnose";
import type { AltDeployment } from "./misconfig";
import { securityFilePasswords } from "./passwords";

export interface ContextArgs {
  pom?: string;
  securityFile?: string;
  mavenReadsSecurityFile?: boolean;
  mavenVersion?: string;
}

export function diagnoseContext(args: ContextArgs, io: Io, values: SettingsValues): DiagnoseContext {
  // Which Maven reads the file is found when a finding asks (reading mvn's jar costs a few milliseconds).
  let maven: DiagnoseContext["maven"] | null = null;
  return {
    env: values.env,
    properties: values.properties,
    passwords: securityFilePasswords(io, securityLocation(args, io), () => security4File(args, io)),
    get maven() {
      if (maven === null) {
        const found = mavenVersion(args, io);
        maven = found ? { version: found.version, major: found.major } : undefined;
      }
      return maven;
    },
    ...(args.pom !== undefined ? { pomOption: args.pom } : {}),
    ...altDeployment(io),
  };
}

/** -DaltDeploymentRepository when a project's .mvn/ file gives it, with the line that does. */
function altDeployment(io: Io): { altDeployment?: AltDeployment } {
  const { properties, sources } = mavenUserSettings(io);
  const value = properties.altDeploymentRepository;
  const file = sources.altDeploymentRepository;
  if (value === undefined || file === undefined || !isProjectFile(file)) return {};
  let line = 1;
  try {
    const lines = (io.fs.readFileSync(file, "utf8") as string).split(/\r\n|\r|\n/);
    line = lines.findIndex((l) => l.includes("altDeploymentRepository")) + 1 || 1;
  } catch {
    // Read a moment ago to give the value: the line is then only unknown.
  }
  return { altDeployment: { value, file, line } };
}
