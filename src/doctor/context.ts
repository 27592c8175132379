/**
 * What diagnose needs besides the files, as doctor and setup (its findings about what it writes) both give it:
 * the values Maven resolves `${…}` with, the security files' master passwords, the Maven line and the pom named.
 */
import { mavenVersion } from "../io/maven-version";
import { securityLocation } from "../io/security";
import { security4File } from "../io/security4";
import type { SettingsValues } from "../io/trust";
import type { Io } from "../world";
import type { DiagnoseContext } from "./diagnose";
import { securityFilePasswords } from "./passwords";

export interface ContextArgs {
  pom?: string;
  securityFile?: string;
  mavenReadsSecurityFile?: boolean;
  mavenVersion?: string;
}

export function diagnoseContext(args: ContextArgs, io: Io, values: SettingsValues): DiagnoseContext {
  const found = mavenVersion(args, io);
  return {
    env: values.env,
    properties: values.properties,
    passwords: securityFilePasswords(io, securityLocation(args, io), () => security4File(args, io)),
    ...(found ? { maven: { version: found.version, major: found.major } } : {}),
    ...(args.pom !== undefined ? { pomOption: args.pom } : {}),
  };
}
