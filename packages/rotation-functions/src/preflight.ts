// The console's preflight: before rotation is turned on (and on any secret's page), the console
// asks its own function, from inside the function's VPC, whether the database work of a rotation
// would succeed. The function reads the secret itself, logs in with AWSCURRENT (and, for
// alternating users, the master), and reads the privileges the strategy needs. It changes
// nothing, and answers verdicts only: never a value, a password or a SecretString.
//
// Event: { "Preflight": "database-login", "SecretId": "<arn>" }. It carries no Step and no
// ClientRequestToken, and an event that has either is refused, so a preflight can never be
// taken for one of Secrets Manager's four steps (nor a step for a preflight).
import type { RotationConfig } from './config.ts';
import type { DbSession, LoginResult, PrivilegeAnswer } from './db/index.ts';
import { RotationError, toRotationError, type FailureCategory } from './errors.ts';
import type { Logger } from './log.ts';
import { alternateUsername, parseDbSecret, type DbSecret } from './secret.ts';
import { AWSCURRENT, type SecretsManagerGateway } from './secrets-manager.ts';
import { checkFamily, loadMasterSecret, login, requireMasterArn, usernameLimit, type DbContext } from './steps.ts';

export const PREFLIGHT_KINDS = ['database-login'] as const;
export type PreflightKind = (typeof PREFLIGHT_KINDS)[number];

export interface PreflightEvent {
  Preflight: PreflightKind;
  SecretId: string;
}

/** What each verdict is about, in the order they are answered; the master's only for alternating users. */
export const PREFLIGHT_CHECKS = ['secret', 'login', 'master-secret', 'master-login', 'privilege'] as const;
export type PreflightCheckName = (typeof PREFLIGHT_CHECKS)[number];

export interface PreflightVerdict {
  check: PreflightCheckName;
  verdict: 'pass' | 'warning' | 'fail' | 'unknown';
  /** A sentence naming hosts, ports, user and role names and ARNs; never a value. */
  message: string;
  /** For a failure: its category (network, authentication, permissions, ...). */
  category?: FailureCategory;
  /** SQL or a setting for an administrator, when the function knows the exact one. */
  fix?: string;
}

export interface PreflightAnswer {
  preflight: PreflightKind;
  strategy: RotationConfig['strategy'];
  verdicts: PreflightVerdict[];
}

/** An event that means to be a preflight (it names one), valid or not. */
export const isPreflightEvent = (event: unknown): boolean => typeof event === 'object' && event !== null && Object.hasOwn(event, 'Preflight');

export function validatePreflightEvent(event: unknown): PreflightEvent {
  const e = event as Record<string, unknown>;
  const problems: string[] = [];
  if (!(PREFLIGHT_KINDS as readonly unknown[]).includes(e.Preflight)) problems.push(`Preflight must be one of ${PREFLIGHT_KINDS.join(', ')}`);
  if (typeof e.SecretId !== 'string' || e.SecretId === '') problems.push('SecretId must be a non-empty string');
  for (const key of ['Step', 'ClientRequestToken', 'RotationToken']) {
    if (Object.hasOwn(e, key)) problems.push(`a preflight event carries no ${key}`);
  }
  if (problems.length) throw new RotationError('configuration', `invalid preflight event: ${problems.join('; ')}`);
  return { Preflight: e.Preflight as PreflightKind, SecretId: e.SecretId as string };
}

export interface PreflightContext extends DbContext {
  arn: string;
  sm: SecretsManagerGateway;
  log: Logger;
}

const where = (s: DbSecret) => `${s.host}:${s.port}${s.dbname ? `/${s.dbname}` : ''}`;

/** The verdict of a step that threw: its category and its already-safe message, redacted once more. */
const failed = (ctx: PreflightContext, check: PreflightCheckName, error: unknown): PreflightVerdict => {
  const e = toRotationError(error, `preflight: ${check} could not be checked`, ctx.redactor);
  return { check, verdict: 'fail', message: ctx.redactor.redact(e.message), category: e.category };
};

const loginVerdict = (ctx: PreflightContext, check: PreflightCheckName, result: LoginResult, as: string): PreflightVerdict =>
  result.ok
    ? { check, verdict: 'pass', message: `logged in as ${as}${result.tls ? ' over TLS' : ' without TLS'}` }
    : { check, verdict: 'fail', message: ctx.redactor.redact(result.failure.message), category: result.failure.category };

const privilegeVerdict = (ctx: PreflightContext, found: PrivilegeAnswer): PreflightVerdict => ({
  check: 'privilege',
  ...found,
  message: ctx.redactor.redact(found.message),
});

const notChecked = (why: string): PreflightVerdict => ({ check: 'privilege', verdict: 'unknown', message: `not checked: ${why}` });

/** The database-login preflight of the secret `ctx.arn`, with the function's own configuration. */
export async function databaseLoginPreflight(ctx: PreflightContext): Promise<PreflightAnswer> {
  const alternating = ctx.config.strategy === 'alternating-users';
  const verdicts: PreflightVerdict[] = [];
  const answer = (): PreflightAnswer => ({ preflight: 'database-login', strategy: ctx.config.strategy, verdicts });
  const sessions: DbSession[] = [];
  try {
    let current: DbSecret;
    let alternate = '';
    try {
      const value = await ctx.sm.requireSecretString(ctx.arn, AWSCURRENT);
      current = checkFamily(ctx, parseDbSecret(value, 'AWSCURRENT secret'), 'AWSCURRENT secret');
      ctx.redactor.add(current.password);
      if (alternating) {
        requireMasterArn(ctx, current, 'AWSCURRENT secret');
        alternate = alternateUsername(current.username, usernameLimit(ctx, current.family));
      }
      verdicts.push({ check: 'secret', verdict: 'pass', message: `AWSCURRENT names ${current.engine} at ${where(current)} as "${current.username}"` });
    } catch (error) {
      verdicts.push(failed(ctx, 'secret', error));
      return answer();
    }

    const currentLogin = await login(ctx, current);
    verdicts.push(loginVerdict(ctx, 'login', currentLogin, `"${current.username}" at ${where(current)}`));
    if (currentLogin.ok) sessions.push(currentLogin.session);

    if (!alternating) {
      verdicts.push(
        currentLogin.ok
          ? privilegeVerdict(ctx, await currentLogin.session.checkOwnPasswordChange(current.username))
          : notChecked(`could not log in as "${current.username}"`),
      );
      return answer();
    }

    let master: DbSecret;
    try {
      const loaded = await loadMasterSecret(ctx, current, 'preflight');
      master = loaded.master;
      verdicts.push({
        check: 'master-secret',
        verdict: 'pass',
        message: `the master secret ${loaded.masterArn} names "${master.username}" on the same server`,
      });
    } catch (error) {
      verdicts.push(failed(ctx, 'master-secret', error), notChecked('the master secret could not be used'));
      return answer();
    }
    // As setSecret does: the master logs in to the user's database.
    const masterLogin = await login(ctx, { ...master, dbname: current.dbname });
    verdicts.push(loginVerdict(ctx, 'master-login', masterLogin, `the master "${master.username}" at ${where({ ...master, dbname: current.dbname })}`));
    if (!masterLogin.ok) {
      verdicts.push(notChecked(`could not log in as the master "${master.username}"`));
      return answer();
    }
    sessions.push(masterLogin.session);
    verdicts.push(privilegeVerdict(ctx, await masterLogin.session.checkUserManagement([current.username, alternate])));
    return answer();
  } catch (error) {
    // A read of the server's catalogue failed in a way the checks did not foresee.
    verdicts.push(failed(ctx, 'privilege', error));
    return answer();
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
  }
}
