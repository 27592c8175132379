/**
 * What a connected app's credentials look like in settings.xml, and the names every layer shares: the ground
 * floor, which imports nothing (test/floors.test.ts keeps it so).
 */

/** The username Exchange takes for an Anypoint connected app (exactly this, in this case). */
export const CONNECTED_APP_USERNAME = "~~~Client~~~";

/** Between the client ID and the client secret in a connected app's password: `clientID~?~clientSecret`. */
export const SEPARATOR = "~?~";

/**
 * What mule-maven-plugin's deployer gets wrong in these credentials: it splits the password with commons-lang3
 * StringUtils.split(password, "~?~"), at each `~` and each `?`. Each as "the client ID holds '~'"; none when fine.
 */
export function splitCharacters(clientId: string, clientSecret: string): string[] {
  return [
    ...[..."~?"].filter((c) => clientId.includes(c)).map((c) => `the client ID holds '${c}'`),
    ...[..."~?"].filter((c) => clientSecret.includes(c)).map((c) => `the client secret holds '${c}'`),
  ];
}

/** The server id when none is given and the pom names none: the id Exchange's documentation uses. */
export const DEFAULT_SERVER_ID = "anypoint-exchange-v3";

/** The variables the credentials are read from, and the ones `--store env` writes into settings.xml by default. */
export const CLIENT_ID_ENV = "ANYPOINT_CLIENT_ID";
export const CLIENT_SECRET_ENV = "ANYPOINT_CLIENT_SECRET";
