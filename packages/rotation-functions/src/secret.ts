// The SecretString format shared with AWS's rotation templates:
// { engine, host, username, password, dbname?, port?, ssl?, masterarn?, ... }.
// Unknown keys are kept untouched so rotating never loses data others stored.
import { RotationError } from './errors.ts';

export type EngineFamily = 'postgres' | 'mysql';

/**
 * `engine` values accepted in a SecretString and the driver family that serves them. The console's
 * checks use the same list (packages/rotation secret-format.ts); this package stands alone, so
 * packages/rotation/test/engine-lists.test.ts keeps the two, ROTATION_ENGINES and the template's list equal.
 */
export const ENGINE_FAMILIES: Readonly<Record<string, EngineFamily>> = {
  postgres: 'postgres',
  'aurora-postgresql': 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
  'aurora-mysql': 'mysql',
};

export const DEFAULT_PORT: Record<EngineFamily, number> = { postgres: 5432, mysql: 3306 };

/** Longest user name the engine accepts (MySQL before 5.7.8 / RDS default: 16; PostgreSQL: 63). */
export const DEFAULT_USERNAME_LIMIT: Record<EngineFamily, number> = { postgres: 63, mysql: 16 };

export const CLONE_SUFFIX = '_clone';

export interface SslSetting {
  /** Try TLS first. */
  use: boolean;
  /** When TLS fails, try again without it (only when the secret does not say). */
  fallBack: boolean;
}

export interface DbSecret {
  /** Every key of the SecretString, as parsed. */
  readonly raw: Readonly<Record<string, unknown>>;
  readonly engine: string;
  readonly family: EngineFamily;
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  /** Database to connect to; PostgreSQL defaults to `postgres`, MySQL to none. */
  readonly dbname: string | undefined;
  readonly ssl: SslSetting;
  readonly masterarn: string | undefined;
}

/**
 * AWS's rule: no `ssl` key (or an unrecognised value) means try TLS and fall back;
 * true / "true" means TLS only; false / "false" means no TLS.
 */
export function sslSetting(value: unknown): SslSetting {
  if (typeof value === 'boolean') return { use: value, fallBack: false };
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true') return { use: true, fallBack: false };
    if (v === 'false') return { use: false, fallBack: false };
  }
  return { use: true, fallBack: true };
}

function requiredString(obj: Record<string, unknown>, key: string, what: string): string {
  const value = obj[key];
  if (value === undefined || value === null) {
    throw new RotationError('secret-format', `${key} key is missing from the ${what} JSON`);
  }
  if (typeof value !== 'string' || value.length === 0) {
    throw new RotationError('secret-format', `${key} in the ${what} JSON must be a non-empty string`);
  }
  return value;
}

/**
 * Parses and validates a SecretString. `what` names the value in messages, e.g.
 * "AWSCURRENT secret". Messages name keys, never values.
 */
export function parseDbSecret(secretString: string | undefined, what: string): DbSecret {
  if (secretString === undefined) {
    throw new RotationError('secret-format', `the ${what} has no SecretString (binary secrets are not supported)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw new RotationError('secret-format', `the ${what} SecretString is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RotationError('secret-format', `the ${what} SecretString must be a JSON object`);
  }
  const raw = parsed as Record<string, unknown>;

  const supported = Object.keys(ENGINE_FAMILIES).join(', ');
  if (raw.engine === undefined || raw.engine === null) {
    throw new RotationError('secret-format', `engine key is missing from the ${what} JSON (expected one of ${supported})`);
  }
  const engine = typeof raw.engine === 'string' ? raw.engine.trim().toLowerCase() : '';
  const family = ENGINE_FAMILIES[engine];
  if (!family) {
    throw new RotationError('secret-format', `engine in the ${what} JSON is not supported (expected one of ${supported})`);
  }

  const host = requiredString(raw, 'host', what);
  const username = requiredString(raw, 'username', what);
  const password = requiredString(raw, 'password', what);

  let port = DEFAULT_PORT[family];
  if (raw.port !== undefined && raw.port !== null && raw.port !== '') {
    const n = typeof raw.port === 'number' ? raw.port : typeof raw.port === 'string' ? Number(raw.port.trim()) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 65535) {
      throw new RotationError('secret-format', `port in the ${what} JSON must be an integer between 1 and 65535`);
    }
    port = n;
  }

  let dbname: string | undefined = family === 'postgres' ? 'postgres' : undefined;
  if (raw.dbname !== undefined && raw.dbname !== null) {
    if (typeof raw.dbname !== 'string') {
      throw new RotationError('secret-format', `dbname in the ${what} JSON must be a string`);
    }
    if (raw.dbname !== '') dbname = raw.dbname;
  }

  let masterarn: string | undefined;
  if (raw.masterarn !== undefined && raw.masterarn !== null && raw.masterarn !== '') {
    if (typeof raw.masterarn !== 'string') {
      throw new RotationError('secret-format', `masterarn in the ${what} JSON must be a string`);
    }
    masterarn = raw.masterarn;
  }

  return { raw, engine, family, host, port, username, password, dbname, ssl: sslSetting(raw.ssl), masterarn };
}

/** `name` ↔ `name_clone`, refusing names the engine would truncate or reject. */
export function alternateUsername(username: string, limit: number): string {
  if (username.endsWith(CLONE_SUFFIX) && username.length > CLONE_SUFFIX.length) {
    return username.slice(0, -CLONE_SUFFIX.length);
  }
  const clone = `${username}${CLONE_SUFFIX}`;
  if (clone.length > limit) {
    throw new RotationError(
      'secret-format',
      `cannot create the alternate user: "${username}" with ${CLONE_SUFFIX} appended would exceed ${limit} characters (USERNAME_CHARACTER_LIMIT)`,
    );
  }
  return clone;
}

/** True when both secrets point at the same server (host compared case-insensitively, and port). */
export function sameServer(a: Pick<DbSecret, 'host' | 'port'>, b: Pick<DbSecret, 'host' | 'port'>): boolean {
  return a.host.trim().toLowerCase() === b.host.trim().toLowerCase() && a.port === b.port;
}
