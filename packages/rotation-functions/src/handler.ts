// The Lambda entry point Secrets Manager invokes for each rotation step.
// Event: { Step, SecretId, ClientRequestToken, RotationToken? }.
// The console also invokes it with a preflight event (preflight.ts), which changes nothing and answers verdicts.
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { configFromEnv, type RotationConfig } from './config.ts';
import { DRIVERS, type DbDriver } from './db/index.ts';
import { Redactor, RotationError, toRotationError } from './errors.ts';
import { createLogger } from './log.ts';
import { databaseLoginPreflight, isPreflightEvent, validatePreflightEvent, type PreflightAnswer, type PreflightEvent } from './preflight.ts';
import type { EngineFamily } from './secret.ts';
import { AWSCURRENT, AWSPENDING, SecretsManagerGateway, secretsManagerClient } from './secrets-manager.ts';
import { createSecret, finishSecret, setSecret, testSecret, type StepContext, type StepOutcome } from './steps.ts';

export const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

export interface RotationEvent {
  Step: RotationStep;
  SecretId: string;
  ClientRequestToken: string;
  /** Sent by Secrets Manager for assumed-role / cross-account rotation; passed on to PutSecretValue. */
  RotationToken?: string;
}

export interface HandlerOptions {
  /** Configuration; defaults to reading the environment on every invocation. */
  config?: RotationConfig | (() => RotationConfig);
  /** Secrets Manager client; defaults to one built from the configuration. */
  client?: SecretsManagerClient;
  /** Database drivers by engine family (tests may wrap them). */
  drivers?: Readonly<Record<EngineFamily, DbDriver>>;
}

const STEP_FUNCTIONS: Record<RotationStep, (ctx: StepContext) => Promise<StepOutcome>> = {
  createSecret,
  setSecret,
  testSecret,
  finishSecret,
};

function validateEvent(event: unknown): RotationEvent {
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof e.Step !== 'string' || !(ROTATION_STEPS as readonly string[]).includes(e.Step)) {
    problems.push(`Step must be one of ${ROTATION_STEPS.join(', ')}`);
  }
  if (typeof e.SecretId !== 'string' || e.SecretId === '') problems.push('SecretId must be a non-empty string');
  if (typeof e.ClientRequestToken !== 'string' || e.ClientRequestToken === '') {
    problems.push('ClientRequestToken must be a non-empty string');
  }
  if (problems.length) throw new RotationError('configuration', `invalid rotation event: ${problems.join('; ')}`);
  return e as unknown as RotationEvent;
}

/** A rotation step answers nothing; a preflight answers its verdicts. */
export interface RotationHandler {
  (event: RotationEvent): Promise<void>;
  (event: PreflightEvent): Promise<PreflightAnswer>;
}

const configOf = (options: HandlerOptions): RotationConfig => (typeof options.config === 'function' ? options.config() : (options.config ?? configFromEnv()));

/** The preflight's answer; only an invalid event (or configuration) throws, as a RotationError. */
async function answerPreflight(event: unknown, options: HandlerOptions): Promise<PreflightAnswer> {
  const started = Date.now();
  const redactor = new Redactor();
  const e = event as Record<string, unknown>;
  let log = createLogger(
    { preflight: typeof e.Preflight === 'string' ? e.Preflight : undefined, secretArn: typeof e.SecretId === 'string' ? e.SecretId : undefined },
    redactor,
  );
  try {
    const valid = validatePreflightEvent(event);
    const config = configOf(options);
    log = log.child({ strategy: config.strategy });
    const sm = new SecretsManagerGateway(options.client ?? secretsManagerClient(config.secretsManagerEndpoint), redactor);
    const answer = await databaseLoginPreflight({ arn: valid.SecretId, config, sm, drivers: options.drivers ?? DRIVERS, redactor, log });
    log.info('preflight answered', { verdicts: answer.verdicts.map((v) => `${v.check}:${v.verdict}`), durationMs: Date.now() - started });
    return answer;
  } catch (error) {
    const wrapped = toRotationError(error, 'preflight failed unexpectedly', redactor);
    const failure = new RotationError(wrapped.category, redactor.redact(wrapped.reason), wrapped.detail && redactor.redact(wrapped.detail));
    log.error('preflight failed', { outcome: 'failed', errorCategory: failure.category, error: failure.message, durationMs: Date.now() - started });
    throw failure;
  }
}

/** Builds a handler; `handler` below is the one the Lambda runtime calls. */
export function createRotationHandler(options: HandlerOptions = {}): RotationHandler {
  return async function rotationHandler(event: RotationEvent | PreflightEvent): Promise<void | PreflightAnswer> {
    if (isPreflightEvent(event)) return answerPreflight(event, options);
    const started = Date.now();
    const redactor = new Redactor();
    const e = (typeof event === 'object' && event !== null ? event : {}) as Partial<RotationEvent>;
    let log = createLogger(
      {
        step: typeof e.Step === 'string' ? e.Step : undefined,
        secretArn: typeof e.SecretId === 'string' ? e.SecretId : undefined,
        versionId: typeof e.ClientRequestToken === 'string' ? e.ClientRequestToken : undefined,
      },
      redactor,
    );
    try {
      const valid = validateEvent(event);
      const config = configOf(options);
      log = log.child({ strategy: config.strategy });
      log.info('rotation step started');

      const sm = new SecretsManagerGateway(options.client ?? secretsManagerClient(config.secretsManagerEndpoint), redactor);

      // The same guards as AWS's templates.
      const meta = await sm.describe(valid.SecretId);
      log = log.child({ secretArn: meta.arn });
      if (meta.rotationEnabled === false) {
        throw new RotationError('rotation-state', `secret ${meta.arn} is not enabled for rotation`);
      }
      const stages = meta.versions[valid.ClientRequestToken];
      if (!stages) {
        throw new RotationError('rotation-state', `secret version ${valid.ClientRequestToken} has no stage for rotation of secret ${meta.arn}`);
      }
      if (stages.includes(AWSCURRENT)) {
        log.info('rotation step succeeded', { outcome: 'already-current', durationMs: Date.now() - started });
        return;
      }
      if (!stages.includes(AWSPENDING)) {
        throw new RotationError('rotation-state', `secret version ${valid.ClientRequestToken} is not set as AWSPENDING for rotation of secret ${meta.arn}`);
      }

      const outcome = await STEP_FUNCTIONS[valid.Step]({
        arn: meta.arn,
        token: valid.ClientRequestToken,
        rotationToken: typeof valid.RotationToken === 'string' && valid.RotationToken ? valid.RotationToken : undefined,
        config,
        sm,
        drivers: options.drivers ?? DRIVERS,
        redactor,
        log,
      });
      log.info('rotation step succeeded', { outcome, durationMs: Date.now() - started });
    } catch (error) {
      const wrapped = toRotationError(error, `${typeof e.Step === 'string' ? e.Step : 'rotation step'} failed unexpectedly`, redactor);
      // Messages are built from safe parts; redact once more in case a value slipped in.
      const failure = new RotationError(wrapped.category, redactor.redact(wrapped.reason), wrapped.detail && redactor.redact(wrapped.detail));
      log.error('rotation step failed', {
        outcome: 'failed',
        errorCategory: failure.category,
        error: failure.message,
        durationMs: Date.now() - started,
      });
      // Only the sanitised error leaves the function: never the driver's, which may hold SQL.
      throw failure;
    }
  } as RotationHandler;
}

/** Lambda handler (`index.handler` in the bundle). Reads its configuration from the environment. */
export const handler = createRotationHandler();
