/**
 * The three ways a connected app's password can be stored in settings.xml, and Maven's traps for each:
 *
 * - literal: `clientID~?~clientSecret` as is;
 * - env: `${env.ID}~?~${env.SECRET}`, resolved by Maven from its environment when it reads the file;
 * - encrypted: `{...}`, Maven 3's encryption with the master password of settings-security.xml.
 *
 * Maven first resolves `${…}` in the whole file, then takes any password holding `{…}` for an encrypted one
 * and decrypts it (plexus-sec-dispatcher); what does not decrypt is sent as written (Maven 3) or stops the
 * build (Maven 4). Pure functions, shared by setup, verify, list, rotate and doctor.
 */
import { SEPARATOR } from "../domain";
import { decrypt, encryptedPart } from "../maven/cipher";
import { decrypt4, value4 } from "../maven/cipher4";
import { isMaven4Value } from "../maven/security";
import { javaTrim } from "../xml/scan";
import { interpolate, type Env, type Properties } from "./interpolate";
import { TOKEN_USERNAME } from "./token";

export type Store = "literal" | "env" | "encrypted" | "token";
export const STORES: readonly Store[] = ["literal", "env", "encrypted", "token"];

/** Maven's `${…}` (plexus RegexBasedInterpolator: `\$\{(.+?)\}`, `.` stopping at line terminators). */
const EXPRESSION = /\$\{([^\n\r\u0085\u2028\u2029]+?)\}/g;

/**
 * How Maven treats a password as written: "env" when it holds `${…}` (resolved before anything else),
 * "encrypted" when it holds `{…}` that Maven will try to decrypt, else "literal".
 */
export function storeOf(written: string): Exclude<Store, "token"> {
  if (new RegExp(EXPRESSION.source).test(written)) return "env";
  return encryptedPart(written) !== undefined ? "encrypted" : "literal";
}

/** The expressions a value refers to, as written: `env.X` for a variable, a bare name for a property (or variable). */
export function references(written: string): string[] {
  return [...new Set([...written.matchAll(EXPRESSION)].map((m) => m[1]!))];
}

/** The environment variables a value needs: X for `${env.X}` (a bare `${X}` is a Maven property first). */
export function envVariables(written: string): string[] {
  return references(written)
    .filter((name) => name.startsWith("env."))
    .map((name) => name.slice(4));
}

/** The expressions neither Maven's known properties nor `env` define: Maven would see them as written. */
export function missingReferences(written: string, env: Env, properties: Properties = {}): string[] {
  return interpolate(written, env, properties).unresolved;
}

/** A value in Maven 4's encrypted format, which Maven 3 (and anypoint-m2) cannot decrypt. */
export const isMaven4Encrypted = isMaven4Value;

export type Decrypted = { clear: string } | { failure: "maven4" | "does not decrypt" };

/** Which Maven's master password an encrypted value needs: Maven 4's for its own values, else Maven 3's. */
export type Generation = 3 | 4;
export const generationOf = (value: string): Generation => (value4(value) ? 4 : 3);

/**
 * A password as Maven's settings decrypter gives it. Generation 4: a Maven 4 value, decrypted with Maven 4's
 * master password. Otherwise as Maven 3 does it: when it holds `{…}`, the decryption of what is between the
 * braces (the text around them is dropped, as Maven drops it) with the master password; else as it is.
 */
export function decryptPassword(value: string, master: string, generation: Generation = 3): Decrypted {
  if (generation === 4) {
    const clear = decrypt4(value, master);
    return clear === undefined ? { failure: "does not decrypt" } : { clear };
  }
  const part = encryptedPart(value);
  if (part === undefined) return { clear: value };
  if (isMaven4Value(value)) return { failure: "maven4" };
  const clear = decrypt(`{${part}}`, master);
  return clear === undefined ? { failure: "does not decrypt" } : { clear };
}

/** `${env.NAME}`: what the env store writes for a variable. */
export const envReference = (name: string): string => `\${env.${name}}`;

/** The password the env store writes. */
export const envPassword = (idVariable: string, secretVariable: string): string => `${envReference(idVariable)}${SEPARATOR}${envReference(secretVariable)}`;

export interface Trap {
  /** Refused: nothing is written. Otherwise a warning. */
  refuse: boolean;
  message: string;
  hint?: string;
}

export interface TrapContext {
  /** The environment Maven will run in (here: the current one, not an env file). */
  env?: Env;
  properties?: Properties;
  /** For the env store: the variables' names. */
  variables?: { id: string; secret: string };
}

/** Which of the two values holds `pattern`, for messages that never quote them. */
function holder(clientId: string, clientSecret: string, has: (s: string) => boolean): string {
  return has(clientSecret) ? "the client secret" : has(clientId) ? "the client ID" : "the password (client ID~?~secret)";
}

/**
 * What storing these credentials this way would do wrong, caught before writing: braces Maven takes for an
 * encrypted value, `${` Maven resolves, `~` and `?` the Mule Maven plugin's deployer splits at, and (env
 * store) variables that are unset here or hold other credentials. Messages never hold a value.
 */
export function passwordTraps(store: Store, clientId: string, clientSecret: string, context: TrapContext = {}): Trap[] {
  const traps: Trap[] = [];
  const password = `${clientId}${SEPARATOR}${clientSecret}`;
  const encryptedHint = "Use --store encrypted: Maven decrypts such a value to exactly what was encrypted.";
  if (store !== "encrypted" && new RegExp(EXPRESSION.source).test(password)) {
    const who = holder(clientId, clientSecret, (s) => new RegExp(EXPRESSION.source).test(s));
    const why = `${who} holds a \${...} expression, which Maven replaces with a property or environment variable when it reads settings.xml`;
    traps.push(
      store === "literal"
        ? { refuse: true, message: `${why}, so it cannot be stored as is`, hint: encryptedHint }
        : { refuse: false, message: `${why}; with --store env Maven resolves the variable's value in turn. ${encryptedHint}` },
    );
  }
  // Braces of a ${…} are Maven's to resolve (told above); the others meet the decrypter.
  const bare = (s: string) => s.replace(new RegExp(EXPRESSION.source, "g"), "");
  if (store !== "encrypted" && encryptedPart(bare(password)) !== undefined) {
    const who = holder(clientId, clientSecret, (s) => encryptedPart(bare(s)) !== undefined);
    const why = `${who} holds "{" and "}": Maven takes a password with braces for an encrypted one and tries to decrypt it; Maven 3 then sends the text as written (logging the failure only with -X) and Maven 4 stops the build`;
    traps.push(
      store === "literal"
        ? { refuse: true, message: `${why}, so it cannot be stored as is`, hint: encryptedHint }
        : { refuse: false, message: `${why}; with --store env Maven resolves \${env.…} first and the braces meet the same check. ${encryptedHint}` },
    );
  }
  // Maven puts the variables' values into the settings text and reads that again as XML, which makes a
  // carriage return a line feed (and trims the ends): the literal store refuses one for the same reason
  // (src/settings/value.ts), and so does this one, as Maven would never send these credentials.
  if (store === "env" && password.includes("\r")) {
    traps.push({
      refuse: true,
      message: `${holder(clientId, clientSecret, (s) => s.includes("\r"))} holds a carriage return (U+000D): Maven reads the variable's value back as XML, where it becomes a line feed, so Maven would send other credentials than these`,
      hint: "Check the value for a stray CR (a file saved with Windows line endings), or use --store encrypted: Maven decrypts it to exactly what was encrypted.",
    });
  }
  for (const [label, value] of [["client ID", clientId], ["client secret", clientSecret]] as const) {
    const found = ["~", "?"].filter((c) => value.includes(c));
    if (found.length > 0) {
      traps.push({
        refuse: false,
        message: `the ${label} holds ${found.map((c) => `"${c}"`).join(" and ")}: the Mule Maven plugin's deployer splits the password at each "~" and "?" (not at "${SEPARATOR}"), so deployments would get a wrong client ID or secret; downloads from Exchange are not affected`,
      });
    }
  }
  // Java decodes the environment in the locale's charset: without a UTF-8 locale, other characters reach Maven.
  if (store === "env" && /[^\x00-\x7f]/.test(password)) {
    traps.push({
      refuse: false,
      message: `${holder(clientId, clientSecret, (s) => /[^\x00-\x7f]/.test(s))} holds non-ASCII characters: Java reads environment variables in the locale's encoding, so Maven receives them as typed only under a UTF-8 locale (LANG=C.UTF-8 or LC_ALL=C.UTF-8 where it runs)`,
    });
  }
  if (store === "env" && context.variables) traps.push(...envTraps(context.variables, context.env ?? {}, context.properties ?? {}, password));
  return traps;
}

/**
 * The env store: what Maven would resolve here, compared with the credentials given (`password`, when they are
 * known: an image build may write the references without them).
 */
export function envTraps(variables: { id: string; secret: string }, env: Env, properties: Properties, password?: string): Trap[] {
  const written = envPassword(variables.id, variables.secret);
  const { value, unresolved } = interpolate(written, env, properties);
  if (unresolved.length > 0) {
    const names = unresolved.map((n) => (n.startsWith("env.") ? n.slice(4) : n));
    return [
      {
        refuse: false,
        message: `${names.join(" and ")} ${names.length > 1 ? "are" : "is"} not set in this environment: Maven would see the unresolved text (and, as it holds braces, take it for an encrypted password)`,
        hint: `Set ${names.join(" and ")} wherever Maven runs.`,
      },
    ];
  }
  // Maven reads the resolved file back, trimming the value.
  if (password !== undefined && javaTrim(value) !== password) {
    return [{ refuse: false, message: `${variables.id} and ${variables.secret} in this environment hold other credentials than those given: Maven run here would send those` }];
  }
  return [];
}

/** An env password as setup writes it: `${env.ID}~?~${env.SECRET}` exactly, and the two variables. */
const ENV_PASSWORD = /^\$\{env\.([A-Za-z_][A-Za-z0-9_]*)\}~\?~\$\{env\.([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** A server as written: what sharedStore looks at. */
export interface StoredServer {
  username?: string;
  password?: string;
}

/**
 * The store the servers (as written) share, when they all have one other than literal: what a run of setup
 * that names no store keeps, so that running it again never writes the secret back into the file. A token
 * server (username `~~~Token~~~`) is the token store whatever its password looks like. An env store keeps its
 * variables when every password names the same two, as setup writes them.
 */
export function sharedStore(servers: readonly (StoredServer | undefined)[]): { store: Exclude<Store, "literal">; variables?: { id: string; secret: string } } | undefined {
  const written = servers.filter((s): s is StoredServer & { password: string } => s?.password !== undefined && s.password !== "");
  if (written.length === 0) return undefined;
  const of = (s: StoredServer & { password: string }): Store => (s.username === TOKEN_USERNAME ? "token" : storeOf(s.password));
  const store = of(written[0]!);
  if (store === "literal" || written.some((s) => of(s) !== store)) return undefined;
  if (store !== "env") return { store };
  const pairs = written.map((s) => ENV_PASSWORD.exec(javaTrim(s.password)));
  const first = pairs[0];
  const same = first && pairs.every((m) => m && m[1] === first[1] && m[2] === first[2]);
  return same ? { store, variables: { id: first[1]!, secret: first[2]! } } : { store };
}
