import { describe, expect, it } from 'vitest';
import { causesOf, digestDueAt, windowMsOf } from '../../src/modules/alerts/alert-rules.ts';
import { isForbiddenAddress, maskUrl } from '../../src/modules/alerts/channel-url.ts';
import type { IndexRow } from '../../src/modules/dashboard/index-row.ts';

const HOUR = 3_600_000;

const aRow = (over: Partial<IndexRow>): IndexRow =>
  ({
    arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:a-AbCdEf',
    name: 'a',
    team: 'ops',
    status: 'healthy',
    failed_step: null,
    due_at: null,
    window_duration: null,
    version_stages: JSON.stringify({ v1: ['AWSCURRENT'] }),
    ...over,
  }) as IndexRow;

describe('The rules, from an index row', () => {
  it('When a rotation failed at a step, then the cause is "rotation failed" for that rotation\u2019s version, and not also "stuck"', () => {
    const row = aRow({ status: 'pending_or_failed', failed_step: 'setSecret', version_stages: JSON.stringify({ v1: ['AWSCURRENT'], v2: ['AWSPENDING'] }) });
    expect(causesOf(row, 24 * HOUR)).toEqual([{ cause: 'rotation-failed', episode: 'v2' }]);
  });

  it('When AWSPENDING sits on a version nobody saw fail, then the cause is "stuck" after the secret\u2019s own window, else the default', () => {
    const stages = JSON.stringify({ v1: ['AWSCURRENT'], v2: ['AWSPENDING'] });
    expect(causesOf(aRow({ status: 'pending_or_failed', version_stages: stages, window_duration: '3h' }), 24 * HOUR)).toEqual([
      { cause: 'pending-stuck', episode: 'v2', afterMs: 3 * HOUR },
    ]);
    expect(windowMsOf({ window_duration: null }, 24 * HOUR)).toBe(24 * HOUR);
  });

  it('When a secret is overdue, then each overdue period (its due date) is its own episode', () => {
    expect(causesOf(aRow({ status: 'overdue', due_at: '2026-12-01T00:00:00.000Z' }), HOUR)).toEqual([
      { cause: 'overdue', episode: '2026-12-01T00:00:00.000Z' },
    ]);
    expect(causesOf(aRow({ status: 'healthy' }), HOUR)).toEqual([]);
  });

  it('When the digest is set to MON 08:00, then it is due from Monday 08:00 UTC for a day, and not before', () => {
    // 2026-12-07 is a Monday.
    expect(digestDueAt('MON 08:00', new Date('2026-12-07T08:00:30Z'))?.toISOString()).toBe('2026-12-07T08:00:00.000Z');
    expect(digestDueAt('MON 08:00', new Date('2026-12-08T07:59:00Z'))?.toISOString()).toBe('2026-12-07T08:00:00.000Z');
    expect(digestDueAt('MON 08:00', new Date('2026-12-07T07:59:00Z'))).toBeNull();
    expect(digestDueAt('MON 08:00', new Date('2026-12-09T08:00:00Z'))).toBeNull();
    expect(digestDueAt('off', new Date('2026-12-07T08:00:30Z'))).toBeNull();
  });
});

describe('Channel URLs, without the network', () => {
  it('When a URL is shown, then only its host and a masked path show', () => {
    expect(maskUrl('https://hooks.slack.com/services/T000/B000/XXXXsecretYYYY')).toBe('hooks.slack.com/serv…YYYY');
    expect(maskUrl('https://hooks.example.com/')).toBe('hooks.example.com');
  });

  it.each([
    ['169.254.169.254', true],
    ['::ffff:169.254.169.254', true],
    ['fd00:ec2::254', true],
    ['fe80::1', true],
    ['100.100.100.200', true],
    ['10.0.0.5', false],
    ['127.0.0.1', false],
  ])('When the address is %s, then forbidden is %s', (address, forbidden) => {
    expect(isForbiddenAddress(address)).toBe(forbidden);
  });
});
