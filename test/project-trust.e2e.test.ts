// What a project may decide (src/io/trust.ts), run end to end with the built CLI: a project's ./.env and a
// settings file its .mvn/ chose never say where a credential goes. A loopback control plane answers the
// token requests; a real loopback proxy that takes the connected app's credentials records what reaches it.
import { chmodSync, mkdirSync, readFileSync, realpathSync, truncateSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlPlane, tokenEndpoint, type ControlPlane } from "./helpers/anypoint";
import { expectNoSecret, recorder, tempHome } from "./helpers/cli";
import { forwardingProxy, type Proxy } from "./helpers/proxy";

const CLIENT_ID = "0123456789abcdef0123456789abcdef";
const SECRET = "Project-Trust-Secret-9d2e";
const TOKEN = "tok-11112222-3333-4444-5555-666677778888";
const { m2, outputs } = recorder();
const SMALL_HEAP = { NODE_OPTIONS: "--max-old-space-size=256" };

let anypoint: ControlPlane;
let proxy: Proxy;
beforeAll(async () => {
  anypoint = await controlPlane();
  // It forwards only a request that gives it the connected app's ID and secret as its own credentials.
  proxy = await forwardingProxy({ username: CLIENT_ID, password: SECRET });
});
afterAll(async () => {
  expectNoSecret(outputs, [SECRET, TOKEN], 8);
  await Promise.all([anypoint.close(), proxy.close()]);
});

const accept = () => {
  anypoint.handle((req, res, n) => {
    if (req.url === "/accounts/api/me") return void res.writeHead(200, { "content-type": "application/json" }).end("{}");
    tokenEndpoint(CLIENT_ID, SECRET, TOKEN)(req, res, n);
  });
  proxy.seen.length = 0;
};

const tokenRequests = () => anypoint.requests.filter((r) => r.url === "/accounts/api/v2/oauth2/token");

describe("a project's ./.env", () => {
  /** A checked-out repository whose ./.env names an Exchange URL, as CI runs setup inside one. */
  function checkout(): { home: string; project: string; settings: string } {
    const home = tempHome();
    const project = join(home, "project");
    mkdirSync(project);
    writeFileSync(join(project, ".env"), "ANYPOINT_EXCHANGE_URL=https://exchange.evil.example/maven\n");
    return { home, project, settings: join(home, ".m2", "settings.xml") };
  }
  const credentials = { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET };

  it("does not choose the URL of the repository Maven sends the credentials to (setup --with-repositories)", async () => {
    const { home, project, settings } = checkout();
    const r = await m2(["setup", "--with-repositories", "--no-verify", "--yes"], { home, cwd: project, env: credentials });
    expect(r.code).toBe(0);
    const written = readFileSync(settings, "utf8");
    expect(written).toContain("<url>https://maven.anypoint.mulesoft.com/api/v3/maven</url>");
    expect(written).not.toContain("evil");
    expect(r.stderr).toContain(`warning: ignored ANYPOINT_EXCHANGE_URL from ${join(project, ".env")}`);
    // Named with --env-file, the same file is the user's choice.
    const trusted = await m2(["setup", "--with-repositories", "--no-verify", "--yes", "--env-file", ".env"], { home, cwd: project, env: credentials });
    expect(trusted.code).toBe(0);
    expect(readFileSync(settings, "utf8")).toContain("<url>https://exchange.evil.example/maven</url>");
  });

  it("does not fill in ${env.X} in the proxy credentials of the user's own settings file (Maven would not)", async () => {
    accept();
    const home = tempHome();
    const project = join(home, "project");
    mkdirSync(project);
    writeFileSync(join(project, ".env"), `ANYPOINT_CLIENT_ID=${CLIENT_ID}\nANYPOINT_CLIENT_SECRET=${SECRET}\n`);
    const settings = join(home, "own-settings.xml");
    const { port } = new URL(proxy.url);
    writeFileSync(
      settings,
      `<settings><proxies><proxy><host>127.0.0.1</host><port>${port}</port><username>\${env.ANYPOINT_CLIENT_ID}</username><password>\${env.ANYPOINT_CLIENT_SECRET}</password></proxy></proxies></settings>\n`,
    );
    const r = await m2(["setup", "--dry-run", "--yes", "--settings", settings, "--timeout", "2"], { home, cwd: project, env: { ANYPOINT_BASE_URL: anypoint.url } });
    // The proxy was asked, without the connected app's credentials: it refused.
    expect(proxy.seen.length).toBeGreaterThan(0);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain("407");
    expect(tokenRequests()).toHaveLength(0);
  });

  it("nor the Exchange URL of a control plane whose facade is not known: setup asks for --exchange-url and sends nothing", async () => {
    accept();
    const { home, project, settings } = checkout();
    const r = await m2(["setup", "--with-repositories", "--yes"], { home, cwd: project, env: { ...credentials, ANYPOINT_BASE_URL: anypoint.url } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--exchange-url");
    expect(anypoint.requests).toHaveLength(0);
    expect(() => readFileSync(settings)).toThrow();
  });
});

describe("the user's own settings file in a project whose .mvn/ sets -Denv.X", () => {
  it("the variable itself is read, not the one the project's -Denv.X names, and a warning says so", async () => {
    accept();
    const home = tempHome();
    const project = join(home, "project");
    mkdirSync(join(project, ".mvn"), { recursive: true });
    mkdirSync(join(home, ".m2"), { recursive: true });
    writeFileSync(join(home, ".m2", "settings.xml"), "<settings><servers><server><id>anypoint-exchange-v3</id><username>~~~Client~~~</username><password>${env.ANYPOINT_CLIENT_ID}~?~${env.ANYPOINT_CLIENT_SECRET}</password></server></servers></settings>\n");
    writeFileSync(join(project, ".mvn", "maven.config"), "-Denv.ANYPOINT_CLIENT_SECRET=${env.AWS_SECRET_ACCESS_KEY}\n");
    const r = await m2(["verify"], { home, cwd: project, env: { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET, AWS_SECRET_ACCESS_KEY: "AWS-Not-Yours-77", ANYPOINT_BASE_URL: anypoint.url } });
    expect(r.code, r.stderr).toBe(0);
    expect(tokenRequests().at(-1)!.body).toContain(`client_secret=${SECRET}`);
    expect(anypoint.requests.some((q) => q.body.includes("AWS-Not-Yours-77"))).toBe(false);
    expect(r.stderr).toContain(`warning: -Denv.ANYPOINT_CLIENT_SECRET in ${join(realpathSync(home), "project", ".mvn", "maven.config")}`);
  });
});

describe("a settings file chosen by a project's .mvn/", () => {
  /**
   * A settings file whose server takes the credentials from the environment and whose <proxy> is this test's
   * proxy, with the connected app's ID and secret as its credentials; `.mvn/maven.config` in `mvnAt` chooses
   * it, and the command runs in `cwd` (the project, or a folder below a common one, like /tmp/.mvn).
   */
  function chosen(upwards: boolean): { home: string; cwd: string; settings: string } {
    const home = tempHome();
    const root = realpathSync(home);
    const mvnAt = upwards ? join(root, "common") : join(root, "project");
    const cwd = upwards ? join(mvnAt, "someone", "project") : mvnAt;
    mkdirSync(join(mvnAt, ".mvn"), { recursive: true });
    mkdirSync(cwd, { recursive: true });
    const settings = join(mvnAt, "chosen-settings.xml");
    writeFileSync(join(mvnAt, ".mvn", "maven.config"), `--settings=${settings}\n`);
    writeFileSync(
      settings,
      `<settings>
  <servers>
    <server>
      <id>anypoint-exchange-v3</id>
      <username>~~~Client~~~</username>
      <password>${CLIENT_ID}~?~${SECRET}</password>
    </server>
  </servers>
  <proxies>
    <proxy>
      <id>project</id>
      <host>127.0.0.1</host>
      <port>${new URL(proxy.url).port}</port>
      <username>\${env.ANYPOINT_CLIENT_ID}</username>
      <password>\${env.ANYPOINT_CLIENT_SECRET}</password>
    </proxy>
  </proxies>
</settings>
`,
    );
    return { home, cwd, settings };
  }
  const env = () => ({ ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET, ANYPOINT_BASE_URL: anypoint.url });

  it.each([
    ["doctor", ["doctor", "--json"], false],
    ["doctor, the .mvn in a folder above (like /tmp/.mvn)", ["doctor", "--json"], true],
    ["verify", ["verify"], false],
    ["verify, the .mvn in a folder above", ["verify"], true],
    ["setup --dry-run", ["setup", "--dry-run", "--yes"], false],
    // (the env store: a printed file with a literal password would hold the secret)
    ["setup --stdout", ["setup", "--stdout", "--store", "env", "--yes"], false],
    ["rotate --dry-run", ["rotate", "--client-id", CLIENT_ID, "--dry-run", "--yes"], false],
  ] as const)("%s: the token request does not go through its <proxy>", async (_, args, upwards) => {
    accept();
    const { home, cwd, settings } = chosen(upwards);
    const before = readFileSync(settings);
    const r = await m2([...args], { home, cwd, env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(proxy.seen).toEqual([]);
    expect(tokenRequests()).toHaveLength(1);
    expect(tokenRequests()[0]!.headers["proxy-authorization"]).toBeUndefined();
    expect(r.stderr).toContain("the <proxy> of the settings file is not used for requests to Anypoint");
    if (args[0] === "doctor") expect(JSON.parse(r.stdout).checked).toMatchObject([{ result: "accepted" }]);
    // A dry run writes nothing, so it goes on, saying that the real run is refused.
    for (const flag of ["--dry-run", "--stdout"]) {
      if ((args as readonly string[]).includes(flag)) expect(r.stderr).toContain(`warning: run without ${flag}, this is refused (exit 2): `);
    }
    expect(readFileSync(settings).equals(before)).toBe(true);
  });

  it.each([
    ["doctor", ["doctor"]],
    ["doctor --json", ["doctor", "--json"]],
    ["verify", ["verify"]],
    ["list --json", ["list", "--json"]],
  ] as const)("%s: ${env.X} and -D values of the user's in its password are neither sent nor shown", async (_, args) => {
    accept();
    const home = tempHome();
    const project = join(realpathSync(home), "project");
    mkdirSync(join(project, ".mvn"), { recursive: true });
    writeFileSync(join(project, ".mvn", "maven.config"), "-s evil.xml\n");
    writeFileSync(
      join(project, "evil.xml"),
      "<settings><servers><server><id>anypoint-exchange-v3</id><username>~~~Client~~~</username><password>${env.SUPER_SECRET_TOKEN}~?~${ci.token}</password></server></servers></settings>\n",
    );
    const leaks = { SUPER_SECRET_TOKEN: "ghp_LEAKED_VALUE_1234", MAVEN_OPTS: `-Duser.home=${home} -Dci.token=aws_LEAK_5678` };
    const r = await m2([...args], { home, cwd: project, env: { ...env(), ...leaks } });
    for (const value of ["ghp_LEAKED_VALUE_1234", "aws_LEAK_5678"]) {
      expect(r.stdout).not.toContain(value);
      expect(r.stderr).not.toContain(value);
      expect(anypoint.requests.some((q) => q.body.includes(value) || JSON.stringify(q.headers).includes(value))).toBe(false);
    }
    expect(r.stderr).toContain(`note: \${…} in ${join(project, "evil.xml")} is not resolved from your environment: ${join(project, ".mvn", "maven.config")} chose that file`);
    expect(tokenRequests()).toHaveLength(0);
    if (args[0] === "verify") expect(r.code).toBe(2);
    if (args[0] === "list") expect(r.code).toBe(0);
    // Named with --settings, the file is the user's own, resolved as Maven resolves it.
    const trusted = await m2(["list", "--json", "--settings", join(project, "evil.xml")], { home, cwd: project, env: { ...env(), ...leaks } });
    expect(JSON.parse(trusted.stdout).servers[0].clientId).toBe("${env.SUPER_SECRET_TOKEN}");
  });

  it("remove matches its ids as written, not with the user's variables: a guess of a variable's value finds nothing", async () => {
    const home = tempHome();
    const project = join(home, "project");
    mkdirSync(join(project, ".mvn"), { recursive: true });
    writeFileSync(join(project, ".mvn", "maven.config"), "-s proj-settings.xml\n");
    const file = join(project, "proj-settings.xml");
    writeFileSync(file, "<settings><servers><server><id>${env.AWS_SECRET_ACCESS_KEY}</id><username>a</username><password>b</password></server></servers></settings>\n");
    const before = readFileSync(file);
    const guess = "AWSSECRET123";
    const r = await m2(["remove", guess, "--dry-run"], { home, cwd: project, env: { AWS_SECRET_ACCESS_KEY: guess } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toContain("reads as");
    expect(r.stderr).toContain("is not resolved from your environment");
    const real = await m2(["remove", guess], { home, cwd: project, env: { AWS_SECRET_ACCESS_KEY: guess } });
    expect(real.code).toBe(0);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  // Once out of memory: 20,000 ids each made 60 KB long by one -D of the project's (list printed 1.2 GB).
  it("ids that a -D of the project makes huge are kept as written: list ends, within a 256 MB heap", async () => {
    const home = tempHome();
    const project = join(home, "project");
    mkdirSync(join(project, ".mvn"), { recursive: true });
    writeFileSync(join(project, ".mvn", "maven.config"), `-s evil.xml\n-Dx=${"A".repeat(60_000)}\n`);
    const servers = Array.from({ length: 20_000 }, () => "<server><id>${x}</id><username>u</username><password>p</password></server>\n").join("");
    writeFileSync(join(project, "evil.xml"), `<settings><servers>\n${servers}</servers></settings>\n`);
    const r = await m2(["list", "--json"], { home, cwd: project, env: { ...SMALL_HEAP } });
    expect(r.code, r.stderr.slice(0, 300)).toBe(0);
    const listed = JSON.parse(r.stdout) as { servers: { id: string }[] };
    expect(listed.servers).toHaveLength(20_000);
    expect(new Set(listed.servers.map((s) => s.id))).toEqual(new Set(["${x}"]));
  });

  it("a .mvn/jvm.config over 1 MiB (a sparse file of gigabytes, say) is refused at once, not read whole", async () => {
    const home = tempHome();
    const project = join(home, "project");
    mkdirSync(join(project, ".mvn"), { recursive: true });
    const config = join(project, ".mvn", "jvm.config");
    writeFileSync(config, "");
    truncateSync(config, 3 * 1024 ** 3);
    const r = await m2(["list"], { home, cwd: project, env: { ...SMALL_HEAP } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${config} is larger than 1 MiB, which no Maven configuration file is`);
  });

  it("a .mvn any user can write (as a /tmp/.mvn would be) is named in a warning; the project's own is not", async () => {
    const own = chosen(true);
    const quiet = await m2(["list"], { home: own.home, cwd: own.cwd });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toContain("warning");
    const planted = chosen(true);
    const mvn = join(dirname(planted.settings), ".mvn");
    chmodSync(mvn, 0o777);
    const r = await m2(["list"], { home: planted.home, cwd: planted.cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: any user can write ${mvn}, and ${join(mvn, "maven.config")} chooses the settings file Maven reads below ${dirname(mvn)}`);
  });

  it("named with --settings, the same file is the user's own: its <proxy> is used, with ${env.X} resolved as Maven does", async () => {
    accept();
    const { home, cwd, settings } = chosen(false);
    const r = await m2(["verify", "--settings", settings], { home, cwd, env: env() });
    expect(r.code, r.stderr).toBe(0);
    // The proxy let the requests through: they gave it the connected app's ID and secret.
    expect(proxy.seen.length).toBeGreaterThan(0);
    expect(new Set(proxy.seen)).toEqual(new Set([`CONNECT ${new URL(anypoint.url).host}`]));
    expect(tokenRequests()).toHaveLength(1);
    expect(r.stderr).not.toContain("<proxy>");
  });
});
