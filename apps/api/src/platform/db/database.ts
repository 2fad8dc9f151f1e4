import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseOptions {
  /** A `postgres://` URL: PostgreSQL through a pool. Unset: SQLite. */
  url?: string | undefined;
  /** SQLite file; default `.data/console.sqlite` under the working directory. */
  sqlitePath?: string | undefined;
  /** Largest PostgreSQL pool; default 10. */
  poolSize?: number | undefined;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Closes the pool or the SQLite file. */
  destroy(): Promise<void>;
}

export const DEFAULT_SQLITE_PATH = '.data/console.sqlite';

/** Several API processes may share one SQLite file: a writer waits this long for another's lock instead of failing. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** One Kysely query layer over SQLite (the local default) or PostgreSQL (when a URL is given). */
export const createDatabase = (options: DatabaseOptions = {}): DatabaseHandle => {
  const db = options.url ? new Kysely<Database>({ dialect: postgresDialect(options.url, options.poolSize) }) : new Kysely<Database>({ dialect: sqliteDialect(options.sqlitePath) });
  return { db, dialect: options.url ? 'postgres' : 'sqlite', destroy: () => db.destroy() };
};

const postgresDialect = (url: string, poolSize = 10) => {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client that loses its connection emits 'error' on the pool; without a listener
  // that would crash the process. The next query gets a fresh client.
  pool.on('error', () => undefined);
  return new PostgresDialect({ pool });
};

const sqliteDialect = (sqlitePath = DEFAULT_SQLITE_PATH) => {
  const file = sqlitePath === ':memory:' ? sqlitePath : path.resolve(sqlitePath);
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const database = new SqliteDatabase(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  enableWal(database);
  // NORMAL sync is safe with WAL: a crash loses no committed transaction, only the last ones on power loss.
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  return new SqliteDialect({ database });
};

/**
 * WAL lets readers (the dashboard) go on while the runner writes. Switching to it needs the
 * file to itself, and SQLite answers BUSY at once (no busy timeout) while another process
 * opens the same file, so try again for a while. Once set, WAL stays with the file.
 */
const enableWal = (database: SqliteDatabase.Database) => {
  const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      database.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      // Opening the database is synchronous anyway; a short blocking wait keeps it so.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
};
