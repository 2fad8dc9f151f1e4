import { createHash } from 'node:crypto';
import type { DashboardRow, RotationStepName, SecretStatus, SecretSummary, Tag } from '@rotation-console/contracts';
import { deriveStatus, describeSchedule, dueDate, type LastRotationEvidence, type ScheduleRules } from '@rotation-console/rotation';
import type { Insertable, Selectable } from 'kysely';
import type { SecretIndexTable } from '../../platform/db/schema.ts';
import { accountRegionOfArn } from '../../platform/targets/target.ts';
import { teamOf } from '../../platform/team-tag.ts';
import { rotationFactsOf } from '../secrets/secret-summary.ts';
import type { SecretRecord } from '../secrets/secrets.aws.ts';

/** A secret as ListSecrets or DescribeSecret tells it, with its deletion date. Never a value. */
export interface IndexedSecret extends SecretRecord {
  /** Set when the secret is scheduled for deletion: the dashboard drops it. */
  deletedDate: Date | null;
}

export interface TagKeys {
  team: string;
  engine: string;
}

export type IndexRow = Selectable<SecretIndexTable>;
export type NewIndexRow = Insertable<SecretIndexTable>;

/**
 * Rotation on and not yet due, whether or not the last rotation is confirmed: these have a next
 * window (the calendar, "due soon"), and a passing due date turns them overdue.
 */
export const SCHEDULED_STATUSES: readonly SecretStatus[] = ['healthy', 'unknown'];

/** Most urgent first, so "sort by status" puts what needs attention on top. */
export const STATUS_RANK: Record<SecretStatus, number> = {
  pending_or_failed: 0,
  overdue: 1,
  unknown: 2,
  not_enabled: 3,
  healthy: 4,
  managed: 5,
};

const iso = (d: Date | null) => (d && Number.isFinite(d.getTime()) ? d.toISOString() : null);

const tag = (secret: SecretRecord, key: string) => secret.tags.find((t) => t.key === key)?.value ?? null;

/**
 * The index row of a secret, its status derived at `now`. The due date is kept only where
 * rotation is on and the console's status rules look at it, so a query can move a healthy
 * secret to overdue when the date passes without reading anything else.
 */
export const toIndexRow = (secret: SecretRecord, keys: TagKeys, now: Date, generation: number, lastRotation: LastRotationEvidence | null): NewIndexRow => {
  const facts = rotationFactsOf(secret, { lastRotation });
  const { status, failedStep } = deriveStatus(facts, now);
  const due = !secret.owningService && secret.rotationEnabled ? iso(dueDate(facts)) : null;
  const place = accountRegionOfArn(secret.arn);
  const content = {
    arn: secret.arn,
    account_id: place?.accountId ?? '',
    region: place?.region ?? '',
    name: secret.name,
    name_lower: secret.name.toLowerCase(),
    description: secret.description,
    tags: JSON.stringify(secret.tags),
    team: teamOf(secret.tags, keys.team),
    engine: tag(secret, keys.engine),
    owning_service: secret.owningService,
    rotation_enabled: secret.rotationEnabled ? 1 : 0,
    lambda_arn: secret.rotationLambdaArn,
    rotation_days: secret.rotationRules?.automaticallyAfterDays ?? null,
    schedule_expression: secret.rotationRules?.scheduleExpression ?? null,
    window_duration: secret.rotationRules?.duration ?? null,
    last_rotated_at: iso(secret.lastRotatedDate),
    next_rotation_at: iso(secret.nextRotationDate),
    due_at: due,
    version_stages: JSON.stringify(secret.versionStages),
    status,
    failed_step: failedStep ?? null,
    status_rank: STATUS_RANK[status],
    covered: secret.rotationEnabled || secret.owningService ? 1 : 0,
    created_at: iso(secret.createdDate),
    last_changed_at: iso(secret.lastChangedDate),
  };
  const fingerprint = createHash('sha1').update(JSON.stringify(content)).digest('base64url');
  return { ...content, indexed_at: now.toISOString(), generation, fingerprint };
};

/** The rules as RotateSecret takes them, for the schedule helpers of packages/rotation. */
export const rulesOf = (row: Pick<IndexRow, 'rotation_days' | 'schedule_expression' | 'window_duration'>): ScheduleRules => ({
  ...(row.rotation_days ? { AutomaticallyAfterDays: row.rotation_days } : {}),
  ...(row.schedule_expression ? { ScheduleExpression: row.schedule_expression } : {}),
  ...(row.window_duration ? { Duration: row.window_duration } : {}),
});

/** "every 30 days", "cron(0 4 ? * SUN *) in a 3h window"; null when rotation is off. */
export const scheduleInWords = (row: Pick<IndexRow, 'rotation_enabled' | 'rotation_days' | 'schedule_expression' | 'window_duration'>): string | null => {
  if (!row.rotation_enabled) return null;
  const words = describeSchedule(rulesOf(row));
  return words === 'no rotation schedule' ? null : words;
};

/**
 * A row of the Secrets list: what AWS said of the secret when its row was written (the fields of
 * secret-summary.ts summaryFields, read back from the row's columns, which hold the same ISO
 * dates), with the status the index holds (derived then, overdue settled since). Rules that hold
 * no value read as no rules. Never a value.
 */
export const toSecretSummary = (row: IndexRow): SecretSummary => ({
  name: row.name,
  arn: row.arn,
  accountId: row.account_id,
  region: row.region,
  description: row.description,
  tags: JSON.parse(row.tags) as Tag[],
  team: row.team,
  owningService: row.owning_service,
  createdDate: row.created_at,
  lastChangedDate: row.last_changed_at,
  rotation: {
    enabled: row.rotation_enabled === 1,
    lambdaArn: row.lambda_arn,
    rules:
      row.rotation_days || row.schedule_expression || row.window_duration
        ? { automaticallyAfterDays: row.rotation_days, scheduleExpression: row.schedule_expression, duration: row.window_duration }
        : null,
    lastRotatedDate: row.last_rotated_at,
    nextRotationDate: row.next_rotation_at,
  },
  status: row.status as SecretStatus,
  failedStep: row.failed_step as RotationStepName | null,
});

export const toDashboardRow = (row: IndexRow): DashboardRow => ({
  name: row.name,
  arn: row.arn,
  accountId: row.account_id,
  region: row.region,
  team: row.team,
  engine: row.engine,
  status: row.status as SecretStatus,
  failedStep: row.failed_step as RotationStepName | null,
  rotationEnabled: row.rotation_enabled === 1,
  schedule: scheduleInWords(row),
  lastRotatedDate: row.last_rotated_at,
  nextRotationDate: row.next_rotation_at,
  lambdaArn: row.lambda_arn,
  owningService: row.owning_service,
});
