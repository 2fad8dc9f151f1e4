import mysql from 'mysql2/promise';
import pg from 'pg';
import { DEMO_SECRETS, LOCAL_DEMO_DBNAME, demoDbUsername, demoPassword, type DemoSecret } from './seed.ts';

/**
 * The users of the demo secrets that name the machine's own databases (seed.ts, `localUser`):
 * MariaDB on 127.0.0.1:3306 (root, no password) and PostgreSQL on 127.0.0.1:5432 (PGUSER,
 * database `test`). Created by the local default (scripts/start.ts) so those secrets rotate for
 * real. Idempotent: a user whose secret the seed has just written (a fresh moto) gets the seed's
 * password again, so secret and database agree; a user whose secret already existed keeps the
 * password its rotations gave it. Never called by the API tests, which seed moto servers of their
 * own and must not reset the users a running local default is rotating.
 */

type LocalEngine = 'mariadb' | 'postgres';

interface LocalLogin {
  secret: DemoSecret;
  username: string;
  password: string;
  /** Whether the seed wrote the secret in this start (its value is the seed's). */
  fresh: boolean;
}

const CONNECT_TIMEOUT_MS = 3000;

export interface DbAddress {
  host: string;
  port: number;
}
/** Where the demo's local databases answer: the secrets name these (seed.ts). */
const LOCAL_ADDRESS: Record<LocalEngine, DbAddress> = { mariadb: { host: '127.0.0.1', port: 3306 }, postgres: { host: '127.0.0.1', port: 5432 } };
const engineLabel: Record<LocalEngine, string> = { mariadb: 'MariaDB', postgres: 'PostgreSQL' };

const localEngine = (s: DemoSecret): LocalEngine => (s.engine === 'postgres' ? 'postgres' : 'mariadb');

/** Whether a demo secret is the master of another (its user may create and grant users). */
const isMaster = (s: DemoSecret) => DEMO_SECRETS.some((other) => other.master === s.name);

async function ensureMariadbUsers(logins: LocalLogin[], at: DbAddress) {
  const conn = await mysql.createConnection({ ...at, user: 'root', connectTimeout: CONNECT_TIMEOUT_MS });
  try {
    const db = LOCAL_DEMO_DBNAME.mariadb;
    await conn.query(`CREATE DATABASE IF NOT EXISTS ${conn.escapeId(db)}`);
    for (const login of logins) {
      const [rows] = await conn.query<mysql.RowDataPacket[]>("SELECT 1 FROM mysql.user WHERE User = ? AND Host = '%'", [login.username]);
      if (rows.length === 0) await conn.query("CREATE USER ?@'%' IDENTIFIED BY ?", [login.username, login.password]);
      else if (login.fresh) {
        await conn.query("ALTER USER ?@'%' IDENTIFIED BY ?", [login.username, login.password]);
        // The alternating-users clone of an earlier start belongs to a secret that no longer exists.
        await conn.query("DROP USER IF EXISTS ?@'%'", [`${login.username}_clone`]);
      }
      if (isMaster(login.secret)) {
        // What multi-user rotation needs from the master: create the clone, read and copy the
        // app user's grants (held with GRANT OPTION; the global one for its GRANT USAGE ON *.*)
        // and set the clone's password. Nothing else.
        await conn.query("GRANT CREATE USER ON *.* TO ?@'%' WITH GRANT OPTION", [login.username]);
        await conn.query("GRANT SELECT, UPDATE ON mysql.* TO ?@'%'", [login.username]);
        await conn.query(`GRANT SELECT ON ${conn.escapeId(db)}.* TO ?@'%' WITH GRANT OPTION`, [login.username]);
      } else {
        await conn.query(`GRANT SELECT ON ${conn.escapeId(db)}.* TO ?@'%'`, [login.username]);
      }
    }
  } finally {
    await conn.end();
  }
}

async function ensurePostgresLogins(logins: LocalLogin[], at: DbAddress) {
  const client = new pg.Client({
    ...at,
    user: process.env.PGUSER ?? 'postgres',
    database: LOCAL_DEMO_DBNAME.postgres,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  await client.connect();
  try {
    for (const login of logins) {
      const role = client.escapeIdentifier(login.username);
      const exists = (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [login.username])).rowCount! > 0;
      // Role statements take no parameters: the password goes in as an escaped literal.
      if (!exists) await client.query(`CREATE ROLE ${role} LOGIN PASSWORD ${client.escapeLiteral(login.password)}`);
      else if (login.fresh) await client.query(`ALTER ROLE ${role} PASSWORD ${client.escapeLiteral(login.password)}`);
    }
  } finally {
    await client.end();
  }
}

const ENSURE: Record<LocalEngine, (logins: LocalLogin[], at: DbAddress) => Promise<void>> = { mariadb: ensureMariadbUsers, postgres: ensurePostgresLogins };

/** Why a connection failed, in a few words (a driver's code or message; never a password, which no connection here has). */
const reason = (error: unknown) => {
  const e = error as { code?: unknown; message?: unknown };
  return typeof e.code === 'string' ? e.code : String(e.message ?? error);
};

export interface DemoDatabasesResult {
  /** The demo secrets whose users exist: their rotations can succeed. */
  ready: string[];
  /** One line per local database that could not be used: which demo rotations cannot succeed and why. */
  problems: string[];
}

/**
 * Creates (or finds) the local users of the demo secrets. `endpoint` is the AWS endpoint the
 * seed wrote the secrets to (it names the users); `created` the secrets it wrote in this start.
 * `at` moves a database elsewhere, for the tests of a database that does not answer.
 */
export async function ensureDemoDatabaseUsers(
  endpoint: string | undefined,
  created: readonly string[],
  at: Partial<Record<LocalEngine, DbAddress>> = {},
): Promise<DemoDatabasesResult> {
  const byEngine = new Map<LocalEngine, LocalLogin[]>();
  for (const s of DEMO_SECRETS) {
    if (!s.localUser) continue;
    const logins = byEngine.get(localEngine(s)) ?? [];
    logins.push({ secret: s, username: demoDbUsername(s.localUser, endpoint), password: demoPassword(s.name), fresh: created.includes(s.name) });
    byEngine.set(localEngine(s), logins);
  }
  const result: DemoDatabasesResult = { ready: [], problems: [] };
  for (const [engine, logins] of byEngine) {
    const names = logins.map((l) => l.secret.name);
    const where = at[engine] ?? LOCAL_ADDRESS[engine];
    try {
      await ENSURE[engine](logins, where);
      result.ready.push(...names);
    } catch (error) {
      result.problems.push(
        `Demo: ${names.join(', ')} cannot rotate successfully: ${engineLabel[engine]} on ${where.host}:${where.port} could not be used (${reason(error)}), so their database users do not exist.`,
      );
    }
  }
  return result;
}

/**
 * undefined when MariaDB accepts the login into the demo's database, else the driver's error
 * code (never the password): how the specs and tests see a password taken or refused.
 */
export async function mariadbLoginError(login: { host?: string; port?: number; username: string; password: string }): Promise<string | undefined> {
  try {
    const conn = await mysql.createConnection({
      host: login.host ?? LOCAL_ADDRESS.mariadb.host,
      port: login.port ?? LOCAL_ADDRESS.mariadb.port,
      user: login.username,
      password: login.password,
      database: LOCAL_DEMO_DBNAME.mariadb,
      connectTimeout: CONNECT_TIMEOUT_MS,
    });
    await conn.end();
    return undefined;
  } catch (error) {
    return reason(error);
  }
}
