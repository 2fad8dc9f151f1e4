import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** Several API processes may share one SQLite file: a writer waits this long for another's lock instead of failing. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * better-sqlite3 12 wraps its Database and Statement objects in Node's raw `node::ObjectWrap`.
 * Since Node 24.19 that wrapper's destructor asserts a current Environment, which a garbage
 * collection run outside JavaScript (an idle GC) does not have: collecting one such object
 * aborts the whole process (SIGABRT, "Assertion failed: (env) != nullptr" in
 * RemoveEnvironmentCleanupHook). better-sqlite3 13 (Node-API) is free of it.
 *
 * Until then, none of them is ever left for the collector: statements are prepared once per
 * SQL text and kept, and every database and its statements stay referenced here for the life
 * of the process (Node deletes them through its cleanup hooks at exit, with an Environment).
 * The set of SQL texts is bounded by the queries the code builds, so this does not grow.
 */
const keptForProcessLifetime = new Set<unknown>();

/** Opens (creating its folder) a SQLite file for Kysely's SqliteDialect, in WAL mode with a busy timeout. */
export const openSqlite = (sqlitePath: string): SqliteDatabase => {
  const file = sqlitePath === ':memory:' ? sqlitePath : path.resolve(sqlitePath);
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const database = new BetterSqlite(file, { timeout: BUSY_TIMEOUT_MS });
  const statements = new Map<string, BetterSqlite.Statement>();
  keptForProcessLifetime.add(database);
  keptForProcessLifetime.add(statements);

  // exec() runs SQL without making a Statement object (pragma() would make one per call).
  enableWal(database);
  // NORMAL sync is safe with WAL: a crash loses no committed transaction, power loss only the last ones.
  database.exec('PRAGMA synchronous = NORMAL');
  database.exec('PRAGMA foreign_keys = ON');

  return {
    close: () => database.close(),
    prepare: (sql) => {
      let statement = statements.get(sql);
      if (!statement) {
        statement = database.prepare(sql);
        statements.set(sql, statement);
      }
      // Reusing one is safe: better-sqlite3 runs all() and run() to the end synchronously.
      return statement;
    },
  };
};

/**
 * WAL lets readers (the dashboard) go on while the runner writes. Switching to it needs the
 * file to itself, and SQLite answers BUSY at once (no busy timeout) while another process
 * opens the same file, so try again for a while. Once set, WAL stays with the file.
 */
const enableWal = (database: BetterSqlite.Database) => {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      database.exec('PRAGMA journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      // Opening the database is synchronous anyway; a short blocking wait keeps it so.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
};
