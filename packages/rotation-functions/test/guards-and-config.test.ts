// The handler's guards (same as AWS's templates) and its environment configuration.
import { SecretsManagerClient, SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { RotationError } from '../src/errors.ts';
import { createRotationHandler, handler, type RotationEvent } from '../src/handler.ts';
import { createSecret, invoke, rotate, secretValue, stages, startRotation, uniqueName } from './support/aws.ts';
import { postgresHarness } from './support/databases.ts';
import { captureLogs, type CapturedLogs } from './support/logs.ts';

async function rejection(promise: Promise<unknown>): Promise<RotationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RotationError);
  return error as RotationError;
}

describe('rotation guards', () => {
  const db = postgresHarness();
  let logs: CapturedLogs;
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(async () => {
    logs.restore();
    await db.cleanup();
  });

  async function arrangeSecret() {
    const username = db.newUsername();
    const password = db.newPassword();
    await db.createUser(username, password);
    return { username, password, ...(await createSecret(uniqueName('guard'), JSON.stringify(db.secretFor(username, password)))) };
  }

  it('When rotation is not enabled on the secret, then every step refuses with a rotation state error', async () => {
    // Arrange: RotateSecret without AutomaticallyAfterDays leaves RotationEnabled false in moto.
    const s = await arrangeSecret();
    const token = await startRotation(s.arn, { automaticallyAfterDays: 0 });

    // Act
    const error = await rejection(invoke('createSecret', s.arn, token));

    // Assert
    expect(error.category).toBe('rotation-state');
    expect(error.message).toContain('is not enabled for rotation');
    expect((await stages(s.arn))[token]).toEqual(['AWSPENDING']);
  });

  it('When the token is not a version of the secret, then the step refuses with a rotation state error', async () => {
    // Arrange
    const s = await arrangeSecret();
    await startRotation(s.arn);

    // Act
    const error = await rejection(invoke('createSecret', s.arn, '0b7a1f1e-3c2d-4a5b-9c8d-7e6f5a4b3c2d'));

    // Assert
    expect(error.category).toBe('rotation-state');
    expect(error.message).toContain('has no stage for rotation');
  });

  it('When the token is already AWSCURRENT, then every step returns at once and changes nothing', async () => {
    // Arrange
    const s = await arrangeSecret();
    const token = await startRotation(s.arn);
    const before = await stages(s.arn);

    // Act
    for (const step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const) await invoke(step, s.arn, s.versionId);

    // Assert
    expect(await stages(s.arn)).toEqual(before);
    expect(before[token]).toEqual(['AWSPENDING']);
    expect(logs.outcomes()).toEqual([
      'createSecret:already-current',
      'setSecret:already-current',
      'testSecret:already-current',
      'finishSecret:already-current',
    ]);
    expect(await db.canLogin(s.username, s.password)).toBe(true);
  });

  it('When the token is neither AWSCURRENT nor AWSPENDING, then the step refuses with a rotation state error', async () => {
    // Arrange: after one rotation the original version only carries AWSPREVIOUS.
    const s = await arrangeSecret();
    await rotate(s.arn);
    await startRotation(s.arn);

    // Act
    const error = await rejection(invoke('setSecret', s.arn, s.versionId));

    // Assert
    expect(error.category).toBe('rotation-state');
    expect(error.message).toContain('is not set as AWSPENDING');
  });

  it('When the event names an unknown step, then the handler fails as a configuration error', async () => {
    // Arrange
    const event = { Step: 'rollbackSecret', SecretId: 'x', ClientRequestToken: 'y' } as unknown as RotationEvent;

    // Act
    const error = await rejection(handler(event));

    // Assert
    expect(error.category).toBe('configuration');
    expect(error.message).toContain('Step must be one of createSecret, setSecret, testSecret, finishSecret');
  });

  it('When ROTATION_STRATEGY is not a known strategy, then the handler fails as a configuration error', async () => {
    // Arrange
    const s = await arrangeSecret();
    const token = await startRotation(s.arn);

    // Act
    const error = await rejection(invoke('createSecret', s.arn, token, { ROTATION_STRATEGY: 'round-robin' }));

    // Assert
    expect(error.category).toBe('configuration');
    expect(error.message).toContain('ROTATION_STRATEGY must be one of single-user, alternating-users');
  });

  it('When DB_ENGINE names another engine family than the secret, then createSecret refuses as a secret format error', async () => {
    // Arrange
    const s = await arrangeSecret();
    const token = await startRotation(s.arn);

    // Act
    const error = await rejection(invoke('createSecret', s.arn, token, { DB_ENGINE: 'mysql' }));

    // Assert
    expect(error.category).toBe('secret-format');
    expect(error.message).toContain('is not served by this function, which is configured for mysql');
  });

  it('When EXCLUDE_CHARACTERS and PASSWORD_LENGTH are set, then the new password honours them', async () => {
    // Arrange
    const s = await arrangeSecret();

    // Act
    await rotate(s.arn, { EXCLUDE_CHARACTERS: 'abcdefABCDEF012345!#$%', PASSWORD_LENGTH: '20' });

    // Assert
    const password = String((await secretValue(s.arn)).password);
    expect(password).toHaveLength(20);
    expect(password).not.toMatch(/[a-fA-F0-5!#$%]/);
    expect(await db.canLogin(s.username, password)).toBe(true);
  });

  it('When SECRETS_MANAGER_ENDPOINT is set, then the function calls that endpoint instead of AWS_ENDPOINT_URL', async () => {
    // Arrange
    const s = await arrangeSecret();
    const moto = inject('motoEndpoint');
    const token = await startRotation(s.arn);

    // Act
    for (const step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const) {
      await invoke(step, s.arn, token, { SECRETS_MANAGER_ENDPOINT: moto, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
    }

    // Assert
    const password = String((await secretValue(s.arn)).password);
    expect(await db.canLogin(s.username, password)).toBe(true);
    expect(await db.canLogin(s.username, s.password)).toBe(false);
  });

  it('When Secrets Manager cannot be reached, then the step fails as a network error', async () => {
    // Arrange
    const s = await arrangeSecret();
    const token = await startRotation(s.arn);

    // Act
    const error = await rejection(invoke('createSecret', s.arn, token, { SECRETS_MANAGER_ENDPOINT: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' }));

    // Assert
    expect(error.category).toBe('network');
    expect(error.message).toMatch(/^Network error: DescribeSecret failed/);
  });

  it('When Secrets Manager denies access, then the step fails as a permissions error', async () => {
    // Arrange: a real SDK client whose requests are answered with AccessDeniedException.
    const client = new SecretsManagerClient({});
    client.middlewareStack.add(
      () => async () => {
        throw new SecretsManagerServiceException({
          name: 'AccessDeniedException',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
          message: 'User: arn:aws:sts::123456789012:assumed-role/rotation/fn is not authorized to perform: secretsmanager:DescribeSecret',
        });
      },
      { step: 'initialize', name: 'denyEverything' },
    );
    const denied = createRotationHandler({ client });

    // Act
    const error = await rejection(denied({ Step: 'createSecret', SecretId: 'any-secret', ClientRequestToken: 'tok' }));

    // Assert
    expect(error.category).toBe('permissions');
    expect(error.message).toContain('Permissions error: DescribeSecret failed for secret any-secret');
    expect(error.message).toContain('AccessDeniedException');
    const failed = logs.records().find((r) => r.message === 'rotation step failed');
    expect(failed).toMatchObject({ errorCategory: 'permissions', step: 'createSecret', secretArn: 'any-secret', versionId: 'tok' });
  });
});
