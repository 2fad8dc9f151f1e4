import { DescribeRuleCommand, EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { EventsSetupPreview, EventsStatus, type Workflow } from '@rotation-console/contracts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForWorkflow } from '../support/rotation-fixtures.ts';
import { buildApi, motoEndpoint, reset } from '../support/support.ts';

type Api = Awaited<ReturnType<typeof buildApi>>;

/**
 * The events setup (issue 16): on request, the console creates in its own account the EventBridge
 * rule for Secrets Manager's rotation events, the SQS queue with its dead-letter queue, the queue
 * policy letting the rule send, and the rule's target; previewed first, run as a workflow of
 * idempotent ensures, audited. Read back from moto with the SDK, as the AWS CLI would.
 */
const region = 'us-east-1';
const ACCOUNT = '123456789012';
const sqs = () => new SQSClient({ region, endpoint: motoEndpoint() });
const eventBridge = () => new EventBridgeClient({ region, endpoint: motoEndpoint() });

const runSetup = async (api: Api, key: string): Promise<Workflow> => {
  const res = await request(api.app).post('/api/v1/events/setups').set('Idempotency-Key', key).expect(202);
  return waitForWorkflow(api.app, res.body.id as string);
};

describe('The events setup workflow', () => {
  let api: Api;

  beforeAll(async () => {
    await reset();
    api = await buildApi();
  });
  afterAll(() => api.close());

  it('When the setup is previewed, then it lists the five steps with their AWS CLI commands and creates nothing', async () => {
    // Act
    const preview = EventsSetupPreview.parse((await request(api.app).post('/api/v1/events/setup-previews').expect(200)).body);

    // Assert
    expect(preview.steps.map((s) => s.id)).toEqual(['dead-letter-queue', 'queue', 'rule', 'queue-policy', 'target']);
    expect(preview.cliSession).toContain('aws events put-rule --region us-east-1 --name rotation-console-secretsmanager-events');
    expect(preview.cliSession).toContain('aws sqs create-queue --region us-east-1 --queue-name rotation-console-events ');
    expect(JSON.parse(preview.eventPattern)).toMatchObject({ source: ['aws.secretsmanager'] });
    await expect(sqs().send(new GetQueueUrlCommand({ QueueName: 'rotation-console-events' }))).rejects.toThrow();
  });

  it('When an admin runs the setup, then the rule, queue, dead-letter queue, queue policy and target exist as planned, and the status route shows them', async () => {
    // Act
    const workflow = await runSetup(api, 'events-setup-first-run');

    // Assert: the workflow
    expect(workflow.status).toBe('succeeded');
    expect(workflow.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded']);

    // Assert: the rule matches Secrets Manager's service events and API calls
    const rule = await eventBridge().send(new DescribeRuleCommand({ Name: 'rotation-console-secretsmanager-events' }));
    expect(rule.State).toBe('ENABLED');
    const pattern = JSON.parse(rule.EventPattern!) as { source: string[]; 'detail-type': string[]; detail: { eventName: string[] } };
    expect(pattern.source).toEqual(['aws.secretsmanager']);
    expect(pattern['detail-type'].sort()).toEqual(['AWS API Call via CloudTrail', 'AWS Service Event via CloudTrail']);
    expect(pattern.detail.eventName.sort()).toEqual(
      [
        'CancelRotateSecret',
        'DeleteSecret',
        'PutSecretValue',
        'RotateSecret',
        'RotationAbandoned',
        'RotationFailed',
        'RotationStarted',
        'RotationSucceeded',
        'UpdateSecretVersionStage',
      ].sort(),
    );

    // Assert: the queue, its redrive policy and its policy
    const queueUrl = (await sqs().send(new GetQueueUrlCommand({ QueueName: 'rotation-console-events' }))).QueueUrl!;
    const attributes = (await sqs().send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }))).Attributes!;
    expect(JSON.parse(attributes.RedrivePolicy!)).toEqual({
      deadLetterTargetArn: `arn:aws:sqs:${region}:${ACCOUNT}:rotation-console-events-dlq`,
      maxReceiveCount: 10,
    });
    expect(JSON.parse(attributes.Policy!).Statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: attributes.QueueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': rule.Arn } },
      }),
    ]);
    const targets = (await eventBridge().send(new ListTargetsByRuleCommand({ Rule: 'rotation-console-secretsmanager-events' }))).Targets!;
    expect(targets).toEqual([expect.objectContaining({ Id: 'rotation-console-events-queue', Arn: attributes.QueueArn })]);

    // Assert: the status route and the audit log
    const status = EventsStatus.parse((await request(api.app).get('/api/v1/events/status').expect(200)).body);
    expect(status).toMatchObject({ queueUrl, ruleState: 'ENABLED', setup: { id: workflow.id, status: 'succeeded' } });
    const audit = (await request(api.app).get('/api/v1/audit').query({ action: 'events.setup' }).expect(200)).body as { items: { subject: string }[] };
    expect(audit.items[0]?.subject).toBe(`events:${ACCOUNT}:${region}`);
  });

  it('When the setup runs a second time, then every step finds its resource already right and changes nothing', async () => {
    // Act
    const workflow = await runSetup(api, 'events-setup-second-run');

    // Assert
    expect(workflow.status).toBe('succeeded');
    expect(workflow.steps.map((s) => s.output?.changed)).toEqual([
      'already present',
      'already present',
      'already present',
      'already present',
      'already present',
    ]);
  });
});
