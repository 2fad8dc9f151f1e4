import {
  emptyStatusCounts,
  PORTAL_DUE_SOON_DAYS,
  PORTAL_MAX_SECRETS,
  secretStatusLabels,
  type AttentionReason,
  type Portal,
  type PortalAttention,
  type PortalTeam,
  type SecretStatus,
} from '@rotation-console/contracts';
import { changeableTeams, inTeamScope, type Principal } from '../../platform/auth.ts';
import { NotAllowedError } from '../../platform/errors.ts';
import type { Teams } from '../../platform/teams-config.ts';
import { toDashboardRow, type IndexRow } from '../dashboard/index-row.ts';
import type { SecretIndexStore } from '../dashboard/index-store/secret-index-store.ts';
import { indexRowFacts, nextRotationWarning } from '../freeze/freeze-warnings.ts';
import type { FreezeService } from '../freeze/freeze.service.ts';

const DAY_MS = 86_400_000;

interface Deps {
  index: SecretIndexStore;
  teams: Teams;
  /** The teams' freeze windows: a secret whose next rotation falls in one is marked. */
  freeze?: Pick<FreezeService, 'windowsOf'>;
  now?: () => Date;
}

const REASON_RANK: Record<AttentionReason, number> = { failed: 0, overdue: 1, unknown: 2, 'rotation-off': 3, 'due-soon': 4 };

const inDays = (from: Date, iso: string) => {
  const days = Math.ceil((Date.parse(iso) - from.getTime()) / DAY_MS);
  return days <= 0 ? 'Due today' : days === 1 ? 'Due tomorrow' : `Due in ${days} days`;
};

/** Why a secret needs its team's attention, or null when it does not. */
const attentionOf = (row: IndexRow, now: Date, soonTo: string): { reason: AttentionReason; reasonText: string } | null => {
  switch (row.status as SecretStatus) {
    case 'pending_or_failed':
      return { reason: 'failed', reasonText: row.failed_step ? `The last rotation failed at ${row.failed_step}` : 'The last rotation did not finish' };
    case 'overdue':
      return { reason: 'overdue', reasonText: 'Rotation is overdue' };
    case 'unknown':
      return { reason: 'unknown', reasonText: 'The function\u2019s logs do not confirm the last rotation' };
    case 'not_enabled':
      return { reason: 'rotation-off', reasonText: secretStatusLabels.not_enabled };
    case 'healthy':
      return row.due_at && row.due_at < soonTo ? { reason: 'due-soon', reasonText: inDays(now, row.due_at) } : null;
    case 'managed':
      return null;
  }
};

/**
 * The self-service portal, from the dashboard's index (never AWS per request): for each team
 * whose secrets the principal may change (an admin: every configured team and every team the
 * index knows), the team's settings, counts, what needs attention and its secrets.
 */
export const createPortalService = ({ index, teams, freeze, now = () => new Date() }: Deps) => {
  /** The teams in the principal's scope, by name; admins see the configured ones and the index's. */
  const teamsOf = async (principal: Principal): Promise<string[]> => {
    const scope = changeableTeams(principal);
    if (scope !== 'all') return scope;
    const indexed = (await index.groupCounts()).map((g) => g.team).filter((t): t is string => t !== null);
    return [...new Set([...teams.names(), ...indexed])].sort();
  };

  /** Secrets of one account and/or region only (the portal's filter); unset: every target's. */
  type Place = { accountId?: string | undefined; region?: string | undefined };

  const teamView = async (team: string, at: Date, place: Place): Promise<PortalTeam> => {
    const settings = teams.get(team);
    const soonTo = new Date(at.getTime() + PORTAL_DUE_SOON_DAYS * DAY_MS).toISOString();
    const byStatus = emptyStatusCounts();
    const attention: { row: IndexRow; reason: AttentionReason; reasonText: string }[] = [];
    const secrets: IndexRow[] = [];
    const byTarget = new Map<string, PortalTeam['byTarget'][number]>();
    const windows = freeze ? await freeze.windowsOf(team) : [];
    // A team without windows answers as before: no warning fields at all.
    const rowOf = (row: IndexRow) =>
      windows.length ? { ...toDashboardRow(row), freezeWarning: nextRotationWarning(indexRowFacts(row), windows, at) } : toDashboardRow(row);
    let total = 0;
    let inFreezeWindow = 0;
    for await (const rows of index.chunks({ team, ...place }, { sort: 'status', order: 'asc' })) {
      for (const row of rows) {
        total += 1;
        byStatus[row.status as SecretStatus] += 1;
        if (windows.length && nextRotationWarning(indexRowFacts(row), windows, at)) inFreezeWindow += 1;
        if (secrets.length < PORTAL_MAX_SECRETS) secrets.push(row);
        const why = attentionOf(row, at, soonTo);
        if (why) attention.push({ row, ...why });
        const key = `${row.account_id}:${row.region}`;
        const where = byTarget.get(key) ?? { accountId: row.account_id, region: row.region, total: 0, needsAttention: 0 };
        where.total += 1;
        if (why) where.needsAttention += 1;
        byTarget.set(key, where);
      }
    }
    attention.sort(
      (a, b) => REASON_RANK[a.reason] - REASON_RANK[b.reason] || (a.row.due_at ?? '').localeCompare(b.row.due_at ?? '') || a.row.name.localeCompare(b.row.name),
    );
    const needsAttention: PortalAttention[] = attention
      .slice(0, PORTAL_MAX_SECRETS)
      .map(({ row, reason, reasonText }) => ({ ...rowOf(row), reason, reasonText }));
    return {
      team,
      displayName: settings?.displayName ?? team,
      configured: settings !== undefined,
      defaults: settings?.defaults ?? null,
      limits: settings?.limits ?? {},
      counts: {
        total,
        byStatus,
        needsAttention: attention.length,
        dueSoon: attention.filter((a) => a.reason === 'due-soon').length,
        ...(windows.length ? { inFreezeWindow } : {}),
      },
      needsAttention,
      secrets: secrets.map(rowOf),
      truncated: total > secrets.length,
      byTarget: [...byTarget.values()].sort((a, b) => b.total - a.total || a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region)),
    };
  };

  return {
    /** The portal for `principal`; `team` narrows it to one team, which must be in the principal's scope; `place` to one account and/or region. */
    async portal(principal: Principal, team?: string, place: Place = {}): Promise<Portal> {
      if (team !== undefined && !inTeamScope(changeableTeams(principal), team)) {
        throw new NotAllowedError({ message: `You are not allowed to see team ${team}'s portal.` });
      }
      const at = now();
      await index.settleOverdue(at);
      const names = team !== undefined ? [team] : await teamsOf(principal);
      const views = await Promise.all(names.map((name) => teamView(name, at, place)));
      return { teams: views, freshness: index.freshness(await index.state(), await index.targets(), 'index', at) };
    },
  };
};
export type PortalService = ReturnType<typeof createPortalService>;
