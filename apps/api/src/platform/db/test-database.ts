import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDatabase, type DatabaseHandle, type DatabaseOptions, type DialectName } from './database.ts';

/**
 * Throwaway databases for tests, so that suites can run against both dialects without
 * colliding: a fresh SQLite file in a temp folder, or a fresh PostgreSQL database
 * `rc_test_<random>` on the server of TEST_DATABASE_URL (default: trust auth on 127.0.0.1).
 */
export const TEST_DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  dialect: DialectName;
  /** What createDatabase() needs to reach it, e.g. from a child process. */
  options: DatabaseOptions;
  /** A new connection (pool) to the same database: open two to play two API processes. */
  open(): DatabaseHandle;
  /** Drops the database or deletes the file; call after closing every handle. */
  drop(): Promise<void>;
}

export const createTestDatabase = async (dialect: DialectName, adminUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_ADMIN_URL): Promise<TestDatabase> => {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'rc-test-'));
    const sqlitePath = path.join(dir, 'console.sqlite');
    return {
      dialect,
      options: { sqlitePath },
      open: () => createDatabase({ sqlitePath }),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `rc_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    dialect,
    options: { url: url.toString() },
    open: () => createDatabase({ url: url.toString() }),
    // FORCE ends connections a failed test may have left open.
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
};

const adminQuery = async (url: string, statement: string) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
};
