import { randomBytes } from 'node:crypto';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { expect, NEEDS_HARNESS_EMULATOR, test } from '../fixtures.ts';
import { createPostgresLogin, dropPostgresLogins } from '@rotation-console/harness/postgres-logins.ts';
import { expectNoSeriousViolations } from '../pages/axe-scan.ts';
import { chooseWithKeys, tabTo } from '../pages/keyboard.ts';
import type { Page } from '@playwright/test';

// Issue 11: every page of the console passes axe-core's WCAG 2.2 AA rules with no serious or
// critical violation, and the wizard can be completed with the keyboard alone. The wizard runs on
// secrets this spec makes, naming real logins on the local PostgreSQL so the check step passes.
test.skip(({ harnessEmulator }) => !harnessEmulator, NEEDS_HARNESS_EMULATOR);

const logins: string[] = [];
let run = '';
const names = { scanned: '', keyboard: '' };
const DEMO_SECRET = 'prod/payments/orders-db';
const secretPath = (name: string) => `/secrets/${encodeURIComponent(name)}`;

/** Waits until the page has its title and nothing is still loading: axe scans what a person would see. */
const settled = async (page: Page) => {
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByText(/^Loading/)).toHaveCount(0);
};

test.beforeAll(async ({ aws }) => {
  // Named afresh each time: a worker can run this hook again after it has run it once.
  run = randomBytes(3).toString('hex');
  Object.assign(names, { scanned: `e2e/${run}/a11y-scan`, keyboard: `e2e/${run}/a11y-keyboard` });
  const login = await createPostgresLogin();
  logins.push(login.username);
  const tags = [{ Key: 'team', Value: 'payments' }];
  await aws.secretsManager.send(
    new CreateSecretCommand({ Name: names.keyboard, Description: 'Accessibility check', SecretString: login.secretString(), Tags: tags }),
  );
  const other = await createPostgresLogin();
  logins.push(other.username);
  await aws.secretsManager.send(
    new CreateSecretCommand({ Name: names.scanned, Description: 'Accessibility check', SecretString: other.secretString(), Tags: tags }),
  );
});
test.afterAll(async () => dropPostgresLogins(logins));

const pages = {
  alice: [
    ['/dashboard', 'the dashboard'],
    ['/secrets', 'the secrets list'],
    [secretPath(DEMO_SECRET), 'a secret’s page'],
    [`${secretPath(DEMO_SECRET)}?tab=timeline`, 'a secret’s timeline tab'],
    ['/calendar', 'the calendar'],
    ['/functions', 'the functions'],
    ['/audit', 'the audit log'],
  ],
  pat: [['/portal', 'the team portal']],
  vic: [
    ['/dashboard', 'the dashboard'],
    ['/secrets', 'the secrets list'],
    [secretPath(DEMO_SECRET), 'a secret’s page'],
    [`${secretPath(DEMO_SECRET)}?tab=timeline`, 'a secret’s timeline tab'],
    ['/calendar', 'the calendar'],
    ['/functions', 'the functions'],
  ],
} as const;

for (const [account, list] of Object.entries(pages) as [keyof typeof pages, (typeof pages)[keyof typeof pages]][]) {
  test.describe(`As ${account}`, () => {
    test.use({ account });
    for (const [path, what] of list) {
      test(`When ${account} opens ${what}, then axe finds no serious or critical violation`, async ({ page }) => {
        await page.goto(path);
        await settled(page);
        await expectNoSeriousViolations(page, what);
      });
    }
  });
}

test.describe('The wizard', () => {
  test.use({ account: 'alice' });

  test('When alice goes through the four steps of the wizard to a workflow, then axe finds no serious or critical violation on any of them', async ({
    page,
    wizard,
  }) => {
    // Five axe scans of a full page each, and a rotation that fails.
    test.slow();
    await wizard.open(names.scanned);
    await settled(page);
    await expectNoSeriousViolations(page, 'the wizard’s step 1 (schedule)');
    await wizard.interval('30 days');
    await wizard.next();

    await wizard.newFunction(`e2e-${run}-a11y`, 'Use this secret');
    await wizard.vpc('No VPC (the function runs outside a VPC)');
    await expectNoSeriousViolations(page, 'the wizard’s step 2 (function)');
    await wizard.next();

    await wizard.expectCheckPasses();
    await expectNoSeriousViolations(page, 'the wizard’s step 3 (check)');
    await wizard.next();

    // The first plan of a fresh console builds the function's code (as the wizard's page object waits for).
    await expect(page.getByRole('table', { name: 'Plan steps' })).toBeVisible({ timeout: 30_000 });
    await expectNoSeriousViolations(page, 'the wizard’s step 4 (review)');
    await wizard.acknowledgeAndSave();
    await expect(page).toHaveURL(/\/workflows\//);
    await wizard.expectOutcome(/Rotation succeeded/);
    await settled(page);
    await expectNoSeriousViolations(page, 'a failed workflow’s page');
  });
});

test.describe('The wizard from the keyboard', () => {
  test.use({ account: 'alice' });

  test('When alice goes from "Edit rotation" to Save with Tab, Space, Enter and the arrow keys only, then the workflow starts and the rotation succeeds', async ({
    page,
  }) => {
    test.slow();
    const heading = (name: string) => page.getByRole('heading', { name, level: 1 });
    const next = page.getByRole('button', { name: 'Next', exact: true });
    await page.goto(secretPath(names.keyboard));

    await tabTo(page, page.getByRole('button', { name: 'Edit rotation' }));
    await page.keyboard.press('Enter');
    await expect(heading('Configure automatic rotation')).toBeVisible();

    // Step 1: Space turns automatic rotation on (off on a secret without rotation); a radio group is one Tab stop; Space checks the focused radio.
    const enable = page.getByLabel('Enable automatic rotation');
    await tabTo(page, enable);
    await page.keyboard.press('Space');
    await expect(enable).toBeChecked();
    await tabTo(page, page.getByRole('radio', { name: '30 days', exact: true }));
    await page.keyboard.press('Space');
    await expect(page.getByRole('radio', { name: '30 days', exact: true })).toBeChecked();
    await tabTo(page, next);
    await page.keyboard.press('Enter');

    // Step 2: a new function named after the secret (the wizard's default), using this secret, outside a VPC.
    await expect(heading('Rotation function')).toBeVisible();
    await expect(page.getByRole('radio', { name: 'Create a new Lambda function to perform rotation' })).toBeChecked();
    await expect(page.getByRole('radio', { name: 'Use this secret' })).toBeChecked();
    await chooseWithKeys(page, page.getByRole('button', { name: /^VPC/ }), /No VPC/);
    await tabTo(page, next);
    await page.keyboard.press('Enter');

    // Step 3: the check.
    await expect(heading('Check secret')).toBeVisible();
    await expect(page.getByRole('table', { name: 'Secret fields', exact: true })).toBeVisible();
    await tabTo(page, next);
    await page.keyboard.press('Enter');

    // Step 4: the acknowledgement, then Save (back with Shift+Tab if the focus passed it).
    await expect(heading('Review and save')).toBeVisible();
    const acknowledge = page.getByRole('checkbox', { name: /I understand that the secret rotates immediately/ });
    await tabTo(page, acknowledge);
    await page.keyboard.press('Space');
    await expect(acknowledge).toBeChecked();
    const save = page.getByRole('button', { name: 'Save', exact: true });
    await expect(save).toBeEnabled();
    await tabTo(page, save);
    await page.keyboard.press('Enter');

    await expect(page).toHaveURL(/\/workflows\//);
    await expect(page.getByText('Rotation succeeded')).toBeVisible({ timeout: 45_000 });
  });
});
