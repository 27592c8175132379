/**
 * What a connected app's credentials look like in settings.xml, and the names every layer shares: the ground
 * floor, which imports nothing (test/floors.test.ts keeps it so).
 */

/** The username Exchange takes for an Anypoint connected app (exactly this, in this case). */
export const CONNECTED_APP_USERNAME = "~~~Client~~~";

/** Between the client ID and the client secret in a connected app's password: `clientID~?~clientSecret`. */
export const SEPARATOR = "~?~";

/** The server id when none is given and the pom names none: the id Exchange's documentation uses. */
export const DEFAULT_SERVER_ID = "anypoint-exchange-v3";

/** The variables the credentials are read from, and the ones `--store env` writes into settings.xml by default. */
export const CLIENT_ID_ENV = "ANYPOINT_CLIENT_ID";
export const CLIENT_SECRET_ENV = "ANYPOINT_CLIENT_SECRET";
