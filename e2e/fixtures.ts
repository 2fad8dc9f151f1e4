import { test as base } from '@playwright/test';
import { SecretPage, SecretsPage } from './pages/secrets-page.ts';

/** Page objects as fixtures. */
export const test = base.extend<{ secretsPage: SecretsPage; secretPage: SecretPage }>({
  secretsPage: async ({ page }, use) => use(new SecretsPage(page)),
  secretPage: async ({ page }, use) => use(new SecretPage(page)),
});
export { expect } from '@playwright/test';
