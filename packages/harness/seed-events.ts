import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';

/**
 * What the console's events setup makes (apps/api/src/modules/events/events-setup.ts: the same names),
 * made by the seed so the local default shows events from its first minute: the dead-letter queue, the
 * queue, the rule on the default bus for Secrets Manager's rotation events and API calls, the queue
 * policy and the target. Idempotent: CreateQueue and PutRule with the same settings change nothing.
 * Only on the harness's moto, which puts Secrets Manager's events on the bus (moto_launcher.py).
 */
export const EVENTS_QUEUE_NAME = 'rotation-console-events';
const DLQ_NAME = 'rotation-console-events-dlq';
const RULE_NAME = 'rotation-console-secretsmanager-events';

export const seedEventsRoute = async (endpoint: string, region = process.env.AWS_REGION ?? 'us-east-1'): Promise<{ queueUrl: string }> => {
  const sqs = new SQSClient({ region, endpoint });
  const events = new EventBridgeClient({ region, endpoint });
  try {
    const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: DLQ_NAME }))).QueueUrl!;
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const queueUrl = (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: EVENTS_QUEUE_NAME,
          Attributes: {
            VisibilityTimeout: '60',
            ReceiveMessageWaitTimeSeconds: '20',
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 10 }),
          },
        }),
      )
    ).QueueUrl!;
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const rule = await events.send(
      new PutRuleCommand({
        Name: RULE_NAME,
        State: 'ENABLED',
        EventPattern: JSON.stringify({
          source: ['aws.secretsmanager'],
          'detail-type': ['AWS Service Event via CloudTrail', 'AWS API Call via CloudTrail'],
          detail: {
            eventSource: ['secretsmanager.amazonaws.com'],
            eventName: [
              'RotationStarted',
              'RotationSucceeded',
              'RotationFailed',
              'RotationAbandoned',
              'RotateSecret',
              'CancelRotateSecret',
              'UpdateSecretVersionStage',
              'PutSecretValue',
              'DeleteSecret',
            ],
          },
        }),
      }),
    );
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: queueUrl,
        Attributes: {
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'RotationConsoleEventsRule',
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Action: 'sqs:SendMessage',
                Resource: queueArn,
                Condition: { ArnEquals: { 'aws:SourceArn': rule.RuleArn } },
              },
            ],
          }),
        },
      }),
    );
    await events.send(new PutTargetsCommand({ Rule: RULE_NAME, Targets: [{ Id: 'rotation-console-events-queue', Arn: queueArn }] }));
    return { queueUrl };
  } finally {
    sqs.destroy();
    events.destroy();
  }
};
