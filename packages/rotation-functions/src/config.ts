// The function's configuration, read from environment variables (set by the
// CloudFormation template) so one bundle serves every engine and strategy.
import { RotationError } from './errors.ts';
import { ENGINE_FAMILIES, type EngineFamily } from './secret.ts';

export type RotationStrategy = 'single-user' | 'alternating-users';

export const ROTATION_STRATEGIES: readonly RotationStrategy[] = ['single-user', 'alternating-users'];

export interface PasswordPolicy {
  excludeCharacters: string;
  length: number;
  excludeNumbers: boolean;
  excludePunctuation: boolean;
  excludeUppercase: boolean;
  excludeLowercase: boolean;
  requireEachIncludedType: boolean;
}

export interface RotationConfig {
  strategy: RotationStrategy;
  /** When set, secrets of another engine family are refused. */
  engineFamily: EngineFamily | undefined;
  password: PasswordPolicy;
  /** Maximum user name length for the `_clone` user; undefined means the engine default. */
  usernameCharacterLimit: number | undefined;
  /** Explicit Secrets Manager endpoint (template parameter `endpoint`). */
  secretsManagerEndpoint: string | undefined;
  /** Seconds to wait for a database connection. */
  connectTimeoutSeconds: number;
}

/** AWS's templates exclude these so the password survives connection strings and shells. */
export const DEFAULT_EXCLUDE_CHARACTERS = '/@"\'\\';
export const DEFAULT_PASSWORD_LENGTH = 32;

/** Environment variable names the function reads. */
export const ENV = {
  strategy: 'ROTATION_STRATEGY',
  engine: 'DB_ENGINE',
  endpoint: 'SECRETS_MANAGER_ENDPOINT',
  excludeCharacters: 'EXCLUDE_CHARACTERS',
  passwordLength: 'PASSWORD_LENGTH',
  excludeNumbers: 'EXCLUDE_NUMBERS',
  excludePunctuation: 'EXCLUDE_PUNCTUATION',
  excludeUppercase: 'EXCLUDE_UPPERCASE',
  excludeLowercase: 'EXCLUDE_LOWERCASE',
  requireEachIncludedType: 'REQUIRE_EACH_INCLUDED_TYPE',
  usernameCharacterLimit: 'USERNAME_CHARACTER_LIMIT',
  connectTimeout: 'DB_CONNECT_TIMEOUT_SECONDS',
} as const;

const STRATEGY_ALIASES: Record<string, RotationStrategy> = {
  'single-user': 'single-user',
  single: 'single-user',
  singleuser: 'single-user',
  'alternating-users': 'alternating-users',
  alternating: 'alternating-users',
  'multi-user': 'alternating-users',
  multiuser: 'alternating-users',
};

type Env = Record<string, string | undefined>;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  return ['true', '1', 'y', 'yes'].includes(raw.trim().toLowerCase());
}

function integer(env: Env, name: string, fallback: number | undefined, min: number, max: number): number | undefined {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw.trim());
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RotationError('configuration', `${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

export function parseStrategy(raw: string | undefined): RotationStrategy {
  const value = nonEmpty(raw);
  if (value === undefined) return 'single-user';
  const strategy = STRATEGY_ALIASES[value.trim().toLowerCase()];
  if (!strategy) {
    throw new RotationError('configuration', `${ENV.strategy} must be one of ${ROTATION_STRATEGIES.join(', ')}, got "${value}"`);
  }
  return strategy;
}

export function parseEngineFamily(raw: string | undefined): EngineFamily | undefined {
  const value = nonEmpty(raw)?.trim().toLowerCase();
  if (value === undefined || value === 'any') return undefined;
  const family = ENGINE_FAMILIES[value];
  if (!family) {
    throw new RotationError('configuration', `${ENV.engine} must be one of ${Object.keys(ENGINE_FAMILIES).join(', ')} or any, got "${raw}"`);
  }
  return family;
}

export function configFromEnv(env: Env = process.env): RotationConfig {
  return {
    strategy: parseStrategy(env[ENV.strategy]),
    engineFamily: parseEngineFamily(env[ENV.engine]),
    password: {
      // An explicitly empty EXCLUDE_CHARACTERS means "exclude nothing", like AWS's templates.
      excludeCharacters: env[ENV.excludeCharacters] ?? DEFAULT_EXCLUDE_CHARACTERS,
      length: integer(env, ENV.passwordLength, DEFAULT_PASSWORD_LENGTH, 4, 4096) as number,
      excludeNumbers: bool(env, ENV.excludeNumbers, false),
      excludePunctuation: bool(env, ENV.excludePunctuation, false),
      excludeUppercase: bool(env, ENV.excludeUppercase, false),
      excludeLowercase: bool(env, ENV.excludeLowercase, false),
      requireEachIncludedType: bool(env, ENV.requireEachIncludedType, true),
    },
    usernameCharacterLimit: integer(env, ENV.usernameCharacterLimit, undefined, 7, 255),
    secretsManagerEndpoint: nonEmpty(env[ENV.endpoint]),
    connectTimeoutSeconds: integer(env, ENV.connectTimeout, 5, 1, 60) as number,
  };
}
