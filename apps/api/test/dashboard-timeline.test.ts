import { CreateFunctionCommand, GetFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { SecretTimeline } from '@rotation-console/contracts';
import { DEMO_FUNCTIONS, seedDemoAccount } from '@rotation-console/e2e/harness/seed.ts';
import { FIXES } from '@rotation-console/rotation';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedZip } from './rotation-fixtures.ts';
import { aws, buildApi, motoEndpoint, reset } from './support.ts';

type Api = Awaited<ReturnType<typeof buildApi>>;

const timelineOf = async (api: Api, secretId: string) =>
  SecretTimeline.parse((await request(api.app).get(`/api/v1/secrets/${encodeURIComponent(secretId)}/timeline`).expect(200)).body);


/**
 * A rotation function that logs as the bundled one does (one JSON line per step) and cannot
 * reach its database at setSecret.
 */
const NETWORK_FAILING_FUNCTION = `
export const handler = async (event) => {
  if (event.Step === 'setSecret') {
    console.log(JSON.stringify({ step: 'setSecret', outcome: 'failed', errorCategory: 'network', error: 'connect ETIMEDOUT 10.20.1.15:5432' }));
    throw new Error('setSecret failed: connect ETIMEDOUT 10.20.1.15:5432');
  }
  console.log(JSON.stringify({ step: event.Step, outcome: 'succeeded' }));
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

  it('When the demo secret whose rotation failed is opened, then the failure comes from its function\u2019s log group', async () => {
    // Act
    const timeline = await timelineOf(api, 'prod/identity/users-db');

    // Assert
    expect(timeline.status).toBe('pending_or_failed');
    expect(timeline.versions).toHaveLength(2);
    expect(timeline.failure).not.toBeNull();
    const failure = timeline.failure!;
    // The demo function is a placeholder that throws before it logs anything of its own: its
    // log lines name no step, so the step is unknown and the fix is the general one.
    expect(failure.summary).toContain('demo placeholder function');
    expect(failure).toMatchObject({ failedStep: null, cause: 'unknown', fix: FIXES.unknown });
    expect(failure.logLines.length).toBeGreaterThan(0);
    expect(failure.logLines.length).toBeLessThanOrEqual(20);
    expect(failure.logLines.some((l) => l.includes('"errorMessage":"demo placeholder function"'))).toBe(true);
  });

  it('When a rotation failed at setSecret, then the timeline names the step, the cause and the fix', async () => {
    // Arrange
    const role = (await aws().lambda.send(new GetFunctionCommand({ FunctionName: DEMO_FUNCTIONS[0] }))).Configuration!.Role!;
    const fn = await aws().lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'timeline-network-failure',
        Runtime: 'nodejs24.x',
        Role: role,
        Handler: 'index.handler',
        Code: { ZipFile: storedZip('index.mjs', NETWORK_FAILING_FUNCTION) },
      }),
    );
    const secret = await aws().secretsManager.send(new CreateSecretCommand({ Name: 'test/timeline/network-db', SecretString: '{"engine":"postgres"}' }));
    await aws().secretsManager.send(new RotateSecretCommand({ SecretId: secret.ARN, RotationLambdaARN: fn.FunctionArn, RotationRules: { AutomaticallyAfterDays: 30 } }));

    // Act
    const timeline = await timelineOf(api, secret.ARN!);

    // Assert
    expect(timeline.status).toBe('pending_or_failed');
    expect(timeline.failure).toMatchObject({ failedStep: 'setSecret', cause: 'network', fix: FIXES.network, summary: 'connect ETIMEDOUT 10.20.1.15:5432' });
    expect(timeline.failure!.logLines.some((l) => l.includes('"step":"createSecret","outcome":"succeeded"'))).toBe(true);
  });

  it('When a secret has versions and workflows, then the events hold them all, newest first', async () => {
    // Arrange: a workflow and its audit records, as the console stores them for its own changes.
    const detail = (await request(api.app).get(`/api/v1/secrets/${encodeURIComponent('prod/payments/orders-db')}`).expect(200)).body as { arn: string };
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
    expect(kinds.filter((k) => k === 'version-created')).toHaveLength(timeline.versions.length);
    expect(kinds).toContain('rotated');
    expect(timeline.events).toContainEqual(expect.objectContaining({ kind: 'workflow', title: 'Enable rotation started', detail: 'By Alice', workflowId: workflow.id }));
    expect(timeline.events).toContainEqual(expect.objectContaining({ kind: 'audit', title: 'rotation.enable', detail: 'accepted, by Alice', workflowId: workflow.id }));
    const times = timeline.events.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // The workflow was stored just now: it is the newest.
    expect(timeline.events[0]!.kind).toMatch(/workflow|audit/);
    expect(timeline.versions.every((v) => v.stages.length > 0)).toBe(true);
  });

  it('When the secret does not exist, then the answer is 404', async () => {
    // Act
    const res = await request(api.app).get('/api/v1/secrets/no-such-secret/timeline').expect(404);

    // Assert
    expect(res.body.error.code).toBe('not_found');
  });
});
