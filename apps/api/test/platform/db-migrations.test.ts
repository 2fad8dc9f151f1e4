import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle, type DatabaseOptions } from '../../src/platform/db/database.ts';
import { MIGRATION_NAMES, migrateToLatest } from '../../src/platform/db/migrations.ts';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../src/platform/db/test-database.ts';

describe.each(TEST_DIALECTS)('Database migrations on %s', (dialect) => {
  let testDb: TestDatabase;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    handle = testDb.open();
  });
  afterAll(async () => {
    await handle?.destroy();
    await testDb?.drop();
  });

  it('When migrations run twice, then the second run changes nothing and the tables work', async () => {
    // Arrange
    const first = await migrateToLatest(handle.db);

    // Act
    const second = await migrateToLatest(handle.db);

    // Assert
    expect(first).toEqual(MIGRATION_NAMES);
    expect(second).toEqual([]);
    expect(handle.dialect).toBe(dialect);
    const tables = await handle.db.introspection.getTables();
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['workflows', 'workflow_steps', 'audit_log']));
  });

  it('When two processes migrate one database at once, then both succeed and each migration runs once', async () => {
    // Arrange
    const fresh = await createTestDatabase(dialect);

    try {
      // Act
      const [ranA, ranB] = await Promise.all([migrateInChildProcess(fresh.options), migrateInChildProcess(fresh.options)]);

      // Assert
      expect([...ranA, ...ranB].sort()).toEqual(MIGRATION_NAMES);
    } finally {
      await fresh.drop();
    }
  });

  it('When workflows have no idempotency key, then many may be stored, but a key is stored once', async () => {
    // Arrange
    const row = (id: string, key: string | null) => ({
      id,
      kind: 'test',
      status: 'pending' as const,
      subject: 's',
      input: '{}',
      plan: '{}',
      created_by: '{}',
      idempotency_key: key,
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
      started_at: null,
      finished_at: null,
      error: null,
      lease_owner: null,
      lease_expires_at: null,
    });

    // Act
    await handle.db
      .insertInto('workflows')
      .values([row('n1', null), row('n2', null), row('k1', 'key')])
      .execute();
    const duplicate = handle.db.insertInto('workflows').values(row('k2', 'key')).execute();

    // Assert
    await expect(duplicate).rejects.toThrow();
    const count = await handle.db
      .selectFrom('workflows')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(3);
  });
});

describe('SQLite file', () => {
  it('When the database file sits in a folder that does not exist, then the folder is made and the file uses WAL and a busy timeout', async () => {
    // Arrange
    const dir = mkdtempSync(path.join(tmpdir(), 'rc-sqlite-'));
    const handle = createDatabase({ sqlitePath: path.join(dir, 'nested', '.data', 'console.sqlite') });

    try {
      // Act
      await migrateToLatest(handle.db);
      const journal = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(handle.db);
      const timeout = await sql<{ timeout: number }>`PRAGMA busy_timeout`.execute(handle.db);

      // Assert
      expect(handle.dialect).toBe('sqlite');
      expect(existsSync(path.join(dir, 'nested', '.data', 'console.sqlite'))).toBe(true);
      expect(journal.rows[0]?.journal_mode).toBe('wal');
      expect(timeout.rows[0]?.timeout).toBeGreaterThan(0);
    } finally {
      await handle.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Another API process booting: it opens the database, migrates it and prints what it ran. */
const migrateInChildProcess = async (options: DatabaseOptions): Promise<string[]> => {
  const script = `
    const { createDatabase } = await import(${JSON.stringify(new URL('../../src/platform/db/database.ts', import.meta.url).href)});
    const { migrateToLatest } = await import(${JSON.stringify(new URL('../../src/platform/db/migrations.ts', import.meta.url).href)});
    const handle = createDatabase(${JSON.stringify(options)});
    try { console.log(JSON.stringify(await migrateToLatest(handle.db))); } finally { await handle.destroy(); }
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
  return JSON.parse(stdout) as string[];
};
