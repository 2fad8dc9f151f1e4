// The preflight event: the function reads the secret, logs in and reads the privileges the strategy
// needs, on the real PostgreSQL (password authentication on) and MariaDB, and changes nothing.
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { RotationError } from '../src/errors.ts';
import { handler } from '../src/handler.ts';
import type { PreflightAnswer } from '../src/preflight.ts';
import { createSecret, stages, uniqueName } from './support/aws.ts';
import { HARNESSES, type EngineHarness } from './support/databases.ts';
import { captureLogs, type CapturedLogs } from './support/logs.ts';

/** The handler with the preflight event, and the strategy in the environment for the call only. */
async function preflight(secretId: string, strategy: 'single-user' | 'alternating-users'): Promise<PreflightAnswer> {
  const saved = process.env.ROTATION_STRATEGY;
  process.env.ROTATION_STRATEGY = strategy;
  try {
    return await handler({ Preflight: 'database-login', SecretId: secretId });
  } finally {
    if (saved === undefined) delete process.env.ROTATION_STRATEGY;
    else process.env.ROTATION_STRATEGY = saved;
  }
}

const verdictsOf = (answer: PreflightAnswer) => answer.verdicts.map((v) => `${v.check}:${v.verdict}`);

describe.each(Object.values(HARNESSES))('The database-login preflight', (makeHarness: () => EngineHarness) => {
  const db = makeHarness();
  let logs: CapturedLogs;
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(async () => {
    logs.restore();
    await db.cleanup();
  });

  /** A user and its secret; with `master`, a master user and secret too, named by masterarn. */
  async function arrange(options: { master?: 'privileged' | 'unprivileged'; wrongPassword?: boolean } = {}) {
    const username = db.newUsername();
    const password = db.newPassword();
    await db.createUser(username, password);
    let masterArn: string | undefined;
    let masterPassword: string | undefined;
    let masterName: string | undefined;
    if (options.master) {
      masterName = db.newUsername();
      masterPassword = db.newPassword();
      await db.createUser(masterName, masterPassword, { master: options.master === 'privileged' });
      masterArn = (await createSecret(uniqueName('pf-master'), JSON.stringify(db.secretFor(masterName, masterPassword)))).arn;
    }
    const secretPassword = options.wrongPassword ? db.newPassword() : password;
    const secret = await createSecret(uniqueName('pf'), JSON.stringify(db.secretFor(username, secretPassword, masterArn ? { masterarn: masterArn } : {})));
    return { username, password, secretPassword, masterName, masterPassword, masterArn, ...secret };
  }

  /** Nothing a preflight answers or logs holds a password. */
  const expectNoValues = (answer: PreflightAnswer, ...passwords: (string | undefined)[]) => {
    const text = [JSON.stringify(answer), ...logs.lines].join('\n');
    for (const p of passwords) if (p) expect(text).not.toContain(p);
  };

  it(`${db.label}: When a single user's AWSCURRENT logs in, then every verdict passes, the user may change its own password, and nothing changed`, async () => {
    // Arrange
    const a = await arrange();
    const before = await stages(a.arn);

    // Act
    const answer = await preflight(a.arn, 'single-user');

    // Assert
    expect(answer).toMatchObject({ preflight: 'database-login', strategy: 'single-user' });
    expect(verdictsOf(answer)).toEqual(['secret:pass', 'login:pass', 'privilege:pass']);
    expect(answer.verdicts[1]!.message).toContain(`"${a.username}" at ${db.host}:${db.port}`);
    expect(answer.verdicts[2]!.message).toContain('change its own password');
    expect(await stages(a.arn)).toEqual(before);
    expect(await db.canLogin(a.username, a.password)).toBe(true);
    expectNoValues(answer, a.password);
    expect(logs.records().find((r) => r.message === 'preflight answered')).toMatchObject({ verdicts: ['secret:pass', 'login:pass', 'privilege:pass'] });
  });

  it(`${db.label}: When AWSCURRENT's password is not the user's, then the login fails as an authentication error and the privilege is not checked`, async () => {
    // Arrange
    const a = await arrange({ wrongPassword: true });

    // Act
    const answer = await preflight(a.arn, 'single-user');

    // Assert
    expect(verdictsOf(answer)).toEqual(['secret:pass', 'login:fail', 'privilege:unknown']);
    expect(answer.verdicts[1]).toMatchObject({ category: 'authentication' });
    expectNoValues(answer, a.password, a.secretPassword);
  });

  it(`${db.label}: When the master may create users and grant, then multi-user verdicts all pass and no clone is created`, async () => {
    // Arrange
    const a = await arrange({ master: 'privileged' });

    // Act
    const answer = await preflight(a.arn, 'alternating-users');

    // Assert
    expect(verdictsOf(answer)).toEqual(['secret:pass', 'login:pass', 'master-secret:pass', 'master-login:pass', 'privilege:pass']);
    expect(answer.verdicts[4]!.message).toContain(`${a.username}_clone`);
    expect(await db.userExists(`${a.username}_clone`)).toBe(false);
    expectNoValues(answer, a.password, a.masterPassword);
  });

  it(`${db.label}: When the master may not create users, then the privilege fails with the statement that would grant it`, async () => {
    // Arrange
    const a = await arrange({ master: 'unprivileged' });

    // Act
    const answer = await preflight(a.arn, 'alternating-users');

    // Assert
    expect(verdictsOf(answer)).toEqual(['secret:pass', 'login:pass', 'master-secret:pass', 'master-login:pass', 'privilege:fail']);
    const privilege = answer.verdicts[4]!;
    expect(privilege.message).toContain(a.masterName);
    expect(privilege.fix).toMatch(
      db.engine === 'postgres' ? /^ALTER ROLE "rc\w+" CREATEROLE;$/ : /GRANT CREATE USER ON \*\.\* TO 'rc\w+'@'%' WITH GRANT OPTION;/,
    );
    expect(await db.userExists(`${a.username}_clone`)).toBe(false);
    expectNoValues(answer, a.password, a.masterPassword);
  });

  it(`${db.label}: When multi-user rotation meets a secret without masterarn, then the secret fails as a format error and nothing is logged in to`, async () => {
    // Arrange
    const a = await arrange();

    // Act
    const answer = await preflight(a.arn, 'alternating-users');

    // Assert
    expect(verdictsOf(answer)).toEqual(['secret:fail']);
    expect(answer.verdicts[0]).toMatchObject({ category: 'secret-format' });
    expect(answer.verdicts[0]!.message).toContain('masterarn key is missing');
  });
});

describe('The preflight event', () => {
  let logs: CapturedLogs;
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(() => logs.restore());

  it('When an event names a preflight and also a Step or ClientRequestToken, then it is refused: a preflight is never taken for a rotation step', async () => {
    // Arrange
    const secret = await createSecret(uniqueName('pf-event'), JSON.stringify({ engine: 'postgres', host: '127.0.0.1', username: 'u', password: 'p' }));
    const event = { Preflight: 'database-login', SecretId: secret.arn, Step: 'setSecret', ClientRequestToken: secret.versionId };

    // Act
    const error = await (handler as (e: unknown) => Promise<unknown>)(event).catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(RotationError);
    expect((error as RotationError).message).toBe(
      'Configuration error: invalid preflight event: a preflight event carries no Step; a preflight event carries no ClientRequestToken',
    );
    expect(await stages(secret.arn)).toEqual({ [secret.versionId]: ['AWSCURRENT'] });
  });

  it('When the preflight names an unknown kind, then it is refused as a configuration error', async () => {
    const error = await (handler as (e: unknown) => Promise<unknown>)({ Preflight: 'network', SecretId: 'x' }).catch((e: unknown) => e);
    expect((error as RotationError).message).toBe('Configuration error: invalid preflight event: Preflight must be one of database-login');
  });

  it('When the database does not answer on its port, then the login fails as a network error', async () => {
    // Arrange: a port nothing listens on.
    const secret = await createSecret(
      uniqueName('pf-closed'),
      JSON.stringify({ engine: 'postgres', host: '127.0.0.1', port: 1, username: 'u', password: 'p', ssl: false }),
    );

    // Act
    const answer = await preflight(secret.arn, 'single-user');

    // Assert
    expect(verdictsOf(answer)).toEqual(['secret:pass', 'login:fail', 'privilege:unknown']);
    expect(answer.verdicts[1]).toMatchObject({ category: 'network' });
    expect(answer.verdicts[1]!.message).toContain('127.0.0.1:1');
  });

  it("When the secret's value is not JSON, then the secret fails as a format error naming no value", async () => {
    const secret = await createSecret(uniqueName('pf-bad'), 'not json at all: s3cr3t');
    const answer = await preflight(secret.arn, 'single-user');
    expect(verdictsOf(answer)).toEqual(['secret:fail']);
    expect(answer.verdicts[0]).toMatchObject({
      category: 'secret-format',
      message: 'Secret format error: the AWSCURRENT secret SecretString is not valid JSON',
    });
    expect([JSON.stringify(answer), ...logs.lines].join('\n')).not.toContain('s3cr3t');
  });
});

describe('PostgreSQL on RDS with rds.restrict_password_commands', () => {
  const db = HARNESSES.postgres();
  const target = inject('pg');
  const admin = async (sql: string) => {
    const client = new pg.Client({ host: target.host, port: target.port, user: target.adminUser, password: target.adminPassword, database: target.database });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  let logs: CapturedLogs;
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(async () => {
    logs.restore();
    await db.cleanup();
    await admin('DROP ROLE IF EXISTS rds_password');
  });

  it('When password commands are restricted, then a user outside rds_password fails with the GRANT that fixes it, and passes once granted', async () => {
    // Arrange: RDS's parameter, stood in for by the same custom setting on the user's logins.
    const username = db.newUsername();
    const password = db.newPassword();
    await db.createUser(username, password);
    await admin(`ALTER ROLE "${username}" SET rds.restrict_password_commands = 'on'`);
    await admin('CREATE ROLE rds_password');
    const secret = await createSecret(uniqueName('pf-rds'), JSON.stringify(db.secretFor(username, password)));

    // Act
    const refused = await preflight(secret.arn, 'single-user');
    await admin(`GRANT rds_password TO "${username}"`);
    const granted = await preflight(secret.arn, 'single-user');

    // Assert
    expect(refused.verdicts[2]).toMatchObject({ check: 'privilege', verdict: 'fail', fix: `GRANT rds_password TO "${username}";` });
    expect(refused.verdicts[2]!.message).toContain('rds.restrict_password_commands is on');
    expect(granted.verdicts[2]).toMatchObject({ check: 'privilege', verdict: 'pass' });
  });
});
