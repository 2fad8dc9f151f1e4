import { test as base } from '@playwright/test';
import { harnessClients, type HarnessClients } from './harness/aws.ts';
import { RotationWizard } from './pages/rotation-wizard.ts';
import { SecretPage, SecretsPage } from './pages/secrets-page.ts';

process.env.AWS_ACCESS_KEY_ID ??= 'testing';
process.env.AWS_SECRET_ACCESS_KEY ??= 'testing';
process.env.AWS_REGION ??= 'us-east-1';

/**
 * True when the suite runs on the local default's moto (started by the harness launcher), false
 * against another endpoint such as LocalStack (AWS_ENDPOINT_URL set). Only the launcher can
 * backdate a rotation (the demo's overdue secrets) and run rotation functions under Node against
 * the local PostgreSQL; specs that need either say so and are skipped elsewhere.
 */
export const onMotoHarness = !process.env.AWS_ENDPOINT_URL;

/** Page objects, and SDK clients for the AWS endpoint the console uses, as fixtures. */
export const test = base.extend<{ secretsPage: SecretsPage; secretPage: SecretPage; wizard: RotationWizard }, { aws: HarnessClients }>({
  secretsPage: async ({ page }, use) => use(new SecretsPage(page)),
  secretPage: async ({ page }, use) => use(new SecretPage(page)),
  wizard: async ({ page }, use) => use(new RotationWizard(page)),
  // Playwright reads a fixture's dependencies from its destructuring pattern: none here.
  // eslint-disable-next-line no-empty-pattern
  aws: [async ({}, use) => use(harnessClients(process.env.E2E_AWS_ENDPOINT)), { scope: 'worker' }],
});
export { expect } from '@playwright/test';
