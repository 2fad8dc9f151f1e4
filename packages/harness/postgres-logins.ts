import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Real logins on the local PostgreSQL (127.0.0.1:5432, database test) for secrets whose
 * rotation really runs. Names are random so runs never collide.
 */
const connect = async () => {
  const client = new pg.Client({ host: '127.0.0.1', port: 5432, user: process.env.PGUSER ?? 'postgres', database: process.env.PGDATABASE ?? 'test' });
  await client.connect();
  return client;
};

/** With `master`, the login may create and change other logins (CREATEROLE), as alternating-users rotation needs of its master secret's user. */
export const createPostgresLogin = async ({ master = false }: { master?: boolean } = {}) => {
  const username = `rc_${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const client = await connect();
  await client.query(`CREATE ROLE ${username} LOGIN ${master ? 'CREATEROLE ' : ''}PASSWORD '${password}'`);
  await client.end();
  return {
    username,
    password,
    secretString: (extra: Record<string, unknown> = {}) =>
      JSON.stringify({ engine: 'postgres', host: '127.0.0.1', port: 5432, username, password, dbname: 'test', ...extra }),
  };
};

/** Drops the logins and the clones alternating-users rotation made for them. */
export const dropPostgresLogins = async (usernames: readonly string[]) => {
  if (!usernames.length) return;
  const client = await connect();
  for (const u of usernames) await client.query(`DROP ROLE IF EXISTS ${u}, ${u}_clone`);
  await client.end();
};

/** Whether a role exists on the local PostgreSQL. */
export const postgresRoleExists = async (username: string) => {
  const client = await connect();
  try {
    return (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [username])).rowCount === 1;
  } finally {
    await client.end();
  }
};
