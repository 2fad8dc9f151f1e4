// Alternating-users (multi-user) rotation scenarios, run against each engine by the *.test.ts files.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RotationError } from '../../src/errors.ts';
import { STEPS, completeRotation, createSecret, invoke, rotate, secretValue, stages, startRotation, uniqueName, versionWith } from './aws.ts';
import type { EngineHarness } from './databases.ts';
import { captureLogs, type CapturedLogs } from './logs.ts';

const ENV = { ROTATION_STRATEGY: 'alternating-users' };

async function rejection(promise: Promise<unknown>): Promise<RotationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RotationError);
  return error as RotationError;
}

export function alternatingUsersSuite(makeHarness: () => EngineHarness): void {
  const db = makeHarness();

  describe(`${db.label} alternating-users rotation`, () => {
    let logs: CapturedLogs;
    beforeEach(() => {
      logs = captureLogs();
    });
    afterEach(async () => {
      logs.restore();
      await db.cleanup();
    });

    /** A master user + secret, and an application user with a probe table + secret naming the master. */
    async function arrange(options: { masterExtra?: Record<string, unknown>; userExtra?: Record<string, unknown>; masterPrivileged?: boolean } = {}) {
      const masterName = db.newUsername();
      const masterPassword = db.newPassword();
      await db.createUser(masterName, masterPassword, { master: options.masterPrivileged ?? true });
      const master = await createSecret(uniqueName('master'), JSON.stringify(db.secretFor(masterName, masterPassword, options.masterExtra)));

      const username = db.newUsername();
      const password = db.newPassword();
      await db.createUser(username, password);
      await db.grantProbe(username);
      const user = await createSecret(
        uniqueName('alternating'),
        JSON.stringify(db.secretFor(username, password, { masterarn: master.arn, ...options.userExtra })),
      );
      return { username, clone: `${username}_clone`, password, masterName, masterPassword, masterArn: master.arn, ...user };
    }

    it("When the first rotation runs, then the master creates <username>_clone with the user's privileges and both users log in", async () => {
      // Arrange
      const a = await arrange();

      // Act
      const token = await rotate(a.arn, ENV);

      // Assert
      const current = await secretValue(a.arn);
      expect(current.username).toBe(a.clone);
      expect(current.masterarn).toBe(a.masterArn);
      expect(current.password).not.toBe(a.password);
      expect(await db.canReadProbe(a.clone, String(current.password), a.username)).toBe(true);
      expect(await db.canReadProbe(a.username, a.password, a.username)).toBe(true);
      expect(await stages(a.arn)).toEqual({ [a.versionId]: ['AWSPREVIOUS'], [token]: ['AWSCURRENT'] });
      expect(logs.outcomes()).toEqual(['createSecret:created', 'setSecret:user-created', 'testSecret:tested', 'finishSecret:finished']);
      for (const line of logs.lines) {
        expect(line).not.toContain(a.password);
        expect(line).not.toContain(String(current.password));
        expect(line).not.toContain(a.masterPassword);
      }
    });

    it("When the secret is rotated three times in a row, then the users alternate, each rotation changes the older user's password and both users keep working", async () => {
      // Arrange
      const a = await arrange();
      const seen: { username: string; password: string }[] = [{ username: a.username, password: a.password }];

      // Act + Assert, rotation by rotation
      for (let i = 1; i <= 3; i++) {
        await rotate(a.arn, ENV);
        const current = await secretValue(a.arn);
        const previous = await secretValue(a.arn, 'AWSPREVIOUS');
        seen.push({ username: String(current.username), password: String(current.password) });

        expect(current.username).toBe(i % 2 === 1 ? a.clone : a.username);
        expect(previous.username).toBe(i % 2 === 1 ? a.username : a.clone);
        // Both users work: the new AWSCURRENT and the AWSPREVIOUS one.
        expect(await db.canReadProbe(String(current.username), String(current.password), a.username)).toBe(true);
        expect(await db.canReadProbe(String(previous.username), String(previous.password), a.username)).toBe(true);
        // The user that got the new password no longer accepts its password from two rotations ago.
        const older = seen[i - 2];
        if (older) expect(await db.canLogin(older.username, older.password)).toBe(false);
      }
      expect(new Set(seen.map((s) => s.password)).size).toBe(4);
      expect(logs.outcomes().filter((o) => o.startsWith('setSecret'))).toEqual(['setSecret:user-created', 'setSecret:user-updated', 'setSecret:user-updated']);
    });

    it('When every step is run twice, then the second run of each step changes nothing', async () => {
      // Arrange
      const a = await arrange();
      const token = await startRotation(a.arn);

      // Act
      for (const step of STEPS) {
        await invoke(step, a.arn, token, ENV);
        await invoke(step, a.arn, token, ENV);
      }
      await completeRotation(a.arn, token);

      // Assert
      expect(logs.outcomes()).toEqual([
        'createSecret:created',
        'createSecret:already-created',
        'setSecret:user-created',
        'setSecret:already-set',
        'testSecret:tested',
        'testSecret:tested',
        'finishSecret:finished',
        'finishSecret:already-current',
      ]);
      const current = await secretValue(a.arn);
      expect(current.username).toBe(a.clone);
      expect(await db.canReadProbe(a.clone, String(current.password), a.username)).toBe(true);
      expect(Object.keys(await stages(a.arn))).toHaveLength(2);
    });

    it('When the rotation stops after setSecret and Secrets Manager runs it again, then it completes and both users work', async () => {
      // Arrange
      const a = await arrange();
      const token = await startRotation(a.arn);
      await invoke('createSecret', a.arn, token, ENV);
      await invoke('setSecret', a.arn, token, ENV);
      expect(await db.userExists(a.clone)).toBe(true);
      expect(await versionWith(a.arn, 'AWSCURRENT')).toBe(a.versionId);

      // Act
      for (const step of STEPS) await invoke(step, a.arn, token, ENV);
      await completeRotation(a.arn, token);

      // Assert
      const current = await secretValue(a.arn);
      expect(current.username).toBe(a.clone);
      expect(await db.canReadProbe(a.clone, String(current.password), a.username)).toBe(true);
      expect(await db.canReadProbe(a.username, a.password, a.username)).toBe(true);
      expect(logs.outcomes().slice(2)).toEqual(['createSecret:already-created', 'setSecret:already-set', 'testSecret:tested', 'finishSecret:finished']);
    });

    it('When the secret has no masterarn, then createSecret fails as a secret format error, no clone is created and AWSCURRENT is untouched', async () => {
      // Arrange
      const a = await arrange({ userExtra: { masterarn: undefined } });
      const token = await startRotation(a.arn);

      // Act
      const error = await rejection(invoke('createSecret', a.arn, token, ENV));

      // Assert
      expect(error.category).toBe('secret-format');
      expect(error.message).toMatch(/masterarn key is missing/);
      expect(await stages(a.arn)).toEqual({ [a.versionId]: ['AWSCURRENT'], [token]: ['AWSPENDING'] });
      expect(await db.userExists(a.clone)).toBe(false);
    });

    it.each([
      ['the SecretString is not JSON', (s: Record<string, unknown>) => `${JSON.stringify(s)}}`, /SecretString is not valid JSON/],
      ['the engine key is missing', (s: Record<string, unknown>) => JSON.stringify({ ...s, engine: undefined }), /engine key is missing/],
    ])('When %s, then createSecret fails as a secret format error and AWSCURRENT is untouched', async (_case, corrupt, expected) => {
      // Arrange
      const a = await arrange();
      const broken = await createSecret(uniqueName('alt-badformat'), corrupt(db.secretFor(a.username, a.password, { masterarn: a.masterArn })));
      const token = await startRotation(broken.arn);

      // Act
      const error = await rejection(invoke('createSecret', broken.arn, token, ENV));

      // Assert
      expect(error.category).toBe('secret-format');
      expect(error.message).toMatch(expected);
      expect(error.message).not.toContain(a.password);
      expect(await stages(broken.arn)).toEqual({ [broken.versionId]: ['AWSCURRENT'], [token]: ['AWSPENDING'] });
      expect(await db.userExists(a.clone)).toBe(false);
    });

    it('When the secret names a host where no database listens, then setSecret fails as a network error before the master touches anything', async () => {
      // Arrange
      const a = await arrange({ userExtra: { host: '127.0.0.2' } });
      const token = await startRotation(a.arn);
      await invoke('createSecret', a.arn, token, ENV);

      // Act
      const error = await rejection(invoke('setSecret', a.arn, token, ENV));

      // Assert
      expect(error.category).toBe('network');
      expect(error.message).toMatch(/^Network error: setSecret: unable to log into the database with the AWSCURRENT secret/);
      expect(error.message).toContain('127.0.0.2');
      expect(await db.userExists(a.clone)).toBe(false);
      expect(await versionWith(a.arn, 'AWSCURRENT')).toBe(a.versionId);
    });

    it.each([
      ['another host', { host: 'localhost' }],
      ['another port', { port: 1 }],
    ])('When the master secret points to %s, then setSecret refuses as a secret format error and no clone is created', async (_case, masterExtra) => {
      // Arrange
      const a = await arrange({ masterExtra });
      const token = await startRotation(a.arn);
      await invoke('createSecret', a.arn, token, ENV);

      // Act
      const error = await rejection(invoke('setSecret', a.arn, token, ENV));

      // Assert
      expect(error.category).toBe('secret-format');
      expect(error.message).toMatch(/both must name the same database/);
      expect(await db.userExists(a.clone)).toBe(false);
      expect(await versionWith(a.arn, 'AWSCURRENT')).toBe(a.versionId);
    });

    it('When the AWSCURRENT credentials do not work, then setSecret fails as an authentication error before the master touches anything', async () => {
      // Arrange
      const a = await arrange({ userExtra: { password: 'not-the-password' } });
      const token = await startRotation(a.arn);
      await invoke('createSecret', a.arn, token, ENV);

      // Act
      const error = await rejection(invoke('setSecret', a.arn, token, ENV));

      // Assert
      expect(error.category).toBe('authentication');
      expect(error.message).toMatch(/with the AWSCURRENT secret/);
      expect(error.message).not.toContain('not-the-password');
      expect(await db.userExists(a.clone)).toBe(false);
    });

    it('When the master user may not create users, then setSecret fails as a permissions error and AWSCURRENT is untouched', async () => {
      // Arrange
      const a = await arrange({ masterPrivileged: false });
      const token = await startRotation(a.arn);
      await invoke('createSecret', a.arn, token, ENV);

      // Act
      const error = await rejection(invoke('setSecret', a.arn, token, ENV));

      // Assert
      expect(error.category).toBe('permissions');
      expect(error.message).toMatch(/^Permissions error: /);
      expect(error.message).not.toContain(a.masterPassword);
      expect(await versionWith(a.arn, 'AWSCURRENT')).toBe(a.versionId);
      expect(await db.canLogin(a.username, a.password)).toBe(true);
    });

    it('When the master secret does not exist, then setSecret fails with a message naming masterarn', async () => {
      // Arrange
      const a = await arrange({ userExtra: { masterarn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:does-not-exist-AbCdEf' } });
      const token = await startRotation(a.arn);
      await invoke('createSecret', a.arn, token, ENV);

      // Act
      const error = await rejection(invoke('setSecret', a.arn, token, ENV));

      // Assert
      expect(error.category).toBe('secret-format');
      expect(error.message).toMatch(/master secret .*does-not-exist.* named by masterarn/);
      expect(await db.userExists(a.clone)).toBe(false);
    });

    it('When the clone name would exceed USERNAME_CHARACTER_LIMIT, then createSecret fails as a secret format error', async () => {
      // Arrange
      const a = await arrange();
      const token = await startRotation(a.arn);

      // Act
      const error = await rejection(invoke('createSecret', a.arn, token, { ...ENV, USERNAME_CHARACTER_LIMIT: '12' }));

      // Assert
      expect(error.category).toBe('secret-format');
      expect(error.message).toMatch(/would exceed 12 characters/);
      expect(await stages(a.arn)).toEqual({ [a.versionId]: ['AWSCURRENT'], [token]: ['AWSPENDING'] });
    });
  });
}
