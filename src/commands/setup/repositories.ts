/**
 * setup's steps beyond the server: which Exchange Maven facade, whether to add the repositories (the
 * wizard's default), and what to put in a pom.xml to publish. The settings edit itself is
 * src/settings/repositories.ts.
 */
import snippet from "../../../templates/distribution-management.xml?raw";
import { hideCredentials } from "../../anypoint/endpoint";
import { exchangeMaven, publishUrl, type ExchangeMaven } from "../../anypoint/exchange";
import { readSettingsText } from "../../io/edit";
import { mavenProperties } from "../../io/paths";
import { servedFacadeUrl } from "../../project/exchange";
import { findPom, loadPom, pomRepositoryIds } from "../../project/load";
import type { PomRepository } from "../../project/pom";
import { declaresRepository, PROFILE_ID, type RepositoriesChange } from "../../settings/repositories";
import { escapeText } from "../../settings/value";
import type { Io } from "../../world";

export interface RepositoryArgs {
  withRepositories?: boolean;
  orgId?: string;
  exchangeUrl?: string;
}

/** The facade for this control plane: --exchange-url, else ANYPOINT_EXCHANGE_URL, else the region's. */
export function exchangeFor(controlPlane: URL, args: RepositoryArgs, env: Record<string, string | undefined>): ExchangeMaven {
  const given =
    args.exchangeUrl !== undefined ? { url: args.exchangeUrl, source: "--exchange-url" } : env.ANYPOINT_EXCHANGE_URL ? { url: env.ANYPOINT_EXCHANGE_URL, source: "ANYPOINT_EXCHANGE_URL" } : undefined;
  return exchangeMaven(controlPlane, given);
}

/**
 * The wizard's default: add the repositories unless settings.xml declares one with a server's id, or
 * ./pom.xml does in its <repositories> (one that cannot be read declares nothing).
 */
export function repositoriesByDefault(io: Io, settingsPath: string, serverIds: readonly string[]): boolean {
  const here = findPom(io, undefined);
  const inPom = new Set(pomRepositoryIds(here === undefined ? undefined : loadPom(io, here)));
  return serverIds.every((id) => {
    const inSettings = readSettingsText(io.fs, settingsPath, (text) => declaresRepository(text, id, io.env, mavenProperties(io))).value ?? false;
    return !inSettings && !inPom.has(id);
  });
}

export interface Publishing {
  url: string;
  /** The <distributionManagement> for the pom, the server id filled in. */
  distributionManagement: string;
}

/** Where the organisation publishes, and the pom block that says so; undefined for a facade URL of another shape. */
export function publishing(exchange: ExchangeMaven, serverId: string, orgId: string): Publishing | undefined {
  const url = publishUrl(exchange.url, orgId);
  if (!url) return undefined;
  return { url, distributionManagement: snippet.replace("SERVER_ID", escapeText(serverId)).replace("PUBLISH_URL", escapeText(url)).trimEnd() };
}

/** An Exchange repository to declare in settings.xml: a server id and its URL. */
export interface ExchangeRepository {
  id: string;
  url: string;
}

/** Which repositories --with-repositories declares, and why an id is left out or a pom's URL is wrong. */
export interface RepositoryPlan {
  repositories: ExchangeRepository[];
  warnings: string[];
}

const DOWNLOAD = new Set(["repositories", "pluginRepositories"]);
const sameUrl = (a: string, b: string): boolean => a.replace(/\/+$/, "") === b.replace(/\/+$/, "");

/**
 * The repository each server id gets, so that settings.xml never declares an id with a URL other than the one
 * the project's pom (`pom`, at `path`) gives it: the URL of the pom's repository (or plugin repository) of
 * that id, else the region's facade. An id whose URL in the pom cannot be used as it is (API v1, which
 * Exchange no longer serves; an expression setup cannot resolve; a value from the environment or a user name
 * or password, which setup never writes; two different URLs) is left out, saying why; a v1 URL anywhere in
 * the pom (its distributionManagement too) is named with the one Exchange serves.
 */
export function planRepositories(serverIds: readonly string[], exchangeUrl: string, pom: readonly PomRepository[], path: string | undefined): RepositoryPlan {
  const repositories: ExchangeRepository[] = [];
  const warnings: string[] = [];
  const where = (r: PomRepository) => `${path ?? "pom.xml"}:${r.line}`;
  for (const id of serverIds) {
    const declared = pom.filter((r) => r.id === id && r.url !== undefined);
    // A URL that took a value from the environment is shown as written (the value may be anyone's secret).
    const shown = (r: PomRepository) => hideCredentials(r.urlFromEnv ? r.urlAsWritten! : r.url!);
    for (const r of declared) {
      if (servedFacadeUrl(r.url!) === undefined) continue;
      const served = servedFacadeUrl(shown(r));
      warnings.push(`${where(r)}: the pom's ${r.section} "${id}" is on ${shown(r)}, an API version Exchange no longer serves (it answers 400): use ${served ?? "the same URL on /api/v3/"}`);
    }
    const download = declared.filter((r) => DOWNLOAD.has(r.section));
    const distinct = download.filter((r, i) => download.findIndex((d) => sameUrl(d.url!, r.url!)) === i);
    const left = (why: string) => warnings.push(`the repository "${id}" is not declared in settings.xml: ${why}`);
    const [only] = distinct;
    if (!only) repositories.push({ id, url: exchangeUrl });
    else if (distinct.length > 1) left(`the pom declares it with ${distinct.length} URLs (${distinct.map(shown).join(", ")}), and Maven would use one of them`);
    else if (only.url!.includes("${")) left(`its URL in the pom, ${shown(only)}, takes a value setup cannot see (Maven may have it from -D or the environment)`);
    else if (only.urlFromEnv) left(`its URL in the pom, ${shown(only)}, takes a value from the environment or a -D option, which setup does not write into settings.xml`);
    else if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(only.url!)) left(`its URL in the pom, ${shown(only)}, holds a user name or password (Maven sends the server's credentials)`);
    else if (servedFacadeUrl(only.url!)) left(`the pom gives it ${shown(only)}, on API v1; correct the pom (see above), then run setup again`);
    else repositories.push({ id, url: only.url! });
  }
  return { repositories, warnings };
}

/** The Exchange repositories of the pom setup reads (--pom, else ./pom.xml), with its path; none when there is no pom or it cannot be read. */
export function pomRepositories(io: Io, pomOption: string | undefined): { path: string | undefined; repositories: PomRepository[] } {
  const path = findPom(io, pomOption);
  const pom = path === undefined ? undefined : loadPom(io, path);
  return { path, repositories: pom?.report?.repositories ?? [] };
}

/** The summary's lines about the repositories. */
export function repositoryLines(change: RepositoriesChange["change"], declared: readonly ExchangeRepository[], dryRun: boolean): string[] {
  if (declared.length === 0) return [`${dryRun ? "Would add" : "Added"} no repositories: no server id's repository could be declared (see the warnings).`];
  const urls = [...new Set(declared.map((r) => r.url))];
  const exchange = urls.length === 1 ? urls[0] : declared.map((r) => `${r.id} ${r.url}`).join(", ");
  const what = `profile "${PROFILE_ID}" (Exchange ${exchange} and MuleSoft releases, active in <activeProfiles>, plugin group org.mule.tools)`;
  if (change === "unchanged") return [`Kept ${what}: nothing to change.`];
  return [`${dryRun ? "Would add" : "Added"} ${change === "added" ? what : `what was missing to ${what}`}.`];
}

/** The warning for a facade URL MuleSoft does not document. */
export function derivedWarning(exchange: ExchangeMaven): string[] {
  return exchange.derived
    ? [`the Exchange Maven URL ${exchange.url} is derived from the control plane's host; MuleSoft does not document it for this control plane, so check that it answers before relying on it`]
    : [];
}
