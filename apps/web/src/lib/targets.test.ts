import type { TargetFreshness } from '@rotation-console/contracts';
import { describe, expect, it } from 'vitest';
import { fleetTargets, minutesAgo } from '../test/fixtures.ts';
import { accountLabel, isFleet, isTargetFresh, lastSuccessText, targetAccountIds, targetLabel, targetRegions } from './targets.ts';

const target = (overrides: Partial<TargetFreshness>): TargetFreshness => ({ ...fleetTargets()[0]!, ...overrides });

describe('isFleet', () => {
  it('When the console covers none or one account-region, then it is no fleet; two or more are', () => {
    // Arrange
    const [one, two] = fleetTargets();

    // Act / Assert
    expect(isFleet(undefined)).toBe(false);
    expect(isFleet([])).toBe(false);
    expect(isFleet([one!])).toBe(false);
    expect(isFleet([one!, two!])).toBe(true);
  });
});

describe('accountLabel', () => {
  it('When the targets name the account, then its name comes with its id; else, or when its name is its id, the id alone', () => {
    // Arrange
    const targets = fleetTargets();

    // Act / Assert
    expect(accountLabel('222222222222', targets)).toBe('analytics-dev (222222222222)');
    expect(accountLabel('999999999999', targets)).toBe('999999999999');
    expect(accountLabel('444444444444', [target({ accountId: '444444444444', accountName: '444444444444' })])).toBe('444444444444');
    expect(targetLabel(targets[2]!)).toBe('analytics-dev (222222222222) us-east-1');
  });
});

describe('the targets’ accounts and regions', () => {
  it('When accounts span regions, then each account and each region is listed once', () => {
    // Arrange / Act / Assert
    expect(targetAccountIds(fleetTargets())).toEqual(['111111111111', '222222222222', '333333333333']);
    expect(targetRegions(fleetTargets())).toEqual(['eu-west-1', 'us-east-1']);
  });
});

describe('isTargetFresh and lastSuccessText', () => {
  it('When a target is ready or crawls again after a success, then it is fresh; failed, never crawled or on its first crawl, not', () => {
    // Arrange / Act / Assert
    expect(isTargetFresh(target({ state: 'ready' }))).toBe(true);
    expect(isTargetFresh(target({ state: 'crawling', indexedAt: minutesAgo(10) }))).toBe(true);
    expect(isTargetFresh(target({ state: 'crawling', indexedAt: null }))).toBe(false);
    expect(isTargetFresh(target({ state: 'empty', indexedAt: null }))).toBe(false);
    expect(isTargetFresh(target({ state: 'failed', indexedAt: minutesAgo(60) }))).toBe(false);
  });

  it('When a target has a last success, then it reads as a time ago; without one, "never"', () => {
    // Arrange
    const now = Date.now();

    // Act / Assert
    expect(lastSuccessText(target({ indexedAt: new Date(now - 3 * 3600_000).toISOString() }), now)).toBe('3 hours ago');
    expect(lastSuccessText(target({ indexedAt: null }), now)).toBe('never');
  });
});
