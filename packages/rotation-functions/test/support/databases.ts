// Real databases for the integration tests: the private PostgreSQL cluster started by
// global-setup (password authentication on) and the shared MariaDB. Every user a test
// creates is registered and dropped by cleanup().
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { inject } from 'vitest';

export interface EngineHarness {
  /** Human name for test titles. */
  readonly label: 'PostgreSQL' | 'MariaDB';
  /** `engine` written into secrets. */
  readonly engine: 'postgres' | 'mariadb';
  readonly host: string;
  readonly port: number;
  /** A fresh user name, short enough for MySQL's 16 characters with `_clone`. */
  newUsername(): string;
  newPassword(): string;
  /** Creates a login user; `master` makes it able to create users and grant. */
  createUser(username: string, password: string, options?: { master?: boolean }): Promise<void>;
  /** Creates a table the user may read, to check privileges are carried to the clone. */
  grantProbe(username: string): Promise<void>;
  /** Whether `username` can log in with `password` and read its probe table. */
  canReadProbe(username: string, password: string, probeOwner: string): Promise<boolean>;
  /** undefined when the login works, else the driver's error code. */
  loginError(username: string, password: string): Promise<string | undefined>;
  canLogin(username: string, password: string): Promise<boolean>;
  userExists(username: string): Promise<boolean>;
  /** A SecretString object for the user on this server. */
  secretFor(username: string, password: string, extra?: Record<string, unknown>): Record<string, unknown>;
  /** Drops every user (and its `_clone`) and probe table created through this harness. */
  cleanup(): Promise<void>;
}

const randomSuffix = () => randomBytes(3).toString('hex');
const randomPassword = () => `Pw-${randomBytes(12).toString('base64url')}`;

function errorCode(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  return typeof e.code === 'string' ? e.code : String(e.message ?? error);
}

export function postgresHarness(): EngineHarness {
  const target = inject('pg');
  const users = new Set<string>();
  const tables = new Set<string>();
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({
      host: target.host,
      port: target.port,
      user: target.adminUser,
      password: target.adminPassword,
      database: target.database,
    });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  const connectAs = async (username: string, password: string) => {
    const client = new pg.Client({ host: target.host, port: target.port, user: username, password, database: target.database, ssl: false });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  };
  return {
    label: 'PostgreSQL',
    engine: 'postgres',
    host: target.host,
    port: target.port,
    newUsername: () => `rc${randomSuffix()}`,
    newPassword: randomPassword,
    async createUser(username, password, options = {}) {
      users.add(username);
      await admin((c) =>
        c.query(`CREATE ROLE ${c.escapeIdentifier(username)} WITH LOGIN ${options.master ? 'CREATEROLE' : ''} PASSWORD ${c.escapeLiteral(password)}`),
      );
    },
    async grantProbe(username) {
      const table = `probe_${username}`;
      tables.add(table);
      await admin(async (c) => {
        await c.query(`CREATE TABLE ${c.escapeIdentifier(table)} (id int)`);
        await c.query(`INSERT INTO ${c.escapeIdentifier(table)} VALUES (1)`);
        await c.query(`GRANT SELECT ON ${c.escapeIdentifier(table)} TO ${c.escapeIdentifier(username)}`);
      });
    },
    async canReadProbe(username, password, probeOwner) {
      try {
        const c = await connectAs(username, password);
        try {
          const r = await c.query(`SELECT id FROM ${c.escapeIdentifier(`probe_${probeOwner}`)}`);
          return r.rowCount === 1;
        } finally {
          await c.end();
        }
      } catch {
        return false;
      }
    },
    async loginError(username, password) {
      try {
        const c = await connectAs(username, password);
        await c.end();
        return undefined;
      } catch (error) {
        return errorCode(error);
      }
    },
    async canLogin(username, password) {
      return (await this.loginError(username, password)) === undefined;
    },
    async userExists(username) {
      return admin(async (c) => (await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [username])).rowCount === 1);
    },
    secretFor(username, password, extra = {}) {
      return { engine: 'postgres', host: target.host, port: target.port, username, password, dbname: target.database, ...extra };
    },
    async cleanup() {
      await admin(async (c) => {
        for (const table of tables) await c.query(`DROP TABLE IF EXISTS ${c.escapeIdentifier(table)}`);
        for (const user of users) {
          await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(`${user}_clone`)}`);
          await c.query(`DROP ROLE IF EXISTS ${c.escapeIdentifier(user)}`);
        }
      });
      users.clear();
      tables.clear();
    },
  };
}

export function mariadbHarness(): EngineHarness {
  const target = inject('mysql');
  const users = new Set<string>();
  const tables = new Set<string>();
  const admin = async <T>(fn: (c: mysql.Connection) => Promise<T>): Promise<T> => {
    const conn = await mysql.createConnection({
      host: target.host,
      port: target.port,
      user: target.adminUser,
      password: target.adminPassword,
      database: target.database,
    });
    try {
      return await fn(conn);
    } finally {
      await conn.end();
    }
  };
  // No default database: a fresh user has no privilege on any (like on RDS), and the
  // secrets below carry no dbname, which is what AWS's MySQL templates default to.
  const connectAs = (username: string, password: string) => mysql.createConnection({ host: target.host, port: target.port, user: username, password });
  return {
    label: 'MariaDB',
    engine: 'mariadb',
    host: target.host,
    port: target.port,
    newUsername: () => `rc${randomSuffix()}`,
    newPassword: randomPassword,
    async createUser(username, password, options = {}) {
      users.add(username);
      await admin(async (c) => {
        await c.query("CREATE USER ?@'%' IDENTIFIED BY ?", [username, password]);
        if (options.master) await c.query("GRANT ALL PRIVILEGES ON *.* TO ?@'%' WITH GRANT OPTION", [username]);
      });
    },
    async grantProbe(username) {
      const table = `probe_${username}`;
      tables.add(table);
      await admin(async (c) => {
        await c.query(`CREATE TABLE ${c.escapeId(table)} (id int)`);
        await c.query(`INSERT INTO ${c.escapeId(table)} VALUES (1)`);
        await c.query(`GRANT SELECT ON ${c.escapeId(target.database)}.${c.escapeId(table)} TO ?@'%'`, [username]);
      });
    },
    async canReadProbe(username, password, probeOwner) {
      try {
        const c = await connectAs(username, password);
        try {
          const [rows] = await c.query<mysql.RowDataPacket[]>(`SELECT id FROM ${c.escapeId(target.database)}.${c.escapeId(`probe_${probeOwner}`)}`);
          return rows.length === 1;
        } finally {
          await c.end();
        }
      } catch {
        return false;
      }
    },
    async loginError(username, password) {
      try {
        const c = await connectAs(username, password);
        await c.end();
        return undefined;
      } catch (error) {
        return errorCode(error);
      }
    },
    async canLogin(username, password) {
      return (await this.loginError(username, password)) === undefined;
    },
    async userExists(username) {
      return admin(async (c) => {
        const [rows] = await c.query<mysql.RowDataPacket[]>('SELECT 1 FROM mysql.user WHERE User = ?', [username]);
        return rows.length > 0;
      });
    },
    secretFor(username, password, extra = {}) {
      return { engine: 'mariadb', host: target.host, port: target.port, username, password, ...extra };
    },
    async cleanup() {
      await admin(async (c) => {
        for (const user of users) {
          await c.query("DROP USER IF EXISTS ?@'%'", [`${user}_clone`]);
          await c.query("DROP USER IF EXISTS ?@'%'", [user]);
        }
        for (const table of tables) await c.query(`DROP TABLE IF EXISTS ${c.escapeId(table)}`);
      });
      users.clear();
      tables.clear();
    },
  };
}

export const HARNESSES = { postgres: postgresHarness, mariadb: mariadbHarness } as const;
