import { z } from 'zod';
import type { Action } from './permissions.ts';
import { RotationLogGroup, RotationStepName } from './rotation.ts';
import { SecretStatus, SecretVersion } from './secrets.ts';
import { DASHBOARD_MAX_PAGE, DASHBOARD_SORTS } from './values.ts';

/**
 * The rotation status dashboard: read from the API's index of every secret's rotation
 * state (filled by a background crawl of ListSecrets), never from AWS on page load.
 */

const isoDate = z.iso.datetime({ offset: true });

export const IndexFreshness = z.object({
  /** 'empty': nothing indexed yet (pages come straight from AWS meanwhile); 'crawling': a crawl runs; 'ready'. */
  state: z.enum(['empty', 'crawling', 'ready']),
  /** When the last complete crawl finished. */
  indexedAt: isoDate.nullable(),
  /** When the index last changed (crawl, incremental refresh or the console's own writes). */
  updatedAt: isoDate.nullable(),
  secretsIndexed: z.number().int(),
  /** Where this answer came from. */
  source: z.enum(['index', 'aws']),
});
export type IndexFreshness = z.infer<typeof IndexFreshness>;

export const StatusCounts = z.object({
  healthy: z.number().int(),
  overdue: z.number().int(),
  pending_or_failed: z.number().int(),
  not_enabled: z.number().int(),
  managed: z.number().int(),
});
export type StatusCounts = z.infer<typeof StatusCounts>;

export const CoverageGroup = z.object({
  /** The team or engine; null for secrets without one. */
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
});
export type DashboardListQuery = z.infer<typeof DashboardListQuery>;

/** The same filters for the CSV export, without paging. */
export const DashboardExportQuery = DashboardListQuery.omit({ offset: true, limit: true });

export const DashboardRow = z.object({
  name: z.string(),
  arn: z.string(),
  team: z.string().nullable(),
  engine: z.string().nullable(),
  status: SecretStatus,
  rotationEnabled: z.boolean(),
  /** In words: "every 30 days", "cron(0 4 ? * SUN *) in a 3h window"; null when rotation is off. */
  schedule: z.string().nullable(),
  lastRotatedDate: isoDate.nullable(),
  nextRotationDate: isoDate.nullable(),
  lambdaArn: z.string().nullable(),
  owningService: z.string().nullable(),
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
});

export const CalendarEntry = z.object({ start: isoDate, end: isoDate, name: z.string(), arn: z.string(), team: z.string().nullable() });
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

// --- Operations -------------------------------------------------------------------

export const Operation = z.enum(['rotate-now', 'turn-off', 'roll-back', 'clear-stuck']);
export type Operation = z.infer<typeof Operation>;

export const operationLabels: Record<Operation, string> = {
  'rotate-now': 'Rotate secret immediately',
  'turn-off': 'Turn off rotation',
  'roll-back': 'Roll back to the previous version',
  'clear-stuck': 'Clear the stuck rotation',
};

/** The permission each operation needs on the secret: the API checks it, the web app disables the button without it. */
export const OPERATION_ACTIONS: Readonly<Record<Operation, Action>> = {
  'rotate-now': 'secrets:rotate',
  'turn-off': 'secrets:turn-off',
  'roll-back': 'secrets:roll-back',
  'clear-stuck': 'secrets:clear-stuck',
};

export const OperationRequest = z.strictObject({ operation: Operation }).meta({ id: 'OperationRequest' });

export const LabelMove = z.object({
  label: z.string(),
  fromVersionId: z.string().nullable(),
  toVersionId: z.string().nullable(),
});

export const OperationPreview = z
  .object({
    operation: Operation,
    secretName: z.string(),
    secretArn: z.string(),
    /** False when the secret's state does not allow it (the reason says why). */
    allowed: z.boolean(),
    reason: z.string().nullable(),
    /** What it will do, in words, with the AWS CLI command for each. */
    actions: z.array(z.object({ description: z.string(), cli: z.string() })),
    /** The staging label moves it makes (roll back, clear stuck). */
    labelMoves: z.array(LabelMove),
    warnings: z.array(z.string()),
  })
  .meta({ id: 'OperationPreview' });
export type OperationPreview = z.infer<typeof OperationPreview>;
