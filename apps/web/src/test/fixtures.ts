import type { ErrorBody, SecretDetail, SecretPage, SecretSummary } from '@rotation-console/contracts';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

export const lambdaArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

export const aSecret = (overrides: Partial<SecretSummary> = {}): SecretSummary => {
  const name = overrides.name ?? 'prod/orders/postgres';
  return {
    name,
    arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`,
    description: 'Orders database credentials',
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

export const aSecretDetail = (overrides: Partial<SecretDetail> = {}): SecretDetail => ({
  ...aSecret(overrides),
  statusReasons: [],
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

export const aPage = (items: SecretSummary[], nextCursor: string | null = null): SecretPage => ({ items, nextCursor });

export const anError = (code: ErrorBody['error']['code'], message: string): ErrorBody => ({
  error: { code, message },
  requestId: 'req-test-1',
});
