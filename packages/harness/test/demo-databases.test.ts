import { ensureDemoDatabaseUsers, mariadbLoginError } from '../demo-databases.ts';
import { DEMO_SECRETS, demoDbUsername, demoPassword } from '../seed.ts';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

// The local default's demo users on the machine's own MariaDB and PostgreSQL. The endpoint's
// port names the users; this one is no local default's, so the test never touches a running one's.
const endpoint = 'http://127.0.0.1:59999';
const local = DEMO_SECRETS.filter((s) => s.localUser);
const mariadbSecrets = local.filter((s) => s.engine !== 'postgres');
const allNames = local.map((s) => s.name);
const userOf = (name: string) => demoDbUsername(DEMO_SECRETS.find((s) => s.name === name)!.localUser!, endpoint);

const asRoot = async <T>(fn: (c: mysql.Connection) => Promise<T>) => {
  const conn = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
};

afterAll(async () => {
  await asRoot(async (c) => {
    for (const s of mariadbSecrets) for (const u of [userOf(s.name), `${userOf(s.name)}_clone`]) await c.query("DROP USER IF EXISTS ?@'%'", [u]);
  });
  const client = new pg.Client({ host: '127.0.0.1', port: 5432, user: process.env.PGUSER ?? 'postgres', database: 'test' });
  await client.connect();
  for (const s of local.filter((l) => l.engine === 'postgres')) await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(userOf(s.name))}`);
  await client.end();
});

describe('The demo users on the local databases', () => {
  it('When the local default starts with fresh secrets, then each demo secret\u2019s user logs in with the seeded password', async () => {
    // Act
    const result = await ensureDemoDatabaseUsers(endpoint, allNames);

    // Assert
    expect(result).toEqual({ ready: expect.arrayContaining(allNames), problems: [] });
    for (const s of mariadbSecrets) expect(await mariadbLoginError({ username: userOf(s.name), password: demoPassword(s.name) })).toBeUndefined();
  });

  it('When it starts again on secrets that already rotated, then the rotated password stays; with fresh secrets the seed\u2019s password and no clone come back', async () => {
    // Arrange: a rotation changed the app user's password and made its clone.
    const app = local.find((s) => s.master)!;
    const user = userOf(app.name);
    await ensureDemoDatabaseUsers(endpoint, allNames);
    await asRoot(async (c) => {
      await c.query("ALTER USER ?@'%' IDENTIFIED BY 'rotated-Pw1'", [user]);
      await c.query("CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED BY 'clone-Pw1'", [`${user}_clone`]);
    });

    // Act: the same endpoint, its secrets already there (nothing created by the seed).
    await ensureDemoDatabaseUsers(endpoint, []);
    const kept = await mariadbLoginError({ username: user, password: 'rotated-Pw1' });
    // Act: a fresh moto, so the seed wrote the secrets again.
    await ensureDemoDatabaseUsers(endpoint, allNames);

    // Assert
    expect(kept).toBeUndefined();
    expect(await mariadbLoginError({ username: user, password: 'rotated-Pw1' })).toBe('ER_ACCESS_DENIED_ERROR');
    expect(await mariadbLoginError({ username: user, password: demoPassword(app.name) })).toBeUndefined();
    const clones = await asRoot(async (c) => (await c.query<mysql.RowDataPacket[]>('SELECT 1 FROM mysql.user WHERE User = ?', [`${user}_clone`]))[0]);
    expect(clones).toHaveLength(0);
  });

  it('When MariaDB does not answer, then one line names the demo secrets that cannot rotate and why, and PostgreSQL\u2019s are still ready', async () => {
    // Act: nothing listens on port 1.
    const result = await ensureDemoDatabaseUsers(endpoint, [], { mariadb: { host: '127.0.0.1', port: 1 } });

    // Assert
    expect(result.problems).toEqual([
      `Demo: ${mariadbSecrets.map((s) => s.name).join(', ')} cannot rotate successfully: MariaDB on 127.0.0.1:1 could not be used (ECONNREFUSED), so their database users do not exist.`,
    ]);
    expect(result.ready).toEqual(local.filter((s) => s.engine === 'postgres').map((s) => s.name));
  });
});
