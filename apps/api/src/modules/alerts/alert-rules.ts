import { formatDateTime } from '@rotation-console/contracts/format-date';
import { FIXES, findCurrentVersion, findUnfinishedPending } from '@rotation-console/rotation';
import type { IndexRow } from '../dashboard/index-row.ts';
import { scheduleInWords } from '../dashboard/index-row.ts';
import type { AlertMessage, AlertSecretRef } from './alert-message.ts';
import type { FailureReason } from './failure-reason.ts';

/**
 * The rules, as pure functions of an index row: which causes hold for a secret now, each with
 * its episode (what makes it "the same" problem: a rotation's version, an overdue period's due
 * date), and the message of each. The evaluation (alerts.module.ts) sends one alert per episode.
 */
export type SecretCause = 'rotation-failed' | 'pending-stuck' | 'overdue';

export interface Holding {
  cause: SecretCause;
  episode: string;
  /** pending-stuck: how long the version must keep AWSPENDING before the alert (the rotation window). */
  afterMs?: number;
}

const HOUR_MS = 3_600_000;

/** The rotation window in ms: the secret's Duration ("3h"), else the default (ALERTS_DEFAULT_WINDOW). */
export const windowMsOf = (row: Pick<IndexRow, 'window_duration'>, defaultWindowMs: number): number => {
  const hours = /^(\d{1,3})h$/.exec(row.window_duration ?? '')?.[1];
  return hours ? Number(hours) * HOUR_MS : defaultWindowMs;
};

const stagesOf = (row: IndexRow) => JSON.parse(row.version_stages) as Record<string, string[]>;

/** The causes that hold for a secret now. A known failure is alerted as such; "stuck" is for a pending version whose failure nobody saw. */
export const causesOf = (row: IndexRow, defaultWindowMs: number): Holding[] => {
  const holding: Holding[] = [];
  const stages = stagesOf(row);
  const pending = findUnfinishedPending(stages);
  if (row.status === 'pending_or_failed' && row.failed_step) {
    holding.push({ cause: 'rotation-failed', episode: pending ?? findCurrentVersion(stages) ?? 'unknown' });
  } else if (pending) {
    holding.push({ cause: 'pending-stuck', episode: pending, afterMs: windowMsOf(row, defaultWindowMs) });
  }
  if (row.status === 'overdue' && row.due_at) holding.push({ cause: 'overdue', episode: row.due_at });
  return holding;
};

/** The secret's page on the console, where PUBLIC_URL says where the console is. */
export const secretUrl = (publicUrl: string | undefined, arn: string): string | null =>
  publicUrl ? `${publicUrl.replace(/\/+$/, '')}/secrets/${encodeURIComponent(arn)}` : null;

const refOf = (row: IndexRow, publicUrl: string | undefined): AlertSecretRef => ({
  name: row.name,
  arn: row.arn,
  accountId: row.account_id,
  region: row.region,
  url: secretUrl(publicUrl, row.arn),
});

const place = (row: IndexRow) => [
  { label: 'Secret', value: row.name },
  { label: 'Account', value: row.account_id },
  { label: 'Region', value: row.region },
];

export const failedMessage = (row: IndexRow, why: FailureReason, publicUrl: string | undefined, at: Date): AlertMessage => ({
  rule: 'rotation-failed',
  team: row.team!,
  title: `Rotation failed: ${row.name}`,
  summary: `The rotation of ${row.name} (account ${row.account_id}, ${row.region}) failed at ${row.failed_step}. Secrets Manager starts no other rotation until this one is cleared.`,
  secret: refOf(row, publicUrl),
  fields: [...place(row), { label: 'Step', value: row.failed_step ?? 'unknown' }, { label: 'Reason', value: why.reason }, { label: 'Fix', value: why.fix }],
  items: [],
  occurredAt: at.toISOString(),
});

export const stuckMessage = (row: IndexRow, versionId: string, windowMs: number, publicUrl: string | undefined, at: Date): AlertMessage => {
  const hours = Math.round(windowMs / HOUR_MS);
  return {
    rule: 'pending-stuck',
    team: row.team!,
    title: `AWSPENDING stuck: ${row.name}`,
    summary: `Version ${versionId} of ${row.name} (account ${row.account_id}, ${row.region}) has carried AWSPENDING for more than ${hours} hour${hours === 1 ? '' : 's'}, the rotation window: the rotation did not finish, and Secrets Manager refuses to start another until it is cleared.`,
    secret: refOf(row, publicUrl),
    fields: [...place(row), { label: 'Version', value: versionId }, { label: 'Rotation window', value: `${hours}h` }, { label: 'Fix', value: FIXES.unknown }],
    items: [],
    occurredAt: at.toISOString(),
  };
};

export const overdueMessage = (row: IndexRow, publicUrl: string | undefined, at: Date): AlertMessage => ({
  rule: 'overdue',
  team: row.team!,
  title: `Rotation overdue: ${row.name}`,
  summary: `The next rotation of ${row.name} (account ${row.account_id}, ${row.region}) was due by ${formatDateTime(new Date(row.due_at!))} and has not happened.`,
  secret: refOf(row, publicUrl),
  fields: [
    ...place(row),
    { label: 'Schedule', value: scheduleInWords(row) ?? 'none' },
    { label: 'Last rotated', value: row.last_rotated_at ? formatDateTime(new Date(row.last_rotated_at)) : 'never' },
    { label: 'Due by', value: formatDateTime(new Date(row.due_at!)) },
    { label: 'Fix', value: 'Check that the rotation function runs (its log group), or rotate now from the console.' },
  ],
  items: [],
  occurredAt: at.toISOString(),
});

export const digestMessage = (
  team: string,
  due: { name: string; arn: string; dueAt: string }[],
  total: number,
  publicUrl: string | undefined,
  at: Date,
): AlertMessage => ({
  rule: 'weekly-digest',
  team,
  title: `This week's rotations for team ${team}: ${total}`,
  summary:
    total === 0
      ? `No secret of team ${team} is due to rotate in the next 7 days.`
      : `${total} secret${total === 1 ? '' : 's'} of team ${team} ${total === 1 ? 'is' : 'are'} due to rotate in the next 7 days.`,
  secret: null,
  fields: [],
  items: [
    ...due.map((d) => ({ text: `${d.name}: due by ${formatDateTime(new Date(d.dueAt))}`, url: secretUrl(publicUrl, d.arn) })),
    ...(total > due.length ? [{ text: `and ${total - due.length} more`, url: null }] : []),
  ],
  occurredAt: at.toISOString(),
});

export const testMessage = (team: string, channelName: string, at: Date): AlertMessage => ({
  rule: 'test',
  team,
  title: `Test alert for team ${team}`,
  summary: `This is a test alert from Rotation Console to the channel "${channelName}". If you read this, the channel works.`,
  secret: null,
  fields: [],
  items: [],
  occurredAt: at.toISOString(),
});

const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/**
 * The latest digest time at or before `now` ("MON 08:00", UTC), or null when it is off or was
 * more than a day ago (a console that was down all that day skips the week rather than send a stale digest).
 */
export const digestDueAt = (setting: string, now: Date): Date | null => {
  const m = /^(\w{3}) (\d{2}):(\d{2})$/.exec(setting.toUpperCase());
  if (!m) return null;
  const day = DAYS.indexOf(m[1]!);
  const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), Number(m[2]), Number(m[3])));
  at.setUTCDate(at.getUTCDate() - ((at.getUTCDay() - day + 7) % 7));
  if (at > now) at.setUTCDate(at.getUTCDate() - 7);
  return now.getTime() - at.getTime() < 24 * HOUR_MS ? at : null;
};
