import type { AwsClientFactory } from '../../platform/aws.ts';
import { sdk } from '../../platform/aws-sdk.ts';
import { callAws, translateAwsError } from '../../platform/aws-errors.ts';

/** One message as the consumer sees it. */
export interface QueueMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  /** SQS's ApproximateReceiveCount: how many times it was handed out, this time included. */
  receiveCount: number;
}

const MANAGED_BY = { 'managed-by': 'rotation-console' };

const isMissing = (error: unknown, ...names: string[]) => {
  const name = (error as { name?: string } | null)?.name ?? '';
  return names.includes(name);
};

/**
 * The SQS calls of the events consumer. Always the console's own credentials in its own account
 * (home): the queue is the console's, whatever target or team a request acts for.
 */
export const createEventsQueue = (aws: AwsClientFactory) => {
  const sqs = () => aws.home().sqs;
  return {
    /** Long polls one batch (at most `max`, waiting up to `waitSeconds` for the first). */
    async receive(queueUrl: string, { max, waitSeconds, signal }: { max: number; waitSeconds: number; signal?: AbortSignal }): Promise<QueueMessage[]> {
      const { ReceiveMessageCommand } = sdk.sqs();
      const out = await callAws('ReceiveMessage', () =>
        sqs().send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: max,
            WaitTimeSeconds: waitSeconds,
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          }),
          // The long poll outlasts AWS_TIMEOUT_MS by design: wait for it, plus a margin.
          { requestTimeout: (waitSeconds + 10) * 1000, ...(signal ? { abortSignal: signal } : {}) },
        ),
      );
      return (out.Messages ?? []).map((m) => ({
        messageId: m.MessageId ?? '',
        receiptHandle: m.ReceiptHandle ?? '',
        body: m.Body ?? '',
        receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? '1') || 1,
      }));
    },

    async delete(queueUrl: string, receiptHandle: string): Promise<void> {
      const { DeleteMessageCommand } = sdk.sqs();
      await callAws('DeleteMessage', () => sqs().send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle })));
    },

    /** The URL of the queue of this name in the console's account, or null when there is none. */
    async urlOf(queueName: string): Promise<string | null> {
      const { GetQueueUrlCommand } = sdk.sqs();
      try {
        return (await sqs().send(new GetQueueUrlCommand({ QueueName: queueName }))).QueueUrl ?? null;
      } catch (error) {
        if (isMissing(error, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue')) return null;
        throw translateAwsError(error, 'GetQueueUrl');
      }
    },
  };
};
export type EventsQueue = ReturnType<typeof createEventsQueue>;

/**
 * The setup's ensures: each reads the real state first and changes only what differs, so running
 * the setup again (or a step again after a crash) changes nothing that is already right.
 */
export const createEventsSetupGateway = (aws: AwsClientFactory) => {
  const sqs = () => aws.home().sqs;
  const events = () => aws.home().eventBridge;

  const queueArnOf = async (queueUrl: string): Promise<{ arn: string; attributes: Record<string, string> }> => {
    const { GetQueueAttributesCommand } = sdk.sqs();
    const out = await callAws('GetQueueAttributes', () => sqs().send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] })));
    const attributes = out.Attributes ?? {};
    return { arn: attributes.QueueArn ?? '', attributes };
  };

  return {
    /** The queue with these attributes: created when missing, its differing attributes set when present. */
    async ensureQueue(queueName: string, attributes: Record<string, string>): Promise<{ queueUrl: string; queueArn: string; changed: string[] }> {
      const { CreateQueueCommand, GetQueueUrlCommand, SetQueueAttributesCommand } = sdk.sqs();
      let queueUrl: string | undefined;
      try {
        queueUrl = (await sqs().send(new GetQueueUrlCommand({ QueueName: queueName }))).QueueUrl;
      } catch (error) {
        if (!isMissing(error, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue')) throw translateAwsError(error, 'GetQueueUrl');
      }
      if (!queueUrl) {
        const created = await callAws('CreateQueue', () =>
          sqs().send(new CreateQueueCommand({ QueueName: queueName, Attributes: attributes, tags: MANAGED_BY })),
        );
        const { arn } = await queueArnOf(created.QueueUrl!);
        return { queueUrl: created.QueueUrl!, queueArn: arn, changed: ['created'] };
      }
      const { arn, attributes: now } = await queueArnOf(queueUrl);
      const differing = Object.fromEntries(Object.entries(attributes).filter(([k, v]) => !sameAttribute(now[k], v)));
      if (Object.keys(differing).length > 0) {
        await callAws('SetQueueAttributes', () => sqs().send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: differing })));
      }
      return { queueUrl, queueArn: arn, changed: Object.keys(differing) };
    },

    /** The rule on the default bus with this pattern, enabled. PutRule creates or updates; it is called only when something differs. */
    async ensureRule(ruleName: string, eventPattern: string, description: string): Promise<{ ruleArn: string; changed: boolean }> {
      const { DescribeRuleCommand, PutRuleCommand } = sdk.eventBridge();
      try {
        const rule = await events().send(new DescribeRuleCommand({ Name: ruleName }));
        if (rule.State === 'ENABLED' && sameJson(rule.EventPattern, eventPattern) && rule.Arn) return { ruleArn: rule.Arn, changed: false };
      } catch (error) {
        if (!isMissing(error, 'ResourceNotFoundException')) throw translateAwsError(error, 'DescribeRule');
      }
      const out = await callAws('PutRule', () =>
        events().send(
          new PutRuleCommand({
            Name: ruleName,
            EventPattern: eventPattern,
            State: 'ENABLED',
            Description: description,
            Tags: Object.entries(MANAGED_BY).map(([Key, Value]) => ({ Key, Value })),
          }),
        ),
      );
      return { ruleArn: out.RuleArn ?? '', changed: true };
    },

    /** The queue's access policy, set when it is not this one. */
    async ensureQueuePolicy(queueUrl: string, policy: string): Promise<{ changed: boolean }> {
      const { SetQueueAttributesCommand } = sdk.sqs();
      const { attributes } = await queueArnOf(queueUrl);
      if (sameJson(attributes.Policy, policy)) return { changed: false };
      await callAws('SetQueueAttributes', () => sqs().send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: policy } })));
      return { changed: true };
    },

    /** The rule's target with this id sends to the queue. */
    async ensureTarget(ruleName: string, targetId: string, queueArn: string): Promise<{ changed: boolean }> {
      const { ListTargetsByRuleCommand, PutTargetsCommand } = sdk.eventBridge();
      const out = await callAws('ListTargetsByRule', () => events().send(new ListTargetsByRuleCommand({ Rule: ruleName })));
      if ((out.Targets ?? []).some((t) => t.Id === targetId && t.Arn === queueArn)) return { changed: false };
      const put = await callAws('PutTargets', () => events().send(new PutTargetsCommand({ Rule: ruleName, Targets: [{ Id: targetId, Arn: queueArn }] })));
      if ((put.FailedEntryCount ?? 0) > 0) throw new Error(`PutTargets failed: ${put.FailedEntries?.[0]?.ErrorMessage ?? 'unknown error'}`);
      return { changed: true };
    },

    /** The rule's state (ENABLED, DISABLED), or null when it does not exist. */
    async ruleState(ruleName: string): Promise<string | null> {
      const { DescribeRuleCommand } = sdk.eventBridge();
      try {
        return (await events().send(new DescribeRuleCommand({ Name: ruleName }))).State ?? null;
      } catch (error) {
        if (isMissing(error, 'ResourceNotFoundException')) return null;
        throw translateAwsError(error, 'DescribeRule');
      }
    },
  };
};
export type EventsSetupGateway = ReturnType<typeof createEventsSetupGateway>;

/** JSON documents compared by meaning, not by spacing or key order at the top. */
const sameJson = (a: string | undefined, b: string) => {
  if (a === undefined) return false;
  try {
    return canonical(JSON.parse(a)) === canonical(JSON.parse(b));
  } catch {
    return false;
  }
};
const canonical = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(canonical).join(',')}]`
    : value && typeof value === 'object'
      ? `{${Object.keys(value)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(value);
const sameAttribute = (now: string | undefined, wanted: string) => now === wanted || (wanted.startsWith('{') && sameJson(now, wanted));
