import { z } from 'zod';
import { FreezeWarning } from './freeze.ts';
import { IndexFreshness } from './index-freshness.ts';
import { RotationLogGroup } from './rotation.ts';
import { RotationStepName } from './secrets.ts';
import { SecretStatus, SecretVersion } from './secrets.ts';
import { AwsAccountId, AwsRegionName } from './targets.ts';
import { DASHBOARD_MAX_PAGE, DASHBOARD_SORTS } from './values.ts';

/**
 * The rotation status dashboard: read from the API's index of every secret's rotation
 * state (filled by a background crawl of ListSecrets), never from AWS on page load.
 */

const isoDate = z.iso.datetime({ offset: true });

export const StatusCounts = z.object({
  healthy: z.number().int(),
  unknown: z.number().int(),
  overdue: z.number().int(),
  pending_or_failed: z.number().int(),
  not_enabled: z.number().int(),
  managed: z.number().int(),
});
export type StatusCounts = z.infer<typeof StatusCounts>;
/** Every status at zero: the start of a count. */
export const emptyStatusCounts = (): StatusCounts => ({ healthy: 0, unknown: 0, overdue: 0, pending_or_failed: 0, not_enabled: 0, managed: 0 });

export const CoverageGroup = z.object({
  /** The team, engine, account id or region; null for secrets without a team or engine. */
  key: z.string().nullable(),
  total: z.number().int(),
  /** Secrets with rotation on (or managed by another service). */
  covered: z.number().int(),
  coveragePercent: z.number(),
  byStatus: StatusCounts,
});
export type CoverageGroup = z.infer<typeof CoverageGroup>;

export const DueSecret = z.object({
  name: z.string(),
  arn: z.string(),
  team: z.string().nullable(),
  nextRotationDate: isoDate,
});

export const DashboardSummary = z
  .object({
    total: z.number().int(),
    byStatus: StatusCounts,
    coveragePercent: z.number(),
    byTeam: z.array(CoverageGroup),
    byEngine: z.array(CoverageGroup),
    /** Coverage in each account the console covers (key: the account id; the account's name is in freshness.targets). */
    byAccount: z.array(CoverageGroup),
    byRegion: z.array(CoverageGroup),
    /** Secrets whose next rotation falls in the next 7 days, soonest first (at most 100). */
    dueSoon: z.array(DueSecret),
    dueSoonTotal: z.number().int(),
    freshness: IndexFreshness,
  })
  .meta({ id: 'DashboardSummary' });
export type DashboardSummary = z.infer<typeof DashboardSummary>;

export const DashboardSort = z.enum(DASHBOARD_SORTS);
export type DashboardSort = z.infer<typeof DashboardSort>;

export const DashboardListQuery = z.strictObject({
  offset: z.coerce.number().int().min(0, 'offset must be 0 or more').max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1, 'limit must be at least 1').max(DASHBOARD_MAX_PAGE, `limit must be at most ${DASHBOARD_MAX_PAGE}`).default(25),
  sort: DashboardSort.default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
  /** Secrets whose name contains this text (case-insensitive). */
  name: z.string().trim().min(1).max(512).optional(),
  status: SecretStatus.optional(),
  team: z.string().trim().min(1).max(256).optional(),
  engine: z.string().trim().min(1).max(64).optional(),
  /** Secrets of this account (its 12-digit id). */
  account: AwsAccountId.optional(),
  region: AwsRegionName.optional(),
});
export type DashboardListQuery = z.infer<typeof DashboardListQuery>;

/** The same filters for the CSV export, without paging. */
export const DashboardExportQuery = DashboardListQuery.omit({ offset: true, limit: true });

export const DashboardRow = z.object({
  name: z.string(),
  arn: z.string(),
  /** Where the secret lives: its account and region (its ARN's). */
  accountId: z.string(),
  region: z.string(),
  team: z.string().nullable(),
  engine: z.string().nullable(),
  status: SecretStatus,
  /** The step the function's log shows the last rotation failing at, where the console read it. */
  failedStep: RotationStepName.nullable(),
  rotationEnabled: z.boolean(),
  /** In words: "every 30 days", "cron(0 4 ? * SUN *) in a 3h window"; null when rotation is off. */
  schedule: z.string().nullable(),
  lastRotatedDate: isoDate.nullable(),
  nextRotationDate: isoDate.nullable(),
  lambdaArn: z.string().nullable(),
  owningService: z.string().nullable(),
  /** Set where the next rotation window falls in one of the team's freeze windows (the portal, the dashboard). */
  freezeWarning: FreezeWarning.nullable().optional(),
});
export type DashboardRow = z.infer<typeof DashboardRow>;

export const DashboardPage = z
  .object({
    items: z.array(DashboardRow),
    total: z.number().int(),
    offset: z.number().int(),
    limit: z.number().int(),
    freshness: IndexFreshness,
  })
  .meta({ id: 'DashboardPage' });
export type DashboardPage = z.infer<typeof DashboardPage>;

export const CalendarQuery = z.strictObject({
  from: isoDate.optional(),
  /** How many days from `from` (default 31, at most 62). */
  days: z.coerce.number().int().min(1).max(62).default(31),
  team: z.string().trim().min(1).max(256).optional(),
  /** Windows of this account's secrets (its 12-digit id), and of this region's. */
  account: AwsAccountId.optional(),
  region: AwsRegionName.optional(),
});

export const CalendarEntry = z.object({
  start: isoDate,
  end: isoDate,
  name: z.string(),
  arn: z.string(),
  team: z.string().nullable(),
  /** Where the secret lives (its ARN's account and region). */
  accountId: z.string(),
  region: z.string(),
});
export const Calendar = z
  .object({
    from: isoDate,
    to: isoDate,
    windows: z.array(CalendarEntry),
    /** True when more windows fell in the range than the answer holds (at most 2000). */
    truncated: z.boolean(),
    freshness: IndexFreshness,
  })
  .meta({ id: 'Calendar' });
export type Calendar = z.infer<typeof Calendar>;

export const TimelineEvent = z.object({
  at: isoDate,
  kind: z.enum(['version-created', 'rotated', 'workflow', 'audit']),
  title: z.string(),
  detail: z.string().nullable(),
  workflowId: z.string().nullable(),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

/** For a rotation that did not finish, or whose log does not confirm it: the verdict and what the function's log says of it. */
export const RotationFailure = z.object({
  /** failed: a step of this rotation failed; unknown: the function's logs do not say. */
  verdict: z.enum(['failed', 'unknown']),
  failedStep: RotationStepName.nullable(),
  cause: z.enum(['network', 'secrets-manager-endpoint', 'permissions', 'authentication', 'secret-format', 'unknown']),
  /** The verdict in a sentence; with the function's (redacted) error only when logHidden is false. */
  summary: z.string().nullable(),
  fix: z.string(),
  /** The rotation's ClientRequestToken (the version it was making). */
  versionId: z.string().nullable(),
  /** That rotation's invocations only, one group per step. Empty when logHidden. */
  log: z.array(RotationLogGroup),
  logHidden: z.boolean(),
});
export type RotationFailure = z.infer<typeof RotationFailure>;

export const SecretTimeline = z
  .object({
    name: z.string(),
    arn: z.string(),
    /** The owning team (the team tag), which decides who may run its operations. */
    team: z.string().nullable(),
    status: SecretStatus,
    /** The AWS service that manages the secret's rotation (OwningService, e.g. "rds"), or null. */
    owningService: z.string().nullable(),
    versions: z.array(SecretVersion),
    /** Newest first. */
    events: z.array(TimelineEvent),
    /** For a failed or stuck rotation: what the rotation function's log group says. */
    failure: RotationFailure.nullable(),
  })
  .meta({ id: 'SecretTimeline' });
export type SecretTimeline = z.infer<typeof SecretTimeline>;
