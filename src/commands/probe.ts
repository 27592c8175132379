/**
 * The Exchange probe of `verify --exchange` and doctor: for each Exchange repository Maven will use with a
 * server, the request Maven sends there (src/anypoint/facade.ts), through the proxy the token request uses.
 * Which repositories: `--exchange-url` (or ANYPOINT_EXCHANGE_URL) when given; else the pom's Exchange
 * repositories with the server's id; else the settings profiles' repositories with it; else the facade of the
 * control plane checked.
 */
import { exchangeMaven } from "../anypoint/exchange";
import type { FacadeAnswer, FacadeResult } from "../anypoint/facade";
import type { Io } from "../world";
import { proxyFor, type ConnectionArgs } from "./check";
import { debug } from "./output";
import type { Finding } from "../doctor/findings";

/** One repository to probe, and where it is declared (for findings). */
export interface ProbeTarget {
  /** The server id whose credentials Maven sends there. */
  id: string;
  url: string;
  /** Where it comes from: the pom, the settings file, --exchange-url, the control plane's default. */
  source: "pom" | "settings" | "given" | "default";
  file?: string;
  line?: number;
}

/** What `--json` carries: `exchange: [{ id, url, status, result }]`. */
export interface ProbeOutcome {
  id: string;
  url: string;
  status: number | null;
  result: FacadeResult;
  why: string;
  target: ProbeTarget;
}

export interface ExchangeArgs extends ConnectionArgs {
  exchangeUrl?: string;
}

/** --exchange-url, else ANYPOINT_EXCHANGE_URL (from the env file too), checked as setup checks it. */
export function givenExchangeUrl(args: ExchangeArgs, env: Record<string, string | undefined>, base: URL): string | undefined {
  const given = args.exchangeUrl !== undefined ? { url: args.exchangeUrl, source: "--exchange-url" } : env.ANYPOINT_EXCHANGE_URL ? { url: env.ANYPOINT_EXCHANGE_URL, source: "ANYPOINT_EXCHANGE_URL" } : undefined;
  return given ? exchangeMaven(base, given).url : undefined;
}

/** The control plane's own facade, as a last resort; undefined when it has none known (a private host without --exchange-url). */
export function defaultFacade(base: URL): string | undefined {
  try {
    return exchangeMaven(base).url;
  } catch {
    return undefined;
  }
}

/** Each target once (by URL), in order. */
export function uniqueTargets(targets: readonly ProbeTarget[]): ProbeTarget[] {
  const seen = new Set<string>();
  return targets.filter((t) => !seen.has(t.url) && Boolean(seen.add(t.url)));
}

export interface ProbeRequest {
  targets: readonly ProbeTarget[];
  clientId: string;
  clientSecret: string;
  /** The pom's coordinates, for the probe's path. */
  coordinates?: { groupId?: string; artifactId?: string };
  settingsText: string | undefined;
  settingsPath: string;
}

/** Probes each target in turn. */
export async function probeExchange(args: ConnectionArgs, io: Io, env: Record<string, string | undefined>, request: ProbeRequest): Promise<ProbeOutcome[]> {
  if (request.targets.length === 0) return [];
  const { probeFacade, probePath, probeUrl } = await import("../anypoint/network");
  const outcomes: ProbeOutcome[] = [];
  for (const target of request.targets) {
    const path = probePath(target.url, request.coordinates);
    const proxy = proxyFor(args, io, env, probeUrl(target.url, path), request.settingsText, request.settingsPath);
    const answer: FacadeAnswer = await probeFacade({
      repositoryUrl: target.url,
      path,
      clientId: request.clientId,
      clientSecret: request.clientSecret,
      proxy,
      timeoutSeconds: args.timeout,
      log: (m) => debug(io, m),
    });
    outcomes.push({ id: target.id, url: answer.url, status: answer.status, result: answer.result, why: answer.why, target });
  }
  return outcomes;
}

/** For `--json`: only what the contract names. */
export const probeJson = (outcomes: readonly ProbeOutcome[]) => outcomes.map(({ id, url, status, result }) => ({ id, url, status, result }));

/** One line for people. */
export function describeProbe(o: ProbeOutcome): string {
  return o.result === "accepted"
    ? `ok: Exchange accepted the credentials of server "${o.id}" at ${o.url} (HTTP ${o.status}).`
    : `Exchange probe of server "${o.id}": ${o.result}${o.status === null ? "" : ` (HTTP ${o.status})`} at ${o.url}: ${o.why}.`;
}

const FIXES: Record<Exclude<FacadeResult, "accepted">, string> = {
  unauthorized:
    "In Access Management > Connected Apps, give the app Exchange Viewer (Exchange Contributor or Administrator to publish) for the business group whose assets the build uses, and check that the app and the facade are in the same control plane (region).",
  forbidden: "Give the app's Exchange scope the business group (organization) this path belongs to, or point the repository at the organization the app can read.",
  "not-found": "Point the repository at Exchange's Maven facade: https://maven.anypoint.mulesoft.com/api/v3/maven (EU: maven.eu1.anypoint.mulesoft.com/api/v3/maven, Gov: maven.gov.anypoint.mulesoft.com/api/v2/maven), or --exchange-url for a private one.",
  unreachable: "Check the network and the proxy settings (HTTPS_PROXY, settings.xml <proxy>), or pass --offline to skip the probe.",
};

/** A probe that Exchange did not accept, as a doctor finding at the repository (or the server) it is about. */
export function probeFinding(o: ProbeOutcome, fallback: { file: string; line?: number }): Finding | undefined {
  if (o.result === "accepted") return undefined;
  return {
    severity: "error",
    code: (`exchange-${o.result}` as const),
    file: o.target.file ?? fallback.file,
    line: o.target.file ? o.target.line : fallback.line,
    message: `Exchange probe of server "${o.id}" at ${o.url}: ${o.result}${o.status === null ? "" : ` (HTTP ${o.status})`}: ${o.why}`,
    fix: FIXES[o.result],
  };
}
