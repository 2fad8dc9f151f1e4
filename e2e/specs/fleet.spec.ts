// The fleet on the local default (issue 14): moto's demo account, two member accounts reached through
// their deployed console role, and a sandbox account without one (packages/harness/seed-fleet.ts),
// which only a moto the harness started has.
import { spawnSync } from 'node:child_process';
import { DEMO_ANALYTICS_ACCOUNT, DEMO_MEMBER_ACCOUNT, DEMO_SANDBOX_ACCOUNT, demoMemberRole } from '@rotation-console/harness/seed-fleet.ts';
import { expect, test } from '../fixtures.ts';

test.skip(
  ({ emulator, harnessEmulator }) => emulator !== 'moto' || !harnessEmulator,
  'The demo fleet is seeded on a moto the harness started: LocalStack\u2019s local default covers one account.',
);

const MEMBER = DEMO_MEMBER_ACCOUNT.id;

/** The AWS CLI, as an operator runs it, in `region`, with the credentials given (else the console account's) and the emulator's endpoint. */
const awsCli = (endpoint: string, region: string, env: Record<string, string>, ...args: string[]) => {
  // The console's own account by default: a key moto did not issue (as the harness's clients use).
  const { AWS_SESSION_TOKEN: _ignored, ...inherited } = process.env;
  const out = spawnSync('aws', [...args, '--endpoint-url', endpoint, '--output', 'json'], {
    encoding: 'utf8',
    // AWS_DEFAULT_REGION for the CLI v1, AWS_REGION for v2.
    env: { ...inherited, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: region, AWS_DEFAULT_REGION: region, ...env },
  });
  return { status: out.status, json: out.status === 0 && out.stdout.trim() ? (JSON.parse(out.stdout) as Record<string, unknown>) : null, stderr: out.stderr };
};

/** The member account's credentials, as `aws sts assume-role` of its console role gives them (moto keeps accounts apart by them). */
const memberCredentials = (endpoint: string) => {
  const assumed = awsCli(endpoint, 'us-east-1', {}, 'sts', 'assume-role', '--role-arn', demoMemberRole(MEMBER), '--role-session-name', 'e2e-readback');
  expect(assumed.status, assumed.stderr).toBe(0);
  const c = (assumed.json as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } }).Credentials;
  return { AWS_ACCESS_KEY_ID: c.AccessKeyId, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey, AWS_SESSION_TOKEN: c.SessionToken };
};

test.describe('The fleet', () => {
  test('When a viewer opens the dashboard, then coverage is counted by account and region, the account without the console role shows failed with its error while the others are fresh, and the list filters to one account', async ({
    page,
  }) => {
    await page.goto('/dashboard');

    await expect(page.getByText(/4 of 5 account-regions fresh/)).toBeVisible();
    const sandbox = page.getByText(`${DEMO_SANDBOX_ACCOUNT.name} (${DEMO_SANDBOX_ACCOUNT.id})`).first();
    await expect(sandbox).toBeVisible();
    await expect(page.getByText(/failed: .*AccessDenied.*sts:AssumeRole/).first()).toContainText(demoMemberRole(DEMO_SANDBOX_ACCOUNT.id));
    await expect(page.getByText(`payments-prod (${MEMBER})`).first()).toBeVisible();
    await expect(page.getByText(`analytics-dev (${DEMO_ANALYTICS_ACCOUNT.id})`).first()).toBeVisible();
    await page.goto(`/dashboard?account=${MEMBER}&region=eu-west-1`);
    const names = ['analytics-eu/events-db', 'payments-eu/orders-db', 'payments-eu/refunds-db'];
    for (const name of names) await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name: 'payments-prod/ledger-db', exact: true })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'analytics-dev/warehouse-db', exact: true })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'prod/payments/orders-db', exact: true })).toHaveCount(0);
  });

  test('When an operator enables rotation for a secret of the member account, then the AWS CLI in that account reads back the rules, the function and its permission, and the other account-regions hold no such function', async ({
    page,
    wizard,
    awsEndpoint,
  }) => {
    const secret = 'payments-eu/orders-db';
    const fn = `pay-eu-orders-${Date.now().toString(36)}`;
    await wizard.open(secret);
    await wizard.interval('30 days');
    await wizard.next();
    await wizard.newFunction(fn, 'Use this secret');
    await wizard.vpc(/^No VPC/);
    await wizard.next();
    await wizard.expectCheckPasses();
    await wizard.next();
    await wizard.expectPlan();
    const session = page.getByLabel('AWS CLI session');
    await expect(session).toContainText(`export AWS_PROFILE=rotation-console-${MEMBER}`);
    await expect(session).toContainText(`--source-account ${MEMBER} --region eu-west-1`);
    await wizard.acknowledgeAndSave();
    // Its database's host does not exist: the first rotation fails, after the rules, the function and its permission are in place.
    await wizard.expectOutcome(/Rotation failed|Rotation succeeded/);

    const endpoint = awsEndpoint;
    const member = memberCredentials(endpoint);
    const described = awsCli(endpoint, 'eu-west-1', member, 'secretsmanager', 'describe-secret', '--secret-id', secret).json as {
      RotationEnabled: boolean;
      RotationLambdaARN: string;
      RotationRules: { AutomaticallyAfterDays: number };
    };
    expect(described.RotationEnabled).toBe(true);
    expect(described.RotationRules.AutomaticallyAfterDays).toBe(30);
    expect(described.RotationLambdaARN).toBe(`arn:aws:lambda:eu-west-1:${MEMBER}:function:${fn}`);
    const policy = awsCli(endpoint, 'eu-west-1', member, 'lambda', 'get-policy', '--function-name', fn).json as { Policy: string };
    expect(policy.Policy).toContain('secretsmanager.amazonaws.com');
    // Nowhere else: not in the member account's other region, not in the console's own account.
    expect(awsCli(endpoint, 'us-east-1', member, 'lambda', 'get-function', '--function-name', fn).stderr).toContain('ResourceNotFoundException');
    expect(awsCli(endpoint, 'us-east-1', {}, 'lambda', 'get-function', '--function-name', fn).stderr).toContain('ResourceNotFoundException');
  });
});

test.describe('The fleet, as a team', () => {
  test.use({ account: 'pat' });

  test('When pat (payments) filters the portal to the member account, then it lists payments\u2019 secrets there with their regions and none of another team', async ({
    page,
  }) => {
    await page.goto(`/portal?account=${MEMBER}`);

    const where = page.getByRole('table', { name: 'Secrets by account and region' });
    await expect(where.getByRole('row', { name: /eu-west-1/ })).toContainText('2');
    await expect(where.getByRole('row', { name: /us-east-1/ })).toContainText('2');
    const secrets = page.getByRole('table', { name: 'Payments secrets' });
    for (const name of ['payments-eu/orders-db', 'payments-eu/refunds-db', 'payments-prod/ledger-db', 'payments-prod/settlements-db'])
      await expect(secrets.getByRole('link', { name, exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name: 'analytics-eu/events-db', exact: true })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'prod/payments/orders-db', exact: true })).toHaveCount(0);
  });
});
