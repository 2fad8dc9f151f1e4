import { randomBytes } from 'node:crypto';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { expect, NEEDS_HARNESS_EMULATOR, test } from '../fixtures.ts';
import { createPostgresLogin, dropPostgresLogins } from '../harness/postgres-logins.ts';
import { tableLayoutProblems } from '../pages/layout-check.ts';

// Issue 11: nothing in a table is clipped or broken mid-word at 1280 and 1920 px wide, on the
// dashboard, the secrets list and a workflow's page (made by the wizard on a secret of this spec).
test.skip(({ harnessEmulator }) => !harnessEmulator, NEEDS_HARNESS_EMULATOR);

const logins: string[] = [];
let workflowPath = '';

// Named afresh each time: a worker can run this hook again after it has run it once.
test.beforeAll(async ({ aws, browser, sessionOf }, workerInfo) => {
  const run = randomBytes(3).toString('hex');
  const secretName = `e2e/${run}/layout`;
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

const pages: [string, () => string, string][] = [
  ['the dashboard', () => '/dashboard', 'Secrets'],
  ['the secrets list', () => '/secrets', 'Secrets'],
  ['a workflow’s page', () => workflowPath, 'Workflow steps'],
];

for (const width of [1280, 1920]) {
  test.describe(`At ${width} px wide`, () => {
    test.use({ viewport: { width, height: 1000 } });
    for (const [what, path, table] of pages) {
      test(`When ${what} is shown, then no table cell’s text is clipped or broken mid-word`, async ({ page }) => {
        // Not fixed yet: at 1280 px with the side navigation open, the lists' columns (status, dates,
        // function, team, engine or description) are together wider than the page, so the last one
        // is out of sight until scrolled. Skipped rather than marked failing: whether it fits depends
        // on the secrets other specs have added, so an expected failure would sometimes pass.
        test.skip(width === 1280 && what !== 'a workflow’s page', 'Not fixed yet: the lists do not fit 1280 px with the side navigation open (issue 11, item 4).');
        await page.goto(path());
        await expect(page.getByRole('table', { name: table, exact: true })).toBeVisible();
        await expect(page.getByText(/^Loading/)).toHaveCount(0);
        expect(await tableLayoutProblems(page)).toEqual([]);
      });
    }
  });
}
