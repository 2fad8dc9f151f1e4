import { DescribeSecretCommand, ListSecretVersionIdsCommand } from '@aws-sdk/client-secrets-manager';
import { expect, test } from '../fixtures.ts';
import { TeamPortal } from '../pages/team-portal.ts';

// Freeze windows (docs/freeze-windows.md). Identity's window, not payments': the other specs rotate
// payments' secrets at the same time (two workers), and a payments window open now would refuse
// them. No spec rotates identity's sessions-db, and the refusal changes nothing in AWS, so no other
// spec's figures move; the window is removed at the end.
const SECRET = 'prod/identity/sessions-db';

test.describe('ida, an operator of identity, during a release freeze', () => {
  test.use({ account: 'ida' });

  test('When ida adds a window open now on the portal, then "Rotate secret immediately" on an identity secret is refused with the window\u2019s name', async ({
    page,
    aws,
  }) => {
    const name = `Release freeze ${Date.now()}`;
    const portal = new TeamPortal(page);
    await portal.open();
    await expect(portal.heading()).toHaveText('Identity');

    // Add a one-off window, open from a minute ago to an hour from now.
    await page.getByRole('button', { name: 'Add freeze window' }).click();
    const form = page.getByRole('dialog');
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Start', { exact: true }).fill(new Date(Date.now() - 60_000).toISOString());
    await form.getByLabel('End', { exact: true }).fill(new Date(Date.now() + 3_600_000).toISOString());
    await form.getByRole('button', { name: 'Add freeze window' }).click();
    await expect(form).toBeHidden();
    const row = page.getByRole('table', { name: 'Freeze windows' }).getByRole('row', { name: new RegExp(name) });
    await expect(row).toContainText('Open now, until');

    try {
      const versionsBefore = (await aws.secretsManager.send(new ListSecretVersionIdsCommand({ SecretId: SECRET }))).Versions?.map((v) => v.VersionId).sort();

      await page.goto(`/secrets/${encodeURIComponent(SECRET)}`);
      await page.getByRole('list', { name: 'Operations' }).getByRole('button', { name: 'Rotate secret immediately' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Rotate', exact: true }).click();

      await expect(dialog.getByText('Failed to start: Rotate secret immediately')).toBeVisible();
      await expect(dialog).toContainText(`freeze window ${name} is open until`);
      await expect(dialog).toContainText('An admin may override it with a reason');
      // An operator is offered no override, and AWS made no new version.
      await expect(dialog.getByLabel('Reason for overriding the freeze window')).toHaveCount(0);
      expect((await aws.secretsManager.send(new ListSecretVersionIdsCommand({ SecretId: SECRET }))).Versions?.map((v) => v.VersionId).sort()).toEqual(
        versionsBefore,
      );
      expect((await aws.secretsManager.send(new DescribeSecretCommand({ SecretId: SECRET }))).RotationEnabled).toBe(true);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    } finally {
      // The window goes, whatever happened above: other specs' figures and rotations stay as they were.
      await portal.open();
      await page.getByRole('button', { name: `Remove freeze window ${name}` }).click();
      await expect(page.getByRole('table', { name: 'Freeze windows' }).getByRole('row', { name: new RegExp(name) })).toHaveCount(0);
    }
  });
});
