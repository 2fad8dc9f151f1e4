import { randomBytes } from 'node:crypto';
import { CreateSecretCommand, DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { expect, NEEDS_HARNESS_EMULATOR, test } from '../fixtures.ts';
import { createPostgresLogin, dropPostgresLogins } from '@rotation-console/harness/postgres-logins.ts';
import { TeamPortal } from '../pages/team-portal.ts';

// The team portal on the local default, whose API reads config/teams.json: payments rotates
// every 30 days in a 4h window with a new single-user function, at most 90 days between rotations.
const LIMIT_120 = 'Team payments allows at most 90 days between rotations; this schedule rotates every 120 days.';
/** A demo secret of payments whose rotation was never turned on. */
const NEVER_ENABLED = 'prod/payments/reports-db';

test.describe('The admin\u2019s portal', () => {
  test.use({ account: 'alice' });

  test('When alice (admin) opens the console, then it lands on the dashboard; the portal offers every team of the configuration', async ({ page }) => {
    const portal = new TeamPortal(page);
    await page.goto('/');
    await expect(page).toHaveURL(/\/dashboard$/);

    await portal.open();
    await portal.teamSelector().click();
    for (const team of ['Analytics', 'Identity', 'Payments']) await expect(page.getByRole('option', { name: new RegExp(`^${team}`) })).toBeVisible();
    await page.keyboard.press('Escape');

    await portal.chooseTeam('Identity');
    await expect(page).toHaveURL(/\/portal\?team=identity$/);
    // The crawl read the function's log before the index was ready: the demo's placeholder fails at its first step.
    await expect(portal.needsAttention().getByRole('row', { name: /prod\/identity\/users-db/ })).toContainText('The last rotation failed at createSecret');
  });
});

test.describe('Pat\u2019s portal (operator of payments)', () => {
  test.use({ account: 'pat' });

  test('When pat opens the console, then the payments portal opens and no other team is there', async ({ page, request }) => {
    const portal = new TeamPortal(page);
    await page.goto('/');
    await expect(page).toHaveURL(/\/portal$/);
    await expect(portal.heading()).toHaveText('Payments');
    await expect(portal.teamSelector()).toHaveCount(0);
    await expect(portal.needsAttention().getByRole('row', { name: new RegExp(NEVER_ENABLED) })).toContainText('Rotation not enabled');
    await expect(portal.secrets('Payments').getByRole('row', { name: /prod\/payments\/orders-db/ })).toContainText('Healthy');
    await expect(page.getByText(/prod\/(identity|analytics)\//)).toHaveCount(0);

    // The API scopes the answer itself: only payments, and identity's portal is refused.
    const answer = (await (await request.get('/api/v1/portal')).json()) as { teams: { team: string }[] };
    expect(answer.teams.map((t) => t.team)).toEqual(['payments']);
    expect((await request.get('/api/v1/portal?team=identity')).status()).toBe(403);
  });

  test('When pat chooses Enable rotation on a never-enabled secret, then the wizard opens with payments\u2019 defaults and a schedule over 90 days is refused', async ({
    page,
    request,
    aws,
  }) => {
    const portal = new TeamPortal(page);
    await portal.open();
    const enable = portal.needsAttention().getByRole('link', { name: `Enable rotation for ${NEVER_ENABLED}` });
    await expect(enable).toHaveAttribute('href', `/secrets/${encodeURIComponent(NEVER_ENABLED)}/rotation?team=payments`);
    await enable.click();

    await expect(page.getByRole('heading', { name: 'Configure automatic rotation', level: 1 })).toBeVisible();
    await expect(page.getByText('Filled in with the defaults of team Payments')).toBeVisible();
    await expect(page.getByRole('radio', { name: '30 days', exact: true })).toBeChecked();
    await expect(page.getByLabel('Window duration')).toHaveValue('4h');
    await expect(page.getByText('Team payments allows at most 90 days between rotations.', { exact: true })).toBeVisible();
    // Filled in, but rotation is still off until pat turns it on, as on the console's page.
    const toggle = page.getByLabel('Enable automatic rotation');
    await expect(toggle).not.toBeChecked();
    await toggle.check();

    // Too long: refused on the field and Next stays on the step...
    await page.getByRole('radio', { name: 'Custom', exact: true }).check();
    // The hint names the range the team allows, never AWS's 1 to 1000.
    await expect(page.getByText('A whole number from 1 to 90.', { exact: true })).toBeVisible();
    await expect(page.getByText(/1 to 1000/)).toHaveCount(0);
    await page.getByLabel('Custom interval in days').fill('120');
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await expect(page.getByText(LIMIT_120).first()).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Configure automatic rotation', level: 1 })).toBeVisible();

    // ...and by the API, whatever the browser does.
    const refused = await request.post('/api/v1/rotation-plans', {
      data: {
        secretId: NEVER_ENABLED,
        schedule: { kind: 'days', days: 120 },
        rotateImmediately: false,
        function: { mode: 'create', functionName: 'e2e-too-long', strategy: 'single-user' },
        network: null,
      },
    });
    expect(refused.status()).toBe(400);
    expect((await refused.json()).error).toMatchObject({ message: LIMIT_120, details: [{ path: 'schedule', message: LIMIT_120 }] });
    const secret = await aws.secretsManager.send(new DescribeSecretCommand({ SecretId: NEVER_ENABLED }));
    expect(secret.RotationEnabled ?? false).toBe(false);
  });

  test.describe('Enabling rotation with the team\u2019s defaults', () => {
    test.skip(({ harnessEmulator }) => !harnessEmulator, NEEDS_HARNESS_EMULATOR);
    const name = `e2e/${randomBytes(3).toString('hex')}/portal-payments`;
    const logins: string[] = [];
    test.afterAll(async () => dropPostgresLogins(logins));

    test('When pat saves the prefilled wizard, then AWS rotates the secret every 30 days in a 4h window and the portal shows it healthy', async ({
      page,
      aws,
      wizard,
    }) => {
      test.setTimeout(120_000);
      const login = await createPostgresLogin();
      logins.push(login.username);
      await aws.secretsManager.send(new CreateSecretCommand({ Name: name, SecretString: login.secretString(), Tags: [{ Key: 'team', Value: 'payments' }] }));

      // The URL the portal's "Enable rotation" opens (a secret made now is not in the index until the next crawl).
      await page.goto(`/secrets/${encodeURIComponent(name)}/rotation?team=payments`);
      await expect(page.getByText('Filled in with the defaults of team Payments')).toBeVisible();
      await wizard.enableAutomaticRotation();
      await wizard.next();
      await expect(page.getByRole('heading', { name: 'Rotation function', level: 1 })).toBeVisible();
      await expect(page.getByRole('radio', { name: 'Create a new Lambda function to perform rotation' })).toBeChecked();
      // The database is the local PostgreSQL, not an RDS instance: no VPC.
      await wizard.vpc('No VPC (the function runs outside a VPC)');
      await wizard.next();
      await wizard.expectCheckPasses();
      await wizard.next();
      await wizard.acknowledgeAndSave();
      await wizard.expectOutcome(/Rotation succeeded/);

      const secret = await aws.secretsManager.send(new DescribeSecretCommand({ SecretId: name }));
      expect(secret.RotationEnabled).toBe(true);
      expect(secret.RotationRules).toMatchObject({ AutomaticallyAfterDays: 30, Duration: '4h' });

      // The console re-indexes what it changed: the portal lists the secret as healthy at once.
      const portal = new TeamPortal(page);
      await portal.open();
      await expect(portal.secrets('Payments').getByRole('row', { name: new RegExp(name) })).toContainText('Healthy');
    });
  });
});
