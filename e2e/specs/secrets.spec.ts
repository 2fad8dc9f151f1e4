import { randomBytes } from 'node:crypto';
import { CreateSecretCommand, DeleteSecretCommand } from '@aws-sdk/client-secrets-manager';
import { expect, test } from '../fixtures.ts';

test.describe('Secrets list', () => {
  test('When an operator opens the console, then the seeded database secrets appear with their rotation status', async ({ secretsPage, harnessEmulator }) => {
    await secretsPage.open('?name=prod/payments');

    await expect(secretsPage.row('prod/payments/orders-db')).toContainText('Healthy');
    // Only the harness's emulators can put a rotation date in the past.
    if (harnessEmulator) await expect(secretsPage.row('prod/payments/ledger-app')).toContainText('Overdue');
    await expect(secretsPage.row('prod/payments/reports-db')).toContainText('Rotation not enabled');
    await expect(secretsPage.row('prod/payments/orders-db')).toContainText('SecretsManager-postgres-single-user');
  });

  test('When the operator filters by name, then only matching secrets stay and the URL keeps the filter', async ({ secretsPage, page }) => {
    await secretsPage.open();

    await secretsPage.nameFilter.fill('staging/analytics');

    await expect(page).toHaveURL(/name=staging%2Fanalytics/);
    await expect(secretsPage.secretLinks()).toHaveCount(4);
    for (const name of await secretsPage.secretLinks().allTextContents()) expect(name).toMatch(/^staging\/analytics\//);
  });

  test('When the operator filters by rotation status, then only failed rotations are listed', async ({ secretsPage, page }) => {
    // The demo account's production secrets: other specs add secrets of their own under e2e/.
    await secretsPage.open('?name=prod/');

    await secretsPage.filterByStatus('Rotation pending or failed');

    await expect(page).toHaveURL(/status=pending_or_failed/);
    await expect(secretsPage.secretLinks()).toHaveCount(1);
    // With the step once the console has read the function's log (the crawl after start does).
    await expect(secretsPage.row('prod/identity/users-db')).toContainText(/Rotation pending or failed|Rotation failed at createSecret/);
  });

  test('When the operator filters by team, then only that team’s secrets are listed', async ({ secretsPage }) => {
    await secretsPage.open();

    await secretsPage.teamFilter.fill('identity');

    await expect(secretsPage.secretLinks()).toHaveCount(4);
    await expect(secretsPage.row('prod/identity/sessions-db')).toBeVisible();
  });

  test('When secrets are made and deleted in AWS outside the console, then Refresh on their page shows the new one and drops the deleted one', async ({
    secretsPage,
    aws,
    page,
  }) => {
    // Named afresh each run; other specs add secrets of their own under e2e/.
    const prefix = `e2e/${randomBytes(3).toString('hex')}/refresh/`;
    const name = `${prefix}made-outside`;
    await aws.secretsManager.send(new CreateSecretCommand({ Name: name, SecretString: '{}', Tags: [{ Key: 'team', Value: 'payments' }] }));
    // The list reads the console's index, which reads AWS on its crawl (every few minutes) or on Refresh, as a person would use it.
    await secretsPage.open(`?name=${encodeURIComponent(prefix)}`);
    await expect(secretsPage.freshness()).toBeVisible();

    await secretsPage.refresh();

    await expect(secretsPage.row(name)).toContainText('Rotation not enabled');
    await expect(secretsPage.freshness()).toHaveText('Updated just now');

    await aws.secretsManager.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
    await secretsPage.refresh();

    await expect(secretsPage.row(name)).toHaveCount(0);
    await expect(page.getByText('No secrets match the filters')).toBeVisible();
  });

  test('When the operator pages forward and back, then each page shows different secrets', async ({ secretsPage, page }) => {
    await page.goto('/secrets');
    await expect(secretsPage.secretLinks()).toHaveCount(20);
    const first = await secretsPage.secretLinks().allTextContents();

    await secretsPage.nextPage();
    await expect(secretsPage.secretLinks().first()).not.toHaveText(first[0]!);
    const second = await secretsPage.secretLinks().allTextContents();
    expect(second.some((name) => first.includes(name))).toBe(false);

    await secretsPage.previousPage();
    await expect(secretsPage.secretLinks().first()).toHaveText(first[0]!);
  });
});

test.describe('Secret page', () => {
  test('When the operator opens a stuck secret from the list, then its status, the stuck version beside "Clear the stuck rotation", and its version stages show', async ({
    secretsPage,
    secretPage,
    page,
  }) => {
    await secretsPage.open('?name=prod/identity/users-db');
    await page.getByRole('link', { name: 'prod/identity/users-db', exact: true }).click();

    await expect(page.getByRole('heading', { name: 'prod/identity/users-db', level: 1 })).toBeVisible();
    // The page reads the function's log: the demo's placeholder function fails at its first step.
    await expect(page.getByText('Rotation failed at createSecret').first()).toBeVisible();
    await expect(page.getByRole('list', { name: 'Status reasons' })).toContainText('AWSPENDING');
    await expect(secretPage.operation('Clear the stuck rotation')).toBeEnabled();
    await expect(secretPage.operationItem('Clear the stuck rotation')).toContainText('Secrets Manager refuses to start another until it is cleared.');
    await secretPage.showTab('Versions');
    await expect(secretPage.versionRowWithLabel('AWSCURRENT')).toHaveCount(1);
    await expect(secretPage.versionRowWithLabel('AWSPENDING')).toHaveCount(1);
  });

  test('When a rotated secret is opened, then clearing is disabled as nothing is stuck, and AWSCURRENT and AWSPREVIOUS sit on different versions', async ({
    secretPage,
    page,
  }) => {
    await secretPage.open('prod/payments/orders-db');

    await expect(page.getByText('Every 30 days')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Edit rotation' })).toBeVisible();
    await expect(secretPage.operation('Clear the stuck rotation')).toHaveAttribute('aria-disabled', 'true');
    await expect(secretPage.operationItem('Clear the stuck rotation')).toContainText('No rotation is stuck: no version has AWSPENDING without AWSCURRENT');
    await secretPage.showTab('Versions');
    await expect(secretPage.versionRowWithLabel('AWSCURRENT')).toHaveCount(1);
    await expect(secretPage.versionRowWithLabel('AWSPREVIOUS')).toHaveCount(1);
  });

  test('When the secret does not exist, then the page says so', async ({ page }) => {
    await page.goto(`/secrets/${encodeURIComponent('prod/does-not-exist')}`);
    await expect(page.getByText('Secret not found')).toBeVisible();
  });
});
