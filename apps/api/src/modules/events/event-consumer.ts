import { eachBounded } from '../../platform/each-bounded.ts';
import type { Logger } from '../../platform/logger.ts';
import { backoffDelay, sleep, type RetryPolicy } from '../../platform/workflow/backoff.ts';
import type { EventsQueue, QueueMessage } from './events.aws.ts';
import type { EventsStore } from './events-store.ts';
import { parseRotationEvent, type RotationEvent } from './rotation-event.ts';

/** ReceiveMessage's longest wait: one call a 20 s while the queue is empty. */
export const WAIT_SECONDS = 20;
/** ReceiveMessage's largest batch. */
export const BATCH_SIZE = 10;
/**
 * A message whose event fails this many times (SQS's ApproximateReceiveCount) is set aside. Below
 * the dead-letter queue's maxReceiveCount (10), so the console sets it aside and shows it before
 * SQS would move it.
 */
export const MAX_RECEIVES = 5;
/** Messages of one batch handled at once (each is a DescribeSecret, perhaps a log read). */
const AT_ONCE = 4;
/** Failing ReceiveMessage calls (throttling, the queue gone) back off up to a minute. */
const RECEIVE_RETRY: RetryPolicy = { maxAttempts: Number.POSITIVE_INFINITY, baseDelayMs: 1000, maxDelayMs: 60_000 };
/** With no queue yet (events on, the setup not run), look for it again this often. */
const NO_QUEUE_MS = 60_000;

/** What an applied event did to the index. */
export type EventOutcome = 'updated' | 'unchanged' | 'removed' | 'not-covered' | 'ignored';

interface Deps {
  queue: EventsQueue;
  store: EventsStore;
  /** The queue to consume: EVENTS_QUEUE_URL, or the one the setup made (null while there is none). */
  queueUrl: () => Promise<string | null>;
  /** Makes the index read the event's secret again, in the event's account and region; the secret's ARN where known. */
  apply: (event: RotationEvent) => Promise<{ outcome: EventOutcome; arn: string | null }>;
  logger: Logger;
  /** Called after each batch with the secrets whose events were applied (the alerts module's hook). */
  onIndexed?: (arns: string[]) => void | Promise<void>;
  waitSeconds?: number;
  maxReceives?: number;
  noQueueMs?: number;
}

export interface BatchResult {
  received: number;
  applied: number;
  duplicates: number;
  setAside: number;
  /** Left on the queue to come back after the visibility timeout. */
  retried: number;
}

/** The event id of a message body, if it has one (a cheap look before the full parse). */
const eventIdOf = (body: string): string | null => {
  try {
    const id = (JSON.parse(body) as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
};

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 300);

/**
 * Consumes the events' queue: long polls a batch, applies each event to the index (the secret read
 * again at once), and deletes a message only once its effect is stored. At-least-once on both sides:
 * a message handed out twice, or to two API processes, is applied once (the event id is kept in the
 * database); a message not deleted (the process died, the index write failed) comes back after the
 * queue's visibility timeout. A message that cannot be parsed, or fails MAX_RECEIVES times, is set
 * aside in the database (shown by the status route) and deleted. The crawl stays the backstop.
 */
export class EventConsumer {
  readonly #deps: Deps;
  #abort = new AbortController();
  #loop: Promise<void> | null = null;
  #lastError: string | null = null;
  #onIndexed: (arns: string[]) => void | Promise<void>;

  constructor(deps: Deps) {
    this.#deps = deps;
    this.#onIndexed = deps.onIndexed ?? (() => undefined);
  }

  get running(): boolean {
    return this.#loop !== null;
  }

  get lastError(): string | null {
    return this.#lastError;
  }

  /** The hook the alerts module sets: the ARNs (or names) of the secrets an applied batch re-read. */
  set onIndexed(hook: (arns: string[]) => void | Promise<void>) {
    this.#onIndexed = hook;
  }

  start(): void {
    if (this.#loop) return;
    this.#abort = new AbortController();
    const signal = this.#abort.signal;
    this.#loop = (async () => {
      let failures = 0;
      while (!signal.aborted) {
        try {
          const url = await this.#deps.queueUrl();
          if (!url) {
            await sleep(this.#deps.noQueueMs ?? NO_QUEUE_MS, signal);
            continue;
          }
          await this.pollOnce(url, signal);
          failures = 0;
          this.#lastError = null;
        } catch (error) {
          if (signal.aborted) break;
          failures++;
          this.#lastError = messageOf(error);
          this.#deps.logger.warn({ error: this.#lastError, failures }, 'events: receiving from the queue failed; trying again');
          await sleep(backoffDelay(failures, RECEIVE_RETRY), signal).catch(() => undefined);
        }
      }
    })().finally(() => {
      this.#loop = null;
    });
  }

  /** Stops polling; the batch in hand is finished first (its messages deleted or left to come back). */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#loop?.catch(() => undefined);
  }

  /** One long poll and the batch it brought. */
  async pollOnce(queueUrl: string, signal?: AbortSignal): Promise<BatchResult> {
    const messages = await this.#deps.queue.receive(queueUrl, {
      max: BATCH_SIZE,
      waitSeconds: this.#deps.waitSeconds ?? WAIT_SECONDS,
      ...(signal ? { signal } : {}),
    });
    return this.handleBatch(queueUrl, messages);
  }

  /** Applies a batch of messages, then calls onIndexed with the secrets it re-read. */
  async handleBatch(queueUrl: string, messages: QueueMessage[]): Promise<BatchResult> {
    const result: BatchResult = { received: messages.length, applied: 0, duplicates: 0, setAside: 0, retried: 0 };
    if (messages.length === 0) return result;
    const indexed: string[] = [];
    // Two copies of one event in a batch: the first is applied, then the other finds it stored.
    const firstOfEvent = new Map<string, QueueMessage>();
    for (const m of messages) {
      const id = eventIdOf(m.body) ?? m.messageId;
      if (!firstOfEvent.has(id)) firstOfEvent.set(id, m);
    }
    const firsts = [...firstOfEvent.values()];
    const copies = messages.filter((m) => !firsts.includes(m));
    const handleOne = async (message: QueueMessage) => {
      const done = await this.#handle(queueUrl, message).catch((error: unknown) => {
        // Storing failed (the database): the message stays and comes back.
        this.#deps.logger.warn({ messageId: message.messageId, error: messageOf(error) }, 'events: a message could not be handled; it comes back');
        return { kind: 'retried' as const };
      });
      if (done.kind === 'applied') {
        result.applied++;
        if (done.secretId) indexed.push(done.secretId);
      } else if (done.kind === 'duplicate') result.duplicates++;
      else if (done.kind === 'set-aside') result.setAside++;
      else result.retried++;
    };
    await eachBounded(firsts, AT_ONCE, handleOne);
    await eachBounded(copies, AT_ONCE, handleOne);
    if (indexed.length > 0) {
      try {
        await this.#onIndexed([...new Set(indexed)]);
      } catch (error) {
        this.#deps.logger.warn({ error: messageOf(error) }, 'events: the onIndexed hook failed');
      }
    }
    return result;
  }

  async #handle(
    queueUrl: string,
    message: QueueMessage,
  ): Promise<{ kind: 'applied'; secretId: string | null } | { kind: 'duplicate' } | { kind: 'set-aside' } | { kind: 'retried' }> {
    const { store, queue, logger } = this.#deps;
    const parsed = parseRotationEvent(message.body);
    if (!parsed.ok) {
      await this.#setAside(queueUrl, message, parsed.reason, parsed.eventId, parsed.detailType);
      return { kind: 'set-aside' };
    }
    const event = parsed.event;
    if ((await store.seen([event.eventId])).size > 0) {
      await queue.delete(queueUrl, message.receiptHandle);
      logger.debug({ eventId: event.eventId }, 'events: a duplicate was deleted');
      return { kind: 'duplicate' };
    }
    let applied: { outcome: EventOutcome; arn: string | null };
    try {
      applied = event.relevant ? await this.#deps.apply(event) : { outcome: 'ignored', arn: null };
    } catch (error) {
      const reason = `${event.eventName} for ${event.secretId} failed ${message.receiveCount} time(s): ${messageOf(error)}`;
      if (message.receiveCount >= (this.#deps.maxReceives ?? MAX_RECEIVES)) {
        await this.#setAside(queueUrl, message, reason, event.eventId, event.detailType);
        return { kind: 'set-aside' };
      }
      logger.warn({ eventId: event.eventId, receiveCount: message.receiveCount, error: messageOf(error) }, 'events: an event failed; it comes back');
      return { kind: 'retried' };
    }
    // Stored, then deleted: a crash in between hands the message out again, and its id says it is done.
    const { outcome, arn } = applied;
    await store.recordApplied(event, outcome);
    await queue.delete(queueUrl, message.receiptHandle);
    logger.info({ eventId: event.eventId, eventName: event.eventName, secretId: event.secretId, outcome }, 'events: applied');
    return { kind: 'applied', secretId: outcome === 'ignored' || outcome === 'not-covered' ? null : (arn ?? event.secretId) };
  }

  async #setAside(queueUrl: string, message: QueueMessage, reason: string, eventId: string | null, detailType: string | null): Promise<void> {
    await this.#deps.store.setAside({
      queueUrl,
      messageId: message.messageId,
      reason,
      receiveCount: message.receiveCount,
      eventId,
      detailType,
      bodyBytes: Buffer.byteLength(message.body),
    });
    await this.#deps.queue.delete(queueUrl, message.receiptHandle);
    this.#deps.logger.warn({ messageId: message.messageId, eventId, reason }, 'events: a message was set aside');
  }
}
