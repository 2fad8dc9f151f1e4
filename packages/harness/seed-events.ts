import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  dlqAttributes,
  EVENTS_DLQ_NAME,
  EVENTS_QUEUE_NAME,
  EVENTS_RULE_NAME,
  EVENTS_TARGET_ID,
  queueAttributes,
  queuePolicy,
  rotationEventPattern,
} from '@rotation-console/rotation';

/**
 * What the console's events setup makes (the same route: packages/rotation/src/events-route.ts),
 * made by the seed so the local default shows events from its first minute: the dead-letter queue, the
 * queue, the rule on the default bus for Secrets Manager's rotation events and API calls, the queue
 * policy and the target. Idempotent: CreateQueue and PutRule with the same settings change nothing.
 * Only on the harness's moto, which puts Secrets Manager's events on the bus (moto_launcher.py).
 */
export const seedEventsRoute = async (endpoint: string, region = process.env.AWS_REGION ?? 'us-east-1'): Promise<{ queueUrl: string }> => {
  const sqs = new SQSClient({ region, endpoint });
  const events = new EventBridgeClient({ region, endpoint });
  try {
    const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: EVENTS_DLQ_NAME, Attributes: dlqAttributes() }))).QueueUrl!;
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: EVENTS_QUEUE_NAME, Attributes: queueAttributes(dlqArn) }))).QueueUrl!;
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const rule = await events.send(new PutRuleCommand({ Name: EVENTS_RULE_NAME, State: 'ENABLED', EventPattern: rotationEventPattern() }));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: queuePolicy(queueArn, rule.RuleArn!) } }));
    await events.send(new PutTargetsCommand({ Rule: EVENTS_RULE_NAME, Targets: [{ Id: EVENTS_TARGET_ID, Arn: queueArn }] }));
    return { queueUrl };
  } finally {
    sqs.destroy();
    events.destroy();
  }
};
