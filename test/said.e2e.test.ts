// Say what was not done: an unchecked run says so, two secrets are refused, hints fit their command, near
// misses get a suggestion. The built CLI in a scratch home, against the loopback token endpoint.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlPlane, tokenEndpoint, type ControlPlane } from "./helpers/anypoint";
import { expectNoSecret, recorder, tempHome } from "./helpers/cli";

const CLIENT_ID = "4d5e6f708192a3b4c5d6e7f801234567";
const SECRET = "Said-Secret-9f8e";
const OTHER = "Other-Secret-1a2b";
const TOKEN = "tok-5a1d5a1d-0000-4000-8000-5a1d5a1d5a1d";
const NOT_CHECKED = "the credentials were not checked with Anypoint (--no-verify)";
const { m2, outputs } = recorder();
const env = { ANYPOINT_CLIENT_ID: CLIENT_ID, ANYPOINT_CLIENT_SECRET: SECRET };
const settingsOf = (home: string) => join(home, ".m2", "settings.xml");

let anypoint: ControlPlane;
beforeAll(async () => {
  anypoint = await controlPlane();
});
afterAll(async () => {
  await anypoint.close();
  expectNoSecret(outputs, [SECRET, OTHER, TOKEN], 10);
});

describe("an unchecked run says so", () => {
  it("setup --no-verify: in the text and in --json; a checked run does not", async () => {
    const home = tempHome();
    const text = await m2(["setup", "--no-verify", "--yes"], { home, env });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toContain(`warning: ${NOT_CHECKED}`);
    const json = await m2(["setup", "--no-verify", "--yes", "--json", "--server-id", "second"], { home, env });
    expect(JSON.parse(json.stdout)).toMatchObject({ verified: false, warnings: [expect.stringContaining(NOT_CHECKED)] });
    anypoint.handle(tokenEndpoint(CLIENT_ID, SECRET, TOKEN));
    const checked = await m2(["setup", "--yes", "--json", "--base-url", anypoint.url], { home, env });
    expect(checked.code, checked.stderr).toBe(0);
    expect(JSON.parse(checked.stdout)).toMatchObject({ verified: true, warnings: [] });
  });

  it("rotate --no-verify says the new secret was not checked", async () => {
    const home = tempHome();
    expect((await m2(["setup", "--no-verify", "--yes", "-q"], { home, env })).code).toBe(0);
    const r = await m2(["rotate", "--no-verify", "--json"], { home, env: { ...env, ANYPOINT_CLIENT_SECRET: OTHER } });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).warnings).toEqual([expect.stringContaining("the new secret was not checked with Anypoint (--no-verify)")]);
  });
});

describe("two sources for the secret", () => {
  const envFile = (home: string) => {
    writeFileSync(join(home, "ci.env"), `ANYPOINT_CLIENT_SECRET=${OTHER}\n`);
    return join(home, "ci.env");
  };

  it("--client-secret with --client-secret-stdin: exit 2 naming both, nothing written", async () => {
    const home = tempHome();
    const r = await m2(["setup", "--client-id", CLIENT_ID, "--client-secret", OTHER, "--client-secret-stdin", "--no-verify", "--yes"], { home, input: SECRET });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("two client secrets were given: --client-secret and --client-secret-stdin");
    expect(existsSync(join(home, ".m2"))).toBe(false);
  });

  it("a secret flag with an --env-file that sets ANYPOINT_CLIENT_SECRET: exit 2, for setup and rotate", async () => {
    const home = tempHome();
    const file = envFile(home);
    const r = await m2(["setup", "--client-id", CLIENT_ID, "--client-secret-stdin", "--env-file", file, "--no-verify", "--yes"], { home, input: SECRET });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`two client secrets were given: --client-secret-stdin and ANYPOINT_CLIENT_SECRET in ${file} (--env-file)`);
    const rotate = await m2(["rotate", "--client-id", CLIENT_ID, "--client-secret-stdin", "--env-file", file, "--no-verify"], { home, input: SECRET });
    expect(rotate.code).toBe(2);
    expect(rotate.stderr).toContain("two client secrets were given");
  });

  it("the environment's variable, and ./.env, lose to a flag without a word (a flag wins over the environment)", async () => {
    const home = tempHome();
    writeFileSync(join(home, ".env"), `ANYPOINT_CLIENT_SECRET=${OTHER}\n`);
    const r = await m2(["setup", "--client-secret-stdin", "--no-verify", "--yes"], { home, env: { ...env, ANYPOINT_CLIENT_SECRET: OTHER }, input: SECRET });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(settingsOf(home), "utf8")).toContain(`${CLIENT_ID}~?~${SECRET}`);
  });

  it("an empty secret on stdin says how to pipe one", async () => {
    const home = tempHome();
    const r = await m2(["setup", "--client-id", CLIENT_ID, "--client-secret-stdin", "--no-verify", "--yes"], { home, input: "\n" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the client secret from stdin is empty");
    expect(r.stderr).toContain('printf %s "$ANYPOINT_CLIENT_SECRET" | anypoint-m2 ... --client-secret-stdin');
  });
});

describe("suggestions and hints that fit", () => {
  it("remove of a missing id lists the ids there are and suggests the nearest", async () => {
    const home = tempHome();
    for (const id of ["anypoint-exchange-v3", "Repository"]) expect((await m2(["setup", "--no-verify", "--yes", "-q", "--server-id", id], { home, env })).code).toBe(0);
    const before = readFileSync(settingsOf(home));
    const r = await m2(["remove", "repository"], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Its server ids: anypoint-exchange-v3, Repository. Did you mean "Repository"?');
    expect(readFileSync(settingsOf(home)).equals(before)).toBe(true);
    const far = await m2(["remove", "nexus"], { home });
    expect(far.stdout).toContain("Its server ids: anypoint-exchange-v3, Repository.");
    expect(far.stdout).not.toContain("Did you mean");
  });

  it("--region eu1 suggests eu", async () => {
    const r = await m2(["verify", "--region", "eu1"], { home: tempHome() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--region takes one of us, eu, gov, ca, jp (got "eu1"); did you mean eu?');
  });

  it("--help lists only the exit codes the command can end with, and says where --region's default comes from", async () => {
    const home = tempHome();
    const list = await m2(["list", "--help"], { home });
    expect(list.stdout).toContain("5    settings file cannot be edited safely");
    expect(list.stdout).not.toMatch(/^ {2}[3478] /m);
    const doctor = await m2(["doctor", "--help"], { home });
    expect(doctor.stdout).toContain("7    doctor found at least one error");
    expect(doctor.stdout).not.toContain("8    rotate");
    // doctor reports a file it cannot read as a finding (exit 7), never exit 5.
    expect(doctor.stdout).not.toContain("5    settings file");
    const rotate = await m2(["rotate", "--help"], { home });
    expect(rotate.stdout).toContain("8    rotate could not compare a copy");
    expect(rotate.stdout).not.toContain("7    doctor");
    const all = await m2(["--help"], { home });
    expect(all.stdout).toContain("7    doctor found at least one error");
    expect(all.stdout).toContain("8    rotate could not compare a copy");
    const flat = (await m2(["verify", "--help"], { home })).stdout.replace(/\s+/g, " ");
    expect(flat).toContain("--region Anypoint control plane region");
    expect(flat).toContain("[default: the control plane of the pom's Exchange repositories with the server's id, else us]");
    expect(flat).toContain("[default: the first of the pom's Exchange repository ids with a server in the file, else anypoint-exchange-v3]");
    expect((await m2(["rotate", "--help"], { home })).stdout.replace(/\s+/g, " ")).toContain("[default: the control plane of ./pom.xml's Exchange repositories of the servers it updates, else us]");
    expect(doctor.stdout.replace(/\s+/g, " ")).toContain("[default: the control plane of the pom's Exchange repositories with the server's id, else us]");
  });
});
