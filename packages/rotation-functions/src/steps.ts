// The four rotation steps, for both strategies, following AWS's RDS rotation templates:
//  createSecret  put a new AWSPENDING version (new password; alternating: the other user)
//  setSecret     make the database accept the AWSPENDING credentials
//  testSecret    log in with AWSPENDING
//  finishSecret  move AWSCURRENT to the AWSPENDING version
// Every step first checks whether its work is already done, so re-running it is harmless.
import type { RotationConfig } from './config.ts';
import type { DbDriver, DbSession, LoginResult } from './db/index.ts';
import { RotationError, type Redactor } from './errors.ts';
import type { Logger } from './log.ts';
import { DEFAULT_USERNAME_LIMIT, alternateUsername, parseDbSecret, sameServer, type DbSecret, type EngineFamily } from './secret.ts';
import { AWSCURRENT, AWSPENDING, AWSPREVIOUS, type SecretsManagerGateway } from './secrets-manager.ts';

export interface StepContext {
  arn: string;
  token: string;
  rotationToken: string | undefined;
  config: RotationConfig;
  sm: SecretsManagerGateway;
  drivers: Readonly<Record<EngineFamily, DbDriver>>;
  redactor: Redactor;
  log: Logger;
}

/** What a step did; logged as `outcome`. */
export type StepOutcome =
  'created' | 'already-created' | 'password-set' | 'user-created' | 'user-updated' | 'already-set' | 'tested' | 'finished' | 'already-current';

/** What the helpers below need of a step's context (the preflight has the same). */
export type DbContext = Pick<StepContext, 'config' | 'drivers' | 'redactor'>;

export function checkFamily(ctx: DbContext, secret: DbSecret, what: string): DbSecret {
  const expected = ctx.config.engineFamily;
  if (expected && secret.family !== expected) {
    throw new RotationError(
      'secret-format',
      `engine "${secret.engine}" in the ${what} is not served by this function, which is configured for ${expected} (DB_ENGINE)`,
    );
  }
  return secret;
}

async function loadSecret(ctx: StepContext, stage: string, versionId?: string): Promise<DbSecret> {
  const what = `${stage} secret`;
  const value = await ctx.sm.requireSecretString(ctx.arn, stage, versionId);
  const secret = parseDbSecret(value, what);
  ctx.redactor.add(secret.password);
  return checkFamily(ctx, secret, what);
}

export function usernameLimit(ctx: DbContext, family: EngineFamily): number {
  return ctx.config.usernameCharacterLimit ?? DEFAULT_USERNAME_LIMIT[family];
}

export function requireMasterArn(ctx: DbContext, secret: DbSecret, what: string): string {
  if (!secret.masterarn) {
    throw new RotationError(
      'secret-format',
      `masterarn key is missing from the ${what} JSON; the ${ctx.config.strategy} strategy needs the ARN of a master secret that can manage users`,
    );
  }
  return secret.masterarn;
}

export async function login(ctx: DbContext, secret: DbSecret): Promise<LoginResult> {
  const driver = ctx.drivers[secret.family];
  return driver.login(secret, { connectTimeoutSeconds: ctx.config.connectTimeoutSeconds, redactor: ctx.redactor });
}

async function withSession<T>(session: DbSession, fn: (s: DbSession) => Promise<T>): Promise<T> {
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}

function loginFailed(result: LoginResult & { ok: false }, message: string): RotationError {
  return new RotationError(result.failure.category, `${message}: ${result.failure.reason}`, result.failure.detail);
}

// ---------------------------------------------------------------- createSecret

export async function createSecret(ctx: StepContext): Promise<StepOutcome> {
  const current = await loadSecret(ctx, AWSCURRENT);
  const alternating = ctx.config.strategy === 'alternating-users';
  if (alternating) requireMasterArn(ctx, current, 'AWSCURRENT secret');

  const existing = await ctx.sm.getSecretString(ctx.arn, AWSPENDING, ctx.token);
  if (existing !== undefined) {
    checkFamily(ctx, parseDbSecret(existing, 'AWSPENDING secret'), 'AWSPENDING secret');
    ctx.log.info('createSecret: the AWSPENDING version already has a value; nothing to do');
    return 'already-created';
  }

  const next: Record<string, unknown> = { ...current.raw };
  if (alternating) next.username = alternateUsername(current.username, usernameLimit(ctx, current.family));
  next.password = await ctx.sm.randomPassword(ctx.config.password);
  await ctx.sm.putPending(ctx.arn, ctx.token, JSON.stringify(next), ctx.rotationToken);
  ctx.log.info('createSecret: put a new AWSPENDING version', { username: String(next.username) });
  return 'created';
}

// ---------------------------------------------------------------- setSecret

function sameTarget(pending: DbSecret, other: DbSecret, otherStage: string, expectedUsername: string): void {
  if (pending.username !== expectedUsername) {
    throw new RotationError(
      'secret-format',
      `the AWSPENDING secret names user "${pending.username}", but the ${otherStage} secret implies "${expectedUsername}"; refusing to modify another user`,
    );
  }
  if (!sameServer(pending, other)) {
    throw new RotationError(
      'secret-format',
      `the AWSPENDING secret points to ${pending.host}:${pending.port}, the ${otherStage} secret to ${other.host}:${other.port}; refusing to modify another database`,
    );
  }
  if (pending.family !== other.family) {
    throw new RotationError('secret-format', `the AWSPENDING and ${otherStage} secrets name different engines`);
  }
}

async function setSecretSingleUser(ctx: StepContext, current: DbSecret, pending: DbSecret): Promise<StepOutcome> {
  sameTarget(pending, current, AWSCURRENT, current.username);

  let result = await login(ctx, current);
  let used = AWSCURRENT;
  if (!result.ok) {
    ctx.log.warn('setSecret: could not log in with AWSCURRENT, trying AWSPREVIOUS', { errorCategory: result.failure.category });
    let previous: DbSecret | undefined;
    try {
      previous = await loadSecret(ctx, AWSPREVIOUS);
    } catch (error) {
      if (!(error instanceof RotationError) || !['rotation-state', 'secret-format'].includes(error.category)) throw error;
    }
    if (previous) {
      // Like AWS's templates: the previous credentials are tried with the current TLS setting.
      const previousWithCurrentTls: DbSecret = { ...previous, ssl: current.ssl };
      sameTarget(pending, previousWithCurrentTls, AWSPREVIOUS, previous.username);
      const previousResult = await login(ctx, previousWithCurrentTls);
      if (previousResult.ok) {
        result = previousResult;
        used = AWSPREVIOUS;
      }
    }
  }
  if (!result.ok) {
    throw loginFailed(result, 'setSecret: unable to log into the database with the AWSPENDING, AWSCURRENT or AWSPREVIOUS secret');
  }
  await withSession(result.session, (s) => s.changeOwnPassword(pending.username, pending.password));
  ctx.log.info('setSecret: user changed its own password', { username: pending.username, loggedInWith: used, tls: result.tls });
  return 'password-set';
}

/**
 * The master secret named by the AWSCURRENT secret's masterarn, checked to be of the same engine
 * and server. `who` starts the messages of a failed read ("setSecret", "preflight").
 */
export async function loadMasterSecret(
  ctx: DbContext & Pick<StepContext, 'sm'>,
  current: DbSecret,
  who: string,
): Promise<{ masterArn: string; master: DbSecret }> {
  const masterArn = requireMasterArn(ctx, current, 'AWSCURRENT secret');
  let masterString: string | undefined;
  try {
    masterString = await ctx.sm.getSecretString(masterArn, AWSCURRENT);
  } catch (error) {
    if (error instanceof RotationError) {
      throw new RotationError(error.category, `${who}: could not read the master secret ${masterArn} named by masterarn`, error.detail);
    }
    throw error;
  }
  if (masterString === undefined) {
    throw new RotationError('secret-format', `${who}: the master secret ${masterArn} named by masterarn does not exist or has no AWSCURRENT value`);
  }
  const master = checkFamily(ctx, parseDbSecret(masterString, 'master secret'), 'master secret');
  ctx.redactor.add(master.password);
  if (master.family !== current.family) {
    throw new RotationError('secret-format', `the master secret ${masterArn} is for engine "${master.engine}", the AWSCURRENT secret for "${current.engine}"`);
  }
  if (!sameServer(master, current)) {
    throw new RotationError(
      'secret-format',
      `the master secret ${masterArn} points to ${master.host}:${master.port}, but the AWSCURRENT secret to ${current.host}:${current.port}; both must name the same database`,
    );
  }
  return { masterArn, master };
}

async function setSecretAlternating(ctx: StepContext, current: DbSecret, pending: DbSecret): Promise<StepOutcome> {
  sameTarget(pending, current, AWSCURRENT, alternateUsername(current.username, usernameLimit(ctx, current.family)));

  // The credentials being rotated must work before the master touches anything
  // (protects against a confused deputy rewriting some other user).
  const currentLogin = await login(ctx, current);
  if (!currentLogin.ok) {
    throw loginFailed(currentLogin, 'setSecret: unable to log into the database with the AWSCURRENT secret');
  }
  await currentLogin.session.close();

  const { masterArn, master } = await loadMasterSecret(ctx, current, 'setSecret');

  // Log in as master to the user's database (AWS's templates use the user's dbname).
  const masterLogin = await login(ctx, { ...master, dbname: current.dbname });
  if (!masterLogin.ok) {
    throw loginFailed(masterLogin, `setSecret: unable to log into the database with the master secret ${masterArn}`);
  }
  const outcome = await withSession(masterLogin.session, (s) =>
    s.upsertAlternateUser({ username: pending.username, password: pending.password, templateUsername: current.username }),
  );
  ctx.log.info(
    `setSecret: ${outcome === 'created' ? "created the alternate user with the current user's privileges" : "changed the alternate user's password"}`,
    {
      username: pending.username,
      templateUsername: current.username,
    },
  );
  return outcome === 'created' ? 'user-created' : 'user-updated';
}

export async function setSecret(ctx: StepContext): Promise<StepOutcome> {
  const current = await loadSecret(ctx, AWSCURRENT);
  const pending = await loadSecret(ctx, AWSPENDING, ctx.token);

  const pendingLogin = await login(ctx, pending);
  if (pendingLogin.ok) {
    await pendingLogin.session.close();
    ctx.log.info('setSecret: the AWSPENDING credentials already work; nothing to do', { username: pending.username });
    return 'already-set';
  }

  return ctx.config.strategy === 'alternating-users' ? setSecretAlternating(ctx, current, pending) : setSecretSingleUser(ctx, current, pending);
}

// ---------------------------------------------------------------- testSecret

export async function testSecret(ctx: StepContext): Promise<StepOutcome> {
  const pending = await loadSecret(ctx, AWSPENDING, ctx.token);
  const result = await login(ctx, pending);
  if (!result.ok) {
    throw loginFailed(result, 'testSecret: unable to log into the database with the AWSPENDING secret');
  }
  await withSession(result.session, (s) => s.ping());
  ctx.log.info('testSecret: logged in with the AWSPENDING secret', { username: pending.username, tls: result.tls });
  return 'tested';
}

// ---------------------------------------------------------------- finishSecret

export async function finishSecret(ctx: StepContext): Promise<StepOutcome> {
  const meta = await ctx.sm.describe(ctx.arn);
  const currentVersion = Object.entries(meta.versions).find(([, stages]) => stages.includes(AWSCURRENT))?.[0];
  if (currentVersion === ctx.token) {
    ctx.log.info('finishSecret: version is already AWSCURRENT; nothing to do');
    return 'already-current';
  }
  await ctx.sm.moveCurrent(ctx.arn, ctx.token, currentVersion);
  ctx.log.info('finishSecret: moved AWSCURRENT to the new version', { previousVersionId: currentVersion ?? null });
  return 'finished';
}
