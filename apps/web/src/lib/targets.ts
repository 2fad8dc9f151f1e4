import type { TargetFreshness, TargetRef } from '@rotation-console/contracts';
import { timeAgo } from './relative-time.ts';

/**
 * Whether the console covers more than one account-region (a "fleet"). Only then do the pages show
 * accounts, regions and how fresh each target is: a single-account console looks as it always has.
 */
export const isFleet = (targets: readonly TargetRef[] | undefined): boolean => (targets?.length ?? 0) > 1;

/** The account's name as the targets give it, or null when they do not name it (or its name is its id). */
export const accountName = (accountId: string, targets: readonly TargetRef[] | undefined): string | null => {
  const name = targets?.find((target) => target.accountId === accountId)?.accountName;
  return name && name !== accountId ? name : null;
};

/** "payments-prod (111111111111)": an account as people know it, with its id; the id alone when it has no name. */
export const accountLabel = (accountId: string, targets: readonly TargetRef[] | undefined): string => {
  const name = accountName(accountId, targets);
  return name ? `${name} (${accountId})` : accountId;
};

/** "analytics-dev (222222222222) us-east-1": one account-region. */
export const targetLabel = (target: TargetRef): string => `${accountLabel(target.accountId, [target])} ${target.region}`;

/** The accounts of the targets, each once, in the targets' order. */
export const targetAccountIds = (targets: readonly TargetRef[]): string[] => [...new Set(targets.map((target) => target.accountId))];

/** The regions of the targets, each once, sorted. */
export const targetRegions = (targets: readonly TargetRef[]): string[] => [...new Set(targets.map((target) => target.region))].sort();

/**
 * Whether the index holds a complete crawl of the target that its last crawl did not contradict:
 * ready, or crawling again after a success. 'failed', 'empty' and a first crawl are not fresh.
 */
export const isTargetFresh = (target: TargetFreshness): boolean => target.state === 'ready' || (target.state === 'crawling' && target.indexedAt !== null);

/** A target's last success, "3 hours ago", or "never" for one never crawled to the end. */
export const lastSuccessText = (target: TargetFreshness, now: number): string =>
  target.indexedAt ? (timeAgo(target.indexedAt, now) ?? target.indexedAt) : 'never';
