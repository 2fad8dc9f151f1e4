import { describe, expect, it } from 'vitest';
import { deriveStatus, OVERDUE_GRACE_MS, STUCK_AFTER_MS, type RotationFacts } from '../src/status.ts';

const now = new Date('2026-11-28T12:00:00Z');
const DAY = 86_400_000;
const ago = (ms: number) => new Date(now.getTime() - ms);

const facts = (overrides: Partial<RotationFacts> = {}): RotationFacts => ({
  owningService: null,
  rotationEnabled: true,
  automaticallyAfterDays: 30,
  lastRotatedDate: ago(10 * DAY),
  nextRotationDate: new Date(now.getTime() + 20 * DAY),
  versionStages: { v1: ['AWSCURRENT'], v0: ['AWSPREVIOUS'] },
  // The function's log showed all four steps of the rotation that made v1.
  lastRotation: { versionId: 'v1', result: 'rotated', failedStep: null },
  ...overrides,
});

describe('deriveStatus', () => {
  describe('Healthy only on the evidence of the function\u2019s log', () => {
    it('When nobody has read the log of the last rotation, then the status is unknown, not healthy', () => {
      const verdict = deriveStatus(facts({ lastRotation: null }), now);
      expect(verdict.status).toBe('unknown');
      expect(verdict.reasons[1]).toMatch(/the function\u2019s log has not shown all four steps of version v1/);
    });

    it('When the log does not say whether the rotation worked, then the status is unknown and says so', () => {
      const verdict = deriveStatus(facts({ lastRotation: { versionId: 'v1', result: 'unknown', failedStep: null } }), now);
      expect(verdict.status).toBe('unknown');
      expect(verdict.reasons[1]).toMatch(/the function\u2019s logs do not say/);
    });

    it('When the log shows the rotation of the current version failed at a step, then the status is failed with the step', () => {
      const verdict = deriveStatus(facts({ lastRotation: { versionId: 'v1', result: 'failed', failedStep: 'setSecret' } }), now);
      expect(verdict.status).toBe('pending_or_failed');
      expect(verdict.reasons[1]).toMatch(/failed at setSecret/);
    });

    it('When the verdict is of another version than the current one (a value put by hand since), then the status is unknown', () => {
      const verdict = deriveStatus(facts({ versionStages: { v2: ['AWSCURRENT'], v1: ['AWSPREVIOUS'] } }), now);
      expect(verdict.status).toBe('unknown');
    });

    it('When the log shows the unfinished rotation failed at a step, then the status names the step', () => {
      const verdict = deriveStatus(
        facts({ versionStages: { v1: ['AWSCURRENT'], v2: ['AWSPENDING'] }, lastRotation: { versionId: 'v2', result: 'failed', failedStep: 'setSecret' } }),
        now,
      );
      expect(verdict).toMatchObject({ status: 'pending_or_failed', failedStep: 'setSecret' });
      expect(verdict.reasons[0]).toBe('The function\u2019s log shows the rotation of version v2 failed at setSecret.');
    });

    it('When rotation is overdue, then overdue wins over an unknown last rotation', () => {
      expect(deriveStatus(facts({ lastRotation: null, nextRotationDate: ago(OVERDUE_GRACE_MS + 1000) }), now).status).toBe('overdue');
    });
  });

  it('When rotation is on and the next date is ahead, then the secret is healthy', () => {
    const verdict = deriveStatus(facts(), now);
    expect(verdict.status).toBe('healthy');
    expect(verdict.reasons[0]).toBe('Last rotated November 18, 2026, 12:00 (UTC); next rotation due by December 18, 2026, 12:00 (UTC).');
  });

  it('When rotation was never turned on, then the status is not enabled', () => {
    expect(deriveStatus(facts({ rotationEnabled: false, nextRotationDate: null, lastRotatedDate: null }), now).status).toBe('not_enabled');
  });

  it('When the next rotation date passed more than the grace ago, then the secret is overdue', () => {
    const verdict = deriveStatus(facts({ nextRotationDate: ago(OVERDUE_GRACE_MS + 1000) }), now);
    expect(verdict.status).toBe('overdue');
    expect(verdict.reasons[0]).toBe('The next rotation was due by November 28, 2026, 10:59 (UTC) and has not happened.');
  });

  it('When the next rotation date passed within the grace, then the secret is still healthy', () => {
    expect(deriveStatus(facts({ nextRotationDate: ago(OVERDUE_GRACE_MS - 1000) }), now).status).toBe('healthy');
  });

  it('When AWS gives no next date, then last rotation plus the interval decides', () => {
    expect(deriveStatus(facts({ nextRotationDate: null, lastRotatedDate: ago(31 * DAY) }), now).status).toBe('overdue');
    expect(deriveStatus(facts({ nextRotationDate: null, lastRotatedDate: ago(29 * DAY) }), now).status).toBe('healthy');
  });

  it('When AWSPENDING sits on a version without AWSCURRENT, then the rotation is pending or failed', () => {
    const verdict = deriveStatus(facts({ versionStages: { v1: ['AWSCURRENT'], v2: ['AWSPENDING'] } }), now);
    expect(verdict.status).toBe('pending_or_failed');
    expect(verdict.reasons[0]).toContain('v2');
  });

  it('When AWSPENDING and AWSCURRENT share a version, then the rotation finished', () => {
    expect(deriveStatus(facts({ versionStages: { v1: ['AWSCURRENT', 'AWSPENDING'] } }), now).status).toBe('healthy');
  });

  it('When the pending version is old, then the reason says the rotation most likely failed', () => {
    const verdict = deriveStatus(facts({ versionStages: { v1: ['AWSCURRENT'], v2: ['AWSPENDING'] }, versionCreated: { v2: ago(STUCK_AFTER_MS + 1000) } }), now);
    expect(verdict.reasons[1]).toMatch(/^It was created November 28, 2026, 11:44 \(UTC\), more than 15 minutes ago: the rotation has most likely failed/);
  });

  it('When the pending version is fresh, then the reason says a rotation may still be running', () => {
    const verdict = deriveStatus(facts({ versionStages: { v1: ['AWSCURRENT'], v2: ['AWSPENDING'] }, versionCreated: { v2: ago(1000) } }), now);
    expect(verdict.reasons[1]).toMatch(/may still be running/);
  });

  it('When rotation is off but a rotation was left unfinished, then pending or failed wins', () => {
    expect(deriveStatus(facts({ rotationEnabled: false, versionStages: { v1: ['AWSCURRENT'], v2: ['AWSPENDING'] } }), now).status).toBe('pending_or_failed');
  });

  it('When another service owns the secret, then it is managed whatever else is true', () => {
    const verdict = deriveStatus(facts({ owningService: 'rds', nextRotationDate: ago(10 * DAY) }), now);
    expect(verdict).toEqual({ status: 'managed', reasons: ['Rotation is managed by RDS; change it there, not in Secrets Manager.'] });
  });

  it('When rotation is on but nothing rotated yet, then the secret is healthy and says so', () => {
    const verdict = deriveStatus(facts({ lastRotatedDate: null, nextRotationDate: null }), now);
    expect(verdict).toEqual({ status: 'healthy', reasons: ['Rotation is enabled; no rotation has been recorded yet.'] });
  });
});
