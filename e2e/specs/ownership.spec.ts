import { randomBytes } from 'node:crypto';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { expect, test } from '../fixtures.ts';
import { DEMO_FUNCTIONS } from '@rotation-console/harness/seed.ts';

// What a team owns, in the browser: pat (operator of payments) is offered only payments' functions
// and networks, and a function that rotates other secrets too is changed only once pat has read
// which secrets and agreed. The demo: the single-user function rotates secrets of three teams
// (nobody's), the multi-user function is payments' (tagged) and rotates prod/payments/ledger-app.
test.use({ account: 'pat' });

const [SHARED_FUNCTION, PAYMENTS_FUNCTION] = DEMO_FUNCTIONS;

test('When pat opens the wizard, then only payments\u2019 functions and networks are offered', async ({ wizard, page }) => {
  await wizard.open('prod/payments/reports-db');
  await wizard.interval('30 days');
  await wizard.next();
  await page.getByRole('radio', { name: 'Use an existing Lambda function to perform rotation' }).check();

  await page.getByRole('button', { name: /^Lambda rotation function/ }).click();
  const own = page.getByRole('option', { name: new RegExp(PAYMENTS_FUNCTION) });
  await expect(own).toBeVisible();
  await expect(own).toContainText('Owner: team payments');
  await expect(own).toContainText('Rotates prod/payments/ledger-app');
  await expect(page.getByRole('option', { name: new RegExp(SHARED_FUNCTION) })).toHaveCount(0);
  await page.keyboard.press('Escape');

  // reports-db has no RDS database: the network is chosen by hand, and no demo VPC is payments'.
  await page.getByRole('button', { name: /^VPC/ }).click();
  await expect(page.getByRole('option')).toHaveCount(1);
  await expect(page.getByRole('option')).toContainText('No VPC (the function runs outside a VPC)');
});

test('When pat chooses payments\u2019 function that also rotates another secret, then the review lists that secret and the change, and Save waits for pat\u2019s word', async ({
  wizard,
  page,
  aws,
  emulator,
}) => {
  test.skip(emulator === 'localstack', 'On LocalStack: RDS is not in its open-source edition, and the wizard finds payments\u2019 own network through RDS.');
  // A secret on the orders database, so the wizard finds payments' own network through RDS.
  const orders = JSON.parse((await aws.secretsManager.send(new GetSecretValueCommand({ SecretId: 'prod/payments/orders-db' }))).SecretString!) as {
    host: string;
  };
  const name = `e2e/${randomBytes(3).toString('hex')}/payments-reports`;
  await aws.secretsManager.send(
    new CreateSecretCommand({
      Name: name,
      SecretString: JSON.stringify({
        engine: 'postgres',
        host: orders.host,
        username: 'reports',
        password: `e2e-${randomBytes(6).toString('hex')}`,
        dbname: 'postgres',
        port: 5432,
      }),
      Tags: [{ Key: 'team', Value: 'payments' }],
    }),
  );
  const before = await aws.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: PAYMENTS_FUNCTION }));

  await wizard.open(name);
  await wizard.interval('30 days');
  await page.getByRole('checkbox', { name: 'Rotate immediately when the secret is stored' }).uncheck();
  await wizard.next();
  await wizard.existingFunction(PAYMENTS_FUNCTION, 'Single-user rotation');
  // The demo VPC's endpoint is the wizard spec's to create: once the VPC is read, this one asks for none.
  const endpoint = wizard.endpointCheckbox();
  await expect(endpoint.or(page.getByText(/This VPC has the Secrets Manager endpoint/))).toBeVisible();
  if (await endpoint.isVisible()) await endpoint.uncheck();
  await wizard.next();
  await wizard.expectCheckPasses();
  await wizard.next();

  await expect(page.getByRole('heading', { name: 'Review and save', level: 1 })).toBeVisible();
  await expect(page.getByText(`${PAYMENTS_FUNCTION} also rotates 1 other secret`)).toBeVisible();
  await expect(page.getByRole('list', { name: 'Other secrets this function rotates' })).toContainText('prod/payments/ledger-app (team payments)');
  await expect(page.getByRole('list', { name: 'Changes to the shared function' })).toContainText('security groups');
  await expect(page.getByRole('table', { name: 'Resources and owners' })).toContainText('team payments');
  const save = page.getByRole('button', { name: 'Save', exact: true });
  await expect(save).toBeDisabled();
  await page.getByRole('checkbox', { name: new RegExp(`I understand that Save changes ${PAYMENTS_FUNCTION}`) }).check();
  await expect(save).toBeEnabled();
  await save.click();

  await wizard.expectOutcome(/Rotation is on/);
  const secret = await aws.secretsManager.send(new DescribeSecretCommand({ SecretId: name }));
  expect(secret.RotationLambdaARN).toMatch(new RegExp(`:function:${PAYMENTS_FUNCTION}$`));
  const after = await aws.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: PAYMENTS_FUNCTION }));
  expect(after.VpcConfig?.SecurityGroupIds).not.toEqual(before.VpcConfig?.SecurityGroupIds);
});
