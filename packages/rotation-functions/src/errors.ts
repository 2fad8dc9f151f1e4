// Failure classification. Every error leaving the handler is a RotationError whose
// message was built from safe parts only: never a password, never a SecretString,
// never the SQL text a driver may attach to its own errors.

/** What went wrong, in the words an operator acts on. */
export type FailureCategory =
  /** The database (or Secrets Manager) could not be reached: DNS, refused, timeout, TLS. */
  | 'network'
  /** The database refused the user name / password. */
  | 'authentication'
  /** The SecretString is not JSON, misses a field, or holds values that do not fit together. */
  | 'secret-format'
  /** AWS or the database denied an action to an authenticated caller. */
  | 'permissions'
  /** The secret's versions / labels / rotation settings do not allow this step. */
  | 'rotation-state'
  /** The function's own configuration (environment variables, event) is wrong. */
  | 'configuration'
  /** The database accepted the login but a statement failed for another reason. */
  | 'database'
  /** Anything not recognised above. */
  | 'internal';

export const FAILURE_CATEGORIES: readonly FailureCategory[] = [
  'network',
  'authentication',
  'secret-format',
  'permissions',
  'rotation-state',
  'configuration',
  'database',
  'internal',
];

const CATEGORY_LABEL: Record<FailureCategory, string> = {
  network: 'Network error',
  authentication: 'Authentication error',
  'secret-format': 'Secret format error',
  permissions: 'Permissions error',
  'rotation-state': 'Rotation state error',
  configuration: 'Configuration error',
  database: 'Database error',
  internal: 'Internal error',
};

export class RotationError extends Error {
  override name = 'RotationError';
  readonly category: FailureCategory;
  /** What failed, without the category label and detail. */
  readonly reason: string;
  /** Short, already-redacted code/message of the underlying driver or AWS error. */
  readonly detail: string | undefined;

  constructor(category: FailureCategory, reason: string, detail?: string) {
    super(`${CATEGORY_LABEL[category]}: ${reason}${detail ? ` (${detail})` : ''}`);
    this.category = category;
    this.reason = reason;
    this.detail = detail;
  }
}

/** Removes every known secret value from a piece of text. */
export class Redactor {
  readonly #secrets = new Set<string>();

  add(value: unknown): void {
    if (typeof value !== 'string' || value.length === 0) return;
    this.#secrets.add(value);
    // The same value as it appears inside a JSON string (quotes and backslashes escaped).
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value) this.#secrets.add(escaped);
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret containing another one is fully masked.
    for (const secret of [...this.#secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join('****');
    }
    return out;
  }
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  errno?: unknown;
  message?: unknown;
  errors?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'HANDSHAKE_NO_SSL_SUPPORT',
  'HANDSHAKE_SSL_ERROR',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'TimeoutError',
]);

/** PostgreSQL SQLSTATEs and MySQL/MariaDB error codes, mapped to a category. */
const DRIVER_CODES: Record<string, FailureCategory> = {
  // PostgreSQL class 28: invalid authorization specification
  '28P01': 'authentication',
  '28000': 'authentication',
  // PostgreSQL insufficient_privilege
  '42501': 'permissions',
  // PostgreSQL invalid_catalog_name: the dbname in the secret does not exist
  '3D000': 'secret-format',
  // PostgreSQL too many connections / cannot connect now: the server is there but refuses work
  '53300': 'network',
  '57P03': 'network',
  // MySQL / MariaDB
  ER_ACCESS_DENIED_ERROR: 'authentication',
  ER_ACCESS_DENIED_NO_PASSWORD_ERROR: 'authentication',
  ER_NOT_SUPPORTED_AUTH_MODE: 'authentication',
  ER_HOST_NOT_PRIVILEGED: 'authentication',
  ER_ACCOUNT_HAS_BEEN_LOCKED: 'authentication',
  ER_MUST_CHANGE_PASSWORD_LOGIN: 'authentication',
  ER_DBACCESS_DENIED_ERROR: 'permissions',
  ER_SPECIFIC_ACCESS_DENIED_ERROR: 'permissions',
  ER_TABLEACCESS_DENIED_ERROR: 'permissions',
  ER_COLUMNACCESS_DENIED_ERROR: 'permissions',
  ER_PROCACCESS_DENIED_ERROR: 'permissions',
  ER_CANT_CREATE_USER_WITH_GRANT: 'permissions',
  ER_PASSWORD_NOT_ALLOWED: 'permissions',
  ER_BAD_DB_ERROR: 'secret-format',
  ER_CON_COUNT_ERROR: 'network',
};

/** MySQL errno for the same conditions, in case only the number is present. */
const MYSQL_ERRNO: Record<number, FailureCategory> = {
  1045: 'authentication',
  1130: 'authentication',
  1044: 'permissions',
  1227: 'permissions',
  1142: 'permissions',
  1049: 'secret-format',
  1040: 'network',
};

const AWS_PERMISSION_ERRORS = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'MissingAuthenticationTokenException',
  'KMSAccessDeniedException',
  'DecryptionFailure',
]);

const AWS_STATE_ERRORS = new Set(['ResourceNotFoundException', 'InvalidRequestException', 'InvalidParameterException', 'ResourceExistsException']);

function codeOf(err: ErrorLike): string | undefined {
  if (typeof err.code === 'string' && err.code.length > 0) return err.code;
  if (typeof err.code === 'number') return String(err.code);
  return undefined;
}

/**
 * Decides which category a thrown value belongs to. Works for pg, mysql2, Node socket
 * errors (including the AggregateError of happy-eyeballs connects) and AWS SDK v3 errors.
 */
export function classifyError(error: unknown): FailureCategory {
  if (error instanceof RotationError) return error.category;
  if (typeof error !== 'object' || error === null) return 'internal';
  const err = error as ErrorLike;
  const code = codeOf(err);
  const name = typeof err.name === 'string' ? err.name : '';

  if (code && NETWORK_CODES.has(code)) return 'network';
  if (code && DRIVER_CODES[code]) return DRIVER_CODES[code];
  if (typeof err.errno === 'number' && MYSQL_ERRNO[err.errno]) return MYSQL_ERRNO[err.errno] as FailureCategory;
  if (Array.isArray(err.errors) && err.errors.length > 0) {
    const inner = err.errors.map(classifyError);
    if (inner.every((c) => c === 'network')) return 'network';
  }
  if (NETWORK_CODES.has(name)) return 'network';
  if (AWS_PERMISSION_ERRORS.has(name) || AWS_PERMISSION_ERRORS.has(code ?? '')) return 'permissions';
  if (err.$metadata?.httpStatusCode === 403) return 'permissions';
  if (AWS_STATE_ERRORS.has(name)) return 'rotation-state';
  const message = typeof err.message === 'string' ? err.message : '';
  if (/timeout|timed out|terminated unexpectedly|does not support SSL|secure connection/i.test(message)) return 'network';
  if (err.$metadata !== undefined) return 'internal';
  if (code !== undefined) return 'database';
  return 'internal';
}

/** "code: message" of an underlying error, secrets removed, bounded in length. */
export function describeError(error: unknown, redactor?: Redactor): string {
  if (typeof error !== 'object' || error === null) return String(error).slice(0, 200);
  const err = error as ErrorLike;
  const code = codeOf(err) ?? (typeof err.name === 'string' && err.name !== 'Error' ? err.name : undefined);
  let message = typeof err.message === 'string' ? err.message : '';
  if (!message && Array.isArray(err.errors)) {
    message = err.errors
      .map((e) => (typeof e === 'object' && e !== null && typeof (e as ErrorLike).message === 'string' ? (e as ErrorLike).message : ''))
      .filter(Boolean)
      .join('; ');
  }
  const text = [code, message].filter(Boolean).join(': ') || 'unknown error';
  const safe = redactor ? redactor.redact(text) : text;
  return safe.length > 300 ? `${safe.slice(0, 300)}…` : safe;
}

/** Wraps any thrown value into a RotationError with a safe message. */
export function toRotationError(error: unknown, context: string, redactor?: Redactor): RotationError {
  if (error instanceof RotationError) return error;
  return new RotationError(classifyError(error), context, describeError(error, redactor));
}
