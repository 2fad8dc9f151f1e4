import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { inMotoAccount } from '@rotation-console/harness/aws.ts';
import { describe, expect, it } from 'vitest';
import { parseRotationEvent } from '../../src/modules/events/rotation-event.ts';
import { motoEndpoint, reset } from '../support/support.ts';
import { serviceEvent } from '../events/documented-events.ts';
import { cfnLint } from './member-role-template.ts';

/**
 * The rotation events' CloudFormation templates (deploy/events): the console account's queue, rule
 * and bus policy, and the member accounts' forwarder. Both lint clean and deploy on moto; an event
 * on a member account's bus reaches the console's queue through the forwarder.
 */
const EVENTS_TEMPLATES = {
  console: fileURLToPath(new URL('../../../../deploy/events/console-events.yaml', import.meta.url)),
  member: fileURLToPath(new URL('../../../../deploy/events/member-forwarder.yaml', import.meta.url)),
} as const;

const CONSOLE_ACCOUNT = '123456789012';
const MEMBER_ACCOUNT = '111122223333';
const region = 'us-east-1';

await reset();

const deploy = async (account: string, file: string, stackName: string, parameters: Record<string, string>): Promise<Stack> => {
  const cfn = inMotoAccount(new CloudFormationClient({ region, endpoint: motoEndpoint() }), account);
  await cfn.send(
    new CreateStackCommand({
      StackName: stackName,
      TemplateBody: readFileSync(file, 'utf8'),
      Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
      Capabilities: ['CAPABILITY_IAM'],
    }),
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
    if (stack && !String(stack.StackStatus).endsWith('_IN_PROGRESS')) return stack;
    if (Date.now() > deadline) throw new Error(`stack ${stackName} still ${stack?.StackStatus}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

describe('the rotation events templates', () => {
  it('When cfn-lint checks both templates, then it reports nothing', () => {
    // Act
    const { status, output } = cfnLint(EVENTS_TEMPLATES.console, EVENTS_TEMPLATES.member);

    // Assert
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('When both are deployed, then a Secrets Manager event on a member account’s bus reaches the console’s queue, naming the member account', async () => {
    // Arrange
    const consoleStack = await deploy(CONSOLE_ACCOUNT, EVENTS_TEMPLATES.console, 'rotation-console-events', { OrganizationId: 'o-a1b2c3d4e5' });
    expect(consoleStack.StackStatus).toBe('CREATE_COMPLETE');
    const output = (key: string) => consoleStack.Outputs?.find((o) => o.OutputKey === key)?.OutputValue;
    const queueUrl = output('QueueUrl')!;
    const memberStack = await deploy(MEMBER_ACCOUNT, EVENTS_TEMPLATES.member, 'rotation-console-events-forwarder', {
      ConsoleEventBusArn: output('EventBusArn')!,
    });
    expect(memberStack.StackStatus).toBe('CREATE_COMPLETE');
    const event = serviceEvent('RotationFailed', `arn:aws:secretsmanager:${region}:${MEMBER_ACCOUNT}:secret:prod/orders-db-AbCdEf`);

    // Act: as CloudTrail puts it on the member account's default bus
    const memberEvents = inMotoAccount(new EventBridgeClient({ region, endpoint: motoEndpoint() }), MEMBER_ACCOUNT);
    await memberEvents.send(
      new PutEventsCommand({ Entries: [{ Source: event.source, DetailType: event['detail-type'], Detail: JSON.stringify(event.detail) }] }),
    );

    // Assert
    const sqs = new SQSClient({ region, endpoint: motoEndpoint() });
    const messages = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 5, MaxNumberOfMessages: 10 }))).Messages ?? [];
    expect(messages).toHaveLength(1);
    const parsed = parseRotationEvent(messages[0]!.Body!);
    expect(parsed).toMatchObject({ ok: true, event: { eventName: 'RotationFailed', accountId: MEMBER_ACCOUNT, region } });
  });
});
