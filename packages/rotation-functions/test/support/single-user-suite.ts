// Single-user rotation scenarios, run against each engine by the *.test.ts files.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RotationError } from '../../src/errors.ts';
import { STEPS, completeRotation, createSecret, invoke, rotate, secretValue, stages, startRotation, uniqueName, versionWith } from './aws.ts';
import type { EngineHarness } from './databases.ts';
import { captureLogs, type CapturedLogs } from './logs.ts';

const ENV = { ROTATION_STRATEGY: 'single-user' };

async function rejection(promise: Promise<unknown>): Promise<RotationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RotationError);
  return error as RotationError;
}

export function singleUserSuite(makeHarness: () => EngineHarness): void {
  const db = makeHarness();

  describe(`${db.label} single-user rotation`, () => {
    let logs: CapturedLogs;
    beforeEach(() => {
      logs = captureLogs();
    });
    afterEach(async () => {
      logs.restore();
      await db.cleanup();
    });

    async function arrangeUser(extra: Record<string, unknown> = {}) {
      const username = db.newUsername();
      const password = db.newPassword();
      await db.createUser(username, password);
      const secret = await createSecret(uniqueName('single'), JSON.stringify(db.secretFor(username, password, extra)));
      return { username, password, ...secret };
    }

    it('When a rotation runs, then the new AWSCURRENT password logs in and the old one is refused', async () => {
      // Arrange
      const user = await arrangeUser({ note: 'kept as is' });

      // Act
      const token = await rotate(user.arn, ENV);

      // Assert
      const current = await secretValue(user.arn);
      expect(current.username).toBe(user.username);
      expect(current.password).not.toBe(user.password);
      expect(String(current.password)).toHaveLength(32);
      expect(String(current.password)).not.toMatch(/[/@"'\\]/);
      expect(current.note).toBe('kept as is');
      expect(await db.canLogin(user.username, String(current.password))).toBe(true);
      expect(await db.canLogin(user.username, user.password)).toBe(false);
      const s = await stages(user.arn);
      expect(s[token]).toEqual(['AWSCURRENT']);
      expect(s[user.versionId]).toEqual(['AWSPREVIOUS']);
      expect(logs.outcomes()).toEqual(['createSecret:created', 'setSecret:password-set', 'testSecret:tested', 'finishSecret:finished']);
    });

    it('When a rotation runs, then every step logs its name, secret ARN, version and outcome and no log line holds a password', async () => {
      // Arrange
      const user = await arrangeUser();

      // Act
      const token = await rotate(user.arn, ENV);

      // Assert
      const newPassword = String((await secretValue(user.arn)).password);
      const finished = logs.records().filter((r) => r.message === 'rotation step succeeded');
      expect(finished.map((r) => r.step)).toEqual(STEPS);
      for (const record of finished) {
        expect(record).toMatchObject({ secretArn: user.arn, versionId: token, strategy: 'single-user' });
        expect(typeof record.outcome).toBe('string');
      }
      for (const line of logs.lines) {
        expect(line).not.toContain(user.password);
        expect(line).not.toContain(newPassword);
        expect(line).not.toContain('SecretString');
      }
    });

    it('When the secret is rotated three times in a row, then each new password works and every earlier one is refused', async () => {
      // Arrange
      const user = await arrangeUser();
      const passwords = [user.password];

      // Act
      for (let i = 0; i < 3; i++) {
        await rotate(user.arn, ENV);
        passwords.push(String((await secretValue(user.arn)).password));
      }

      // Assert
      expect(new Set(passwords).size).toBe(4);
      const [latest, ...earlier] = passwords.reverse();
      expect(await db.canLogin(user.username, latest as string)).toBe(true);
      for (const old of earlier) expect(await db.canLogin(user.username, old)).toBe(false);
      expect(Object.keys(await stages(user.arn))).toHaveLength(4);
    });

    it('When every step is run twice, then the second run of each step changes nothing', async () => {
      // Arrange
      const user = await arrangeUser();
      const token = await startRotation(user.arn);

      // Act
      const afterSet: string[] = [];
      for (const step of STEPS) {
        await invoke(step, user.arn, token, ENV);
        await invoke(step, user.arn, token, ENV);
        if (step === 'setSecret') afterSet.push(String((await secretValue(user.arn, 'AWSPENDING')).password));
      }
      await completeRotation(user.arn, token);

      // Assert
      expect(logs.outcomes()).toEqual([
        'createSecret:created',
        'createSecret:already-created',
        'setSecret:password-set',
        'setSecret:already-set',
        'testSecret:tested',
        'testSecret:tested',
        'finishSecret:finished',
        'finishSecret:already-current',
      ]);
      const current = await secretValue(user.arn);
      expect(current.password).toBe(afterSet[0]);
      expect(await db.canLogin(user.username, String(current.password))).toBe(true);
      expect(await db.canLogin(user.username, user.password)).toBe(false);
      expect(Object.keys(await stages(user.arn))).toHaveLength(2);
    });

    it('When the rotation stops after setSecret and Secrets Manager runs it again, then it completes with the same new password', async () => {
      // Arrange
      const user = await arrangeUser();
      const token = await startRotation(user.arn);
      await invoke('createSecret', user.arn, token, ENV);
      await invoke('setSecret', user.arn, token, ENV);
      const pending = String((await secretValue(user.arn, 'AWSPENDING')).password);
      // The database already has the new password while AWSCURRENT still holds the old one.
      expect(await db.canLogin(user.username, pending)).toBe(true);
      expect(await versionWith(user.arn, 'AWSCURRENT')).toBe(user.versionId);

      // Act
      for (const step of STEPS) await invoke(step, user.arn, token, ENV);
      await completeRotation(user.arn, token);

      // Assert
      const current = await secretValue(user.arn);
      expect(current.password).toBe(pending);
      expect(await db.canLogin(user.username, pending)).toBe(true);
      expect(await db.canLogin(user.username, user.password)).toBe(false);
      expect(logs.outcomes().slice(2)).toEqual(['createSecret:already-created', 'setSecret:already-set', 'testSecret:tested', 'finishSecret:finished']);
    });

    it('When AWSCURRENT no longer works but AWSPREVIOUS does, then setSecret logs in with AWSPREVIOUS and rotates', async () => {
      // Arrange: after one rotation the database is restored to the original password.
      const user = await arrangeUser();
      await rotate(user.arn, ENV);
      const superseded = String((await secretValue(user.arn)).password);
      await db.cleanup();
      await db.createUser(user.username, user.password);

      // Act
      await rotate(user.arn, ENV);

      // Assert
      const current = String((await secretValue(user.arn)).password);
      expect(await db.canLogin(user.username, current)).toBe(true);
      expect(await db.canLogin(user.username, user.password)).toBe(false);
      expect(await db.canLogin(user.username, superseded)).toBe(false);
      const setLog = logs.records().find((r) => r.message === 'setSecret: user changed its own password' && r.loggedInWith === 'AWSPREVIOUS');
      expect(setLog).toBeDefined();
    });

    it('When the stored password is wrong, then setSecret fails as an authentication error naming no password and AWSCURRENT is untouched', async () => {
      // Arrange
      const username = db.newUsername();
      const realPassword = db.newPassword();
      const wrongPassword = db.newPassword();
      await db.createUser(username, realPassword);
      const secret = await createSecret(uniqueName('wrongpw'), JSON.stringify(db.secretFor(username, wrongPassword)));
      const token = await startRotation(secret.arn);
      await invoke('createSecret', secret.arn, token, ENV);
      const pending = String((await secretValue(secret.arn, 'AWSPENDING')).password);

      // Act
      const error = await rejection(invoke('setSecret', secret.arn, token, ENV));

      // Assert
      expect(error.category).toBe('authentication');
      expect(error.message).toMatch(/^Authentication error: setSecret: unable to log into the database/);
      for (const text of [error.message, error.stack ?? '', ...logs.lines]) {
        expect(text).not.toContain(wrongPassword);
        expect(text).not.toContain(pending);
        expect(text).not.toContain(realPassword);
      }
      const failed = logs.records().find((r) => r.message === 'rotation step failed');
      expect(failed).toMatchObject({ step: 'setSecret', outcome: 'failed', errorCategory: 'authentication', secretArn: secret.arn, versionId: token });
      expect(await versionWith(secret.arn, 'AWSCURRENT')).toBe(secret.versionId);
      expect((await secretValue(secret.arn)).password).toBe(wrongPassword);
      expect(await db.canLogin(username, realPassword)).toBe(true);
    });

    it('When the secret names a host where no database listens, then setSecret fails as a network error and AWSCURRENT is untouched', async () => {
      // Arrange
      const user = await arrangeUser({ host: '127.0.0.2' });
      const token = await startRotation(user.arn);
      await invoke('createSecret', user.arn, token, ENV);

      // Act
      const error = await rejection(invoke('setSecret', user.arn, token, ENV));

      // Assert
      expect(error.category).toBe('network');
      expect(error.message).toContain('Network error');
      expect(error.message).toContain('127.0.0.2');
      expect(error.message).toContain('ECONNREFUSED');
      expect(await versionWith(user.arn, 'AWSCURRENT')).toBe(user.versionId);
      expect((await secretValue(user.arn)).password).toBe(user.password);
      expect(await db.canLogin(user.username, user.password)).toBe(true);
    });

    it('When the secret demands TLS (ssl: true) and the server offers none, then setSecret fails as a network error and never falls back to plain text', async () => {
      // Arrange
      const user = await arrangeUser({ ssl: true });
      const token = await startRotation(user.arn);
      await invoke('createSecret', user.arn, token, ENV);

      // Act
      const error = await rejection(invoke('setSecret', user.arn, token, ENV));

      // Assert
      expect(error.category).toBe('network');
      expect(error.message).toContain('over TLS');
      expect(await db.canLogin(user.username, user.password)).toBe(true);
      expect(await versionWith(user.arn, 'AWSCURRENT')).toBe(user.versionId);
    });

    it('When the secret turns TLS off (ssl: "false"), then the rotation logs in without TLS', async () => {
      // Arrange
      const user = await arrangeUser({ ssl: 'false' });

      // Act
      await rotate(user.arn, ENV);

      // Assert
      const current = await secretValue(user.arn);
      expect(current.ssl).toBe('false');
      expect(await db.canLogin(user.username, String(current.password))).toBe(true);
      const setLog = logs.records().find((r) => r.message === 'setSecret: user changed its own password');
      expect(setLog).toMatchObject({ tls: false, loggedInWith: 'AWSCURRENT' });
    });

    it.each([
      ['the SecretString is not JSON', (s: Record<string, unknown>) => `${JSON.stringify(s).slice(0, -1)},`, /SecretString is not valid JSON/],
      ['the engine key is missing', (s: Record<string, unknown>) => JSON.stringify({ ...s, engine: undefined }), /engine key is missing/],
      ['the engine is not supported', (s: Record<string, unknown>) => JSON.stringify({ ...s, engine: 'oracle' }), /engine .* is not supported/],
      ['the username key is missing', (s: Record<string, unknown>) => JSON.stringify({ ...s, username: undefined }), /username key is missing/],
      ['the port is not a number', (s: Record<string, unknown>) => JSON.stringify({ ...s, port: 'abc' }), /port .* must be an integer/],
    ])('When %s, then createSecret fails as a secret format error and AWSCURRENT is untouched', async (_case, corrupt, expected) => {
      // Arrange
      const username = db.newUsername();
      const password = db.newPassword();
      await db.createUser(username, password);
      const secretString = corrupt(db.secretFor(username, password));
      const secret = await createSecret(uniqueName('badformat'), secretString);
      const token = await startRotation(secret.arn);

      // Act
      const error = await rejection(invoke('createSecret', secret.arn, token, ENV));

      // Assert
      expect(error.category).toBe('secret-format');
      expect(error.message).toMatch(/^Secret format error: /);
      expect(error.message).toMatch(expected);
      expect(error.message).not.toContain(password);
      expect(logs.lines.join('\n')).not.toContain(password);
      expect(await versionWith(secret.arn, 'AWSCURRENT')).toBe(secret.versionId);
      expect(await stages(secret.arn)).toEqual({ [secret.versionId]: ['AWSCURRENT'], [token]: ['AWSPENDING'] });
      expect(await db.canLogin(username, password)).toBe(true);
    });
  });
}
