import { z } from 'zod';
import { WorkflowStatus, WorkflowStep } from './rotation.ts';

/**
 * Rotation events in real time (issue 16): Secrets Manager's events, through an EventBridge rule on
 * the default bus and an SQS queue the console consumes, update the index within seconds.
 */

/** The EventBridge rule's event pattern: Secrets Manager's rotation events and the API calls that change rotation. */
export const ROTATION_SERVICE_EVENTS = ['RotationStarted', 'RotationSucceeded', 'RotationFailed', 'RotationAbandoned'] as const;
export const ROTATION_API_CALLS = ['RotateSecret', 'CancelRotateSecret', 'UpdateSecretVersionStage', 'PutSecretValue', 'DeleteSecret'] as const;

/** One step of the setup, as the preview shows it: what it ensures, and the AWS CLI command that does the same. */
export const EventsSetupStep = z
  .object({
    id: z.string(),
    title: z.string(),
    /** What the step makes sure of (it reads first and changes only what differs). */
    description: z.string(),
    cli: z.string(),
  })
  .meta({ id: 'EventsSetupStep' });
export type EventsSetupStep = z.infer<typeof EventsSetupStep>;

export const EventsSetupPreview = z
  .object({
    accountId: z.string(),
    region: z.string(),
    ruleName: z.string(),
    queueName: z.string(),
    deadLetterQueueName: z.string(),
    /** The rule's event pattern, as JSON. */
    eventPattern: z.string(),
    steps: z.array(EventsSetupStep),
    /** The same as one AWS CLI session. */
    cliSession: z.string(),
    /** Set when EVENTS_QUEUE_URL names a queue of the operator's own: the console consumes that one and the setup is not needed. */
    configuredQueueUrl: z.string().nullable(),
  })
  .meta({ id: 'EventsSetupPreview' });
export type EventsSetupPreview = z.infer<typeof EventsSetupPreview>;

/** A message the consumer set aside: never its body, which could hold anything. */
export const PoisonMessage = z
  .object({
    messageId: z.string(),
    reason: z.string(),
    receiveCount: z.number().int(),
    eventId: z.string().nullable(),
    detailType: z.string().nullable(),
    bodyBytes: z.number().int(),
    setAsideAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'PoisonMessage' });
export type PoisonMessage = z.infer<typeof PoisonMessage>;

export const RotationEventSummary = z
  .object({
    eventId: z.string(),
    eventName: z.string(),
    accountId: z.string(),
    region: z.string(),
    secretId: z.string(),
    eventTime: z.iso.datetime({ offset: true }),
    receivedAt: z.iso.datetime({ offset: true }),
    /** What the index did: updated, unchanged, removed, not-covered. */
    outcome: z.string(),
  })
  .meta({ id: 'RotationEventSummary' });
export type RotationEventSummary = z.infer<typeof RotationEventSummary>;

export const EventsStatus = z
  .object({
    /** Whether this API process consumes a queue (EVENTS=on or EVENTS_QUEUE_URL). */
    consuming: z.boolean(),
    /** The queue consumed (or to be consumed once the setup made it); null when events are off and no setup ran. */
    queueUrl: z.string().nullable(),
    /** The rule's state in the console's account (ENABLED, DISABLED), or null when the rule does not exist or cannot be read. */
    ruleState: z.string().nullable(),
    ruleName: z.string(),
    /** When the consumer last received a message (any API process), and the last events applied. */
    lastMessageAt: z.iso.datetime({ offset: true }).nullable(),
    lastError: z.string().nullable(),
    recentEvents: z.array(RotationEventSummary),
    poisonMessages: z.array(PoisonMessage),
    /** The last setup workflow, with its steps. */
    setup: z
      .object({
        id: z.string(),
        status: WorkflowStatus,
        createdAt: z.iso.datetime({ offset: true }),
        error: z.string().nullable(),
        steps: z.array(WorkflowStep),
      })
      .nullable(),
  })
  .meta({ id: 'EventsStatus' });
export type EventsStatus = z.infer<typeof EventsStatus>;

/** When the index last changed (GET /api/v1/index/changes, and the data of each `index-changed` event). */
export const IndexChange = z.object({ changedAt: z.string().nullable() }).meta({ id: 'IndexChange' });
export type IndexChange = z.infer<typeof IndexChange>;
