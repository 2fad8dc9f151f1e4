import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { Logger } from '../../platform/logger.ts';
import { STATE_ID } from '../dashboard/index-store/table.ts';

/** How often the index's last change is read while someone listens (any API process may change it). */
export const WATCH_MS = 1000;

type Listener = (changedAt: string) => void;

/**
 * When the index last changed, told to whoever listens (the server-sent events of
 * GET /api/v1/index/changes). It reads the index's state row once a second while anyone listens, so a
 * change made by any API process on the same database (an event, a crawl, a workflow) is told within
 * about a second; `poke()` tells this process's listeners at once. It says when, never what: the web app
 * reads again what its user may see.
 */
export const createIndexChanges = ({ db, logger, watchMs = WATCH_MS }: { db: Kysely<Database>; logger: Logger; watchMs?: number }) => {
  const listeners = new Set<Listener>();
  let last: string | null = null;
  let timer: NodeJS.Timeout | null = null;
  let reading: Promise<void> | null = null;

  const read = async (): Promise<string | null> => {
    const row = await db.selectFrom('secret_index_state').select('updated_at').where('id', '=', STATE_ID).executeTakeFirst();
    return row?.updated_at ?? null;
  };
  const check = () => {
    reading ??= read()
      .then((changedAt) => {
        if (changedAt && changedAt !== last) {
          last = changedAt;
          for (const listener of listeners) listener(changedAt);
        }
      })
      .catch((error: unknown) =>
        logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'index changes: reading the index state failed'),
      )
      .finally(() => {
        reading = null;
      });
    return reading;
  };

  return {
    /** The index's last change now (a plain GET of the route). */
    current: read,
    /** Listens until the returned function is called. */
    subscribe(listener: Listener): () => void {
      listeners.add(listener);
      if (!timer) {
        void read().then((at) => (last ??= at));
        timer = setInterval(() => void check(), watchMs);
        timer.unref();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer) {
          clearInterval(timer);
          timer = null;
        }
      };
    },
    /** This process changed the index (an applied event): look now rather than within the second. */
    poke: (): Promise<void> => check(),
    stop() {
      listeners.clear();
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
};
export type IndexChanges = ReturnType<typeof createIndexChanges>;
