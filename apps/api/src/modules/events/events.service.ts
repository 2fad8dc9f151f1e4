import type { EventsSetupPreview, EventsStatus, Principal } from '@rotation-console/contracts';
import type { Request } from 'express';
import { authorize } from '../../platform/auth.ts';
import type { Logger } from '../../platform/logger.ts';
import type { TargetRegistry } from '../../platform/targets/target-registry.ts';
import type { WorkflowStore } from '../../platform/workflow/workflow-store.ts';
import type { WorkflowStarter } from '../workflows/start-workflow.ts';
import { toWorkflowView } from '../workflows/workflow-view.ts';
import type { EventConsumer } from './event-consumer.ts';
import type { EventsSetupGateway } from './events.aws.ts';
import { EVENTS_RULE_NAME } from '@rotation-console/rotation';
import { EVENTS_SETUP, planEventsSetup } from './events-setup.ts';
import type { EventsStore } from './events-store.ts';

interface Deps {
  store: EventsStore;
  /** The queue consumed: EVENTS_QUEUE_URL, else the setup's queue once it exists. */
  queueUrl: () => Promise<string | null>;
  gateway: EventsSetupGateway;
  targets: TargetRegistry;
  workflows: WorkflowStore;
  start: WorkflowStarter;
  consumer: EventConsumer;
  /** EVENTS_QUEUE_URL: a queue of the operator's own. */
  configuredQueueUrl: string | null;
  logger: Logger;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The events' setup (a workflow in the console's own account) and the consumer's status, for admins. */
export const createEventsService = ({ store, queueUrl, gateway, targets, workflows, start, consumer, configuredQueueUrl, logger }: Deps) => {
  const plan = async () => {
    const home = await targets.home();
    return planEventsSetup({ accountId: home.accountId, region: home.region }, configuredQueueUrl);
  };
  return {
    async preview(principal: Principal): Promise<EventsSetupPreview> {
      authorize(principal, 'events:setup', { type: 'service' });
      return (await plan()).preview;
    },

    async startSetup(req: Request, idempotencyKey: string | null): Promise<{ id: string; status: string }> {
      authorize(req.principal, 'events:setup', { type: 'service' });
      const { preview, steps } = await plan();
      return start(req, {
        kind: EVENTS_SETUP,
        subject: `events:${preview.accountId}:${preview.region}`,
        input: { ruleName: preview.ruleName, queueName: preview.queueName, deadLetterQueueName: preview.deadLetterQueueName },
        plan: { steps },
        idempotencyKey,
        exclusive: (other) => `The events setup is already running (${other.id}); wait for it to finish.`,
        audit: { action: 'events.setup' },
      });
    },

    async status(principal: Principal): Promise<EventsStatus> {
      authorize(principal, 'events:read', { type: 'service' });
      const errors: string[] = [];
      const [url, ruleState] = await Promise.all([
        queueUrl().catch((error: unknown) => (errors.push(messageOf(error)), configuredQueueUrl)),
        gateway.ruleState(EVENTS_RULE_NAME).catch((error: unknown) => (errors.push(messageOf(error)), null)),
      ]);
      const [lastMessageAt, recentEvents, poisonMessages, setups] = await Promise.all([
        store.lastMessageAt(),
        store.recentEvents(),
        store.poisonMessages(),
        workflows.list({ kind: EVENTS_SETUP, limit: 1 }),
      ]);
      const last = setups.items[0] ? await workflows.get(setups.items[0].id) : null;
      if (errors.length > 0) logger.warn({ errors }, 'events status: AWS could not be read');
      return {
        consuming: consumer.running,
        queueUrl: url,
        ruleState,
        ruleName: EVENTS_RULE_NAME,
        lastMessageAt,
        lastError: consumer.lastError ?? errors[0] ?? null,
        recentEvents,
        poisonMessages,
        setup: last
          ? {
              id: last.id,
              status: last.status,
              createdAt: last.createdAt,
              error: last.error,
              steps: toWorkflowView(last, { mayReadLogs: false }).steps,
            }
          : null,
      };
    },
  };
};
export type EventsService = ReturnType<typeof createEventsService>;
