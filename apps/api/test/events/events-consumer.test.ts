import { randomUUID } from 'node:crypto';
import { PutEventsCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateSecretCommand, DeleteSecretCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DashboardPage, EventsStatus, type SecretStatus } from '@rotation-console/contracts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventConsumer } from '../../src/modules/events/event-consumer.ts';
import { createEventsQueue } from '../../src/modules/events/events.aws.ts';
import { createEventsStore } from '../../src/modules/events/events-store.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';
import { apiCallEvent, serviceEvent } from './documented-events.ts';

type Api = Awaited<ReturnType<typeof buildApi>>;

/**
 * Rotation events in real time (issue 16): Secrets Manager's events, shaped as AWS documents them, on
 * an SQS queue in moto, consumed by the API's consumer (long polling, as server.ts starts it). Each
 * event makes the index read its secret again at once; duplicates are applied once; a malformed
 * message is set aside and shown; a consumer stopped or crashed loses no message.
 */
const region = 'us-east-1';
const sqs = () => new SQSClient({ region, endpoint: motoEndpoint() });
const eventBridge = () => new EventBridgeClient({ region, endpoint: motoEndpoint() });
const CANARY = `canary-${randomUUID()}`;

const createSecret = async (name: string) =>
  (
    await aws().secretsManager.send(
      new CreateSecretCommand({ Name: name, SecretString: JSON.stringify({ username: 'app', password: CANARY }), Tags: [{ Key: 'team', Value: 'payments' }] }),
    )
  ).ARN!;

/** What the dashboard shows of one secret (null when it is not in the index). */
const rowOf = async (api: Api, name: string): Promise<{ status: SecretStatus } | null> => {
  const page = DashboardPage.parse((await request(api.app).get('/api/v1/dashboard/secrets').query({ name }).expect(200)).body);
  return page.items.find((i) => i.name === name) ?? null;
};
const statusOf = async (api: Api) => EventsStatus.parse((await request(api.app).get('/api/v1/events/status').expect(200)).body);
const send = (queueUrl: string, body: unknown) =>
  sqs().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: typeof body === 'string' ? body : JSON.stringify(body) }));
const queueDepth = async (queueUrl: string) => {
  const a = (
    await sqs().send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    )
  ).Attributes!;
  return Number(a.ApproximateNumberOfMessages) + Number(a.ApproximateNumberOfMessagesNotVisible);
};

describe('The events consumer on a queue in moto', () => {
  let api: Api;
  let queueUrl: string;

  beforeAll(async () => {
    await reset();
    // A short visibility timeout: a message left undeleted comes back within the test.
    queueUrl = (await sqs().send(new CreateQueueCommand({ QueueName: 'rotation-console-events-test', Attributes: { VisibilityTimeout: '1' } }))).QueueUrl!;
    api = await buildApi({ EVENTS_QUEUE_URL: queueUrl });
    api.events.consumer.start();
  });
  afterAll(async () => {
    await api.events.stop();
    await api.close();
  });

  it('When a documented RotationFailed event is sent to the queue, then the secret’s row shows the unfinished rotation within a second, without a crawl', async () => {
    // Arrange: indexed while nothing is wrong, then a rotation leaves AWSPENDING behind in AWS
    const arn = await createSecret('events/orders-db');
    await api.dashboard.crawler.crawlOnce();
    expect((await rowOf(api, 'events/orders-db'))?.status).toBe('not_enabled');
    await aws().secretsManager.send(new PutSecretValueCommand({ SecretId: arn, SecretString: '{}', VersionStages: ['AWSPENDING'] }));

    // Act
    const event = serviceEvent('RotationFailed', arn);
    await send(queueUrl, event);

    // Assert: the index read the secret again at once (the crawl's next pass is minutes away)
    await expect.poll(async () => (await rowOf(api, 'events/orders-db'))?.status, { timeout: 1000, interval: 50 }).toBe('pending_or_failed');
    await expect.poll(() => queueDepth(queueUrl)).toBe(0);
    const status = await statusOf(api);
    expect(status.consuming).toBe(true);
    expect(status.queueUrl).toBe(queueUrl);
    expect(status.recentEvents[0]).toMatchObject({
      eventId: event.id,
      eventName: 'RotationFailed',
      secretId: arn,
      accountId: '123456789012',
      region,
      outcome: 'updated',
    });
    expect(status.lastMessageAt).not.toBeNull();
  });

  it('When the same event is delivered twice (SQS is at-least-once), then it is applied once and both messages leave the queue', async () => {
    // Arrange
    const arn = await createSecret('events/ledger-app');
    await api.dashboard.crawler.crawlOnce();
    const event = apiCallEvent('PutSecretValue', arn, 'events/ledger-app');
    let indexed: string[] = [];
    api.events.onIndexed = (arns) => {
      indexed = [...indexed, ...arns];
    };

    // Act
    await send(queueUrl, event);
    await send(queueUrl, event);

    // Assert
    await expect.poll(async () => (await statusOf(api)).recentEvents.filter((e) => e.eventId === event.id).length).toBe(1);
    await expect.poll(() => queueDepth(queueUrl)).toBe(0);
    expect((await statusOf(api)).recentEvents.filter((e) => e.eventId === event.id)).toHaveLength(1);
    await expect.poll(() => indexed.filter((a) => a === arn).length).toBe(1);
    expect(indexed.filter((a) => a === arn)).toHaveLength(1);
    api.events.onIndexed = () => undefined;
  });

  it('When a message is not JSON, or not a Secrets Manager event, then it is set aside, shown by the status route without its body, and deleted', async () => {
    // Act
    await send(queueUrl, `not json at all ${CANARY}`);
    await send(queueUrl, {
      ...serviceEvent('RotationFailed', `arn:aws:secretsmanager:${region}:123456789012:secret:x-AbCdEf`),
      source: 'aws.kms',
      note: CANARY,
    });

    // Assert
    await expect.poll(async () => (await statusOf(api)).poisonMessages.length).toBe(2);
    await expect.poll(() => queueDepth(queueUrl)).toBe(0);
    const res = await request(api.app).get('/api/v1/events/status').expect(200);
    const { poisonMessages } = EventsStatus.parse(res.body);
    expect(poisonMessages.map((p) => p.reason).sort()).toEqual([expect.stringContaining('source'), 'The message is not JSON.'].sort());
    expect(poisonMessages.find((p) => p.detailType)?.detailType).toBe('AWS Service Event via CloudTrail');
    expect(res.text).not.toContain(CANARY);
  });

  it('When a documented DeleteSecret call comes through an EventBridge rule (PutEvents), then the secret leaves the index', async () => {
    // Arrange: the rule the setup makes, sending to the test's queue
    const arn = await createSecret('events/old-db');
    await api.dashboard.crawler.crawlOnce();
    expect(await rowOf(api, 'events/old-db')).not.toBeNull();
    const { EVENTS_RULE_NAME, rotationEventPattern } = await import('@rotation-console/rotation');
    const { PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand } = await import('@aws-sdk/client-eventbridge');
    await eventBridge().send(new PutRuleCommand({ Name: EVENTS_RULE_NAME, EventPattern: rotationEventPattern(), State: 'ENABLED' }));
    const queueArn = (await sqs().send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    await eventBridge().send(new PutTargetsCommand({ Rule: EVENTS_RULE_NAME, Targets: [{ Id: 'queue', Arn: queueArn }] }));
    await aws().secretsManager.send(new DeleteSecretCommand({ SecretId: arn, RecoveryWindowInDays: 7 }));

    // Act: the event as CloudTrail would put it on the default bus (moto accepts an aws.* source from PutEvents; AWS does not)
    const event = apiCallEvent('DeleteSecret', arn, 'events/old-db', { recoveryWindowInDays: 7 });
    const put = await eventBridge().send(
      new PutEventsCommand({ Entries: [{ Source: event.source, DetailType: event['detail-type'], Detail: JSON.stringify(event.detail), Resources: [] }] }),
    );

    // Assert
    expect(put.FailedEntryCount).toBe(0);
    await expect.poll(() => rowOf(api, 'events/old-db'), { timeout: 1000, interval: 50 }).toBeNull();
    // The harness puts DeleteSecret's own event too (as CloudTrail does): the one put here is among those applied.
    await expect
      .poll(async () => (await statusOf(api)).recentEvents.find((e) => e.eventId === put.Entries![0]!.EventId))
      .toMatchObject({ eventName: 'DeleteSecret', secretId: 'events/old-db', outcome: 'removed' });
    await eventBridge().send(new RemoveTargetsCommand({ Rule: EVENTS_RULE_NAME, Ids: ['queue'] }));
  });

  it('When two consumers (two API processes) take from one queue and every event comes twice, then each event is applied once', async () => {
    // Arrange: a second consumer on the same database, as a second API process would be
    const arns = await Promise.all(['events/p1-db', 'events/p2-db', 'events/p3-db', 'events/p4-db'].map(createSecret));
    await api.dashboard.crawler.crawlOnce();
    const second = new EventConsumer({
      queue: createEventsQueue(api.aws),
      store: createEventsStore(api.database.db),
      queueUrl: async () => queueUrl,
      apply: async (event) => ({ outcome: await api.dashboard.crawler.refreshSecret(event.secretId), arn: event.secretId }),
      logger: api.logs.logger,
      waitSeconds: 1,
    });
    second.start();
    const events = arns.map((arn) => serviceEvent('RotationSucceeded', arn));

    // Act
    for (const event of [...events, ...events]) await send(queueUrl, event);

    // Assert
    await expect.poll(() => queueDepth(queueUrl), { timeout: 10_000 }).toBe(0);
    await second.stop();
    const applied = (await statusOf(api)).recentEvents.filter((e) => events.some((x) => x.id === e.eventId));
    expect(applied.map((e) => e.eventId).sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('When the consumer is stopped and started again, or dies holding a message, then no message is lost', async () => {
    // Arrange
    const arns = await Promise.all(['events/a-db', 'events/b-db', 'events/c-db'].map(createSecret));
    await api.dashboard.crawler.crawlOnce();
    for (const arn of arns) await aws().secretsManager.send(new PutSecretValueCommand({ SecretId: arn, SecretString: '{}', VersionStages: ['AWSPENDING'] }));
    await api.events.consumer.stop();
    expect(api.events.consumer.running).toBe(false);

    // Act: two events while nobody consumes; a third taken by a consumer that dies before applying it
    await send(queueUrl, serviceEvent('RotationStarted', arns[0]!));
    await send(queueUrl, serviceEvent('RotationFailed', arns[1]!));
    const dying = new EventConsumer({
      queue: createEventsQueue(api.aws),
      store: createEventsStore(api.database.db),
      queueUrl: async () => queueUrl,
      apply: () => Promise.reject(new Error('the process died')),
      logger: api.logs.logger,
      waitSeconds: 1,
    });
    // (A receive the stopped consumer had in flight may hold them for the 1 s visibility timeout: poll until they come.)
    let held = await dying.pollOnce(queueUrl);
    while (held.received === 0) held = await dying.pollOnce(queueUrl);
    await send(queueUrl, serviceEvent('RotationFailed', arns[2]!));
    api.events.consumer.start();

    // Assert: the dying consumer left its messages, and they came back to the new one
    expect(held.received).toBeGreaterThan(0);
    expect(held.applied).toBe(0);
    expect(held.retried).toBe(held.received);
    for (const name of ['events/a-db', 'events/b-db', 'events/c-db']) {
      await expect.poll(async () => (await rowOf(api, name))?.status, { timeout: 10_000 }).toBe('pending_or_failed');
    }
    await expect.poll(() => queueDepth(queueUrl)).toBe(0);
  });
});
