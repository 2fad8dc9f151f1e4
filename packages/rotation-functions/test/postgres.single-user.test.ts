import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createSecret, rotate, secretValue, uniqueName } from './support/aws.ts';
import { postgresHarness } from './support/databases.ts';
import { captureLogs } from './support/logs.ts';
import { singleUserSuite } from './support/single-user-suite.ts';

singleUserSuite(postgresHarness);

describe('PostgreSQL password handling', () => {
  const db = postgresHarness();
  afterEach(() => db.cleanup());

  it('When the server logs every DDL statement, then the new password never reaches the server log (a SCRAM verifier is sent)', async () => {
    // Arrange
    const logs = captureLogs();
    const username = db.newUsername();
    const password = db.newPassword();
    await db.createUser(username, password);
    const secret = await createSecret(uniqueName('scram'), JSON.stringify(db.secretFor(username, password)));

    // Act
    await rotate(secret.arn, { ROTATION_STRATEGY: 'single-user' });
    logs.restore();

    // Assert
    const newPassword = String((await secretValue(secret.arn)).password);
    expect(await db.canLogin(username, newPassword)).toBe(true);
    const serverLog = readFileSync(inject('pg').logFile, 'utf8');
    expect(serverLog).toContain(`ALTER USER "${username}" WITH PASSWORD 'SCRAM-SHA-256$4096:`);
    expect(serverLog).not.toContain(newPassword);
  });
});
