import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { openSqlite } from './sqlite.ts';

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

/** One Kysely query layer over SQLite (the local default) or PostgreSQL (when a URL is given). */
export const createDatabase = (options: DatabaseOptions = {}): DatabaseHandle => {
  const db = options.url
    ? new Kysely<Database>({ dialect: postgresDialect(options.url, options.poolSize) })
    : new Kysely<Database>({ dialect: sqliteDialect(options.sqlitePath) });
  return { db, dialect: options.url ? 'postgres' : 'sqlite', destroy: () => db.destroy() };
};

const postgresDialect = (url: string, poolSize = 10) => {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client that loses its connection emits 'error' on the pool; without a listener
  // that would crash the process. The next query gets a fresh client.
  pool.on('error', () => undefined);
  return new PostgresDialect({ pool });
};

const sqliteDialect = (sqlitePath = DEFAULT_SQLITE_PATH) => new SqliteDialect({ database: openSqlite(sqlitePath) });
