import type { Kysely } from 'kysely';
import type { AwsClientFactory } from '../../platform/aws.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { Logger } from '../../platform/logger.ts';
import type { TargetRegistry } from '../../platform/targets/target-registry.ts';
import type { WorkflowStore } from '../../platform/workflow/workflow-store.ts';
import type { IndexCrawler } from '../dashboard/crawler.ts';
import type { WorkflowStarter } from '../workflows/start-workflow.ts';
import { EventConsumer, type EventOutcome } from './event-consumer.ts';
import { createEventsQueue, createEventsSetupGateway } from './events.aws.ts';
import { createEventsRouter } from './events.router.ts';
import { createEventsService } from './events.service.ts';
import { EVENTS_QUEUE_NAME } from '@rotation-console/rotation';
import { createEventsStore } from './events-store.ts';
import { createIndexChanges } from './index-changes.ts';
import type { RotationEvent } from './rotation-event.ts';

interface Deps {
  db: Kysely<Database>;
  aws: AwsClientFactory;
  targets: TargetRegistry;
  /** The index's single-secret write path (DescribeSecret, then the row written or removed). */
  crawler: Pick<IndexCrawler, 'refreshSecret'>;
  workflows: WorkflowStore;
  start: WorkflowStarter;
  logger: Logger;
  /** EVENTS_QUEUE_URL. */
  queueUrl: string | undefined;
  /** Long poll wait (tests shorten it so a stop is quick). */
  waitSeconds?: number;
}

/**
 * Rotation events (issue 16): the consumer of the events' queue, its status and setup routes, and the
 * index's change stream. server.ts starts the consumer when events are on (EVENTS=on or EVENTS_QUEUE_URL).
 */
export const createEvents = ({ db, aws, targets, crawler, workflows, start, logger, queueUrl, waitSeconds }: Deps) => {
  const store = createEventsStore(db);
  const queue = createEventsQueue(aws);
  const gateway = createEventsSetupGateway(aws);
  const changes = createIndexChanges({ db, logger });

  /** The event's secret read again in the event's own account and region; an account-region the console does not cover is left alone. */
  const apply = async (event: RotationEvent): Promise<{ outcome: EventOutcome; arn: string | null }> => {
    const target = (await targets.list()).find((t) => t.accountId === event.accountId && t.region === event.region);
    if (!target) return { outcome: 'not-covered', arn: null };
    const outcome = await crawler.refreshSecret(event.secretId, target);
    if (event.secretId.startsWith('arn:')) return { outcome, arn: event.secretId };
    // An API call may name the secret by name: its ARN from the row just written (none once removed).
    const row = await db
      .selectFrom('secret_index')
      .select('arn')
      .where('name', '=', event.secretId)
      .where('account_id', '=', event.accountId)
      .where('region', '=', event.region)
      .executeTakeFirst();
    return { outcome, arn: row?.arn ?? null };
  };

  /** The queue consumed: EVENTS_QUEUE_URL, else the setup's queue once it exists. */
  const currentQueueUrl = async (): Promise<string | null> => queueUrl ?? (await queue.urlOf(EVENTS_QUEUE_NAME));
  const consumer = new EventConsumer({
    queue,
    store,
    queueUrl: currentQueueUrl,
    apply,
    logger,
    ...(waitSeconds === undefined ? {} : { waitSeconds }),
  });
  const service = createEventsService({
    store,
    queueUrl: currentQueueUrl,
    gateway,
    targets,
    workflows,
    start,
    consumer,
    configuredQueueUrl: queueUrl ?? null,
    logger,
  });
  // Whoever watches the index hears of an applied batch at once, not within the second.
  const hook = { onIndexed: (_arns: string[]): void | Promise<void> => undefined };
  consumer.onIndexed = async (arns) => {
    await changes.poke();
    await hook.onIndexed(arns);
  };

  return {
    consumer,
    service,
    store,
    changes,
    router: createEventsRouter({ events: service, changes }),
    /** Called after each applied batch with the secrets it re-read (the lead wires the alerts here). */
    set onIndexed(fn: (arns: string[]) => void | Promise<void>) {
      hook.onIndexed = fn;
    },
    async stop() {
      await consumer.stop();
      changes.stop();
    },
  };
};
export type Events = ReturnType<typeof createEvents>;
