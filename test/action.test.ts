// The Action's pure parts: the command line its inputs stand for, the forms of the secret it masks, and the
// post step's decision for each watched file.
import { describe, expect, it } from "vitest";
import { secretForms, setupWords } from "../src/action/inputs";
import { verdict, type Seen } from "../src/action/snapshot";

describe("setupWords: the inputs as the runner passes them (INPUT_<NAME>, hyphens kept) -> setup's options", () => {
  it.each([
    [{}, ["setup", "--yes"]],
    [{ "INPUT_FROM-POM": "false", "INPUT_WITH-REPOSITORIES": "false", INPUT_VERIFY: "true" }, ["setup", "--yes", "--no-from-pom", "--no-with-repositories", "--verify"]],
    [{ INPUT_REGION: " eu ", INPUT_STORE: "env", INPUT_VERIFY: "False" }, ["setup", "--yes", "--region=eu", "--store=env", "--no-verify"]],
    [{ "INPUT_SERVER-ID": "a\r\n  b \n\n-c\n" }, ["setup", "--yes", "--server-id=a", "--server-id=b", "--server-id=-c"]],
    [{ "INPUT_FROM-POM": "TRUE", "INPUT_WITH-REPOSITORIES": "True" }, ["setup", "--yes", "--from-pom", "--with-repositories"]],
  ])("%j", (env, words) => expect(setupWords(env)).toEqual(words));

  it("refuses a boolean that YAML 1.2 does not spell, naming the input", () => {
    expect(() => setupWords({ "INPUT_FROM-POM": "yes" })).toThrow('the input from-pom is "yes"; it takes true or false');
  });
});

describe("secretForms", () => {
  it("the secret, the password it makes, and both as XML escapes them", () => {
    expect(secretForms("id1", "a&b")).toEqual(["a&b", "id1~?~a&b", "a&amp;b", "id1~?~a&amp;b"]);
  });
  it("nothing without a secret; the secret alone without a client ID", () => {
    expect(secretForms("id1", "")).toEqual([]);
    expect(secretForms("", "s")).toEqual(["s"]);
  });
});

describe("verdict: what the post step does with a watched path", () => {
  const file = (sha256: string, mode = 0o600): Seen => ({ kind: "file", mode, uid: 0, gid: 0, sha256 });
  const absent: Seen = { kind: "absent" };
  it.each([
    ["as it was: nothing", file("a"), file("b"), file("a"), "as-before"],
    ["as the Action left it: put back", file("a"), file("b"), file("b"), "restore"],
    ["created by the Action, untouched: removed", absent, file("b"), file("b"), "remove"],
    ["changed after: left", file("a"), file("b"), file("c"), "changed"],
    ["only its mode changed after: left", file("a"), file("b"), file("b", 0o644), "changed"],
    ["removed after: left", file("a"), file("b"), absent, "changed"],
    ["the main step never looked again: left unless as it was", file("a"), undefined, file("b"), "changed"],
    ["a link put back", { kind: "link", target: "x" }, file("b"), file("b"), "restore"],
  ] as const)("%s", (_, before, after, now, expected) => {
    expect(verdict({ path: "p", before, after }, now)).toBe(expected);
  });
});
