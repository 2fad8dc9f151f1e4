import type { Batch, BatchItem, BatchPreview, BatchSecretPlan } from '@rotation-console/contracts';
import { secretArn } from './rotation-fixtures.ts';

/** One secret of a plan, included, starting in its own hour of a 4h window on Sundays. */
export const aSecretPlan = (name: string, hour: number, overrides: Partial<BatchSecretPlan> = {}): BatchSecretPlan => ({
  secretArn: secretArn(name),
  secretName: name,
  accountId: '123456789012',
  region: 'us-east-1',
  team: 'payments',
  refusal: null,
  steps: [
    {
      id: 'add-invoke-permission',
      kind: 'add-invoke-permission',
      title: 'Allow Secrets Manager to invoke the function',
      awsCalls: [],
      dependsOn: [],
      cli: null,
    },
    {
      id: 'rotate-secret',
      kind: 'rotate-secret',
      title: 'Turn on rotation (RotateSecret)',
      awsCalls: ['secretsmanager:RotateSecret'],
      dependsOn: [],
      cli: null,
    },
  ],
  schedule: {
    scheduleExpression: `cron(0 ${hour} ? * SUN *)`,
    automaticallyAfterDays: null,
    duration: '1h',
    description: `cron(0 ${hour} ? * SUN *) in a 1h window`,
    nextWindow: { start: `2026-12-13T0${hour}:00:00.000Z`, end: `2026-12-13T0${hour + 1}:00:00.000Z` },
  },
  startOffsetSeconds: null,
  preflight: { verdict: 'pass', findings: [] },
  cli: `aws secretsmanager rotate-secret --secret-id ${name}`,
  ...overrides,
});

/** A secret the plan leaves out, and why. */
export const aRefusedPlan = (name: string, reason: NonNullable<BatchSecretPlan['refusal']>['reason'], message: string): BatchSecretPlan =>
  aSecretPlan(name, 0, { team: 'identity', refusal: { reason, message }, steps: [], schedule: null, preflight: null, cli: '' });

export const aBatchPreview = (secrets: BatchSecretPlan[], overrides: Partial<BatchPreview> = {}): BatchPreview => {
  const refused = secrets.filter((s) => s.refusal).length;
  return {
    action: 'enable',
    summary: `Enable automatic rotation for ${secrets.length - refused} secrets`,
    shared: { description: 'One existing function, rotate-payments, for every secret', steps: [], resources: [], cli: '' },
    secrets,
    totals: { selected: secrets.length, included: secrets.length - refused, refused },
    staggering: 'One secret per one-hour slot of the 4h window',
    pacing: 'RotateSecret at most 50 a second per account and Region',
    warnings: [],
    previewId: 'preview-1',
    expiresAt: '2026-12-07T10:15:00.000Z',
    ...overrides,
  };
};

export const aBatchItem = (name: string, overrides: Partial<BatchItem> = {}): BatchItem => ({
  secretArn: secretArn(name),
  secretName: name,
  team: 'payments',
  workflowId: `wf-${name.split('/').pop()}`,
  status: 'running',
  refusal: null,
  stepsDone: 1,
  stepsTotal: 2,
  currentStep: 'Turn on rotation (RotateSecret)',
  schedule: null,
  startOffsetSeconds: null,
  result: null,
  startedAt: '2026-12-07T10:00:00.000Z',
  finishedAt: null,
  ...overrides,
});

export const aBatch = (items: BatchItem[], overrides: Partial<Batch> = {}): Batch => {
  const count = (status: BatchItem['status']) => items.filter((i) => i.status === status).length;
  const running = count('running') + count('pending') > 0;
  return {
    id: 'batch-1',
    action: 'enable',
    summary: `Enable automatic rotation for ${items.length - count('refused')} secrets`,
    status: running ? 'running' : count('failed') > 0 ? 'failed' : 'succeeded',
    createdBy: { id: 'pat', name: 'Pat Payments' },
    createdAt: '2026-12-07T10:00:00.000Z',
    finishedAt: running ? null : '2026-12-07T10:01:00.000Z',
    totals: {
      total: items.length,
      pending: count('pending'),
      running: count('running'),
      succeeded: count('succeeded'),
      failed: count('failed'),
      cancelled: count('cancelled'),
      refused: count('refused'),
    },
    sharedWorkflowId: null,
    sharedStatus: null,
    staggering: 'One secret per one-hour slot of the 4h window',
    pacing: 'RotateSecret at most 50 a second per account and Region',
    items,
    ...overrides,
  };
};
