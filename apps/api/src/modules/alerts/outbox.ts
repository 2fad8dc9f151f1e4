import { randomUUID } from 'node:crypto';
import { alertRuleLabels, type AlertDelivery, type AlertRule } from '@rotation-console/contracts';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { AlertDeliveriesTable, AlertOutboxTable, Database } from '../../platform/db/schema.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AlertMessage } from './alert-message.ts';
import type { AlertChannels } from './alert-channels.ts';
import type { SendResult, Senders } from './senders.ts';

const MINUTE_MS = 60_000;
/** A folded message lists this many alerts by title; "and N more" says the rest. */
const FOLDED_LISTED = 20;
/** Rows of one channel looked at per pass. */
const BATCH = 200;

export interface OutboxSettings {
  ratePerMinute: number;
  retryBaseMs: number;
  retryAttempts: number;
  /** A channel's send lease: another process takes a channel over this long after its sender died. */
  leaseMs: number;
}

type OutboxRow = Selectable<AlertOutboxTable>;

const num = (v: unknown) => Number(v ?? 0);

/**
 * The durable outbox: an alert is a row per channel, written in the same transaction that opened
 * its episode, so a restart loses nothing. A pass takes each channel with work due under a lease
 * (one API process sends a channel's alerts at a time, so nothing is sent twice and the rate
 * limit holds across processes), sends what the channel's minute allows, folds the rest into one
 * "and N more" message, and retries failures with exponential back-off. Every attempt is logged.
 */
export const createOutbox = ({
  db,
  channels,
  senders,
  settings,
  logger,
  now = () => new Date(),
}: {
  db: Kysely<Database>;
  channels: AlertChannels;
  senders: Senders;
  settings: OutboxSettings;
  logger: Logger;
  now?: () => Date;
}) => {
  const owner = `alerts-${randomUUID()}`;

  /** Queues `message` for each channel (inside the caller's transaction); returns the alert ids. */
  const enqueue = async (trx: Kysely<Database> | Transaction<Database>, channelIds: string[], message: AlertMessage, subject: string): Promise<string[]> => {
    const at = now().toISOString();
    const rows = channelIds.map((channelId) => ({
      id: randomUUID(),
      team: message.team,
      channel_id: channelId,
      rule: message.rule,
      subject,
      title: message.title,
      message: JSON.stringify(message),
      status: 'pending' as const,
      attempts: 0,
      next_attempt_at: at,
      created_at: at,
      finished_at: null,
      folded_into: null,
    }));
    if (rows.length > 0) await trx.insertInto('alert_outbox').values(rows).execute();
    return rows.map((r) => r.id);
  };

  const takeLease = async (channelId: string, at: Date): Promise<boolean> => {
    const until = new Date(at.getTime() + settings.leaseMs).toISOString();
    const taken = await db
      .insertInto('alert_channel_leases')
      .values({ channel_id: channelId, owner, lease_expires_at: until })
      .onConflict((oc) =>
        oc
          .column('channel_id')
          .doUpdateSet({ owner, lease_expires_at: until })
          .where((eb) => eb.or([eb('alert_channel_leases.owner', '=', owner), eb('alert_channel_leases.lease_expires_at', '<', at.toISOString())])),
      )
      .executeTakeFirst();
    return Number(taken.numInsertedOrUpdatedRows ?? 0) > 0;
  };

  const freeLease = (channelId: string) => db.deleteFrom('alert_channel_leases').where('channel_id', '=', channelId).where('owner', '=', owner).execute();

  const log = async (row: OutboxRow, channelName: string, attempt: number, outcome: AlertDeliveriesTable['outcome'], result: Partial<SendResult>) => {
    await db
      .insertInto('alert_deliveries')
      .values({
        id: randomUUID(),
        alert_id: row.id,
        team: row.team,
        channel_id: row.channel_id,
        channel_name: channelName,
        rule: row.rule,
        title: row.title,
        attempt,
        outcome,
        http_status: result.httpStatus ?? null,
        reply: result.reply ? result.reply.slice(0, 500) : null,
        error: result.error ? result.error.slice(0, 500) : null,
        at: now().toISOString(),
      })
      .execute();
  };

  /** Attempts in the channel's last minute (the rate limit counts what went out, failed or not). */
  const sentInLastMinute = async (channelId: string, at: Date): Promise<number> => {
    const row = await db
      .selectFrom('alert_deliveries')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('channel_id', '=', channelId)
      .where('outcome', '!=', 'folded')
      .where('at', '>', new Date(at.getTime() - MINUTE_MS).toISOString())
      .executeTakeFirstOrThrow();
    return num(row.n);
  };

  /** One attempt of one row, its outcome recorded on the row and in the log. */
  const attempt = async (row: OutboxRow, channelName: string, send: () => Promise<SendResult>) => {
    const attemptNo = num(row.attempts) + 1;
    const result = await send().catch((error: unknown): SendResult => ({
      delivered: false,
      transient: true,
      httpStatus: null,
      reply: null,
      error: error instanceof Error ? error.message : 'Error',
    }));
    const at = now();
    const giveUp = !result.delivered && (!result.transient || attemptNo >= settings.retryAttempts);
    const outcome = result.delivered ? 'delivered' : giveUp ? 'failed' : 'retrying';
    const next = new Date(at.getTime() + settings.retryBaseMs * 2 ** (attemptNo - 1));
    await db
      .updateTable('alert_outbox')
      .set({
        attempts: attemptNo,
        status: outcome === 'retrying' ? 'pending' : outcome,
        next_attempt_at: outcome === 'retrying' ? next.toISOString() : row.next_attempt_at,
        finished_at: outcome === 'retrying' ? null : at.toISOString(),
      })
      .where('id', '=', row.id)
      .execute();
    await log(row, channelName, attemptNo, outcome, result);
    if (!result.delivered)
      logger.warn({ alertId: row.id, channelId: row.channel_id, attempt: attemptNo, outcome, httpStatus: result.httpStatus }, 'alert not delivered');
  };

  /** Folds `rows` (held by the rate limit) into one new alert that lists them; returns it. */
  const fold = async (channelId: string, rows: OutboxRow[], channelName: string): Promise<OutboxRow> => {
    const first = JSON.parse(rows[0]!.message) as AlertMessage;
    const at = now().toISOString();
    const listed = rows.slice(0, FOLDED_LISTED).map((r) => {
      const m = JSON.parse(r.message) as AlertMessage;
      return { text: m.title, url: m.secret?.url ?? null };
    });
    const more = rows.length - listed.length;
    const message: AlertMessage = {
      rule: 'folded',
      team: first.team,
      title: `${rows.length} more alerts for team ${first.team}`,
      summary: `This channel received ${settings.ratePerMinute} alerts in the last minute, its limit; these ${rows.length} are sent together.${more > 0 ? ` The list shows ${listed.length}, and ${more} more.` : ''}`,
      secret: null,
      fields: [],
      items: more > 0 ? [...listed, { text: `and ${more} more`, url: null }] : listed,
      occurredAt: at,
    };
    const folded: OutboxRow = {
      id: randomUUID(),
      team: first.team,
      channel_id: channelId,
      rule: 'folded',
      subject: `folded:${channelId}`,
      title: message.title,
      message: JSON.stringify(message),
      status: 'pending',
      attempts: 0,
      next_attempt_at: at,
      created_at: at,
      finished_at: null,
      folded_into: null,
    };
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('alert_outbox').values(folded).execute();
      for (let i = 0; i < rows.length; i += 200) {
        const ids = rows.slice(i, i + 200).map((r) => r.id);
        await trx.updateTable('alert_outbox').set({ status: 'folded', folded_into: folded.id, finished_at: at }).where('id', 'in', ids).execute();
      }
    });
    for (const r of rows) await log(r, channelName, num(r.attempts) + 1, 'folded', { error: null });
    return folded;
  };

  /** Sends what one channel has due, under its lease. */
  const dispatchChannel = async (team: string, channelId: string) => {
    const at = now();
    if (!(await takeLease(channelId, at))) return;
    try {
      const due = await db
        .selectFrom('alert_outbox')
        .selectAll()
        .where('channel_id', '=', channelId)
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', at.toISOString())
        .orderBy('created_at')
        .orderBy('id')
        .limit(BATCH)
        .execute();
      if (due.length === 0) return;
      const channel = await channels.resolve(team, channelId);
      const name = channel?.view.name ?? '(removed channel)';
      if (!channel?.resolved) {
        // A removed channel, or one whose environment variable is missing: nothing to retry into.
        const error = channel ? (channel.view.problem ?? 'The channel cannot send') : 'The channel was removed';
        // Not transient: the attempt fails for good, with the reason in the log.
        for (const row of due) await attempt(row, name, () => Promise.resolve({ delivered: false, transient: false, httpStatus: null, reply: null, error }));
        return;
      }
      const resolved = channel.resolved;
      const allowance = settings.ratePerMinute - (await sentInLastMinute(channelId, at));
      if (allowance <= 0) return;
      const sendRow = (row: OutboxRow) => attempt(row, name, () => senders.send(row.id, resolved, JSON.parse(row.message) as AlertMessage));
      if (due.length <= allowance) {
        for (const row of due) await sendRow(row);
        return;
      }
      const oneByOne = due.slice(0, allowance - 1);
      for (const row of oneByOne) await sendRow(row);
      await sendRow(await fold(channelId, due.slice(allowance - 1), name));
    } finally {
      await freeLease(channelId);
    }
  };

  return {
    enqueue,

    /** One pass over every channel with an alert due; resolves once each has been tried. */
    async dispatch(): Promise<void> {
      const channelsDue = await db
        .selectFrom('alert_outbox')
        .select(['team', 'channel_id'])
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now().toISOString())
        .distinct()
        .execute();
      for (const c of channelsDue) {
        await dispatchChannel(c.team, c.channel_id).catch((error: unknown) =>
          logger.error({ channelId: c.channel_id, err: error instanceof Error ? error.message : String(error) }, 'alert dispatch failed'),
        );
      }
    },

    /** The delivery log of a team, newest first. */
    async deliveries(team: string, channelId: string | undefined, limit: number): Promise<AlertDelivery[]> {
      let q = db.selectFrom('alert_deliveries').selectAll().where('team', '=', team);
      if (channelId) q = q.where('channel_id', '=', channelId);
      const rows = await q.orderBy('at', 'desc').orderBy('attempt', 'desc').limit(limit).execute();
      return rows.map((r) => ({
        id: r.id,
        at: r.at,
        alertId: r.alert_id,
        channelId: r.channel_id,
        channelName: r.channel_name,
        rule: (r.rule in alertRuleLabels ? r.rule : 'test') as AlertRule,
        title: r.title,
        attempt: num(r.attempt),
        outcome: r.outcome,
        httpStatus: r.http_status === null ? null : num(r.http_status),
        reply: r.reply,
        error: r.error,
      }));
    },
  };
};
export type Outbox = ReturnType<typeof createOutbox>;
