import type { EventsSetupPreview, EventsSetupStep } from '@rotation-console/contracts';
import {
  DLQ_MAX_RECEIVES,
  dlqAttributes,
  EVENTS_DLQ_NAME,
  EVENTS_QUEUE_NAME,
  EVENTS_RULE_NAME,
  EVENTS_TARGET_ID,
  queueAttributes,
  queuePolicy,
  rotationEventPattern,
} from '@rotation-console/rotation';
import type { StepContext, StepRegistry, StepRun } from '../../platform/workflow/step-registry.ts';
import type { StepSpec } from '../../platform/workflow/records.ts';
import type { EventsSetupGateway } from './events.aws.ts';

/** The workflow kind of the setup, and its steps' kinds. */
export const EVENTS_SETUP = 'events-setup';
export const EVENTS_SETUP_STEPS = {
  deadLetterQueue: 'events-ensure-dead-letter-queue',
  queue: 'events-ensure-queue',
  rule: 'events-ensure-rule',
  queuePolicy: 'events-ensure-queue-policy',
  target: 'events-ensure-rule-target',
} as const;

const partitionOf = (region: string) => (region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws');

export interface SetupPlace {
  accountId: string;
  region: string;
}

const namesOf = ({ accountId, region }: SetupPlace) => {
  const partition = partitionOf(region);
  return {
    ruleArn: `arn:${partition}:events:${region}:${accountId}:rule/${EVENTS_RULE_NAME}`,
    queueArn: `arn:${partition}:sqs:${region}:${accountId}:${EVENTS_QUEUE_NAME}`,
    dlqArn: `arn:${partition}:sqs:${region}:${accountId}:${EVENTS_DLQ_NAME}`,
  };
};

const q = (json: string) => `'${json.replaceAll("'", "'\\''")}'`;

/** The setup's plan: the workflow's steps and, for the preview, what each does and its AWS CLI command. */
export const planEventsSetup = (place: SetupPlace, configuredQueueUrl: string | null): { preview: EventsSetupPreview; steps: StepSpec[] } => {
  const { ruleArn, queueArn, dlqArn } = namesOf(place);
  const pattern = rotationEventPattern();
  const region = `--region ${place.region}`;
  const queueUrl = `https://sqs.${place.region}.amazonaws.com/${place.accountId}/${EVENTS_QUEUE_NAME}`;
  const described: (EventsSetupStep & { kind: string; dependsOn: string[]; input: unknown })[] = [
    {
      id: 'dead-letter-queue',
      kind: EVENTS_SETUP_STEPS.deadLetterQueue,
      title: 'Create the dead-letter queue',
      description: `SQS queue ${EVENTS_DLQ_NAME}: where SQS moves a message received ${DLQ_MAX_RECEIVES} times (kept 14 days, encrypted).`,
      cli: `aws sqs create-queue ${region} --queue-name ${EVENTS_DLQ_NAME} --attributes ${q(JSON.stringify(dlqAttributes()))} --tags managed-by=rotation-console`,
      dependsOn: [],
      input: { queueName: EVENTS_DLQ_NAME, attributes: dlqAttributes() },
    },
    {
      id: 'queue',
      kind: EVENTS_SETUP_STEPS.queue,
      title: 'Create the events queue',
      description: `SQS queue ${EVENTS_QUEUE_NAME}, long polling, with a redrive policy to ${EVENTS_DLQ_NAME}.`,
      cli: `aws sqs create-queue ${region} --queue-name ${EVENTS_QUEUE_NAME} --attributes ${q(JSON.stringify(queueAttributes(dlqArn)))} --tags managed-by=rotation-console`,
      dependsOn: ['dead-letter-queue'],
      input: { queueName: EVENTS_QUEUE_NAME },
    },
    {
      id: 'rule',
      kind: EVENTS_SETUP_STEPS.rule,
      title: 'Create the EventBridge rule',
      description: `Rule ${EVENTS_RULE_NAME} on the default event bus: Secrets Manager's rotation events and the API calls that change rotation.`,
      cli: `aws events put-rule ${region} --name ${EVENTS_RULE_NAME} --event-pattern ${q(pattern)} --state ENABLED --tags Key=managed-by,Value=rotation-console`,
      dependsOn: [],
      input: { ruleName: EVENTS_RULE_NAME, eventPattern: pattern },
    },
    {
      id: 'queue-policy',
      kind: EVENTS_SETUP_STEPS.queuePolicy,
      title: 'Allow the rule to send to the queue',
      description: `Queue policy: events.amazonaws.com may send messages to ${EVENTS_QUEUE_NAME} for rule ${EVENTS_RULE_NAME} only.`,
      cli: `aws sqs set-queue-attributes ${region} --queue-url ${queueUrl} --attributes ${q(JSON.stringify({ Policy: queuePolicy(queueArn, ruleArn) }))}`,
      dependsOn: ['queue', 'rule'],
      input: {},
    },
    {
      id: 'target',
      kind: EVENTS_SETUP_STEPS.target,
      title: 'Send the rule’s events to the queue',
      description: `Target ${EVENTS_TARGET_ID} of rule ${EVENTS_RULE_NAME}: the queue ${EVENTS_QUEUE_NAME}.`,
      cli: `aws events put-targets ${region} --rule ${EVENTS_RULE_NAME} --targets Id=${EVENTS_TARGET_ID},Arn=${queueArn}`,
      dependsOn: ['queue', 'rule', 'queue-policy'],
      input: { ruleName: EVENTS_RULE_NAME, targetId: EVENTS_TARGET_ID },
    },
  ];
  return {
    preview: {
      accountId: place.accountId,
      region: place.region,
      ruleName: EVENTS_RULE_NAME,
      queueName: EVENTS_QUEUE_NAME,
      deadLetterQueueName: EVENTS_DLQ_NAME,
      eventPattern: pattern,
      steps: described.map(({ id, title, description, cli }) => ({ id, title, description, cli })),
      cliSession: described.map((s) => s.cli).join('\n'),
      configuredQueueUrl,
    },
    steps: described.map(({ id, kind, title, dependsOn, input }) => ({ id, kind, title, dependsOn, input })),
  };
};

const output = (ctx: StepContext, stepId: string) => (ctx.dependencies[stepId] ?? {}) as Record<string, string>;

/** The setup's steps, each an idempotent ensure in the console's own account. */
export const registerEventsSetupSteps = (registry: StepRegistry, gateway: EventsSetupGateway): StepRegistry => {
  const dlq: StepRun = async (ctx) => {
    const { queueName, attributes } = ctx.input as { queueName: string; attributes: Record<string, string> };
    const made = await gateway.ensureQueue(queueName, attributes);
    return { output: { queueUrl: made.queueUrl, queueArn: made.queueArn, changed: made.changed.join(', ') || 'already present' } };
  };
  const queue: StepRun = async (ctx) => {
    const { queueName } = ctx.input as { queueName: string };
    const made = await gateway.ensureQueue(queueName, queueAttributes(output(ctx, 'dead-letter-queue').queueArn!));
    return { output: { queueUrl: made.queueUrl, queueArn: made.queueArn, changed: made.changed.join(', ') || 'already present' } };
  };
  const rule: StepRun = async (ctx) => {
    const { ruleName, eventPattern } = ctx.input as { ruleName: string; eventPattern: string };
    const made = await gateway.ensureRule(ruleName, eventPattern, 'Secrets Manager rotation events for Rotation Console');
    return { output: { ruleArn: made.ruleArn, changed: made.changed ? 'created or updated' : 'already present' } };
  };
  const policy: StepRun = async (ctx) => {
    const { queueUrl, queueArn } = output(ctx, 'queue');
    const { ruleArn } = output(ctx, 'rule');
    const made = await gateway.ensureQueuePolicy(queueUrl!, queuePolicy(queueArn!, ruleArn!));
    return { output: { queueUrl: queueUrl!, changed: made.changed ? 'set' : 'already present' } };
  };
  const target: StepRun = async (ctx) => {
    const { ruleName, targetId } = ctx.input as { ruleName: string; targetId: string };
    const made = await gateway.ensureTarget(ruleName, targetId, output(ctx, 'queue').queueArn!);
    return { output: { targetId, changed: made.changed ? 'set' : 'already present' } };
  };
  return registry
    .register(EVENTS_SETUP_STEPS.deadLetterQueue, dlq)
    .register(EVENTS_SETUP_STEPS.queue, queue)
    .register(EVENTS_SETUP_STEPS.rule, rule)
    .register(EVENTS_SETUP_STEPS.queuePolicy, policy)
    .register(EVENTS_SETUP_STEPS.target, target);
};
