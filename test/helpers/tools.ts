// The programs some tests need besides Node, each a vitest tag. A test file that needs one says so with
// `// @module-tag NAME` in its first lines, a suite or a test with `{ tags: ["NAME"] }`; vitest.config.ts
// skips the tests of a tag whose programs are not on the PATH, and the summary reporter says how many did
// not run and how to install what they need. With ANYPOINT_M2_REQUIRE_ALL=1 (CI) a missing one stops the run.
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { mavenHomes } from "./mavens.ts";

export interface Tool {
  /** The tag of the tests that need it. */
  tag: string;
  programs: string[];
  /** How to get them, on Debian or Ubuntu as CI runs. */
  install: string;
  /** What else it needs that is not there (not a program on the PATH), if anything. */
  missing?: () => string | undefined;
}

/** A Maven 4 home among the Maven homes the tests may run (test/helpers/mavens.ts), if any. */
export const maven4Home = (): string | undefined => mavenHomes().find((m) => m.version.startsWith("4."))?.home;

export const TOOLS: Tool[] = [
  { tag: "maven", programs: ["java", "javac", "mvn"], install: "apt-get install default-jdk-headless maven" },
  { tag: "tmux", programs: ["tmux"], install: "apt-get install tmux" },
  { tag: "zsh", programs: ["zsh"], install: "apt-get install zsh" },
  { tag: "openssl", programs: ["openssl"], install: "apt-get install openssl" },
  {
    tag: "maven4",
    programs: ["java", "javac"],
    install: "unpack apache-maven-4.0.0-rc-N-bin.tar.gz from https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/ and add its folder to ANYPOINT_M2_MAVENS (colon-separated Maven homes)",
    missing: () => (maven4Home() ? undefined : "a Maven 4 home in ANYPOINT_M2_MAVENS"),
  },
];

/** Whether an executable `name` is in one of the PATH's folders. */
function onPath(name: string, path: string | undefined): boolean {
  return (path ?? "").split(delimiter).some((dir) => {
    try {
      accessSync(join(dir || ".", name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The programs of `tool` that are not on the PATH. */
export const missingPrograms = (tool: Tool, path = process.env.PATH): string[] => tool.programs.filter((p) => !onPath(p, path));

/** What of `tool` is not there: its programs not on the PATH, and anything else it needs. */
export const missingParts = (tool: Tool, path = process.env.PATH): string[] => [...missingPrograms(tool, path), ...[tool.missing?.()].filter((m): m is string => m !== undefined)];

/** The tools some part of which is missing. */
export const missingTools = (path = process.env.PATH): Tool[] => TOOLS.filter((t) => missingParts(t, path).length > 0);

/** CI's switch: every tool and the corpus must be there, and no test may be skipped. */
export const REQUIRE_ALL_VARIABLE = "ANYPOINT_M2_REQUIRE_ALL";
export const requireAll = (): boolean => process.env[REQUIRE_ALL_VARIABLE] === "1";

/** Whether the programs of the tag's tool are all on the PATH (for what a test file does as it loads). */
export const has = (tag: string): boolean => !missingTools().some((t) => t.tag === tag);

/** vitest's tags: one per tool, whose tests are skipped where it is missing, and the corpus's. */
export function testTags(): { name: string; description: string; skip?: boolean }[] {
  const missing = new Set(missingTools().map((t) => t.tag));
  return [
    ...TOOLS.map((t) => ({ name: t.tag, description: `needs ${t.programs.join(", ")}`, skip: missing.has(t.tag) })),
    { name: "corpus", description: "needs the shared corpus (test/helpers/corpus.ts)" },
  ];
}
