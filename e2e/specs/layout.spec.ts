import { randomBytes } from 'node:crypto';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { expect, NEEDS_HARNESS_EMULATOR, test } from '../fixtures.ts';
import { createPostgresLogin, dropPostgresLogins } from '@rotation-console/harness/postgres-logins.ts';
import { tableLayoutProblems } from '../pages/layout-check.ts';

// Issue 11: nothing in a table is clipped or broken mid-word at 1280 and 1920 px wide, with the side
// navigation open, on the dashboard, the secrets list, a workflow's page (made by the wizard on a
// secret of this spec), that secret's page and timeline, the team portal and the audit log.
test.skip(({ harnessEmulator }) => !harnessEmulator, NEEDS_HARNESS_EMULATOR);

const logins: string[] = [];
let workflowPath = '';
let secretPath = '';

// Named afresh each time: a worker can run this hook again after it has run it once.
test.beforeAll(async ({ aws, browser, sessionOf }, workerInfo) => {
  const run = randomBytes(3).toString('hex');
  const secretName = `e2e/${run}/layout`;
  secretPath = `/secrets/${encodeURIComponent(secretName)}`;
  const login = await createPostgresLogin();
  logins.push(login.username);
  await aws.secretsManager.send(new CreateSecretCommand({ Name: secretName, SecretString: login.secretString(), Tags: [{ Key: 'team', Value: 'payments' }] }));
  // A workflow to look at: the wizard's Save, as alice.
  const context = await browser.newContext({ baseURL: workerInfo.project.use.baseURL!, storageState: await sessionOf('alice') });
  const { RotationWizard } = await import('../pages/rotation-wizard.ts');
  const page = await context.newPage();
  const wizard = new RotationWizard(page);
  await wizard.open(secretName);
  await wizard.interval('30 days');
  await wizard.next();
  await wizard.newFunction(`e2e-${run}-layout`, 'Use this secret');
  await wizard.vpc('No VPC (the function runs outside a VPC)');
  await wizard.next();
  await wizard.expectCheckPasses();
  await wizard.next();
  await wizard.acknowledgeAndSave();
  await expect(page).toHaveURL(/\/workflows\//);
  await wizard.expectOutcome(/Rotation succeeded/);
  workflowPath = new URL(page.url()).pathname;
  await context.close();
});
test.afterAll(async () => dropPostgresLogins(logins));

const pages: [string, () => string, string | RegExp][] = [
  ['the dashboard', () => '/dashboard', 'Secrets'],
  ['the secrets list', () => '/secrets', 'Secrets'],
  ['a workflow’s page', () => workflowPath, 'Workflow steps'],
  ['a secret’s versions', () => `${secretPath}?tab=versions`, 'Versions'],
  ['a secret’s timeline', () => `${secretPath}/timeline`, 'Events'],
  ['the team portal', () => '/portal', / secrets$/],
  ['the audit log', () => '/audit', 'Audit records'],
  ['the functions', () => '/functions', 'Rotation functions'],
];

for (const width of [1280, 1920]) {
  test.describe(`At ${width} px wide`, () => {
    test.use({ viewport: { width, height: 1000 } });
    for (const [what, path, table] of pages) {
      test(`When ${what} is shown, then no table cell’s text is clipped or broken mid-word, beside the open side navigation`, async ({ page }) => {
        await page.goto(path());
        await expect(page.getByRole('table', typeof table === 'string' ? { name: table, exact: true } : { name: table }).first()).toBeVisible();
        await expect(page.getByText(/^Loading/)).toHaveCount(0);
        // Every page keeps the side navigation open (only a phone-sized window folds it away).
        await expect(page.getByRole('navigation', { name: 'Side navigation' })).toBeVisible();
        expect(await tableLayoutProblems(page)).toEqual([]);
      });
    }
  });
}
