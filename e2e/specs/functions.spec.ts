// The Functions page (issue 15) on the local default: the demo account's rotation functions with
// their runtimes and owners, the member accounts listed, and the sandbox account, whose console role
// does not exist, shown with its error. The demo fleet is only on a moto the harness started.
import { DEMO_SANDBOX_ACCOUNT } from '@rotation-console/harness/seed-fleet.ts';
import { DEMO_FUNCTIONS } from '@rotation-console/harness/seed.ts';
import { expect, test } from '../fixtures.ts';

test.skip(
  ({ emulator, harnessEmulator }) => emulator !== 'moto' || !harnessEmulator,
  'The demo fleet is seeded on a moto the harness started: LocalStack\u2019s local default covers one account.',
);

test.describe('The Functions page', () => {
  test('the Functions page lists the demo functions with runtimes', async ({ page }) => {
    await page.goto('/dashboard');
    await page.getByRole('navigation').getByRole('link', { name: 'Functions', exact: true }).click();
    await expect(page).toHaveURL(/\/functions$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Functions', exact: true })).toBeVisible();

    const table = page.getByRole('table', { name: 'Rotation functions' });
    // The single-user demo function rotates secrets of three teams, so it is nobody's; the multi-user one is payments'.
    const shared = table.getByRole('row', { name: new RegExp(DEMO_FUNCTIONS[0]) });
    await expect(shared).toContainText('nodejs24.x');
    await expect(shared).toContainText('Supported until 2028-04-30');
    await expect(shared).toContainText('no team');
    // The secrets it rotates, as links; which ones come first (the demo's or other specs' own), and how
    // many more, change as other specs turn rotation on with it.
    await expect(shared.getByRole('link', { name: /^(prod|staging|e2e)\// }).first()).toBeVisible();
    // users-db's failure counts among its secrets failing; which failure is the last depends on other specs.
    await expect(shared).toContainText(/\d+ failing/);
    await expect(shared).toContainText('Not the console\u2019s');
    const payments = table.getByRole('row', { name: new RegExp(DEMO_FUNCTIONS[1]) });
    await expect(payments).toContainText('nodejs24.x');
    await expect(payments).toContainText('team payments');

    // The sandbox account has no console role: Lambda was not asked there, and the page says so.
    await expect(page.getByText('Lambda did not answer for 1 account-region')).toBeVisible();
    await expect(page.getByText(`sandbox (${DEMO_SANDBOX_ACCOUNT.id})`).first()).toBeVisible();
  });
});
