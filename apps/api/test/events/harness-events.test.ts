import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DashboardPage, EventsStatus } from '@rotation-console/contracts';
import { DEMO_FUNCTIONS, seedDemoAccount } from '@rotation-console/harness/seed.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForWorkflow } from '../support/rotation-fixtures.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';

type Api = Awaited<ReturnType<typeof buildApi>>;

/**
 * The local default end to end: the harness's moto puts Secrets Manager's events on the default bus
 * (moto itself puts none), the setup's rule sends them to its queue, and the consumer (EVENTS=on,
 * the setup's queue) updates the index. A rotation of the demo's placeholder function fails at
 * createSecret, as in the dashboard's Playwright spec.
 */
describe('Events from the harness through the setup’s rule and queue', () => {
  let api: Api;

  beforeAll(async () => {
    await reset();
    await seedDemoAccount(aws(), motoEndpoint());
    api = await buildApi({ EVENTS: 'on' });
    const res = await request(api.app).post('/api/v1/events/setups').set('Idempotency-Key', 'harness-events-setup').expect(202);
    expect((await waitForWorkflow(api.app, res.body.id as string)).status).toBe('succeeded');
    await api.dashboard.crawler.crawlOnce();
    api.events.consumer.start();
  });
  afterAll(() => api.close());

  it('When a demo rotation fails at createSecret, then its row shows the failure at once and the status lists RotateSecret, RotationStarted and RotationFailed', async () => {
    // Arrange
    const name = 'events/harness/stuck-db';
    const arn = (
      await aws().secretsManager.send(new CreateSecretCommand({ Name: name, SecretString: '{"engine":"postgres","host":"db","username":"u","password":"p"}' }))
    ).ARN!;
    await api.dashboard.crawler.crawlOnce();
    const fn = (await aws().lambda.send(new GetFunctionCommand({ FunctionName: DEMO_FUNCTIONS[0] }))).Configuration!.FunctionArn!;

    // Act
    await aws().secretsManager.send(new RotateSecretCommand({ SecretId: name, RotationLambdaARN: fn, RotationRules: { AutomaticallyAfterDays: 30 } }));

    // Assert
    await expect
      .poll(async () => {
        const page = DashboardPage.parse((await request(api.app).get('/api/v1/dashboard/secrets').query({ name }).expect(200)).body);
        return page.items[0]?.status;
      })
      .toBe('pending_or_failed');
    await expect
      .poll(async () => {
        const status = EventsStatus.parse((await request(api.app).get('/api/v1/events/status').expect(200)).body);
        return status.recentEvents
          .filter((e) => e.secretId === arn || e.secretId === name)
          .map((e) => e.eventName)
          .sort();
      })
      .toEqual(expect.arrayContaining(['RotateSecret', 'RotationFailed', 'RotationStarted']));
  });
});
