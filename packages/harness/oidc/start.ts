// Starts the demo OpenID provider on 127.0.0.1 and prints one line a script can wait for:
//   oidc listening on http://127.0.0.1:PORT
// Usage: node packages/harness/oidc/start.ts [--port N] [--accounts config/demo-accounts.json]
// (OIDC_PORT works too; default 0 picks a free port). Ctrl-C stops it.
import { parseArgs } from 'node:util';
import { loadDemoAccounts, startDemoProvider } from './provider.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.OIDC_PORT ?? '0' },
    accounts: { type: 'string' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`oidc: --port must be 0-65535, got ${values.port}`);
  process.exit(2);
}

const provider = await startDemoProvider({ port, accounts: loadDemoAccounts(values.accounts) });
process.stdout.write(`oidc listening on ${provider.issuer}\n`);

const stop = () => {
  void provider.stop().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
