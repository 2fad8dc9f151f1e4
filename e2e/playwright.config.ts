import { defineConfig } from '@playwright/test';
import { armCanary } from './canary/canary.ts';

// The suite runs against the local default (`pnpm start`): moto, the seeded demo
// account, the demo OpenID provider and the console on one port. With AWS_ENDPOINT_URL
// set (LocalStack), the same start command seeds that endpoint instead, and the suite
// runs unchanged. Specs sign in through the provider's login page (e2e/fixtures.ts).
const port = Number(process.env.E2E_PORT ?? 3100);
const motoPort = Number(process.env.E2E_MOTO_PORT ?? 5100);
const oidcPort = Number(process.env.E2E_OIDC_PORT ?? 4100);
const baseURL = `http://127.0.0.1:${port}`;
// The sign-in fixture (worker-scoped) opens its own browser context at this origin.
process.env.E2E_BASE_URL ??= baseURL;
// The canary (e2e/canary): the seeded passwords carry a marker that no response, page or log
// line of the run may hold; the global teardown looks.
const canary = armCanary();
// Specs check AWS's state themselves, at the endpoint the console uses.
process.env.E2E_AWS_ENDPOINT ??= process.env.AWS_ENDPOINT_URL ?? `http://127.0.0.1:${motoPort}`;

export default defineConfig({
  testDir: './specs',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: Boolean(process.env.CI),
  use: {
    baseURL,
    trace: 'on-first-retry',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  globalTeardown: './canary/global-teardown.ts',
  webServer: {
    command: 'node ../scripts/start.ts',
    url: `${baseURL}/api/v1/health`,
    env: {
      PORT: String(port),
      MOTO_PORT: String(motoPort),
      OIDC_PORT: String(oidcPort),
      AUTH_MODE: 'oidc',
      // The canary: marked passwords in the seed, every process's output kept, the API's at its most talkative.
      SEED_SECRET_MARKER: canary.marker,
      LOG_DIR: canary.logDir,
      LOG_LEVEL: 'debug',
    },
    // E2E_REUSE=1 runs the specs against a local default already started on these ports.
    reuseExistingServer: process.env.E2E_REUSE === '1',
    timeout: 180_000,
    stdout: 'pipe',
  },
});
