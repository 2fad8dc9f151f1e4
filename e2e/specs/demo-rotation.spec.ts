import { randomBytes } from 'node:crypto';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { expect, NEEDS_HARNESS_EMULATOR, test } from '../fixtures.ts';
import type { HarnessClients } from '@rotation-console/harness/aws.ts';
import { mariadbLoginError } from '@rotation-console/harness/demo-databases.ts';

// The demo rotates for real: the local default gives some demo secrets users on this machine's
// MariaDB (packages/harness/demo-databases.ts). An operator rotates them through the console, and
// the database itself then takes the new password and refuses the old one.
test.describe.configure({ mode: 'serial' });
test.skip(({ harnessEmulator }) => !harnessEmulator, NEEDS_HARNESS_EMULATOR);

const run = randomBytes(3).toString('hex');

interface DbValue {
  host: string;
  port: number;
  username: string;
  password: string;
}

const valueOf = async (aws: HarnessClients, secretId: string, stage: 'AWSCURRENT' | 'AWSPREVIOUS') =>
  JSON.parse((await aws.secretsManager.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage }))).SecretString!) as DbValue;

const loginError = (v: DbValue, password = v.password) => mariadbLoginError({ ...v, password });

test('When alice rotates the demo MariaDB secret through the wizard, then MariaDB takes the new password and refuses the old one', async ({ wizard, aws }) => {
  const secret = 'dev/analytics/metrics-db';
  const before = await valueOf(aws, secret, 'AWSCURRENT');
  expect(before.host).toBe('127.0.0.1');
  expect(await loginError(before)).toBeUndefined();

  await wizard.open(secret);
  await wizard.interval('30 days');
  await wizard.next();
  await wizard.newFunction(`demo-${run}-metrics`, 'Use this secret');
  await wizard.vpc('No VPC (the function runs outside a VPC)');
  await wizard.next();
  await wizard.expectCheckPasses();
  await wizard.next();
  await wizard.acknowledgeAndSave();
  await wizard.expectOutcome(/Rotation succeeded/);

  const after = await valueOf(aws, secret, 'AWSCURRENT');
  expect(after.username).toBe(before.username);
  // Compared as booleans: a failed assertion prints its values, and these are passwords.
  expect(after.password === before.password).toBe(false);
  expect(await loginError(after)).toBeUndefined();
  expect(await loginError(after, before.password)).toBe('ER_ACCESS_DENIED_ERROR');
});

test('When alice turns on alternating users for the never-enabled demo MariaDB app secret with its same-host master, then the clone logs in with the new password and the previous user still works', async ({
  wizard,
  aws,
}) => {
  const secret = 'dev/analytics/catalog-app';
  const before = await valueOf(aws, secret, 'AWSCURRENT');
  expect(await loginError(before)).toBeUndefined();

  await wizard.open(secret);
  await wizard.interval('30 days');
  await wizard.next();
  await wizard.newFunction(`demo-${run}-catalog-app`, 'Use a secret that I have previously stored in AWS Secrets Manager');
  await wizard.masterSecret('dev/analytics/catalog-master');
  await wizard.vpc('No VPC (the function runs outside a VPC)');
  await wizard.next();
  await wizard.expectCheckPasses();
  await wizard.next();
  await wizard.acknowledgeAndSave();
  await wizard.expectOutcome(/Rotation succeeded/);

  const after = await valueOf(aws, secret, 'AWSCURRENT');
  expect(after.username).toBe(`${before.username}_clone`);
  expect(await loginError(after)).toBeUndefined();
  expect(await loginError(after, before.password)).toBe('ER_ACCESS_DENIED_ERROR');
  // Alternating users: the previous credentials keep working until the next rotation.
  const previous = await valueOf(aws, secret, 'AWSPREVIOUS');
  expect(previous.username).toBe(before.username);
  expect(previous.password === before.password).toBe(true);
  expect(await loginError(before)).toBeUndefined();
});
