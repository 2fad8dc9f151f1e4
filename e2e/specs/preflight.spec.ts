// Will this rotation work? (issue 15): the preflight in the wizard's review and "Check rotation" on a
// secret's page, against the local default's demo, where identity's user directory admits only its
// app servers (packages/harness/seed.ts): no rotation function reaches it.
import { randomBytes } from 'node:crypto';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DEMO_LOCKED_DB_INSTANCE } from '@rotation-console/harness/seed.ts';
import { expect, test } from '../fixtures.ts';

test.skip(
  ({ emulator, harnessEmulator }) => emulator !== 'moto' || !harnessEmulator,
  'The network check finds the database through RDS, which LocalStack\u2019s open-source core does not have.',
);

const run = randomBytes(3).toString('hex');

test('When alice enables rotation for a secret on identity\u2019s user directory, then the review shows the failed network check with its fix, and Save comes once she acknowledges it', async ({
  page,
  wizard,
  aws,
}) => {
  // Arrange: a secret on the directory's database (its RDS endpoint as host), a reporting login of payments'.
  const db = (await aws.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: DEMO_LOCKED_DB_INSTANCE }))).DBInstances![0]!;
  const name = `e2e/${run}/directory-reader`;
  await aws.secretsManager.send(
    new CreateSecretCommand({
      Name: name,
      SecretString: JSON.stringify({
        engine: 'postgres',
        host: db.Endpoint!.Address,
        port: 5432,
        username: 'directory_reader',
        password: `e2e-${run}-Pw1`,
        dbname: 'users',
      }),
      // payments', as every secret the specs make: identity's own count stays the demo's (secrets.spec.ts).
      Tags: [{ Key: 'team', Value: 'payments' }],
    }),
  );

  // Act: a new function in the database's own network, as the wizard finds it.
  await wizard.open(name);
  await wizard.interval('30 days');
  await wizard.next();
  await wizard.newFunction(`e2e-${run}-directory`, 'Use this secret');
  await expect(page.getByText(`Found database ${DEMO_LOCKED_DB_INSTANCE}`)).toBeVisible();
  await wizard.next();
  await wizard.expectCheckPasses();
  await wizard.next();
  await wizard.expectPlan();

  // Assert: the network check failed, with what it read and the command that fixes it.
  const checks = page.getByRole('list', { name: 'Preflight checks' });
  await expect(checks).toBeVisible({ timeout: 30_000 });
  const network = page.getByRole('list', { name: 'Network to the database: findings' });
  await expect(network).toContainText('Fail');
  await expect(network).toContainText(/aws ec2 authorize-security-group-ingress --group-id sg-\w+ --protocol tcp --port 5432 --source-group sg-\w+/);
  const save = page.getByRole('button', { name: 'Save', exact: true });
  await page.getByRole('checkbox', { name: /I understand that the secret rotates immediately/ }).check();
  await expect(save).toBeDisabled();
  await page.getByRole('checkbox', { name: /I have read the failed checks and save anyway/ }).check();
  await save.click();
  await expect(page.getByRole('heading', { name: /Workflow|Rotation/, level: 1 }).first()).toBeVisible();
});

test('When alice opens identity\u2019s user directory, whose last rotation failed, then "Check rotation" has run by itself and names the network to the database as the cause, with the fix', async ({
  page,
}) => {
  // Act
  await page.goto(`/secrets/${encodeURIComponent('prod/identity/users-db')}`);

  // Assert
  const network = page.getByRole('list', { name: 'Network to the database: findings' });
  await expect(network).toContainText('Fail', { timeout: 30_000 });
  await expect(network).toContainText(/No security group of .* admits the function/);
  await expect(network).toContainText(/aws ec2 authorize-security-group-ingress --group-id sg-\w+ --protocol tcp --port 5432 --source-group sg-\w+/);
  await expect(page.getByRole('button', { name: 'Check rotation' })).toBeEnabled();
});
