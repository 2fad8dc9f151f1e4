// MySQL and MariaDB (engine `mysql`, `mariadb`, `aurora-mysql`) through `mysql2`.
// Values go through mysql2's escaping (placeholders or connection.escape) with
// NO_BACKSLASH_ESCAPES switched off for the session, so the escaping is always right.
import mysql from 'mysql2/promise';
import { RotationError, classifyError, toRotationError, type Redactor } from '../errors.ts';
import type { DbSecret } from '../secret.ts';
import type { DbDriver, DbSession, LoginResult, PrivilegeAnswer } from './types.ts';

export interface MysqlFlavour {
  mariadb: boolean;
  major: number;
  minor: number;
}

export function mysqlFlavour(version: string): MysqlFlavour {
  const [major = 0, minor = 0] = version.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  return { mariadb: /mariadb/i.test(version), major, minor };
}

/** MySQL 8+ takes the password as is; MariaDB and MySQL 5.x use PASSWORD(). */
function passwordExpression(flavour: MysqlFlavour): string {
  return !flavour.mariadb && flavour.major >= 8 ? '?' : 'PASSWORD(?)';
}

/**
 * Rewrites one line of `SHOW GRANTS FOR <from>` so it grants the same thing to `toAccount`
 * (an already-escaped `'user'@'host'`). The privilege part is the server's own SQL, copied
 * verbatim; the grantee is located by its quoted name so identifiers containing " TO " are
 * safe. Anything after the grantee other than WITH GRANT/ADMIN OPTION (MariaDB's
 * "IDENTIFIED BY PASSWORD", REQUIRE, resource limits) is dropped. Returns undefined when
 * the line does not name `fromUser` as grantee.
 */
export function retargetGrant(grant: string, fromUser: string, toAccount: string): string | undefined {
  let at = -1;
  for (const quote of ['`', "'", '"']) {
    const quoted = quote === '`' ? fromUser.replaceAll('`', '``') : fromUser.replaceAll(quote, `\\${quote}`);
    const needle = ` TO ${quote}${quoted}${quote}@`;
    at = Math.max(at, grant.lastIndexOf(needle));
  }
  if (at < 0 || !/^GRANT\s/i.test(grant)) return undefined;
  const rest = grant.slice(at);
  const options = [/\bWITH GRANT OPTION\b/i.test(rest) ? 'WITH GRANT OPTION' : '', /\bWITH ADMIN OPTION\b/i.test(rest) ? 'WITH ADMIN OPTION' : '']
    .filter(Boolean)
    .join(' ');
  return `${grant.slice(0, at)} TO ${toAccount}${options ? ` ${options}` : ''}`;
}

class MysqlSession implements DbSession {
  readonly serverVersion: string;
  readonly #conn: mysql.Connection;
  readonly #flavour: MysqlFlavour;
  readonly #redactor: Redactor;

  constructor(conn: mysql.Connection, serverVersion: string, redactor: Redactor) {
    this.#conn = conn;
    this.serverVersion = serverVersion;
    this.#flavour = mysqlFlavour(serverVersion);
    this.#redactor = redactor;
  }

  async #run<T = mysql.RowDataPacket[]>(sql: string, what: string, values?: unknown[]): Promise<T> {
    try {
      const [rows] = await this.#conn.query(sql, values);
      return rows as T;
    } catch (error) {
      // mysql2 errors carry the SQL text (with the password) in `sql` and may quote it in
      // `message`: only code + redacted message leave this function.
      throw toRotationError(error, what, this.#redactor);
    }
  }

  async ping(): Promise<void> {
    await this.#run('SELECT NOW()', 'SELECT NOW() failed');
  }

  async changeOwnPassword(username: string, newPassword: string): Promise<void> {
    await this.#run(`SET PASSWORD = ${passwordExpression(this.#flavour)}`, `SET PASSWORD failed for "${username}"`, [newPassword]);
  }

  async #hostOf(username: string): Promise<string | undefined> {
    const rows = await this.#run('SELECT Host AS host FROM mysql.user WHERE User = ?', `looking up "${username}" in mysql.user failed`, [username]);
    const hosts = rows.map((r) => String(r.host));
    return hosts.includes('%') ? '%' : hosts.sort()[0];
  }

  async upsertAlternateUser(args: { username: string; password: string; templateUsername: string }): Promise<'created' | 'updated'> {
    const host = await this.#hostOf(args.templateUsername);
    if (host === undefined) {
      throw new RotationError('database', `user "${args.templateUsername}" does not exist in mysql.user, so its grants cannot be copied`);
    }
    const e = (v: string) => this.#conn.escape(v);
    const pendingAccount = `${e(args.username)}@${e(host)}`;
    const templateAccount = `${e(args.templateUsername)}@${e(host)}`;

    const existing = await this.#run('SELECT 1 FROM mysql.user WHERE User = ? AND Host = ?', `looking up "${args.username}" failed`, [args.username, host]);
    let outcome: 'created' | 'updated' = 'updated';
    if (existing.length === 0) {
      await this.#run(`CREATE USER ${pendingAccount} IDENTIFIED BY ?`, `CREATE USER failed for "${args.username}"`, [args.password]);
      outcome = 'created';
    }

    // Copy every grant of the current user (additive, so re-running is harmless).
    const grants = await this.#run(`SHOW GRANTS FOR ${templateAccount}`, `SHOW GRANTS failed for "${args.templateUsername}"`);
    for (const row of grants) {
      const line = Object.values(row)[0];
      if (typeof line !== 'string') continue;
      const statement = retargetGrant(line, args.templateUsername, pendingAccount);
      if (statement) await this.#run(statement, `copying a grant of "${args.templateUsername}" to "${args.username}" failed`);
    }

    // Copy the TLS requirement (REQUIRE NONE / SSL / X509 / CIPHER ... ISSUER ... SUBJECT ...).
    const tlsRows = await this.#run(
      'SELECT ssl_type, ssl_cipher, x509_issuer, x509_subject FROM mysql.user WHERE User = ? AND Host = ?',
      `reading the TLS options of "${args.templateUsername}" failed`,
      [args.templateUsername, host],
    );
    const tls = tlsRows[0];
    if (tls) {
      const text = (v: unknown) => (v === null || v === undefined ? '' : Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
      const type = text(tls.ssl_type).toUpperCase();
      let requirement = 'NONE';
      if (type === 'ANY') requirement = 'SSL';
      else if (type === 'X509') requirement = 'X509';
      else if (type === 'SPECIFIED') {
        const parts = [
          ['CIPHER', text(tls.ssl_cipher)],
          ['ISSUER', text(tls.x509_issuer)],
          ['SUBJECT', text(tls.x509_subject)],
        ].filter(([, v]) => v !== '');
        requirement = parts.length ? parts.map(([k, v]) => `${k} ${e(v as string)}`).join(' AND ') : 'SSL';
      }
      const old = !this.#flavour.mariadb && this.#flavour.major === 5 && this.#flavour.minor <= 6;
      const statement = old ? `GRANT USAGE ON *.* TO ${pendingAccount} REQUIRE ${requirement}` : `ALTER USER ${pendingAccount} REQUIRE ${requirement}`;
      await this.#run(statement, `copying the TLS requirement to "${args.username}" failed`);
    }

    await this.#run(`SET PASSWORD FOR ${pendingAccount} = ${passwordExpression(this.#flavour)}`, `SET PASSWORD failed for "${args.username}"`, [args.password]);
    return outcome;
  }

  /** The logged-in account as `'user'@'host'` (CURRENT_USER(), the account the server matched), as information_schema names grantees. */
  async #account(): Promise<{ user: string; host: string; grantee: string; quoted: string }> {
    const rows = await this.#run('SELECT CURRENT_USER() AS account', 'reading CURRENT_USER() failed');
    const account = String(rows[0]?.account ?? '');
    const at = account.lastIndexOf('@');
    const user = account.slice(0, at);
    const host = account.slice(at + 1);
    return {
      user,
      host,
      grantee: `'${user.replaceAll("'", "''")}'@'${host.replaceAll("'", "''")}'`,
      quoted: `${this.#conn.escape(user)}@${this.#conn.escape(host)}`,
    };
  }

  async #readOnly(): Promise<PrivilegeAnswer | undefined> {
    const rows = await this.#run('SELECT @@GLOBAL.read_only AS ro', 'reading @@read_only failed');
    if (Number(rows[0]?.ro) !== 1) return undefined;
    return {
      verdict: 'fail',
      message: 'the server is read-only (@@read_only = 1, a read replica?), where rotation cannot change a password',
      fix: "Point the secret's host at the writer (primary) endpoint.",
    };
  }

  async checkOwnPasswordChange(username: string): Promise<PrivilegeAnswer> {
    const readOnly = await this.#readOnly();
    if (readOnly) return readOnly;
    // MySQL 8.0.13+ only (MariaDB has no such variable): ON makes SET PASSWORD name the current password, which the rotation does not.
    const required = await this.#run("SHOW VARIABLES LIKE 'password_require_current'", 'reading password_require_current failed');
    if (String(required[0]?.Value ?? '').toUpperCase() === 'ON') {
      const { quoted } = await this.#account();
      return {
        verdict: 'warning',
        message: `password_require_current is ON: MySQL refuses a SET PASSWORD without the current password (as the rotation sends it) unless the account ${quoted} says PASSWORD REQUIRE CURRENT OPTIONAL, which only an administrator can read`,
        fix: `ALTER USER ${quoted} PASSWORD REQUIRE CURRENT OPTIONAL;`,
      };
    }
    return { verdict: 'pass', message: `MySQL and MariaDB let "${username}" change its own password (SET PASSWORD)` };
  }

  async checkUserManagement(usernames: readonly [current: string, alternate: string]): Promise<PrivilegeAnswer> {
    const [current, alternate] = usernames;
    const readOnly = await this.#readOnly();
    if (readOnly) return readOnly;
    const master = await this.#account();
    const global = await this.#run(
      'SELECT PRIVILEGE_TYPE AS privilege, IS_GRANTABLE AS grantable FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ?',
      "reading the master user's privileges failed",
      [master.grantee],
    );
    const perSchema = await this.#run(
      "SELECT 1 FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = ? AND IS_GRANTABLE = 'YES' LIMIT 1",
      "reading the master user's database privileges failed",
      [master.grantee],
    );
    const missing: string[] = [];
    const fixes: string[] = [];
    if (!global.some((r) => r.privilege === 'CREATE USER')) {
      missing.push('CREATE USER');
      fixes.push(`GRANT CREATE USER ON *.* TO ${master.quoted} WITH GRANT OPTION;`);
    }
    if (!global.some((r) => r.grantable === 'YES') && perSchema.length === 0) {
      missing.push('GRANT OPTION');
      if (!fixes.length) fixes.push(`GRANT USAGE ON *.* TO ${master.quoted} WITH GRANT OPTION;`);
    }
    // The function finds the user's host and TLS options in mysql.user, and copies SHOW GRANTS FOR it: the same reads here.
    let hosts: string[] | undefined;
    try {
      hosts = (await this.#conn.query<mysql.RowDataPacket[]>('SELECT Host AS host FROM mysql.user WHERE User = ?', [current]))[0].map((r) => String(r.host));
    } catch (error) {
      if (classifyError(error) !== 'permissions') throw toRotationError(error, 'reading mysql.user failed', this.#redactor);
      missing.push('SELECT on mysql.user');
      fixes.push(`GRANT SELECT ON mysql.user TO ${master.quoted};`);
    }
    if (missing.length) {
      return {
        verdict: 'fail',
        message: `the master ${master.quoted} lacks ${missing.join(', ')}: it cannot create "${alternate}" with the grants of "${current}" and change either password (it also needs every privilege "${current}" holds, to copy it)`,
        fix: fixes.join(' '),
      };
    }
    if (!hosts?.length) return { verdict: 'fail', message: `user "${current}" named by the secret is not in mysql.user on this server` };
    const host = hosts.includes('%') ? '%' : [...hosts].sort()[0]!;
    const account = `${this.#conn.escape(current)}@${this.#conn.escape(host)}`;
    const grants = await this.#run(`SHOW GRANTS FOR ${account}`, `SHOW GRANTS failed for "${current}"`);
    return {
      verdict: 'pass',
      message: `the master ${master.quoted} has CREATE USER and GRANT OPTION and reads the ${grants.length} grant(s) of ${account}: it can create "${alternate}" with them and change either password, provided it holds each privilege it copies`,
    };
  }

  async close(): Promise<void> {
    await this.#conn.end().catch(() => this.#conn.destroy());
  }
}

async function connect(secret: DbSecret, tls: boolean, timeoutSeconds: number, redactor: Redactor): Promise<LoginResult> {
  let conn: mysql.Connection | undefined;
  try {
    conn = await mysql.createConnection({
      host: secret.host,
      port: secret.port,
      user: secret.username,
      password: secret.password,
      ...(secret.dbname !== undefined ? { database: secret.dbname } : {}),
      // Verifies the certificate chain and the host name.
      ...(tls ? { ssl: { rejectUnauthorized: true } } : {}),
      connectTimeout: timeoutSeconds * 1000,
    });
    conn.on('error', () => undefined);
    await conn.query("SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')");
    const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT VERSION() AS version');
    return { ok: true, tls, session: new MysqlSession(conn, String(rows[0]?.version ?? 'unknown'), redactor) };
  } catch (error) {
    if (conn) conn.destroy();
    const where = `${secret.host}:${secret.port}${secret.dbname ? `/${secret.dbname}` : ''}`;
    return {
      ok: false,
      failure: toRotationError(error, `could not log in to MySQL/MariaDB at ${where} as "${secret.username}"${tls ? ' over TLS' : ''}`, redactor),
    };
  }
}

export const mysqlDriver: DbDriver = {
  family: 'mysql',
  async login(secret, { connectTimeoutSeconds, redactor }) {
    redactor.add(secret.password);
    const first = await connect(secret, secret.ssl.use, connectTimeoutSeconds, redactor);
    if (first.ok || !secret.ssl.use || !secret.ssl.fallBack) return first;
    return connect(secret, false, connectTimeoutSeconds, redactor);
  },
};
