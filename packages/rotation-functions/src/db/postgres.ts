// PostgreSQL (engine `postgres`, `aurora-postgresql`) through `pg`.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import pg from 'pg';
import { toRotationError, type Redactor } from '../errors.ts';
import type { DbSecret } from '../secret.ts';
import type { DbDriver, DbSession, LoginResult, PrivilegeAnswer } from './types.ts';

const SCRAM_ITERATIONS = 4096;

/**
 * The SCRAM-SHA-256 verifier PostgreSQL would store for `password` (RFC 5802 / RFC 7677).
 * Sending the verifier instead of the password keeps the clear text out of the server's
 * statement log (log_statement = ddl) while the user still logs in with the password.
 */
export function scramSha256Verifier(password: string, salt: Buffer = randomBytes(16), iterations = SCRAM_ITERATIONS): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** Printable ASCII is unchanged by SASLprep, so a client-side verifier matches what the server computes. */
function verifierSafe(password: string): boolean {
  return /^[\x20-\x7e]+$/.test(password);
}

class PostgresSession implements DbSession {
  readonly serverVersion: string;
  readonly #client: pg.Client;
  readonly #versionNum: number;
  readonly #redactor: Redactor;

  constructor(client: pg.Client, serverVersion: string, versionNum: number, redactor: Redactor) {
    this.#client = client;
    this.serverVersion = serverVersion;
    this.#versionNum = versionNum;
    this.#redactor = redactor;
  }

  /** The value for `PASSWORD '...'`: a SCRAM verifier on PostgreSQL 10+, else the password. */
  #passwordLiteral(password: string): string {
    const value = this.#versionNum >= 100000 && verifierSafe(password) ? scramSha256Verifier(password) : password;
    return this.#client.escapeLiteral(value);
  }

  async #run(sql: string, what: string, values?: unknown[]): Promise<pg.QueryResult> {
    try {
      return await this.#client.query(sql, values);
    } catch (error) {
      // The driver's error carries no SQL text, but redact anyway.
      throw toRotationError(error, what, this.#redactor);
    }
  }

  async ping(): Promise<void> {
    await this.#run('SELECT NOW()', 'SELECT NOW() failed');
  }

  async changeOwnPassword(username: string, newPassword: string): Promise<void> {
    const user = this.#client.escapeIdentifier(username);
    await this.#run(`ALTER USER ${user} WITH PASSWORD ${this.#passwordLiteral(newPassword)}`, `ALTER USER failed for "${username}"`);
  }

  async upsertAlternateUser(args: { username: string; password: string; templateUsername: string }): Promise<'created' | 'updated'> {
    const pending = this.#client.escapeIdentifier(args.username);
    const template = this.#client.escapeIdentifier(args.templateUsername);
    await this.#run('BEGIN', 'BEGIN failed');
    try {
      const existing = await this.#run('SELECT 1 FROM pg_roles WHERE rolname = $1', 'looking up the role failed', [args.username]);
      let outcome: 'created' | 'updated';
      if (existing.rowCount === 0) {
        await this.#run(`CREATE ROLE ${pending} WITH LOGIN PASSWORD ${this.#passwordLiteral(args.password)}`, `CREATE ROLE failed for "${args.username}"`);
        // The clone inherits everything the original user holds, as AWS's template does.
        await this.#run(`GRANT ${template} TO ${pending}`, `GRANT "${args.templateUsername}" TO "${args.username}" failed`);
        outcome = 'created';
      } else {
        await this.#run(`ALTER USER ${pending} WITH PASSWORD ${this.#passwordLiteral(args.password)}`, `ALTER USER failed for "${args.username}"`);
        outcome = 'updated';
      }
      await this.#run('COMMIT', 'COMMIT failed');
      return outcome;
    } catch (error) {
      await this.#client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async checkOwnPasswordChange(username: string): Promise<PrivilegeAnswer> {
    const { rows } = await this.#run(
      `SELECT pg_is_in_recovery() AS standby,
              current_setting('rds.restrict_password_commands', true) AS restricted,
              (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
              CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rds_password')
                   THEN pg_has_role(current_user, 'rds_password', 'MEMBER') ELSE false END AS password_role`,
      'reading the server state failed',
    );
    const row = rows[0] as { standby: boolean; restricted: string | null; superuser: boolean; password_role: boolean };
    const user = this.#client.escapeIdentifier(username);
    if (row.standby) return standbyAnswer(`change the password of ${user}`);
    if (ON.has((row.restricted ?? '').toLowerCase()) && !row.superuser && !row.password_role) {
      return {
        verdict: 'fail',
        message: `rds.restrict_password_commands is on and ${user} is not a member of rds_password, so PostgreSQL refuses its ALTER USER … WITH PASSWORD`,
        fix: `GRANT rds_password TO ${user};`,
      };
    }
    return { verdict: 'pass', message: `PostgreSQL lets ${user} change its own password (ALTER USER … WITH PASSWORD)` };
  }

  async checkUserManagement(usernames: readonly [current: string, alternate: string]): Promise<PrivilegeAnswer> {
    const q = (name: string) => this.#client.escapeIdentifier(name);
    const server = await this.#run(
      `SELECT pg_is_in_recovery() AS standby, m.rolname AS master, m.rolsuper AS superuser, m.rolcreaterole AS createrole
         FROM pg_roles m WHERE m.rolname = current_user`,
      'reading the master role failed',
    );
    const m = server.rows[0] as { standby: boolean; master: string; superuser: boolean; createrole: boolean };
    const roles = await this.#run(
      `SELECT rolname AS name, rolsuper AS superuser, pg_has_role(current_user, oid, 'MEMBER WITH ADMIN OPTION') AS admin
         FROM pg_roles WHERE rolname = ANY($1)`,
      'reading the rotated roles failed',
      [[...usernames]],
    );
    const existing = roles.rows as { name: string; superuser: boolean; admin: boolean }[];
    const [current, alternate] = usernames.map(q) as [string, string];
    const master = q(m.master);
    const work = existing.some((r) => r.name === usernames[1])
      ? `change the password of ${current} or ${alternate}`
      : `create ${alternate}, grant it ${current} and change either password`;
    if (m.standby) return standbyAnswer('create or change roles');
    if (!existing.some((r) => r.name === usernames[0])) {
      return { verdict: 'fail', message: `role ${current} named by the secret does not exist on this server` };
    }
    if (m.superuser) return { verdict: 'pass', message: `the master ${master} is a superuser: it can ${work}` };
    if (!m.createrole) {
      return {
        verdict: 'fail',
        message: `the master ${master} has neither SUPERUSER nor CREATEROLE, so it cannot ${work}`,
        fix: `ALTER ROLE ${master} CREATEROLE;`,
      };
    }
    const superusers = existing.filter((r) => r.superuser).map((r) => q(r.name));
    if (superusers.length) {
      return {
        verdict: 'fail',
        message: `${superusers.join(' and ')} ${superusers.length > 1 ? 'are superusers' : 'is a superuser'}: only a superuser may change its password, and the master ${master} is not one`,
      };
    }
    // PostgreSQL 16 limited CREATEROLE to the roles held WITH ADMIN OPTION (its creator gets it); before, CREATEROLE managed every non-superuser.
    if (this.#versionNum >= 160000) {
      const lacking = existing.filter((r) => !r.admin).map((r) => q(r.name));
      if (lacking.length) {
        return {
          verdict: 'fail',
          message: `on PostgreSQL 16 and later CREATEROLE manages only roles held WITH ADMIN OPTION, and the master ${master} holds none on ${lacking.join(' and ')}`,
          fix: lacking.map((r) => `GRANT ${r} TO ${master} WITH ADMIN OPTION, INHERIT FALSE, SET FALSE;`).join(' '),
        };
      }
    }
    return { verdict: 'pass', message: `the master ${master} has CREATEROLE: it can ${work}` };
  }

  async close(): Promise<void> {
    await this.#client.end().catch(() => undefined);
  }
}

const ON = new Set(['on', 'true', '1', 'yes']);

const standbyAnswer = (what: string): PrivilegeAnswer => ({
  verdict: 'fail',
  message: `the server is a read-only standby (pg_is_in_recovery()), where no one can ${what}`,
  fix: "Point the secret's host at the primary (writer) endpoint.",
});

async function connect(secret: DbSecret, tls: boolean, timeoutSeconds: number, redactor: Redactor): Promise<LoginResult> {
  const client = new pg.Client({
    host: secret.host,
    port: secret.port,
    user: secret.username,
    password: secret.password,
    ...(secret.dbname !== undefined ? { database: secret.dbname } : {}),
    // TLS with certificate and host name verification (libpq's verify-full); pg sets the SNI name.
    ssl: tls ? { rejectUnauthorized: true } : false,
    connectionTimeoutMillis: timeoutSeconds * 1000,
    application_name: 'secrets-manager-rotation',
  });
  // A dropped connection must not crash the process with an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const version = await client.query<{ server_version: string; server_version_num: string }>(
      "SELECT current_setting('server_version') AS server_version, current_setting('server_version_num') AS server_version_num",
    );
    const row = version.rows[0];
    return {
      ok: true,
      tls,
      session: new PostgresSession(client, row?.server_version ?? 'unknown', Number(row?.server_version_num ?? 0), redactor),
    };
  } catch (error) {
    await client.end().catch(() => undefined);
    const where = `${secret.host}:${secret.port}${secret.dbname ? `/${secret.dbname}` : ''}`;
    return {
      ok: false,
      failure: toRotationError(error, `could not log in to PostgreSQL at ${where} as "${secret.username}"${tls ? ' over TLS' : ''}`, redactor),
    };
  }
}

export const postgresDriver: DbDriver = {
  family: 'postgres',
  async login(secret, { connectTimeoutSeconds, redactor }) {
    redactor.add(secret.password);
    const first = await connect(secret, secret.ssl.use, connectTimeoutSeconds, redactor);
    if (first.ok || !secret.ssl.use || !secret.ssl.fallBack) return first;
    return connect(secret, false, connectTimeoutSeconds, redactor);
  },
};
