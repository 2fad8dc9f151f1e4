import { randomBytes } from 'node:crypto';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DEMO_FUNCTIONS } from '@rotation-console/harness/seed.ts';
import { expect, test } from '../fixtures.ts';

// Rotation events (issue 16): the local default turns events on where the harness's moto puts
// Secrets Manager's events on the bus (moto_launcher.py); LocalStack puts none, so there the
// dashboard learns of a rotation at the crawl's next pass, and this spec does not apply.

const run = randomBytes(3).toString('hex');

test.describe('Rotation events', () => {
  test.skip(
    ({ emulator, harnessEmulator }) => emulator !== 'moto' || !harnessEmulator,
    'Needs the harness’s moto, which puts Secrets Manager’s events on the event bus (LocalStack puts none; its local default leaves events off)',
  );

  test('When a demo rotation fails while the dashboard is open, then its row shows the failure without a reload', async ({ page, aws }) => {
    const name = `e2e/${run}/events-stuck`;
    await page.goto(`/dashboard?name=${encodeURIComponent(name)}`);
    const table = page.getByRole('table', { name: 'Secrets' });
    await expect(table).toBeVisible();
    await expect(table.getByRole('row', { name: new RegExp(name) })).toHaveCount(0);
    let reloaded = false;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) reloaded = true;
    });

    // The demo's placeholder function fails at createSecret; AWSPENDING stays.
    await aws.secretsManager.send(new CreateSecretCommand({ Name: name, SecretString: '{"engine":"postgres","host":"db","username":"u","password":"p"}' }));
    const fn = (await aws.lambda.send(new GetFunctionCommand({ FunctionName: DEMO_FUNCTIONS[0] }))).Configuration!.FunctionArn!;
    await aws.secretsManager.send(new RotateSecretCommand({ SecretId: name, RotationLambdaARN: fn, RotationRules: { AutomaticallyAfterDays: 30 } }));

    await expect(table.getByRole('row', { name: new RegExp(name) })).toContainText(/Rotation (pending or failed|failed at createSecret)/);
    expect(reloaded).toBe(false);
  });
});
