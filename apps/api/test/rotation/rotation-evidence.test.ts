import { randomUUID } from 'node:crypto';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DashboardPage, SecretTimeline, type RotationRequestInput, type Workflow } from '@rotation-console/contracts';
import { seedDemoAccount } from '@rotation-console/harness/seed.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseUserSecret, createFunctionFromSource, dropDatabaseUsers, waitForWorkflow } from '../support/rotation-fixtures.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';
import { startTeamsConsole } from '../support/teams-support.ts';

const api = await buildApi();
const users: string[] = [];

const stagesOf = async (secretId: string) =>
  Object.fromEntries(
    Object.entries((await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: secretId }))).VersionIdsToStages ?? {}).map(([id, s]) => [
      id,
      [...(s ?? [])].sort(),
    ]),
  );
const holderOf = (stages: Record<string, string[]>, label: string) => Object.entries(stages).find(([, s]) => s.includes(label))?.[0] ?? null;
const passwordOf = async (secretId: string) =>
  JSON.parse((await aws().secretsManager.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString!).password as string;

/** Turns rotation on through the wizard's API with the bundled single-user function, rotating at once. */
const enableRotation = async (secretId: string, fn: RotationRequestInput['function']) => {
  const started = await request(api.app)
    .post('/api/v1/workflows')
    .set('Idempotency-Key', randomUUID())
    .send({ secretId, schedule: { kind: 'days', days: 30 }, rotateImmediately: true, function: fn, network: null } satisfies RotationRequestInput)
    .expect(202);
  return waitForWorkflow(api.app, started.body.id);
};

describe('Rotation outcomes follow the evidence', () => {
  beforeAll(async () => {
    await reset();
    await seedDemoAccount(aws(), motoEndpoint());
  });
  afterAll(async () => {
    await api.close();
    await dropDatabaseUsers(users);
  });

  it('When a step fails, then the harness invokes no later step and leaves AWSPENDING on the new version, as AWS does (moto 5.2.1 invokes all four and moves AWSCURRENT)', async () => {
    // Arrange: a function that logs every step it is invoked for, and fails at setSecret.
    const fn = await createFunctionFromSource(
      'harness-stops-at-failure',
      `export const handler = async (event) => {
        console.log(JSON.stringify({ invoked: event.Step, versionId: event.ClientRequestToken }));
        if (event.Step === 'setSecret') throw new Error('setSecret cannot reach the database');
      };`,
    );
    const secret = await aws().secretsManager.send(
      new CreateSecretCommand({ Name: 'test/evidence/harness', SecretString: '{"engine":"postgres","password":"p"}' }),
    );
    const before = await stagesOf(secret.ARN!);
    const currentBefore = holderOf(before, 'AWSCURRENT');

    // Act
    const rotated = await aws().secretsManager.send(
      new RotateSecretCommand({ SecretId: secret.ARN, RotationLambdaARN: fn, RotationRules: { AutomaticallyAfterDays: 30 } }),
    );

    // Assert
    const events = await aws().logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/harness-stops-at-failure' }));
    const invoked = (events.events ?? []).flatMap((e) => (e.message?.startsWith('{"invoked"') ? [JSON.parse(e.message).invoked as string] : []));
    expect(invoked).toEqual(['createSecret', 'setSecret']);
    const after = await stagesOf(secret.ARN!);
    expect(rotated.VersionId).not.toBe(currentBefore);
    expect(after[rotated.VersionId!]).toEqual(['AWSPENDING']);
    expect(holderOf(after, 'AWSCURRENT')).toBe(currentBefore);
    expect((await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: secret.ARN }))).LastRotatedDate).toBeUndefined();
  });

  describe('with the bundled function, when the database host does not resolve', () => {
    let reports: Awaited<ReturnType<typeof createDatabaseUserSecret>>;
    let ledger: Awaited<ReturnType<typeof createDatabaseUserSecret>>;
    let workflow: Workflow;
    let currentBefore: string | null;

    beforeAll(async () => {
      reports = await createDatabaseUserSecret('test/evidence/reports-db', { host: 'reports-db.demo.internal' });
      ledger = await createDatabaseUserSecret('test/evidence/ledger-db', { host: 'ledger-db.demo.internal' });
      users.push(reports.username, ledger.username);
      currentBefore = holderOf(await stagesOf(reports.arn), 'AWSCURRENT');
      workflow = await enableRotation(reports.name, { mode: 'create', functionName: 'evidence-rotation', strategy: 'single-user' });
    });

    it('When the new function fails at setSecret, then the workflow says failed at setSecret with the error, AWSPENDING stays on the new version and AWSCURRENT does not move', async () => {
      // Assert
      expect(workflow.status).toBe('failed');
      const outcome = workflow.outcome!;
      expect(outcome).toMatchObject({ result: 'failed', failedStep: 'setSecret', logHidden: false });
      expect(outcome.message).toMatch(/^The rotation failed at setSecret: .*ENOTFOUND reports-db\.demo\.internal/);
      expect(outcome.log.map((g) => [g.step, g.outcome])).toEqual([
        ['createSecret', 'succeeded'],
        ['setSecret', 'failed'],
      ]);
      expect(outcome.log[1]!.headline).toMatch(/^setSecret failed: .*ENOTFOUND reports-db\.demo\.internal/);
      const stages = await stagesOf(reports.arn);
      expect(stages[outcome.versionId!]).toEqual(['AWSPENDING']);
      expect(holderOf(stages, 'AWSCURRENT')).toBe(currentBefore);
      expect(await passwordOf(reports.arn)).toBe(reports.password);
    });

    it('When the failed secret is listed and opened, then the dashboard and the timeline say failed at setSecret', async () => {
      // Act
      await api.dashboard.crawler.crawlOnce();
      const page = DashboardPage.parse((await request(api.app).get('/api/v1/dashboard/secrets').query({ name: 'test/evidence/reports-db' }).expect(200)).body);
      const timeline = SecretTimeline.parse(
        (
          await request(api.app)
            .get(`/api/v1/secrets/${encodeURIComponent(reports.arn)}/timeline`)
            .expect(200)
        ).body,
      );

      // Assert
      expect(page.items.map((r) => [r.name, r.status])).toEqual([['test/evidence/reports-db', 'pending_or_failed']]);
      expect(timeline.status).toBe('pending_or_failed');
      expect(timeline.failure).toMatchObject({ verdict: 'failed', failedStep: 'setSecret', cause: 'network', versionId: workflow.outcome!.versionId });
    });

    it('When a second secret fails with the same function, then neither secret\u2019s output shows the other\u2019s lines', async () => {
      // Act: the same function, chosen as an existing one, for a secret with another unreachable host.
      const functionArn = (await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: reports.arn }))).RotationLambdaARN!;
      const second = await enableRotation(ledger.name, { mode: 'existing', functionArn, strategy: 'single-user' });
      const timeline = SecretTimeline.parse(
        (
          await request(api.app)
            .get(`/api/v1/secrets/${encodeURIComponent(reports.arn)}/timeline`)
            .expect(200)
        ).body,
      );

      // Assert
      expect(second.outcome).toMatchObject({ result: 'failed', failedStep: 'setSecret' });
      const secondText = JSON.stringify(second.outcome);
      expect(secondText).toContain('ledger-db.demo.internal');
      for (const leak of ['reports-db', reports.username, workflow.outcome!.versionId!]) expect(secondText).not.toContain(leak);
      const firstText = JSON.stringify(timeline.failure);
      expect(firstText).toContain('reports-db.demo.internal');
      for (const leak of ['ledger-db', ledger.username, second.outcome!.versionId!]) expect(firstText).not.toContain(leak);
    });

    it('When a viewer opens the failed secret\u2019s timeline, then the verdict shows without the function\u2019s lines or words; its team\u2019s operator sees them', async () => {
      // Arrange: people signed in through the demo provider; the secret belongs to payments.
      const t = await startTeamsConsole();
      try {
        const path = `/api/v1/secrets/${encodeURIComponent(reports.arn)}/timeline`;

        // Act
        const asViewer = SecretTimeline.parse(await (await t.call('viewer', path)).json());
        const asOwner = SecretTimeline.parse(await (await t.call('owner', path)).json());

        // Assert
        expect(asViewer.failure).toMatchObject({
          verdict: 'failed',
          failedStep: 'setSecret',
          summary: 'The rotation failed at setSecret.',
          log: [],
          logHidden: true,
        });
        expect(JSON.stringify(asViewer)).not.toContain('ENOTFOUND');
        expect(asOwner.failure).toMatchObject({ verdict: 'failed', failedStep: 'setSecret', logHidden: false });
        expect(asOwner.failure!.log.map((g) => g.step)).toEqual(['createSecret', 'setSecret']);
      } finally {
        await t.close();
      }
    });
  });
});
