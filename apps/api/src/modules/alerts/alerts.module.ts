import type { LogEvent } from '@rotation-console/rotation';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { Logger } from '../../platform/logger.ts';
import type { TargetRegistry } from '../../platform/targets/target-registry.ts';
import type { Teams } from '../../platform/teams-config.ts';
import type { IndexRow } from '../dashboard/index-row.ts';
import type { SecretIndexStore } from '../dashboard/index-store/secret-index-store.ts';
import type { AlertMessage } from './alert-message.ts';
import { createAlertChannels } from './alert-channels.ts';
import { causesOf, digestDueAt, digestMessage, failedMessage, overdueMessage, stuckMessage, testMessage, type Holding } from './alert-rules.ts';
import { createFailureReasonReader, type FailureReasonReader } from './failure-reason.ts';
import { createOutbox } from './outbox.ts';
import { createSenders, type Senders, type SmtpSettings } from './senders.ts';

export interface AlertsSettings {
  /** PUBLIC_URL: the secret's page in each alert. */
  publicUrl?: string | undefined;
  evaluateMs: number;
  dispatchMs: number;
  ratePerMinute: number;
  retryBaseMs: number;
  retryAttempts: number;
  sendTimeoutMs: number;
  /** "MON 08:00" (UTC) or "off". */
  digestAt: string;
  /** The rotation window of a secret without a Duration, in ms. */
  defaultWindowMs: number;
  smtp: SmtpSettings | null;
}

interface Deps {
  db: Kysely<Database>;
  index: SecretIndexStore;
  teams: Teams;
  targets: TargetRegistry;
  /** The function's log events since a time, redacted (platform/aws-function-logs.ts): the failure's reason. */
  logs: (functionName: string, since: Date, max: number) => Promise<LogEvent[]>;
  logger: Logger;
  settings: AlertsSettings;
  /** Where the teams file's channels read their URLs and signing secrets (urlEnv, signingSecretEnv). */
  env?: NodeJS.ProcessEnv;
  senders?: Senders;
  now?: () => Date;
}

const CAUSES = ['rotation-failed', 'pending-stuck', 'overdue'] as const;
/** Rows of the index read per query in a full evaluation. */
const CHUNK = 500;

/**
 * Alerts to the team that owns a secret (docs/alerts.md). Whatever changes the index (the crawl,
 * a workflow, the events consumer) calls `evaluate(arns)`; `start()` also evaluates everything
 * every ALERTS_EVALUATE_MS (the backstop, and the weekly digest) and dispatches the outbox every
 * ALERTS_DISPATCH_MS. Each cause of each secret is one episode, alerted once (alert_episodes).
 */
export const createAlerts = ({ db, index, teams, targets, logs, logger, settings, env, senders: givenSenders, now = () => new Date() }: Deps) => {
  const channels = createAlertChannels({ db, teams, ...(env ? { env } : {}) });
  const senders = givenSenders ?? createSenders({ smtp: settings.smtp, timeoutMs: settings.sendTimeoutMs, now });
  const outbox = createOutbox({
    db,
    channels,
    senders,
    logger,
    now,
    settings: {
      ratePerMinute: settings.ratePerMinute,
      retryBaseMs: settings.retryBaseMs,
      retryAttempts: settings.retryAttempts,
      leaseMs: Math.max(settings.sendTimeoutMs * 4, 30_000),
    },
  });
  const failureReason: FailureReasonReader = createFailureReasonReader({ targets, logs });

  /** Opens (or keeps) the episode; returns whether its alert is still to be sent and since when it holds. */
  const openEpisode = async (subject: string, cause: string, episode: string, at: Date) => {
    await db
      .insertInto('alert_episodes')
      .values({ subject, cause, episode, opened_at: at.toISOString(), notified_at: null })
      .onConflict((oc) =>
        oc
          .columns(['subject', 'cause'])
          .doUpdateSet({ episode, opened_at: at.toISOString(), notified_at: null })
          .where('alert_episodes.episode', '!=', episode),
      )
      .execute();
    return db
      .selectFrom('alert_episodes')
      .select(['opened_at', 'notified_at'])
      .where('subject', '=', subject)
      .where('cause', '=', cause)
      .executeTakeFirstOrThrow();
  };

  /**
   * Marks the episode notified and queues its alert for the team's channels, in one transaction:
   * of several API processes evaluating at once, one wins the update and queues; the others see it
   * notified. The message is built only for a team with a channel (a failure's reason reads the
   * function's log), before the transaction.
   */
  const notify = async (team: string, subject: string, cause: string, episode: string, build: () => Promise<AlertMessage>, at: Date): Promise<boolean> => {
    const teamChannels = (await channels.ofTeam(team)).map((c) => c.view.id);
    const message = teamChannels.length > 0 ? await build() : null;
    return db.transaction().execute(async (trx) => {
      const won = await trx
        .updateTable('alert_episodes')
        .set({ notified_at: at.toISOString() })
        .where('subject', '=', subject)
        .where('cause', '=', cause)
        .where('episode', '=', episode)
        .where('notified_at', 'is', null)
        .executeTakeFirst();
      if (Number(won.numUpdatedRows) === 0 || !message) return false;
      await outbox.enqueue(trx, teamChannels, message, subject);
      return true;
    });
  };

  const messageOf = async (row: IndexRow, holding: Holding, at: Date): Promise<AlertMessage> => {
    switch (holding.cause) {
      case 'rotation-failed':
        return failedMessage(row, await failureReason(row), settings.publicUrl, at);
      case 'pending-stuck':
        return stuckMessage(row, holding.episode, holding.afterMs ?? settings.defaultWindowMs, settings.publicUrl, at);
      case 'overdue':
        return overdueMessage(row, settings.publicUrl, at);
    }
  };

  /** The rules for one secret: opens what holds, alerts what is due, closes what recovered. */
  const evaluateRow = async (row: IndexRow, at: Date): Promise<number> => {
    const holding = row.team === null ? [] : causesOf(row, settings.defaultWindowMs);
    const held = new Set(holding.map((h) => h.cause));
    // Recovered causes end their episode: the next failure (or overdue period) alerts again.
    const over = CAUSES.filter((c) => !held.has(c));
    if (over.length > 0) await db.deleteFrom('alert_episodes').where('subject', '=', row.arn).where('cause', 'in', over).execute();
    let queued = 0;
    for (const h of holding) {
      const state = await openEpisode(row.arn, h.cause, h.episode, at);
      if (state.notified_at !== null) continue;
      // pending-stuck: since the version was first seen pending, or the secret last changed, whichever is earlier (both are after AWSPENDING was set).
      if (h.afterMs !== undefined) {
        const since = Math.min(Date.parse(state.opened_at), Date.parse(row.last_changed_at ?? '') || Infinity);
        if (at.getTime() - since < h.afterMs) continue;
      }
      if (await notify(row.team!, row.arn, h.cause, h.episode, () => messageOf(row, h, at), at)) queued++;
    }
    return queued;
  };

  /** The weekly digest of each team with a channel, once per scheduled time. */
  const evaluateDigests = async (at: Date): Promise<number> => {
    const dueAt = digestDueAt(settings.digestAt, at);
    if (!dueAt) return 0;
    let queued = 0;
    for (const team of await channels.teamsWithChannels()) {
      const subject = `team:${team}`;
      const state = await openEpisode(subject, 'weekly-digest', dueAt.toISOString(), at);
      if (state.notified_at !== null) continue;
      const { items, total } = await index.dueBetween(at, new Date(at.getTime() + 7 * 86_400_000), 50, [team]);
      const build = () => Promise.resolve(digestMessage(team, items, total, settings.publicUrl, at));
      if (await notify(team, subject, 'weekly-digest', dueAt.toISOString(), build, at)) queued++;
    }
    return queued;
  };

  let evaluating: Promise<number> | null = null;

  /** The rules for these secrets; a secret no longer in the index (deleted) ends its episodes. */
  const evaluateArns = async (arns: readonly string[], at: Date): Promise<number> => {
    let queued = 0;
    for (let i = 0; i < arns.length; i += CHUNK) {
      const chunk = arns.slice(i, i + CHUNK);
      const rows = await db.selectFrom('secret_index').selectAll().where('arn', 'in', chunk).execute();
      for (const row of rows) queued += await evaluateRow(row, at);
      const gone = chunk.filter((arn) => !rows.some((r) => r.arn === arn));
      if (gone.length > 0) await db.deleteFrom('alert_episodes').where('subject', 'in', gone).execute();
    }
    return queued;
  };

  /**
   * Evaluates the rules for these secrets (ARNs), or for every secret and the digests when none
   * are named; queues what is due and dispatches it. Returns how many alerts were queued.
   */
  const evaluate = async (arns?: string[]): Promise<number> => {
    const at = now();
    await index.settleOverdue(at);
    let queued = 0;
    if (arns) {
      queued += await evaluateArns(arns, at);
    } else {
      // Every secret with a cause now, and every secret that had one (to close what recovered or left the index).
      const seen = new Set<string>();
      let after = '';
      for (;;) {
        const rows = await db
          .selectFrom('secret_index')
          .selectAll()
          .where((eb) => eb.or([eb('status', 'in', ['pending_or_failed', 'overdue']), eb('version_stages', 'like', '%AWSPENDING%')]))
          .where('arn', '>', after)
          .orderBy('arn')
          .limit(CHUNK)
          .execute();
        for (const row of rows) {
          seen.add(row.arn);
          queued += await evaluateRow(row, at);
        }
        if (rows.length < CHUNK) break;
        after = rows[rows.length - 1]!.arn;
      }
      const open = await db
        .selectFrom('alert_episodes')
        .select('subject')
        .where('cause', 'in', [...CAUSES])
        .distinct()
        .execute();
      queued += await evaluateArns(
        open.map((o) => o.subject).filter((s) => !seen.has(s)),
        at,
      );
      queued += await evaluateDigests(at);
    }
    if (queued > 0) kick();
    return queued;
  };

  let dispatching: Promise<void> | null = null;
  let again = false;
  /** One outbox pass; a call while one runs asks for one more after it. */
  const dispatch = (): Promise<void> => {
    if (dispatching) {
      again = true;
      return dispatching;
    }
    dispatching = (async () => {
      do {
        again = false;
        await outbox.dispatch();
      } while (again);
    })().finally(() => {
      dispatching = null;
    });
    return dispatching;
  };
  let started = false;
  const kick = () => {
    if (started)
      void dispatch().catch((error: unknown) => logger.error({ err: error instanceof Error ? error.message : String(error) }, 'alert dispatch failed'));
  };

  let evaluateTimer: NodeJS.Timeout | null = null;
  let dispatchTimer: NodeJS.Timeout | null = null;

  return {
    channels,
    outbox,

    /** Rules for these secrets (or all, with the digests); evaluations run one at a time. */
    async evaluate(arns?: string[]): Promise<number> {
      while (evaluating) await evaluating.catch(() => undefined);
      evaluating = evaluate(arns);
      try {
        return await evaluating;
      } finally {
        evaluating = null;
      }
    },

    /**
     * What re-indexed secrets calls (the crawl, a secret refreshed alone, the events consumer):
     * evaluates them once `start()` ran (server.ts), so tests and tools choose when rules run.
     */
    indexed(arns?: string[]): void {
      if (!started) return;
      void this.evaluate(arns).catch((error: unknown) =>
        logger.error({ err: error instanceof Error ? error.message : String(error) }, 'alert evaluation failed'),
      );
    },

    /** One outbox pass now (the timers call it; tests call it to send what is due). */
    dispatch,

    /** Queues a test alert for one channel of the team and sends it (through the outbox: the rate limit and the log apply). */
    async sendTest(team: string, channelId: string, channelName: string): Promise<string> {
      const [id] = await outbox.enqueue(db, [channelId], testMessage(team, channelName, now()), `test:${channelId}`);
      kick();
      return id!;
    },

    start() {
      started = true;
      const loopEvaluate = async () => {
        await this.evaluate().catch((error: unknown) =>
          logger.error({ err: error instanceof Error ? error.message : String(error) }, 'alert evaluation failed'),
        );
        if (started) evaluateTimer = setTimeout(loopEvaluate, settings.evaluateMs);
      };
      const loopDispatch = async () => {
        await dispatch().catch((error: unknown) => logger.error({ err: error instanceof Error ? error.message : String(error) }, 'alert dispatch failed'));
        if (started) dispatchTimer = setTimeout(loopDispatch, settings.dispatchMs);
      };
      void loopEvaluate();
      void loopDispatch();
    },

    async stop() {
      started = false;
      if (evaluateTimer) clearTimeout(evaluateTimer);
      if (dispatchTimer) clearTimeout(dispatchTimer);
      evaluateTimer = dispatchTimer = null;
      await Promise.allSettled([evaluating, dispatching]);
      senders.close();
    },
  };
};
export type Alerts = ReturnType<typeof createAlerts>;
