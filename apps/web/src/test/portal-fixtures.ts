import type { Portal, PortalAttention, PortalTeam } from '@rotation-console/contracts';
import { aDashboardRow, aFreshness } from './dashboard-fixtures.ts';

const attention = (name: string, reason: PortalAttention['reason'], reasonText: string, status: PortalAttention['status']): PortalAttention => ({
  ...aDashboardRow({ name, team: 'payments', status, rotationEnabled: status !== 'not_enabled', schedule: status === 'not_enabled' ? null : 'every 30 days' }),
  reason,
  reasonText,
});

/** Payments as config/teams.json has it: every 30 days in a 4h window, a new function, at most 90 days; four secrets. */
export const aPaymentsTeam = (overrides: Partial<PortalTeam> = {}): PortalTeam => {
  const needsAttention = [
    attention('prod/payments/ledger-app', 'overdue', 'Rotation is overdue', 'overdue'),
    attention('prod/payments/reports-db', 'rotation-off', 'Rotation not enabled', 'not_enabled'),
    attention('prod/payments/orders-db', 'due-soon', 'Due in 3 days', 'healthy'),
  ];
  return {
    team: 'payments',
    displayName: 'Payments',
    configured: true,
    defaults: { schedule: { kind: 'days', days: 30 }, duration: '4h', function: { mode: 'create', strategy: 'single-user' }, network: 'auto' },
    limits: { maxIntervalDays: 90 },
    counts: { total: 4, byStatus: { unknown: 0, healthy: 2, overdue: 1, pending_or_failed: 0, not_enabled: 1, managed: 0 }, needsAttention: 3, dueSoon: 1 },
    needsAttention,
    secrets: [
      ...needsAttention.slice(0, 2).map(({ reason: _r, reasonText: _t, ...row }) => row),
      aDashboardRow({ name: 'prod/payments/cards-db', team: 'payments', status: 'healthy', schedule: 'every 60 days' }),
      aDashboardRow({ name: 'prod/payments/orders-db', team: 'payments', status: 'healthy', schedule: 'every 30 days' }),
    ],
    truncated: false,
    byTarget: [{ accountId: '123456789012', region: 'us-east-1', total: 4, needsAttention: 3 }],
    ...overrides,
  };
};

export const anIdentityTeam = (): PortalTeam =>
  aPaymentsTeam({
    team: 'identity',
    displayName: 'Identity',
    defaults: { schedule: { kind: 'days', days: 14 }, function: { mode: 'create', strategy: 'single-user' }, network: 'auto' },
    limits: { maxIntervalDays: 30 },
    counts: { total: 1, byStatus: { unknown: 0, healthy: 0, overdue: 0, pending_or_failed: 1, not_enabled: 0, managed: 0 }, needsAttention: 1, dueSoon: 0 },
    needsAttention: [
      {
        ...aDashboardRow({ name: 'prod/identity/users-db', team: 'identity', status: 'pending_or_failed' }),
        reason: 'failed',
        reasonText: 'The last rotation did not finish',
      },
    ],
    secrets: [aDashboardRow({ name: 'prod/identity/users-db', team: 'identity', status: 'pending_or_failed' })],
  });

export const aPortal = (teams: PortalTeam[] = [aPaymentsTeam()], overrides: Partial<Portal> = {}): Portal => ({ teams, freshness: aFreshness(), ...overrides });
