import { defineConfig, type PlaywrightTestConfig } from '@playwright/test';
import { armCanary } from './canary/canary.ts';
import type { EmulatorOptions } from './fixtures.ts';

// The suite runs twice, once per emulator, each against its own local default (`pnpm start`):
// the emulator, the seeded demo account, the demo OpenID provider and the console on one port.
//   moto        moto server started by the harness (packages/harness/moto_launcher.py)
//   localstack  LocalStack's open-source core started by the harness (packages/harness/localstack.ts,
//               installed under .tools/ on first use), or, with AWS_ENDPOINT_URL set, the
//               LocalStack (or other endpoint) already running there, which is seeded instead.
// E2E_EMULATORS=moto (or localstack) runs one of them. Specs sign in through the provider's login
// page (e2e/fixtures.ts) and check AWS's state at the project's endpoint (the `aws` fixture).
const emulators = (process.env.E2E_EMULATORS ?? 'moto,localstack').split(',').map((e) => e.trim());
for (const e of emulators) if (e !== 'moto' && e !== 'localstack') throw new Error(`E2E_EMULATORS: unknown emulator ${e} (moto, localstack)`);

const port = Number(process.env.E2E_PORT ?? 3100);
const motoPort = Number(process.env.E2E_MOTO_PORT ?? 5100);
const oidcPort = Number(process.env.E2E_OIDC_PORT ?? 4100);
const localStackConsolePort = Number(process.env.E2E_LOCALSTACK_CONSOLE_PORT ?? port + 1);
const localStackPort = Number(process.env.E2E_LOCALSTACK_PORT ?? 4666);
const localStackOidcPort = Number(process.env.E2E_LOCALSTACK_OIDC_PORT ?? oidcPort + 1);
const externalEndpoint = process.env.AWS_ENDPOINT_URL;

// The canary (e2e/canary): the seeded passwords carry a marker that no response, page or log
// line of the run may hold; the global teardown looks, in each emulator.
const canary = armCanary();

interface Target extends EmulatorOptions {
  name: 'moto' | 'localstack';
  consolePort: number;
  oidcPort: number;
  /** What scripts/start.ts needs to start (or use) this emulator. */
  startEnv: Record<string, string>;
}

const targets: Target[] = [
  {
    name: 'moto',
    emulator: 'moto',
    awsEndpoint: `http://127.0.0.1:${motoPort}`,
    harnessEmulator: true,
    consolePort: port,
    oidcPort,
    startEnv: { EMULATOR: 'moto', MOTO_PORT: String(motoPort) },
  },
  {
    name: 'localstack',
    emulator: 'localstack',
    awsEndpoint: externalEndpoint ?? `http://127.0.0.1:${localStackPort}`,
    harnessEmulator: !externalEndpoint,
    consolePort: localStackConsolePort,
    oidcPort: localStackOidcPort,
    startEnv: externalEndpoint
      ? { EMULATOR: 'localstack', AWS_ENDPOINT_URL: externalEndpoint }
      : { EMULATOR: 'localstack', LOCALSTACK_PORT: String(localStackPort) },
  },
];
const chosen = targets.filter((t) => emulators.includes(t.name));
// The canary's teardown checks every emulator of the run.
process.env.E2E_AWS_ENDPOINTS ??= chosen.map((t) => t.awsEndpoint).join(',');

/** Specs that change what every other spec of their emulator sees (see projects). */
const BATCH_SPEC = /batch\.spec\.ts$/;

/** One entry of the config's webServer list. */
type WebServer = Extract<NonNullable<PlaywrightTestConfig['webServer']>, unknown[]>[number];

const webServer = (t: Target): WebServer => ({
  command: 'node ../scripts/start.ts',
  url: `http://127.0.0.1:${t.consolePort}/api/v1/health`,
  env: {
    ...t.startEnv,
    PORT: String(t.consolePort),
    OIDC_PORT: String(t.oidcPort),
    AUTH_MODE: 'oidc',
    // The canary: marked passwords in the seed, every process's output kept, the API's at its most talkative.
    SEED_SECRET_MARKER: canary.marker,
    LOG_DIR: `${canary.logDir}/${t.name}`,
    // Each console its own state, new for each run: the two emulators' consoles once shared
    // e2e/.data/console.sqlite, so one's crawl swept the other's secrets from the index.
    DATA_DIR: `${canary.dir}/data/${t.name}`,
    LOG_LEVEL: 'debug',
  },
  // E2E_REUSE=1 runs the specs against local defaults already started on these ports.
  reuseExistingServer: process.env.E2E_REUSE === '1',
  // LocalStack's first start installs it (about a minute; scripts/test.ts installs it beforehand).
  timeout: t.name === 'localstack' ? 300_000 : 180_000,
  stdout: 'pipe',
});

export default defineConfig<EmulatorOptions>({
  testDir: './specs',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: Boolean(process.env.CI),
  use: {
    trace: 'on-first-retry',
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  // The batch spec makes 20 of payments' secrets rotate with payments' function for a minute or two,
  // which moves what other specs count (the function's other secrets, the portal's pages): it runs in
  // a project of its own once the emulator's other specs have ended.
  projects: chosen.flatMap((t) => {
    const use = { baseURL: `http://127.0.0.1:${t.consolePort}`, emulator: t.emulator, awsEndpoint: t.awsEndpoint, harnessEmulator: t.harnessEmulator };
    return [
      { name: t.name, use, testIgnore: BATCH_SPEC },
      { name: `${t.name}-batch`, use, testMatch: BATCH_SPEC, dependencies: [t.name] },
    ];
  }),
  globalTeardown: './canary/global-teardown.ts',
  webServer: chosen.map(webServer),
});
