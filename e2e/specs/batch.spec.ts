import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { CreateSecretCommand, DeleteSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { DEMO_FUNCTIONS } from '@rotation-console/harness/seed.ts';
import { expect, test } from '../fixtures.ts';

// Many secrets at once (issue 16, item 3): pat, operator of payments, selects 20 payments secrets
// on the dashboard, enables rotation for all of them with one configuration (payments' own demo
// function, multi-user with the ledger's master secret), watches the batch to the end, and the AWS
// CLI reads the 20 secrets back: each with the function and its own schedule expression (the batch
// staggers their starts over the window, one hour slot each).
//
// The secrets are the spec's own (e2e/<run>/batch/...), on the ledger database as the demo's
// prod/payments/ledger-app, so the plan accepts them. They are payments' while the spec runs: it
// deletes them at the end and refreshes the index, so the counts other specs assert on payments
// (its portal, its function's secrets) are as before once it has ended.

const run = randomBytes(3).toString('hex');
const PREFIX = `e2e/${run}/batch/`;
const COUNT = 20;
const names = Array.from({ length: COUNT }, (_, i) => `${PREFIX}app-${String(i + 1).padStart(2, '0')}`);
const PAYMENTS_FUNCTION = DEMO_FUNCTIONS[1];
const MASTER = 'prod/payments/ledger-master';
const LEDGER_APP = 'prod/payments/ledger-app';

const execFileAsync = promisify(execFile);

/** `aws secretsmanager describe-secret` (the AWS CLI, v1 here) against the console's endpoint. */
const describeWithCli = async (endpoint: string, secretId: string) => {
  const { stdout } = await execFileAsync('aws', ['secretsmanager', 'describe-secret', '--secret-id', secretId, '--output', 'json'], {
    env: {
      ...process.env,
      AWS_ENDPOINT_URL: endpoint,
      AWS_DEFAULT_REGION: process.env.AWS_REGION ?? 'us-east-1',
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'testing',
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'testing',
      AWS_PAGER: '',
    },
  });
  return JSON.parse(stdout) as {
    Name: string;
    RotationEnabled?: boolean;
    RotationLambdaARN?: string;
    RotationRules?: { ScheduleExpression?: string; Duration?: string; AutomaticallyAfterDays?: number };
  };
};

test.describe('A batch enabling rotation for 20 payments secrets', () => {
  test.use({ account: 'pat' });

  test.afterAll(async ({ aws, request }) => {
    await Promise.all(
      names.map((name) => aws.secretsManager.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true })).catch(() => undefined)),
    );
    // The index drops them at once (Refresh reads the prefix again from AWS).
    await request.post('/api/v1/secret-refreshes', { data: { name: PREFIX } });
  });

  test('When pat selects 20 payments secrets on the dashboard and enables rotation with one function, then the batch page follows them to the end and the AWS CLI reads 20 secrets with the function and staggered schedules', async ({
    page,
    aws,
    request,
    awsEndpoint,
  }) => {
    test.setTimeout(240_000);
    // On the ledger master's database, like the demo's alternating-users secret (its host: an RDS endpoint on
    // moto, a name of its own on LocalStack), with users of their own; the master's ARN as that secret names it.
    const valueOf = async (secretId: string) =>
      JSON.parse((await aws.secretsManager.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString!) as Record<string, unknown>;
    const { engine, host, port, dbname } = await valueOf(MASTER);
    const { masterarn } = await valueOf(LEDGER_APP);
    await Promise.all(
      names.map((name, i) =>
        aws.secretsManager.send(
          new CreateSecretCommand({
            Name: name,
            Description: 'Batch spec: ledger app user',
            SecretString: JSON.stringify({
              engine,
              host,
              port,
              dbname,
              // Multi-user rotation: the master secret's ARN, as the rotation function reads it.
              masterarn,
              username: `b${i + 1}`,
              password: `e2e-${randomBytes(8).toString('hex')}`,
            }),
            Tags: [{ Key: 'team', Value: 'payments' }],
          }),
        ),
      ),
    );
    // The console reads AWS on its crawl or on Refresh: the spec refreshes its prefix, as a person's Refresh would.
    const refreshed = await request.post('/api/v1/secret-refreshes', { data: { name: PREFIX } });
    expect(refreshed.status()).toBe(200);

    // Select the 20 on the dashboard (filtered by name): every row of the page.
    await page.goto(`/dashboard?name=${encodeURIComponent(PREFIX)}`);
    const table = page.getByRole('table', { name: 'Secrets' });
    await expect(table.getByRole('link', { name: names[COUNT - 1]! })).toBeVisible();
    await expect(table.getByRole('row')).toHaveCount(COUNT + 1);
    await table.getByRole('checkbox', { name: 'Select every secret on this page' }).check();
    await expect(page.getByText(`${COUNT} secrets selected.`)).toBeVisible();
    await page.getByRole('button', { name: 'Enable rotation', exact: true }).click();

    // One configuration: weekly from midnight in a 24h window (one hour each), payments' function, multi-user.
    await expect(page.getByRole('heading', { level: 1, name: `Enable rotation for ${COUNT} secrets` })).toBeVisible();
    await page.getByRole('radio', { name: 'Schedule expression', exact: true }).check();
    await page.getByRole('textbox', { name: 'Schedule expression' }).fill('cron(0 0 ? * SUN *)');
    await page.getByLabel('Window duration').fill('24h');
    await page.getByRole('button', { name: /^Lambda rotation function/ }).click();
    await page.getByRole('option', { name: new RegExp(PAYMENTS_FUNCTION) }).click();
    await page.getByRole('radio', { name: 'Multi-user rotation' }).check();
    await page.getByLabel('Master secret').fill(MASTER);
    await page.getByRole('button', { name: 'Review plan' }).click();

    // The plan: every secret in, each with its own start.
    const planned = page.getByRole('table', { name: 'Secrets in the batch' });
    await expect(page.getByRole('heading', { name: 'Summary', level: 2 })).toBeVisible({ timeout: 60_000 });
    // None refused; if some were, the failure names them and why.
    const refused = page.getByRole('table', { name: 'Refused secrets' });
    expect(await refused.count(), (await refused.count()) > 0 ? await refused.innerText() : '').toBe(0);
    await expect(planned.getByRole('row')).toHaveCount(COUNT + 1);
    // Payments' function also rotates prod/payments/ledger-app, and the batch changes it once for all: Start waits for pat's word.
    const start = page.getByRole('button', { name: 'Start batch' });
    await expect(start).toBeDisabled();
    await page.getByRole('checkbox', { name: new RegExp(`I understand that Start batch changes ${PAYMENTS_FUNCTION}`) }).check();
    await start.click();

    // The batch page, polled until every secret's workflow has ended.
    // Start applies the plan the preview kept (its previewId), so it answers without planning again.
    await expect(page).toHaveURL(/\/batches\/(?!new\b)[^/?]+$/, { timeout: 120_000 });
    await expect(page.getByText(`${COUNT} of ${COUNT} secrets finished`)).toBeVisible({ timeout: 180_000 });
    await expect(page.getByText(`${COUNT} succeeded, 0 failed`).first()).toBeVisible();
    const items = page.getByRole('table', { name: 'Secrets of the batch' });
    await expect(items.getByRole('row').filter({ hasText: 'Succeeded' })).toHaveCount(COUNT);
    await expect(items.getByRole('link', { name: names[0]!, exact: true })).toHaveAttribute('href', `/secrets/${encodeURIComponent(names[0]!)}`);

    // Read back with the AWS CLI: 20 secrets with the rules and the function, each its own schedule.
    const described = await Promise.all(names.map((name) => describeWithCli(awsEndpoint, name)));
    expect(described).toHaveLength(COUNT);
    for (const secret of described) {
      expect(secret.RotationEnabled, secret.Name).toBe(true);
      expect(secret.RotationLambdaARN, secret.Name).toMatch(new RegExp(`:function:${PAYMENTS_FUNCTION}$`));
      expect(secret.RotationRules?.ScheduleExpression, secret.Name).toMatch(/^cron\(0 \d{1,2} \? \* SUN \*\)$/);
      expect(secret.RotationRules?.Duration, secret.Name).toBe('1h');
    }
    const starts = new Set(described.map((secret) => secret.RotationRules?.ScheduleExpression));
    expect(starts.size).toBe(COUNT);
  });
});
