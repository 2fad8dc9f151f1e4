import type {
  ErrorBody,
  OperationAvailability,
  SecretDetail,
  SecretListFreshness,
  SecretPage,
  SecretSummary,
  TargetFreshness,
} from '@rotation-console/contracts';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

export const lambdaArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

export const aSecret = (overrides: Partial<SecretSummary> = {}): SecretSummary => {
  const name = overrides.name ?? 'prod/orders/postgres';
  return {
    name,
    arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`,
    accountId: ACCOUNT,
    region: REGION,
    description: 'Orders database credentials',
    failedStep: null,
    tags: [{ key: 'team', value: 'orders' }],
    team: 'orders',
    owningService: null,
    createdDate: '2026-01-15T09:30:00.000Z',
    lastChangedDate: '2026-11-01T08:00:00.000Z',
    rotation: {
      enabled: true,
      lambdaArn: lambdaArn('rotate-orders-postgres'),
      rules: { automaticallyAfterDays: 30, scheduleExpression: null, duration: null },
      lastRotatedDate: '2026-11-01T08:00:00.000Z',
      nextRotationDate: '2026-12-01T08:00:00.000Z',
    },
    status: 'healthy',
    ...overrides,
  };
};

/** The four operations as the API answers them for a secret rotating with `functionName`, one version, nothing stuck. */
export const healthyOperations = (functionName = 'rotate-orders-postgres'): OperationAvailability[] => [
  {
    operation: 'rotate-now',
    allowed: true,
    reason: `Rotation is on with the function ${functionName}: Secrets Manager can rotate the secret now, outside its schedule, which stays.`,
  },
  { operation: 'turn-off', allowed: true, reason: 'Rotation is on: turning it off stops Secrets Manager rotating the secret; the rotation function stays.' },
  { operation: 'roll-back', allowed: false, reason: 'No version has AWSPREVIOUS: there is no previous version to roll back to.' },
  { operation: 'clear-stuck', allowed: false, reason: 'No rotation is stuck: no version has AWSPENDING without AWSCURRENT, so there is nothing to clear.' },
];

export const aSecretDetail = (overrides: Partial<SecretDetail> = {}): SecretDetail => ({
  ...aSecret(overrides),
  statusReasons: [],
  operations: healthyOperations(),
  versions: [
    {
      versionId: 'a1b2c3d4-0000-4000-8000-000000000001',
      stages: ['AWSCURRENT'],
      createdDate: '2026-11-01T08:00:00.000Z',
      lastAccessedDate: '2026-11-28T00:00:00.000Z',
    },
  ],
  ...overrides,
});

/** An ISO time this many minutes before now. */
export const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** A page of the Secrets list from a ready index whose crawl read its secrets 3 minutes (and a few seconds) ago. */
export const aListFreshness = (overrides: Partial<SecretListFreshness> = {}): SecretListFreshness => ({
  state: 'ready',
  indexedAt: minutesAgo(3),
  updatedAt: minutesAgo(20),
  secretsIndexed: 37,
  source: 'index',
  targets: [],
  seenAt: minutesAgo(3.1),
  ...overrides,
});

/**
 * A console over three accounts in two regions (a fleet): payments-prod in us-east-1 and eu-west-1,
 * identity-prod in eu-west-1, fresh; analytics-dev in us-east-1, whose role the console cannot
 * assume, failed and never indexed.
 */
export const FLEET = {
  payments: { accountId: '111111111111', accountName: 'payments-prod' },
  analytics: { accountId: '222222222222', accountName: 'analytics-dev' },
  identity: { accountId: '333333333333', accountName: 'identity-prod' },
} as const;

export const FLEET_FAILURE =
  'AWS refused AssumeRole: AccessDenied: User: arn:aws:sts::111111111111:assumed-role/RotationConsole/console is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/RotationConsoleReader';

export const fleetTargets = (): TargetFreshness[] => [
  { ...FLEET.payments, region: 'us-east-1', state: 'ready', indexedAt: minutesAgo(3), secretsIndexed: 120, error: null, errorAt: null },
  { ...FLEET.payments, region: 'eu-west-1', state: 'ready', indexedAt: minutesAgo(4), secretsIndexed: 40, error: null, errorAt: null },
  { ...FLEET.analytics, region: 'us-east-1', state: 'failed', indexedAt: null, secretsIndexed: 0, error: FLEET_FAILURE, errorAt: minutesAgo(2) },
  { ...FLEET.identity, region: 'eu-west-1', state: 'ready', indexedAt: minutesAgo(5), secretsIndexed: 80, error: null, errorAt: null },
];

/** A secret of the fleet: `name` in an account (FLEET) and region. */
export const aFleetSecret = (name: string, account: { accountId: string }, region: string, overrides: Partial<SecretSummary> = {}): SecretSummary =>
  aSecret({ name, arn: `arn:aws:secretsmanager:${region}:${account.accountId}:secret:${name}-AbCdEf`, accountId: account.accountId, region, ...overrides });

export const aPage = (items: SecretSummary[], nextCursor: string | null = null, freshness: SecretListFreshness = aListFreshness()): SecretPage => ({
  items,
  nextCursor,
  freshness,
});

export const anError = (code: ErrorBody['error']['code'], message: string): ErrorBody => ({
  error: { code, message },
  requestId: 'req-test-1',
});

/**
 * prod/payments/postgres, whose last rotation did not finish: AWSPENDING on v-new-0002, AWSCURRENT on
 * v-old-0001, AWSPREVIOUS on v-older-0000; the operations as the API answers them for that state.
 */
export const aStuckSecretDetail = (overrides: Partial<SecretDetail> = {}): SecretDetail =>
  aSecretDetail({
    name: 'prod/payments/postgres',
    team: 'payments',
    tags: [{ key: 'team', value: 'payments' }],
    status: 'pending_or_failed',
    statusReasons: [
      'Version v-new-0002 has AWSPENDING but not AWSCURRENT: the last rotation did not finish, and Secrets Manager refuses to start another until it is cleared.',
    ],
    versions: [
      { versionId: 'v-new-0002', stages: ['AWSPENDING'], createdDate: '2026-11-30T04:00:05.000Z', lastAccessedDate: null },
      { versionId: 'v-old-0001', stages: ['AWSCURRENT'], createdDate: '2026-10-31T04:00:05.000Z', lastAccessedDate: '2026-11-29T00:00:00.000Z' },
      { versionId: 'v-older-0000', stages: ['AWSPREVIOUS'], createdDate: '2026-10-01T04:00:05.000Z', lastAccessedDate: null },
    ],
    operations: [
      {
        operation: 'rotate-now',
        allowed: false,
        reason:
          'Version v-new-0002 has AWSPENDING but not AWSCURRENT: a rotation did not finish, and Secrets Manager refuses a new one until it is cleared. Clear the stuck rotation first.',
      },
      {
        operation: 'turn-off',
        allowed: true,
        reason: 'Rotation is on: turning it off stops Secrets Manager rotating the secret; the rotation function stays.',
      },
      { operation: 'roll-back', allowed: true, reason: 'Version v-older-0000 has AWSPREVIOUS: AWSCURRENT can move back to it from version v-old-0001.' },
      {
        operation: 'clear-stuck',
        allowed: true,
        reason:
          'Version v-new-0002 has AWSPENDING but not AWSCURRENT: a rotation did not finish, and Secrets Manager refuses to start another until it is cleared.',
      },
    ],
    ...overrides,
  });
