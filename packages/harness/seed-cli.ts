// Seeds the demo account at AWS_ENDPOINT_URL: `node packages/harness/seed-cli.ts`. The overdue secrets
// are backdated through moto's harness extension, so the endpoint is a moto_launcher.py.
import { ensureEmulatorCredentials, harnessClients } from './aws.ts';
import { seedDemoAccount } from './seed.ts';

ensureEmulatorCredentials();
const endpoint = process.env.AWS_ENDPOINT_URL;
const result = await seedDemoAccount(harnessClients(endpoint), endpoint);
console.log(`seeded: ${result.created.length} secrets created (${result.created.join(', ') || 'all existed'})`);
