/** What doctor reports: findings, each with a severity, where it is and how to fix it. */

export type Severity = "error" | "warning" | "info";

/** Every finding's code: a stable name for scripts and tests. README's table lists each (test/finding-codes.test.ts). */
export const FINDING_CODES = [
  "settings-rejected",
  "settings-lenient",
  "settings-missing",
  "no-connected-app",
  "no-server",
  "duplicate-server",
  "username-case",
  "token-expired",
  "token-expiring",
  "not-connected-app",
  "password-form",
  "mirror-intercepts",
  "env-unset",
  "encrypted-undecryptable",
  "legacy-encrypted",
  "legacy-relocated",
  "maven4-value",
  "brace-in-password",
  "expression-in-password",
  "split-character",
  "settings-readable",
  "credentials-rejected",
  "check-failed",
  "exchange-unauthorized",
  "exchange-forbidden",
  "exchange-not-found",
  "exchange-unreachable",
  "pom-unreadable",
  "pom-unresolved",
  "pom-no-exchange",
  "project-settings-credentials",
  "aliases-ignored",
  "plugin-version",
  "plugin-version-unknown",
  "deploy-no-server",
  "deploy-no-username",
  "deploy-token",
  "deploy-credentials",
  "deploy-scopes",
  "client-id-as-username",
  "nexus-ee",
  "facade-v1",
  "facade-org-twice",
  "group-not-org",
  "alt-deployment-v1",
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

export interface Finding {
  severity: Severity;
  /** A stable name for scripts and tests: "no-server", "mirror-intercepts", ... */
  code: FindingCode;
  /** What is wrong and why it matters; never a secret. */
  message: string;
  file?: string;
  line?: number;
  /** What to do about it. */
  fix?: string;
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then notes; otherwise in the order found. */
export const sortFindings = (findings: readonly Finding[]): Finding[] => [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);

export const count = (findings: readonly Finding[], severity: Severity): number => findings.filter((f) => f.severity === severity).length;

/** "3 errors, 1 warning" (only the severities that occur). */
export function tally(findings: readonly Finding[]): string {
  const parts = (["error", "warning", "info"] as const)
    .map((s) => [count(findings, s), s === "info" ? "note" : s] as const)
    .filter(([n]) => n > 0)
    .map(([n, word]) => `${n} ${word}${n === 1 ? "" : "s"}`);
  return parts.join(", ");
}

/** One finding as lines for people: the severity, where, the message, then the fix indented under it. */
export function describeFinding(f: Finding, color: boolean): string[] {
  const label = { error: "error", warning: "warning", info: "note" }[f.severity];
  const paint = color ? { error: "\x1b[31m", warning: "\x1b[33m", info: "\x1b[36m" }[f.severity] : "";
  const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ""}: ` : "";
  const lines = [`${paint}${label}${color ? "\x1b[0m" : ""}: ${where}${f.message}`];
  if (f.fix) lines.push(`  fix: ${f.fix}`);
  return lines;
}
