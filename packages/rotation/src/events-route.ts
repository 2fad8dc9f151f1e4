import { ROTATION_API_CALLS, ROTATION_SERVICE_EVENTS } from '@rotation-console/contracts';

// The route of Secrets Manager's events to the console, as its events setup makes it in the console's
// own account (apps/api/src/modules/events/events-setup.ts) and the harness's seed makes it on moto
// (packages/harness/seed-events.ts): one definition, so the local default is what an account gets.

/** The names of what the setup makes. */
export const EVENTS_RULE_NAME = 'rotation-console-secretsmanager-events';
export const EVENTS_QUEUE_NAME = 'rotation-console-events';
export const EVENTS_DLQ_NAME = 'rotation-console-events-dlq';
export const EVENTS_TARGET_ID = 'rotation-console-events-queue';

/** EventBridge's detail-types of the events the rule takes: a service event, and an API call recorded by CloudTrail. */
export const SERVICE_EVENT = 'AWS Service Event via CloudTrail';
export const API_CALL = 'AWS API Call via CloudTrail';

/** SQS moves a message to the dead-letter queue after this many receives; the consumer sets it aside first (its MAX_RECEIVES). */
export const DLQ_MAX_RECEIVES = 10;
const FOURTEEN_DAYS = String(14 * 24 * 3600);

/** The rule's event pattern: Secrets Manager's rotation events and the API calls that change rotation. */
export const rotationEventPattern = (): string =>
  JSON.stringify({
    source: ['aws.secretsmanager'],
    'detail-type': [SERVICE_EVENT, API_CALL],
    detail: { eventSource: ['secretsmanager.amazonaws.com'], eventName: [...ROTATION_SERVICE_EVENTS, ...ROTATION_API_CALLS] },
  });

/** The queue policy: EventBridge may send to the queue for this rule only. */
export const queuePolicy = (queueArn: string, ruleArn: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'RotationConsoleEventsRule',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } },
      },
    ],
  });

export const dlqAttributes = () => ({ MessageRetentionPeriod: FOURTEEN_DAYS, SqsManagedSseEnabled: 'true' });

export const queueAttributes = (dlqArn: string) => ({
  // Long enough for a batch's DescribeSecret calls and log reads; a message not deleted by then comes back.
  VisibilityTimeout: '60',
  ReceiveMessageWaitTimeSeconds: '20',
  MessageRetentionPeriod: FOURTEEN_DAYS,
  SqsManagedSseEnabled: 'true',
  RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: DLQ_MAX_RECEIVES }),
});
