import { randomBytes, randomUUID } from 'node:crypto';
import { paginateFilterLogEvents } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { expect, NEEDS_HARNESS_EMULATOR, test } from '../fixtures.ts';
import type { HarnessClients } from '@rotation-console/harness/aws.ts';
import { createPostgresLogin, dropPostgresLogins } from '@rotation-console/harness/postgres-logins.ts';
import { DEMO_FUNCTIONS } from '@rotation-console/harness/seed.ts';

// The dashboard reads the index of the seeded demo account; the operations act on secrets
// this spec makes for itself, and each is checked in AWS afterwards.

const run = randomBytes(3).toString('hex');
const logins: string[] = [];
/** The address the timeline had as a page of its own: it opens the Secret page's Timeline tab. */
const oldTimelineLink = (name: string) => `/secrets/${encodeURIComponent(name)}/timeline`;

const versions = async (aws: HarnessClients, name: string) =>
  (await aws.secretsManager.send(new ListSecretVersionIdsCommand({ SecretId: name }))).Versions ?? [];
const versionWith = async (aws: HarnessClients, name: string, stage: string) =>
  (await versions(aws, name)).find((v) => v.VersionStages?.includes(stage))?.VersionId;

/**
 * A secret whose first rotation failed at createSecret (the demo's placeholder function), once the
 * function's log holds that failure: the Secret page reads the verdict from the log, and the
 * function's lines land after RotateSecret has answered (LocalStack delivers them later still), so
 * a page opened before they land says "pending or failed", as it should. The page picks the
 * rotation's lines by its version id (the ClientRequestToken each invocation is given), from every
 * page of FilterLogEvents: so does this wait.
 */
const stuckSecret = async (aws: HarnessClients, name: string) => {
  await aws.secretsManager.send(new CreateSecretCommand({ Name: name, SecretString: '{"engine":"postgres","host":"db","username":"u","password":"p"}' }));
  const fn = (await aws.lambda.send(new GetFunctionCommand({ FunctionName: DEMO_FUNCTIONS[0] }))).Configuration!.FunctionArn!;
  const since = Date.now() - 60_000;
  const { VersionId: versionId } = await aws.secretsManager.send(
    new RotateSecretCommand({ SecretId: name, RotationLambdaARN: fn, RotationRules: { AutomaticallyAfterDays: 30 } }),
  );
  const failureLogged = async () => {
    for await (const page of paginateFilterLogEvents({ client: aws.logs }, { logGroupName: `/aws/lambda/${DEMO_FUNCTIONS[0]}`, startTime: since }))
      if ((page.events ?? []).some((e) => e.message?.includes(versionId!) && e.message.includes('rotation step failed'))) return true;
    return false;
  };
  await expect.poll(failureLogged, { timeout: 30_000, message: `the failure of ${name}'s first rotation (${versionId}) in the function's log` }).toBe(true);
};

test.describe('Dashboard', () => {
  // The demo's overdue secrets exist only where the harness can backdate rotations.
  test.skip(({ harnessEmulator }) => !harnessEmulator, NEEDS_HARNESS_EMULATOR);
  test('When a viewer opens the console, then it lands on the dashboard, whose fleet summary shows the overdue and failed secrets and how fresh it is', async ({
    page,
  }) => {
    await page.goto('/');

    await expect(page).toHaveURL(/\/dashboard$/);

    await expect(page.getByRole('heading', { name: 'Rotation status', exact: true, level: 2 })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Overdue: 2' })).toBeVisible();
    await expect(page.getByText(/^(Updated|Indexing)/).first()).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Due in the next 7 days' })).toBeVisible();
  });

  test('When the list is filtered by status and sorted, then the URL keeps the view and the CSV carries the same filter', async ({ page, request }) => {
    await page.goto('/dashboard');
    await page.getByRole('link', { name: 'Overdue: 2' }).click();

    await expect(page).toHaveURL(/status=overdue/);
    const table = page.getByRole('table', { name: 'Secrets' });
    await expect(table.getByRole('link', { name: 'prod/payments/ledger-app' })).toBeVisible();
    await expect(table.getByRole('link', { name: 'staging/analytics/events-db' })).toBeVisible();
    const csvLink = page.getByRole('link', { name: /Download CSV/ });
    const href = await csvLink.getAttribute('href');
    expect(href).toContain('status=overdue');

    const csv = await (await request.get(href!)).text();
    expect(csv.split('\n')[0]).toMatch(/name/i);
    expect(csv).toContain('prod/payments/ledger-app');
    expect(csv).not.toContain('prod/payments/orders-db');
  });

  test('When the calendar is opened, then the healthy secrets’ next windows are listed by day', async ({ page }) => {
    await page.goto('/calendar');
    await expect(page.getByRole('link', { name: 'prod/payments/orders-db' }).first()).toBeVisible();
  });

  test('When an old link to a stuck rotation\u2019s timeline is opened, then the Secret page shows its events, what the function\u2019s log says beside the operations, and the versions', async ({
    page,
    secretPage,
    aws,
  }) => {
    const name = `e2e/${run}/timeline-stuck`;
    await stuckSecret(aws, name);

    await page.goto(oldTimelineLink(name));

    await expect(page).toHaveURL(/\?tab=timeline$/);
    await expect(page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link', { name: 'Secrets', exact: true })).toBeVisible();
    await expect(secretPage.events).toBeVisible();
    await secretPage.showTab('Rotation');
    // The status names the step, and so does the failure's own headline.
    await expect(page.getByRole('region', { name: 'Rotation health' })).toContainText('Rotation failed at createSecret');
    await expect(page.getByText('Rotation failed at createSecret', { exact: true })).toHaveCount(2);
    await expect(page.getByRole('region', { name: 'Log of this rotation' })).toContainText('demo placeholder function');
    await expect(page.getByRole('region', { name: 'How to fix it' })).toBeVisible();
    await expect(secretPage.operationItem('Clear the stuck rotation')).toContainText('Secrets Manager refuses to start another until it is cleared.');
    await expect(secretPage.operation('Rotate secret immediately')).toHaveAttribute('aria-disabled', 'true');
    await secretPage.showTab('Versions');
    await expect(secretPage.versionRowWithLabel('AWSPENDING')).toHaveCount(1);
  });
});

test.describe('Operations', () => {
  test.skip(({ harnessEmulator }) => !harnessEmulator, NEEDS_HARNESS_EMULATOR);
  test.afterAll(async () => dropPostgresLogins(logins));

  test('When an operator clears a stuck rotation, then AWSPENDING is gone in AWS', async ({ page, secretPage, aws }) => {
    const name = `e2e/${run}/clear-stuck`;
    await stuckSecret(aws, name);

    await secretPage.open(name);
    await secretPage.operation('Clear the stuck rotation').click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('table', { name: 'Staging labels it moves' })).toContainText('AWSPENDING');
    await dialog.getByRole('button', { name: 'Clear the stuck rotation' }).click();

    await expect(page).toHaveURL(/\/workflows\//);
    await expect(page.getByText('Succeeded').first()).toBeVisible({ timeout: 30_000 });
    await expect.poll(async () => (await versions(aws, name)).some((v) => v.VersionStages?.includes('AWSPENDING'))).toBe(false);
  });

  test('When an operator turns rotation off, then it is off in AWS after the acknowledgement', async ({ page, secretPage, aws }) => {
    const name = `e2e/${run}/turn-off`;
    await stuckSecret(aws, name);
    await aws.secretsManager.send(
      new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: 'AWSPENDING', RemoveFromVersionId: await versionWith(aws, name, 'AWSPENDING') }),
    );

    await secretPage.open(name);
    await secretPage.operation('Turn off rotation').click();
    const dialog = page.getByRole('dialog');
    const confirm = dialog.getByRole('button', { name: 'Turn off rotation' });
    await expect(dialog.getByText(/VersionStage labels/)).toBeVisible();
    await expect(confirm).toBeDisabled();
    await dialog.getByRole('checkbox').check();
    await confirm.click();

    await expect(page).toHaveURL(/\/workflows\//);
    await expect
      .poll(async () => (await aws.secretsManager.send(new DescribeSecretCommand({ SecretId: name }))).RotationEnabled ?? false, { timeout: 30_000 })
      .toBe(false);
  });

  test('When an operator rolls back, then AWSCURRENT is on the previous version in AWS', async ({ page, secretPage, aws }) => {
    const name = `e2e/${run}/roll-back`;
    await aws.secretsManager.send(new CreateSecretCommand({ Name: name, SecretString: '{"engine":"postgres","host":"db","username":"u","password":"first"}' }));
    await aws.secretsManager.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: '{"engine":"postgres","host":"db","username":"u","password":"second"}' }),
    );
    const previous = await versionWith(aws, name, 'AWSPREVIOUS');

    await secretPage.open(name);
    await secretPage.operation('Roll back to the previous version').click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('table', { name: 'Staging labels it moves' })).toContainText(previous!);
    await dialog.getByRole('checkbox').check();
    await dialog.getByRole('button', { name: 'Roll back' }).click();

    await expect(page).toHaveURL(/\/workflows\//);
    await expect.poll(() => versionWith(aws, name, 'AWSCURRENT'), { timeout: 30_000 }).toBe(previous);
  });

  test('When an operator rotates now with a working function, then a new AWSCURRENT version exists in AWS', async ({ page, secretPage, aws, request }) => {
    const name = `e2e/${run}/rotate-now`;
    const login = await createPostgresLogin();
    logins.push(login.username);
    await aws.secretsManager.send(new CreateSecretCommand({ Name: name, SecretString: login.secretString() }));
    // Rotation on with a working function, through the console's own API.
    const started = await request.post('/api/v1/workflows', {
      headers: { 'idempotency-key': randomUUID() },
      data: {
        secretId: name,
        schedule: { kind: 'days', days: 30 },
        rotateImmediately: true,
        function: { mode: 'create', functionName: `e2e-${run}-now`, strategy: 'single-user' },
        network: null,
      },
    });
    expect(started.status()).toBe(202);
    const id = (await started.json()).id as string;
    await expect.poll(async () => (await (await request.get(`/api/v1/workflows/${id}`)).json()).status, { timeout: 30_000 }).toBe('succeeded');
    const before = await versionWith(aws, name, 'AWSCURRENT');

    await secretPage.open(name);
    await secretPage.operation('Rotate secret immediately').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate', exact: true }).click();

    await expect(page).toHaveURL(/\/workflows\//);
    await expect(page.getByText('Rotation succeeded')).toBeVisible({ timeout: 30_000 });
    await expect.poll(() => versionWith(aws, name, 'AWSCURRENT'), { timeout: 10_000 }).not.toBe(before);
  });
});
