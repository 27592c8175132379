// Settings files in the 1.3.0 namespace (Maven 3.10's, which adds <server><aliases>) and the 2.0.0 one
// (Maven 4's) are read and edited as 1.x ones are, judged by the settings builder of the Maven line that
// reads each (test/helpers/mavens.ts; without that leg of the matrix its test is not made, and the summary's
// matrix line says so).
// @module-tag maven
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listServers } from "../src/settings/list";
import { upsertBytes } from "./helpers/engine";
import { b64, compileProbe } from "./helpers/maven";
import { lineOf, matrixHomes } from "./helpers/mavens";

const work = mkdtempSync(join(tmpdir(), "anypoint-m2-namespaces-"));
const USERNAME = "~~~Client~~~";
const PASSWORD = "0123456789abcdef~?~Namespace-Secret";

function settings(namespace: string, server: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<settings xmlns="http://maven.apache.org/SETTINGS/${namespace}"
          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
          xsi:schemaLocation="http://maven.apache.org/SETTINGS/${namespace} https://maven.apache.org/xsd/settings-${namespace}.xsd">
  <servers>
${server}
  </servers>
</settings>
`;
}

const NEXUS = "    <server>\n      <id>nexus</id>\n      <username>deployer</username>\n      <password>pw</password>\n    </server>";
const ALIASED = "    <server>\n      <id>aliased</id>\n      <aliases>\n        <alias>aliased-snapshots</alias>\n      </aliases>\n      <username>deployer</username>\n      <password>pw</password>\n    </server>";
const CASES = [
  { namespace: "1.3.0", line: "3.10", server: `${NEXUS}\n${ALIASED}`, ids: ["nexus", "aliased"] },
  { namespace: "2.0.0", line: "4.0", server: NEXUS, ids: ["nexus"] },
];

// Without the matrix, the engine alone: the same servers listed, the same kind of edit made.
describe.each(CASES)("SETTINGS/$namespace", ({ namespace, server, ids }) => {
  it("lists its servers and edits it as a 1.x file", () => {
    const before = Buffer.from(settings(namespace, server));
    expect(listServers(before.toString("utf8")).map((s) => s.id)).toEqual(ids);
    const after = upsertBytes(before, { id: "anypoint-exchange-v3", username: USERNAME, password: PASSWORD });
    expect(after.change).toBe("added");
    expect(listServers(after.bytes.toString()).map((s) => s.id)).toEqual([...ids, "anypoint-exchange-v3"]);
  });
});

describe.each(CASES.flatMap((c) => matrixHomes().filter((h) => lineOf(h.version) === c.line).map((h) => ({ ...c, ...h }))))("SETTINGS/$namespace, judged by Maven $version", ({ namespace, server, ids, home }) => {
  const before = Buffer.from(settings(namespace, server));

  it("lists its servers as a 1.x file's", () => {
    expect(listServers(before.toString("utf8")).map((s) => s.id)).toEqual(ids);
  });

  it("a new server and an updated one are what Maven reads, nothing else changed", () => {
    const lines = [
      ["new", "anypoint-exchange-v3"],
      ["existing", "nexus"],
    ].map(([label, id]) => {
      const b = join(work, `${namespace}-${label}.before.xml`);
      const a = join(work, `${namespace}-${label}.after.xml`);
      writeFileSync(b, before);
      const after = upsertBytes(before, { id: id!, username: USERNAME, password: PASSWORD }, "update");
      expect(after.change).toBe(label === "new" ? "added" : "updated");
      writeFileSync(a, after.bytes);
      return ["compare", b, a, id, b64(USERNAME), b64(PASSWORD)].join("\t");
    });
    expect(compileProbe("SettingsProbe", home).ask(lines)).toEqual(["ok", "ok"]);
  });
});

describe.each(matrixHomes().filter((h) => lineOf(h.version) === "3.10"))("<aliases>, judged by Maven $version", ({ home }) => {
  it("updating a server updates what its aliases get, and a warning says so", () => {
    const before = Buffer.from(settings("1.3.0", ALIASED));
    const after = upsertBytes(before, { id: "aliased", username: USERNAME, password: PASSWORD }, "update");
    expect(after.warnings).toEqual([expect.stringContaining('server "aliased" also stands for "aliased-snapshots" (its <aliases>): that id gets these credentials too')]);
    const file = join(work, "aliased.after.xml");
    writeFileSync(file, after.bytes);
    expect(compileProbe("SettingsProbe", home).ask([`server\t${file}\taliased-snapshots`])).toEqual([`ok ${b64(USERNAME)} ${b64(PASSWORD)}`]);
  });
});
