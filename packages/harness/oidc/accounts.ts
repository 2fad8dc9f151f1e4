import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The demo accounts of config/demo-accounts.json: the people, service accounts and the
 * console's registration the demo provider serves. Its own module so the start script and
 * the Playwright fixtures read them without loading oidc-provider.
 */
export const DEMO_ACCOUNTS_FILE = fileURLToPath(new URL('../../../config/demo-accounts.json', import.meta.url));

export interface DemoAccount {
  username: string;
  password: string;
  name: string;
  groups: string[];
}

export interface DemoServiceAccount {
  clientId: string;
  clientSecret: string;
  groups: string[];
}

export interface DemoAccounts {
  audience: string;
  console: { clientId: string; clientSecret: string; redirectUris: string[] };
  accounts: DemoAccount[];
  serviceAccounts: DemoServiceAccount[];
}

export const loadDemoAccounts = (file = DEMO_ACCOUNTS_FILE): DemoAccounts => JSON.parse(readFileSync(file, 'utf8')) as DemoAccounts;
