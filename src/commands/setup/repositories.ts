/**
 * setup's steps beyond the server: which Exchange Maven facade, whether to add the repositories (the
 * wizard's default), and what to put in a pom.xml to publish. The settings edit itself is
 * src/settings/repositories.ts.
 */
import snippet from "../../../templates/distribution-management.xml?raw";
import { exchangeMaven, publishUrl, type ExchangeMaven } from "../../anypoint/exchange";
import { readSettingsText } from "../../io/edit";
import { mavenProperties } from "../../io/paths";
import { findPom, loadPom, pomRepositoryIds } from "../../project/load";
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

/** The summary's lines about the repositories. */
export function repositoryLines(change: RepositoriesChange["change"], exchange: ExchangeMaven, dryRun: boolean): string[] {
  const what = `profile "${PROFILE_ID}" (Exchange ${exchange.url} and MuleSoft releases, active in <activeProfiles>, plugin group org.mule.tools)`;
  if (change === "unchanged") return [`Kept ${what}: nothing to change.`];
  return [`${dryRun ? "Would add" : "Added"} ${change === "added" ? what : `what was missing to ${what}`}.`];
}

/** The warning for a facade URL MuleSoft does not document. */
export function derivedWarning(exchange: ExchangeMaven): string[] {
  return exchange.derived
    ? [`the Exchange Maven URL ${exchange.url} is derived from the control plane's host; MuleSoft does not document it for this control plane, so check that it answers before relying on it`]
    : [];
}
