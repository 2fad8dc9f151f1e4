import type {
  Calendar,
  CoverageGroup,
  DashboardPage,
  DashboardRow,
  DashboardSummary,
  IndexFreshness,
  Operation,
  OperationPreview,
  RotationFailure,
  SecretTimeline,
} from '@rotation-console/contracts';
import { FLEET, fleetTargets, lambdaArn, minutesAgo } from './fixtures.ts';
import { secretArn } from './rotation-fixtures.ts';

/** A ready index, last updated 2 minutes (and a few seconds) ago. */
export const aFreshness = (overrides: Partial<IndexFreshness> = {}): IndexFreshness => ({
  state: 'ready',
  indexedAt: minutesAgo(10),
  updatedAt: minutesAgo(2.1),
  secretsIndexed: 1240,
  source: 'index',
  targets: [],
  ...overrides,
});

/** The index is still being built: the answer came straight from AWS. */
export const anIndexingFreshness = (): IndexFreshness => ({
  state: 'crawling',
  indexedAt: null,
  updatedAt: null,
  secretsIndexed: 300,
  source: 'aws',
  targets: [],
});

export const aCoverageGroup = (key: string | null, total: number, covered: number): CoverageGroup => ({
  key,
  total,
  covered,
  coveragePercent: total === 0 ? 0 : Math.round((covered / total) * 1000) / 10,
  byStatus: { unknown: 0, healthy: covered, overdue: 0, pending_or_failed: 0, not_enabled: total - covered, managed: 0 },
});

export const aSummary = (overrides: Partial<DashboardSummary> = {}): DashboardSummary => ({
  total: 1240,
  byStatus: { healthy: 880, unknown: 20, overdue: 37, pending_or_failed: 12, not_enabled: 251, managed: 40 },
  coveragePercent: 79.8,
  byTeam: [aCoverageGroup('payments', 400, 380), aCoverageGroup('identity', 300, 150), aCoverageGroup(null, 540, 459)],
  byEngine: [aCoverageGroup('postgres', 700, 600), aCoverageGroup('mysql', 540, 389)],
  byAccount: [aCoverageGroup('123456789012', 1240, 989)],
  byRegion: [aCoverageGroup('us-east-1', 1240, 989)],
  dueSoon: [
    { name: 'prod/payments/postgres', arn: secretArn('prod/payments/postgres'), team: 'payments', nextRotationDate: '2026-12-01T04:00:00.000Z' },
    { name: 'prod/identity/mysql', arn: secretArn('prod/identity/mysql'), team: 'identity', nextRotationDate: '2026-12-03T16:00:00.000Z' },
  ],
  dueSoonTotal: 2,
  freshness: aFreshness(),
  ...overrides,
});

export const aDashboardRow = (overrides: Partial<DashboardRow> = {}): DashboardRow => {
  const name = overrides.name ?? 'prod/payments/postgres';
  return {
    name,
    arn: secretArn(name),
    accountId: '123456789012',
    region: 'us-east-1',
    team: 'payments',
    engine: 'postgres',
    failedStep: null,
    status: 'healthy',
    rotationEnabled: true,
    schedule: 'every 30 days',
    lastRotatedDate: '2026-11-01T04:00:00.000Z',
    nextRotationDate: '2026-12-01T04:00:00.000Z',
    lambdaArn: lambdaArn('rotate-payments-postgres'),
    owningService: null,
    ...overrides,
  };
};

export const aDashboardPage = (items: DashboardRow[], overrides: Partial<DashboardPage> = {}): DashboardPage => ({
  items,
  total: items.length,
  offset: 0,
  limit: 25,
  freshness: aFreshness(),
  ...overrides,
});

export const aCalendar = (windows: Calendar['windows'], overrides: Partial<Calendar> = {}): Calendar => ({
  from: '2026-11-30T00:00:00.000Z',
  to: '2026-12-31T00:00:00.000Z',
  windows,
  truncated: false,
  freshness: aFreshness(),
  ...overrides,
});

export const aCalendarWindow = (name: string, start: string, hours = 3, team: string | null = 'payments'): Calendar['windows'][number] => ({
  name,
  arn: secretArn(name),
  accountId: '123456789012',
  region: 'us-east-1',
  team,
  start,
  end: new Date(Date.parse(start) + hours * 3600_000).toISOString(),
});

export const aFailure = (overrides: Partial<RotationFailure> = {}): RotationFailure => ({
  verdict: 'failed',
  failedStep: 'setSecret',
  cause: 'network',
  summary: 'The rotation failed at setSecret: Task timed out after 30.03 seconds',
  fix: 'Put the function in the database VPC and allow it in the database security group.',
  versionId: 'v-new-0002',
  log: [
    {
      step: 'createSecret',
      requestId: 'req-1',
      outcome: 'succeeded',
      headline: 'createSecret succeeded',
      lines: ['START RequestId: req-1', '{"message":"rotation step succeeded","step":"createSecret"}', 'END RequestId: req-1'],
    },
    {
      step: 'setSecret',
      requestId: 'req-2',
      outcome: 'failed',
      headline: 'setSecret failed: Task timed out after 30.03 seconds',
      lines: ['START RequestId: req-2', 'setSecret: connecting to orders-db:5432 password=[redacted]', 'Task timed out after 30.03 seconds'],
    },
  ],
  logHidden: false,
  ...overrides,
});

export const aTimeline = (overrides: Partial<SecretTimeline> = {}): SecretTimeline => ({
  name: 'prod/payments/postgres',
  arn: secretArn('prod/payments/postgres'),
  team: 'payments',
  status: 'pending_or_failed',
  owningService: null,
  versions: [
    { versionId: 'v-new-0002', stages: ['AWSPENDING'], createdDate: '2026-11-30T04:00:05.000Z', lastAccessedDate: null },
    { versionId: 'v-old-0001', stages: ['AWSCURRENT'], createdDate: '2026-10-31T04:00:05.000Z', lastAccessedDate: '2026-11-29T00:00:00.000Z' },
  ],
  events: [
    { at: '2026-11-30T04:00:05.000Z', kind: 'version-created', title: 'Version v-new-0002 created', detail: 'AWSPENDING', workflowId: null },
    { at: '2026-11-29T10:00:00.000Z', kind: 'workflow', title: 'Rotation turned on', detail: 'Succeeded', workflowId: 'wf-7' },
    { at: '2026-11-29T09:59:00.000Z', kind: 'audit', title: 'Olivia Operator turned on rotation', detail: null, workflowId: null },
    { at: '2026-10-31T04:00:09.000Z', kind: 'rotated', title: 'Rotated to v-old-0001', detail: null, workflowId: null },
  ],
  failure: aFailure(),
  ...overrides,
});

const operationActions: Record<Operation, OperationPreview['actions']> = {
  'rotate-now': [
    { description: 'Rotate the secret now with its rotation function', cli: 'aws secretsmanager rotate-secret --secret-id prod/payments/postgres' },
  ],
  'turn-off': [{ description: 'Turn off automatic rotation', cli: 'aws secretsmanager cancel-rotate-secret --secret-id prod/payments/postgres' }],
  'roll-back': [
    {
      description: 'Move AWSCURRENT back to the previous version',
      cli: 'aws secretsmanager update-secret-version-stage --secret-id prod/payments/postgres --version-stage AWSCURRENT --move-to-version-id v-old-0001 --remove-from-version-id v-new-0002',
    },
  ],
  'clear-stuck': [
    {
      description: 'Remove AWSPENDING from the unfinished version',
      cli: 'aws secretsmanager update-secret-version-stage --secret-id prod/payments/postgres --version-stage AWSPENDING --remove-from-version-id v-new-0002',
    },
  ],
};

const operationMoves: Record<Operation, OperationPreview['labelMoves']> = {
  'rotate-now': [],
  'turn-off': [],
  'roll-back': [
    { label: 'AWSCURRENT', fromVersionId: 'v-new-0002', toVersionId: 'v-old-0001' },
    { label: 'AWSPREVIOUS', fromVersionId: 'v-old-0001', toVersionId: 'v-new-0002' },
  ],
  'clear-stuck': [{ label: 'AWSPENDING', fromVersionId: 'v-new-0002', toVersionId: null }],
};

/** The preview of an allowed operation on prod/payments/postgres. */
export const anOperationPreview = (operation: Operation, overrides: Partial<OperationPreview> = {}): OperationPreview => ({
  operation,
  secretName: 'prod/payments/postgres',
  secretArn: secretArn('prod/payments/postgres'),
  allowed: true,
  reason: null,
  actions: operationActions[operation],
  labelMoves: operationMoves[operation],
  warnings: [],
  ...overrides,
});

/**
 * The dashboard of a console over three accounts in two regions, one target failed (fleetTargets):
 * its summary counts by account and region, and its list holds a secret of each fresh account.
 */
export const aFleetSummary = (overrides: Partial<DashboardSummary> = {}): DashboardSummary =>
  aSummary({
    total: 240,
    byAccount: [aCoverageGroup(FLEET.payments.accountId, 160, 120), aCoverageGroup(FLEET.identity.accountId, 80, 40)],
    byRegion: [aCoverageGroup('us-east-1', 120, 100), aCoverageGroup('eu-west-1', 120, 60)],
    freshness: aFreshness({ targets: fleetTargets() }),
    ...overrides,
  });

export const aFleetRow = (name: string, account: { accountId: string }, region: string, overrides: Partial<DashboardRow> = {}): DashboardRow =>
  aDashboardRow({
    name,
    arn: `arn:aws:secretsmanager:${region}:${account.accountId}:secret:${name}-AbCdEf`,
    accountId: account.accountId,
    region,
    ...overrides,
  });

export const aFleetPage = (overrides: Partial<DashboardPage> = {}): DashboardPage =>
  aDashboardPage(
    [
      aFleetRow('prod/payments/postgres', FLEET.payments, 'eu-west-1'),
      aFleetRow('prod/identity/mysql', FLEET.identity, 'eu-west-1', { team: 'identity', engine: 'mysql' }),
    ],
    { freshness: aFreshness({ targets: fleetTargets() }), ...overrides },
  );
