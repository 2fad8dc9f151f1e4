import type { DatabaseRef, FieldVerdict, RotationStrategy, SecretFix, SecretFormatCheck } from '@rotation-console/contracts';
import { shellQuote } from './shell.ts';

/**
 * The SecretString format AWS's rotation templates expect for database secrets:
 * engine, host, username, password; optional dbname and port; masterarn for
 * alternating users. The check answers field names and verdicts, never a value.
 */

/**
 * The `engine` values the bundled rotation functions rotate, by driver family. The functions keep
 * their own copy (packages/rotation-functions secret.ts: deployable code that imports no other
 * package); packages/rotation/test/engine-lists.test.ts keeps the two, and the template's list, equal.
 */
export const ENGINE_FAMILIES: Record<string, 'postgres' | 'mysql'> = {
  postgres: 'postgres',
  'aurora-postgresql': 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
  'aurora-mysql': 'mysql',
};

export const engineFamily = (engine: string | null | undefined) => (engine ? (ENGINE_FAMILIES[engine] ?? null) : null);

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;

export interface ParsedDatabaseSecret {
  engine: string | null;
  host: string | null;
  port: number | null;
  username: string | null;
  masterArn: string | null;
}

type Fields = Record<string, unknown>;

const parse = (secretString: string | null | undefined): Fields | string => {
  if (secretString === null || secretString === undefined) return 'The secret has no SecretString (binary secrets cannot be rotated by these functions).';
  try {
    const value: unknown = JSON.parse(secretString);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'The SecretString is JSON but not an object of fields.';
    return value as Fields;
  } catch {
    return 'The SecretString is not valid JSON; the rotation function expects a JSON object with engine, host, username and password.';
  }
};

const textField = (fields: Fields, name: string, required: boolean, verdicts: FieldVerdict[]) => {
  const value = fields[name];
  if (value === undefined || value === null || value === '') {
    verdicts.push({
      field: name,
      verdict: required ? 'missing' : 'ok',
      message: required ? `${name} is required.` : `${name} is not set; the default applies.`,
    });
    return null;
  }
  if (typeof value !== 'string') {
    verdicts.push({ field: name, verdict: 'invalid', message: `${name} must be a string.` });
    return null;
  }
  verdicts.push({ field: name, verdict: 'ok', message: `${name} is set.` });
  return value;
};

interface CheckOptions {
  strategy: RotationStrategy;
  role: 'secret' | 'master';
  /** The master secret chosen for multi-user rotation: the rotated secret's masterarn must name it. */
  masterSecretArn?: string | null;
}

/** The fields of the value a fix stores, in the order AWS documents them; masterarn for the rotated secret of multi-user rotation. */
const fixTemplate = (options: CheckOptions): Record<string, string> => ({
  engine: '<engine>',
  host: '<host>',
  username: '<username>',
  password: '<password>',
  dbname: '<dbname>',
  port: '<port>',
  ...(options.role === 'secret' && options.strategy === 'alternating-users'
    ? // The chosen master's ARN is the console's own choice, not one of the secret's values.
      { masterarn: options.masterSecretArn ?? '<master secret ARN>' }
    : {}),
});

/**
 * How to fix a secret the rotation function cannot use: the fields that are wrong, and the command
 * that stores a whole new value (put-secret-value replaces every field), placeholders for values.
 */
const fixFor = (secretName: string, wrongFields: string[], options: CheckOptions): SecretFix => ({
  fields: wrongFields,
  cli: `aws secretsmanager put-secret-value --secret-id ${shellQuote(secretName)} --secret-string ${shellQuote(JSON.stringify(fixTemplate(options)))}`,
});

/** Checks one secret's SecretString. `role` says whether it is the rotated secret or the master secret. */
export const checkSecretFormat = (
  secretName: string,
  secretString: string | null | undefined,
  options: CheckOptions,
): { check: SecretFormatCheck; parsed: ParsedDatabaseSecret | null } => {
  const fields = parse(secretString);
  if (typeof fields === 'string') {
    return { check: { secretName, ok: false, engine: null, fields: [], problems: [fields], fix: fixFor(secretName, [], options) }, parsed: null };
  }
  const verdicts: FieldVerdict[] = [];
  const problems: string[] = [];

  const engine = textField(fields, 'engine', true, verdicts);
  if (engine && !engineFamily(engine)) {
    verdicts[verdicts.length - 1] = {
      field: 'engine',
      verdict: 'invalid',
      message: `engine "${engine}" is not one these functions rotate (${Object.keys(ENGINE_FAMILIES).join(', ')}).`,
    };
  }
  const host = textField(fields, 'host', true, verdicts);
  const username = textField(fields, 'username', true, verdicts);
  textField(fields, 'password', true, verdicts);
  textField(fields, 'dbname', false, verdicts);

  let port: number | null = null;
  const rawPort = fields.port;
  if (rawPort === undefined || rawPort === null || rawPort === '') {
    verdicts.push({ field: 'port', verdict: 'ok', message: 'port is not set; the engine default applies (5432 or 3306).' });
  } else {
    const n = typeof rawPort === 'number' ? rawPort : typeof rawPort === 'string' && /^\d+$/.test(rawPort) ? Number(rawPort) : NaN;
    if (Number.isInteger(n) && n >= 1 && n <= 65535) {
      port = n;
      verdicts.push({ field: 'port', verdict: 'ok', message: 'port is a valid port number.' });
    } else {
      verdicts.push({ field: 'port', verdict: 'invalid', message: 'port must be a whole number from 1 to 65535.' });
    }
  }

  let masterArn: string | null = null;
  if (options.role === 'secret' && options.strategy === 'alternating-users') {
    const value = fields.masterarn;
    if (typeof value === 'string' && SECRET_ARN.test(value)) {
      masterArn = value;
      verdicts.push(
        options.masterSecretArn && value !== options.masterSecretArn
          ? {
              field: 'masterarn',
              verdict: 'invalid',
              message: 'masterarn names another secret than the chosen master secret; the rotation function uses masterarn.',
            }
          : { field: 'masterarn', verdict: 'ok', message: 'masterarn names a secret ARN.' },
      );
    } else {
      verdicts.push({
        field: 'masterarn',
        verdict: value === undefined ? 'missing' : 'invalid',
        message:
          value === undefined
            ? 'masterarn is required for multi-user rotation: the ARN of the master secret.'
            : 'masterarn must be the full ARN of the master secret.',
      });
    }
  }

  const wrong = verdicts.filter((v) => v.verdict === 'missing' || v.verdict === 'invalid').map((v) => v.field);
  const ok = wrong.length === 0 && problems.length === 0;
  return {
    check: { secretName, ok, engine, fields: verdicts, problems, fix: wrong.length ? fixFor(secretName, wrong, options) : null },
    parsed: { engine, host, port, username, masterArn },
  };
};

/** The database a parsed secret names, when it names an engine and a host. */
export const databaseOf = (parsed: ParsedDatabaseSecret | null): DatabaseRef | null =>
  parsed?.engine && parsed.host ? { engine: parsed.engine, host: parsed.host, port: parsed.port } : null;

/**
 * Whether a secret may serve as `secret`'s master secret by what it names: the same engine and host,
 * and the same port (the engine's default where one leaves it out), as the check then requires.
 */
export const namesSameDatabase = (secret: ParsedDatabaseSecret, candidate: ParsedDatabaseSecret): boolean =>
  Boolean(secret.engine && secret.host) &&
  secret.engine === candidate.engine &&
  secret.host === candidate.host &&
  compareWithMaster(secret, candidate).length === 0;

/** The master secret must serve the same database as the rotated secret. */
export const compareWithMaster = (secret: ParsedDatabaseSecret, master: ParsedDatabaseSecret): string[] => {
  const problems: string[] = [];
  if (engineFamily(secret.engine) && engineFamily(master.engine) && engineFamily(secret.engine) !== engineFamily(master.engine)) {
    problems.push(`The master secret is for engine "${master.engine}", the secret for "${secret.engine}": they must be the same database.`);
  }
  if (secret.host && master.host && secret.host !== master.host) {
    problems.push('The master secret names a different host than the secret: the master user must be on the same database.');
  }
  const defaultPort = engineFamily(secret.engine) === 'mysql' ? 3306 : 5432;
  if ((secret.port ?? defaultPort) !== (master.port ?? defaultPort)) {
    problems.push('The master secret names a different port than the secret.');
  }
  return problems;
};
