import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';

/**
 * Real logins on the local MariaDB (127.0.0.1:3306, root without a password), as
 * postgres-logins.ts makes them on PostgreSQL. Names are random (and short enough for a
 * `_clone`) so runs never collide.
 */
const connect = () => mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', connectTimeout: 3000 });

/** With `master`, the login may create users and grant (CREATE USER and every privilege WITH GRANT OPTION), as multi-user rotation needs of its master. */
export const createMariadbLogin = async ({ master = false }: { master?: boolean } = {}) => {
  const username = `rc${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const conn = await connect();
  try {
    await conn.query("CREATE USER ?@'%' IDENTIFIED BY ?", [username, password]);
    if (master) await conn.query("GRANT ALL PRIVILEGES ON *.* TO ?@'%' WITH GRANT OPTION", [username]);
  } finally {
    await conn.end();
  }
  return {
    username,
    password,
    secretString: (extra: Record<string, unknown> = {}) => JSON.stringify({ engine: 'mariadb', host: '127.0.0.1', port: 3306, username, password, ...extra }),
  };
};

/** Drops the logins and the clones multi-user rotation made for them. */
export const dropMariadbLogins = async (usernames: readonly string[]) => {
  if (!usernames.length) return;
  const conn = await connect();
  try {
    for (const u of usernames) await conn.query("DROP USER IF EXISTS ?@'%', ?@'%'", [u, `${u}_clone`]);
  } finally {
    await conn.end();
  }
};

/** Whether a MariaDB user exists (at any host). */
export const mariadbUserExists = async (username: string) => {
  const conn = await connect();
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT 1 FROM mysql.user WHERE User = ?', [username]);
    return rows.length > 0;
  } finally {
    await conn.end();
  }
};
