import { CreateSecretCommand, RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { SecretTimeline } from '@rotation-console/contracts';
import { seedDemoAccount } from '@rotation-console/harness/seed.ts';
import { FIXES } from '@rotation-console/rotation';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFunctionFromSource } from '../support/rotation-fixtures.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';

type Api = Awaited<ReturnType<typeof buildApi>>;

const timelineOf = async (api: Api, secretId: string) =>
  SecretTimeline.parse(
    (
      await request(api.app)
        .get(`/api/v1/secrets/${encodeURIComponent(secretId)}/timeline`)
        .expect(200)
    ).body,
  );

/**
 * A rotation function that logs as the bundled one does (one JSON line per step with its step
 * and token) and cannot reach its database at setSecret, where it also logs `leak` (a
 * credential a careless function might print).
 */
const networkFailingFunction = (leak = '') => `
export const handler = async (event) => {
  const base = { step: event.Step, secretArn: event.SecretId, versionId: event.ClientRequestToken };
  if (event.Step === 'setSecret') {
    console.log(JSON.stringify({ level: 'error', message: 'rotation step failed', ...base, outcome: 'failed', errorCategory: 'network', error: 'connect ETIMEDOUT 10.20.1.15:5432${leak}' }));
    throw new Error('setSecret failed: connect ETIMEDOUT 10.20.1.15:5432');
  }
  console.log(JSON.stringify({ level: 'info', message: 'rotation step succeeded', ...base, outcome: 'done' }));
};
`;

describe('A secret\u2019s timeline', () => {
  let api: Api;

  beforeAll(async () => {
    await reset();
    await seedDemoAccount(aws(), motoEndpoint());
    api = await buildApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('When the demo secret whose rotation failed is opened, then the failure comes from that rotation\u2019s invocations of its function', async () => {
    // Act
    const timeline = await timelineOf(api, 'prod/identity/users-db');

    // Assert
    expect(timeline.status).toBe('pending_or_failed');
    expect(timeline.versions).toHaveLength(2);
    const failure = timeline.failure!;
    const pending = timeline.versions.find((v) => v.stages.includes('AWSPENDING'))!.versionId;
    // The demo function is a placeholder that fails at the first step; AWS invokes no later step.
    expect(failure).toMatchObject({
      verdict: 'failed',
      failedStep: 'createSecret',
      cause: 'unknown',
      fix: FIXES.unknown,
      versionId: pending,
      logHidden: false,
    });
    expect(failure.summary).toContain('demo placeholder function');
    expect(failure.log.map((g) => [g.step, g.outcome])).toEqual([['createSecret', 'failed']]);
    expect(failure.log[0]!.headline).toBe('createSecret failed: demo placeholder function');
    // The same function failed for the other demo secrets the seed rotated: none of their lines is here.
    const lines = failure.log.flatMap((g) => g.lines);
    expect(lines.every((l) => !/"versionId":"/.test(l) || l.includes(pending))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/orders-db|cards-db|ledger-app|sessions-db|events-db/);
  });

  it('When a rotation failed at setSecret, then the timeline names the step, the cause and the fix, with that step\u2019s lines grouped', async () => {
    // Arrange
    const fn = await createFunctionFromSource('timeline-network-failure', networkFailingFunction());
    const secret = await aws().secretsManager.send(new CreateSecretCommand({ Name: 'test/timeline/network-db', SecretString: '{"engine":"postgres"}' }));
    await aws().secretsManager.send(new RotateSecretCommand({ SecretId: secret.ARN, RotationLambdaARN: fn, RotationRules: { AutomaticallyAfterDays: 30 } }));

    // Act
    const timeline = await timelineOf(api, secret.ARN!);

    // Assert
    expect(timeline.status).toBe('pending_or_failed');
    expect(timeline.failure).toMatchObject({
      verdict: 'failed',
      failedStep: 'setSecret',
      cause: 'network',
      fix: FIXES.network,
      summary: 'The rotation failed at setSecret: connect ETIMEDOUT 10.20.1.15:5432',
    });
    expect(timeline.failure!.log.map((g) => g.headline)).toEqual(['createSecret succeeded', 'setSecret failed: connect ETIMEDOUT 10.20.1.15:5432']);
  });

  it('When a function logs a password-like string, then the timeline shows it redacted', async () => {
    // Arrange
    const password = 'q8W#z1Lk$2Vn9Rt!x4Bm&7Pd';
    const fn = await createFunctionFromSource(
      'timeline-leaky-function',
      networkFailingFunction(` (postgres://app:${password}@10.20.1.15/app password=${password})`),
    );
    const secret = await aws().secretsManager.send(new CreateSecretCommand({ Name: 'test/timeline/leaky-db', SecretString: '{"engine":"postgres"}' }));
    await aws().secretsManager.send(new RotateSecretCommand({ SecretId: secret.ARN, RotationLambdaARN: fn, RotationRules: { AutomaticallyAfterDays: 30 } }));

    // Act
    const res = await request(api.app)
      .get(`/api/v1/secrets/${encodeURIComponent(secret.ARN!)}/timeline`)
      .expect(200);

    // Assert
    expect(res.text).not.toContain(password);
    const failure = SecretTimeline.parse(res.body).failure!;
    expect(failure.failedStep).toBe('setSecret');
    expect(failure.summary).toContain('postgres://app:[redacted]@10.20.1.15/app password=[redacted]');
    expect(failure.log.flatMap((g) => g.lines).some((l) => l.includes('[redacted]'))).toBe(true);
  });

  it('When a secret has versions and workflows, then the events hold them all, newest first', async () => {
    // Arrange: a workflow and its audit records, as the console stores them for its own changes.
    const detail = (
      await request(api.app)
        .get(`/api/v1/secrets/${encodeURIComponent('prod/payments/orders-db')}`)
        .expect(200)
    ).body as { arn: string };
    const { workflow } = await api.store.create({
      kind: 'enable-rotation',
      subject: detail.arn,
      input: {},
      plan: { steps: [{ id: 'noop', kind: 'noop', dependsOn: [] }] },
      createdBy: { id: 'alice', name: 'Alice', roles: ['operator'], teams: ['payments'] },
      audit: { action: 'rotation.enable', sourceIp: '127.0.0.1' },
    });

    // Act
    const timeline = await timelineOf(api, 'prod/payments/orders-db');

    // Assert
    expect(timeline.status).toBe('healthy');
    expect(timeline.failure).toBeNull();
    const kinds = timeline.events.map((e) => e.kind);
    // A version created event for each version whose creation date is AWS's (moto makes up some: version-dates.ts).
    expect(kinds.filter((k) => k === 'version-created')).toHaveLength(timeline.versions.filter((v) => v.createdDate).length);
    expect(kinds).toContain('rotated');
    expect(timeline.events).toContainEqual(
      expect.objectContaining({ kind: 'workflow', title: 'Enable rotation started', detail: 'By Alice', workflowId: workflow.id }),
    );
    expect(timeline.events).toContainEqual(
      expect.objectContaining({ kind: 'audit', title: 'rotation.enable', detail: 'accepted, by Alice', workflowId: workflow.id }),
    );
    const times = timeline.events.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // The workflow was stored just now: it is the newest.
    expect(timeline.events[0]!.kind).toMatch(/workflow|audit/);
    // The seed's placeholder function failed its first attempt: that version stays, with no labels.
    expect(timeline.versions.filter((v) => v.stages.length === 0)).toHaveLength(1);
  });

  it('When the secret does not exist, then the answer is 404', async () => {
    // Act
    const res = await request(api.app).get('/api/v1/secrets/no-such-secret/timeline').expect(404);

    // Assert
    expect(res.body.error.code).toBe('not_found');
  });
});
