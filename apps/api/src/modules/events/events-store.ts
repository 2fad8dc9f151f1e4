import type { PoisonMessage, RotationEventSummary } from '@rotation-console/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { RotationEvent } from './rotation-event.ts';

/** The reason stored for a poison message is cut to this (a parse error names a few fields). */
const MAX_REASON = 500;

/** What the consumer stores: the events it applied (their ids keep them once) and the messages it set aside. */
export const createEventsStore = (db: Kysely<Database>) => ({
  /** The ids among these that are stored already (applied by this process or another). */
  async seen(eventIds: readonly string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const rows = await db
      .selectFrom('rotation_events')
      .select('event_id')
      .where('event_id', 'in', [...eventIds])
      .execute();
    return new Set(rows.map((r) => r.event_id));
  },

  /** Records an applied event; false when another process recorded it first (it was applied twice, harmlessly). */
  async recordApplied(event: RotationEvent, outcome: string, now = new Date()): Promise<boolean> {
    const inserted = await db
      .insertInto('rotation_events')
      .values({
        event_id: event.eventId,
        event_name: event.eventName,
        detail_type: event.detailType,
        account_id: event.accountId,
        region: event.region,
        secret_id: event.secretId,
        event_time: event.eventTime,
        received_at: now.toISOString(),
        outcome,
      })
      .onConflict((oc) => oc.column('event_id').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  },

  /** Sets a message aside (once: a message handed out again after a crash is not recorded twice). */
  async setAside(poison: Omit<PoisonMessage, 'setAsideAt'> & { queueUrl: string }, now = new Date()): Promise<void> {
    await db
      .insertInto('poison_messages')
      .values({
        message_id: poison.messageId,
        queue_url: poison.queueUrl,
        reason: poison.reason.slice(0, MAX_REASON),
        receive_count: poison.receiveCount,
        event_id: poison.eventId,
        detail_type: poison.detailType,
        body_bytes: poison.bodyBytes,
        set_aside_at: now.toISOString(),
      })
      .onConflict((oc) => oc.column('message_id').doNothing())
      .execute();
  },

  async recentEvents(limit = 20): Promise<RotationEventSummary[]> {
    const rows = await db.selectFrom('rotation_events').selectAll().orderBy('received_at', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      eventId: r.event_id,
      eventName: r.event_name,
      accountId: r.account_id,
      region: r.region,
      secretId: r.secret_id,
      eventTime: r.event_time,
      receivedAt: r.received_at,
      outcome: r.outcome,
    }));
  },

  async poisonMessages(limit = 50): Promise<PoisonMessage[]> {
    const rows = await db.selectFrom('poison_messages').selectAll().orderBy('set_aside_at', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      messageId: r.message_id,
      reason: r.reason,
      receiveCount: r.receive_count,
      eventId: r.event_id,
      detailType: r.detail_type,
      bodyBytes: r.body_bytes,
      setAsideAt: r.set_aside_at,
    }));
  },

  /** When any consumer last took a message off the queue (applied or set aside). */
  async lastMessageAt(): Promise<string | null> {
    const applied = await db
      .selectFrom('rotation_events')
      .select((eb) => eb.fn.max('received_at').as('at'))
      .executeTakeFirst();
    const aside = await db
      .selectFrom('poison_messages')
      .select((eb) => eb.fn.max('set_aside_at').as('at'))
      .executeTakeFirst();
    const times = [applied?.at, aside?.at].filter((t): t is string => typeof t === 'string');
    return times.sort().at(-1) ?? null;
  },
});
export type EventsStore = ReturnType<typeof createEventsStore>;
