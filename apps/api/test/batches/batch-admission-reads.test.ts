import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetFunctionCommand, TagResourceCommand } from '@aws-sdk/client-lambda';
import type { Batch, BatchAccepted } from '@rotation-console/contracts';
import { startAwsProxy } from '@rotation-console/harness/aws-proxy.ts';
import { seedDemoAccount } from '@rotation-console/harness/seed.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchPlanMemo } from '../../src/modules/batches/batch-plan-memo.ts';
import type { OwnershipGateway } from '../../src/modules/ownership/ownership.aws.ts';
import { createFormattedSecret } from '../support/rotation-fixtures.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';

const SECRETS = 6;

describe("A batch's admissions", () => {
  let proxy: Awaited<ReturnType<typeof startAwsProxy>>;
  let api: Awaited<ReturnType<typeof buildApi>>;
  beforeAll(async () => {
    await reset();
    await seedDemoAccount(aws(), motoEndpoint());
    // The proxy only records: every call reaches moto.
    proxy = await startAwsProxy({ target: motoEndpoint() });
    api = await buildApi({ AWS_ENDPOINT_URL: proxy.url });
  });
  afterAll(async () => {
    await api.close();
    await proxy.close();
  });

  it("When a batch enables rotation for 6 secrets with their team's function, then every secret gets it and the function is read once per batch, not once per secret and step", async () => {
    const functionArn = (await aws().lambda.send(new GetFunctionCommand({ FunctionName: 'SecretsManager-postgres-single-user' }))).Configuration!.FunctionArn!;
    await aws().lambda.send(new TagResourceCommand({ Resource: functionArn, Tags: { team: 'payments' } }));
    const arns = await Promise.all(Array.from({ length: SECRETS }, (_, i) => createFormattedSecret(`test/batches/admission-db-${i}`, 'payments')));

    const accepted = (
      await request(api.app)
        .post('/api/v1/batches')
        .send({
          selection: { kind: 'secrets', secretIds: arns },
          action: {
            action: 'enable',
            schedule: { kind: 'expression', expression: 'cron(0 3 ? * SAT *)' },
            duration: '2h',
            function: { mode: 'existing', functionArn, strategy: 'single-user' },
            acknowledgeSharedFunction: true,
          },
          preflight: false,
        })
        .expect(202)
    ).body as BatchAccepted;
    const runFrom = proxy.calls.length;
    let batch: Batch;
    for (;;) {
      await api.runner.idle();
      await api.batchDispatcher.idle();
      batch = (await request(api.app).get(`/api/v1/batches/${accepted.id}`).expect(200)).body as Batch;
      if (batch.status !== 'running' && batch.status !== 'pending') break;
    }

    expect(batch.status).toBe('succeeded');
    for (const arn of arns) {
      const secret = await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: arn }));
      expect(secret.RotationEnabled).toBe(true);
      expect(secret.RotationLambdaARN).toBe(functionArn);
    }
    const run = proxy.calls.slice(runFrom);
    // The shared steps' two admissions (start, AddPermission) read the function each time, as before; the items'
    // twelve admissions (start and step of each) read it once between them (twice if the run outlasts the memo's seconds): 14 reads before.
    expect(run.filter((c) => c.operation === 'GetFunction').length).toBeLessThanOrEqual(4);
    // Per secret: each admission's one read of it (2), the step's own (1), the index's refreshes (up to 2), seven before;
    // and the shared steps' admissions (up to 6): at most 36 here, 46 or more before.
    expect(run.filter((c) => c.operation === 'DescribeSecret').length).toBeLessThanOrEqual(5 * SECRETS + 6);
    expect(run.filter((c) => c.operation === 'RotateSecret').length).toBe(SECRETS);
  });
});

describe("The batch admissions' memory of a function", () => {
  // A Lambda stand-in whose owner the test changes: what the memory may keep, and for how long.
  const lambda = () => {
    const state = { team: 'payments' as string | null, exists: true, fail: false, reads: 0 };
    const gateway = {
      function: (arn: string) => {
        state.reads++;
        if (state.fail) return Promise.reject(new Error('Rate exceeded'));
        return Promise.resolve(
          state.exists
            ? ({ arn, name: 'fn', tags: state.team ? { team: state.team } : {} } as unknown as Awaited<ReturnType<OwnershipGateway['function']>>)
            : null,
        );
      },
    } as unknown as OwnershipGateway;
    return { state, gateway };
  };
  const teamOf = (fn: Awaited<ReturnType<OwnershipGateway['function']>>) => (fn as { tags: Record<string, string> } | null)?.tags.team ?? null;

  it('When the function changes hands, then the same batch sees the new owner once its few seconds pass, and another batch and any other read see it at once', async () => {
    let clock = 0;
    const memo = createBatchPlanMemo(() => 'home', { now: () => clock, admissionMs: 5000 });
    const { state, gateway } = lambda();
    const wrapped = memo.ownership(gateway);
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:fn';

    expect(teamOf(await memo.withinBatchAdmission('b1', () => wrapped.function(arn)))).toBe('payments');
    state.team = 'identity';
    expect(teamOf(await memo.withinBatchAdmission('b1', () => wrapped.function(arn)))).toBe('payments');
    expect(teamOf(await memo.withinBatchAdmission('b2', () => wrapped.function(arn)))).toBe('identity');
    expect(teamOf(await wrapped.function(arn))).toBe('identity');
    clock = 5000;
    expect(teamOf(await memo.withinBatchAdmission('b1', () => wrapped.function(arn)))).toBe('identity');
  });

  it('When the function is missing or its read fails, then the next item reads it again', async () => {
    const memo = createBatchPlanMemo(() => 'home', { now: () => 0 });
    const { state, gateway } = lambda();
    const wrapped = memo.ownership(gateway);
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:fn';

    state.exists = false;
    expect(await memo.withinBatchAdmission('b1', () => wrapped.function(arn))).toBeNull();
    state.exists = true;
    expect(teamOf(await memo.withinBatchAdmission('b1', () => wrapped.function(arn)))).toBe('payments');
    state.fail = true;
    await expect(memo.withinBatchAdmission('b2', () => wrapped.function(arn))).rejects.toThrow('Rate exceeded');
    state.fail = false;
    expect(teamOf(await memo.withinBatchAdmission('b2', () => wrapped.function(arn)))).toBe('payments');
    expect(state.reads).toBe(4);
  });
});
