import { test as base, type Browser, type BrowserContextOptions } from '@playwright/test';
import { CanaryRecorder } from './canary/recorder.ts';
import { harnessClients, type HarnessClients } from '@rotation-console/harness/aws.ts';
import { loadDemoAccounts } from '@rotation-console/harness/oidc/accounts.ts';
import { RotationWizard } from './pages/rotation-wizard.ts';
import { SecretPage, SecretsPage } from './pages/secrets-page.ts';

process.env.AWS_ACCESS_KEY_ID ??= 'testing';
process.env.AWS_SECRET_ACCESS_KEY ??= 'testing';
process.env.AWS_REGION ??= 'us-east-1';

/**
 * The project's emulator (playwright.config.ts runs every spec once per emulator). Worker-scoped
 * options: `test.skip(({ emulator }) => ...)` reads them.
 */
export interface EmulatorOptions {
  emulator: 'moto' | 'localstack';
  /** Where the project's console talks to AWS; specs check AWS's state there. */
  awsEndpoint: string;
  /**
   * True when the harness started the emulator: it can backdate rotations (the demo's overdue
   * secrets) and runs rotation functions under Node against the local PostgreSQL. False for an
   * endpoint that was already running (AWS_ENDPOINT_URL).
   */
  harnessEmulator: boolean;
}

/** Why a spec is skipped on an endpoint the harness did not start; each skip names its emulator and reason. */
export const NEEDS_HARNESS_EMULATOR =
  'On an endpoint the harness did not start (AWS_ENDPOINT_URL): the first rotation runs the function against the local PostgreSQL, which only the harness\u2019s emulators do.';

/** The people of config/demo-accounts.json: alice admin, pat (payments) and ida (identity) operators, vic viewer, nora operator of no team. */
export type DemoUser = 'alice' | 'pat' | 'ida' | 'vic' | 'nora';

type StorageState = Exclude<BrowserContextOptions['storageState'], string | undefined>;

const demo = loadDemoAccounts();

/**
 * Signs in as `username` the way a person does: the console's /auth/login sends the browser to
 * the demo provider's login page, the form is filled and submitted, and the provider sends it
 * back to the console's callback. Lands on GET /api/v1/me (no page to render) and checks the
 * name there, so a sign-in that silently failed stops here rather than in a spec.
 */
export const signInThroughProvider = async (browser: Browser, baseURL: string, username: DemoUser): Promise<StorageState> => {
  const account = demo.accounts.find((a) => a.username === username);
  if (!account) throw new Error(`${username} is not in config/demo-accounts.json`);
  const context = await browser.newContext({ baseURL });
  try {
    const page = await context.newPage();
    await page.goto('/auth/login?returnTo=/api/v1/me');
    await page.getByLabel('Username').fill(account.username);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${baseURL}/api/v1/me`);
    const me = JSON.parse((await page.locator('body').textContent()) ?? '{}') as { name?: string };
    if (me.name !== account.name) throw new Error(`signed in as ${username} but /api/v1/me says ${JSON.stringify(me.name)}`);
    return await context.storageState();
  } finally {
    await context.close();
  }
};

interface TestFixtures {
  /** Reads what the test's browser and API requests received for the canary's marker (e2e/canary). */
  canaryTest: void;
  /** Who the test's page and `request` are signed in as (default alice, the admin); `null`: nobody. */
  account: DemoUser | null;
  secretsPage: SecretsPage;
  secretPage: SecretPage;
  wizard: RotationWizard;
}

interface WorkerFixtures extends EmulatorOptions {
  /** The canary's recorder for this worker: watches every browser context and API request context it makes. */
  canary: CanaryRecorder | null;
  aws: HarnessClients;
  /** The session of a demo account, signed in once per worker and reused by every test of the worker. */
  sessionOf: (username: DemoUser) => Promise<StorageState>;
}

/** Page objects, SDK clients for the AWS endpoint the console uses, and signed-in sessions, as fixtures. */
export const test = base.extend<TestFixtures, WorkerFixtures>({
  canary: [
    async ({ browser, playwright }, use, workerInfo) => {
      const marker = process.env.E2E_CANARY;
      const dir = process.env.E2E_CANARY_DIR;
      if (!marker || !dir) return use(null);
      const recorder = new CanaryRecorder(marker, dir, workerInfo.workerIndex);
      recorder.watchBrowser(browser);
      recorder.watchApiRequests(playwright.request);
      await use(recorder);
      await recorder.close();
    },
    { scope: 'worker', auto: true },
  ],
  // Depends on `context` so that it ends before the context closes, with the pages still open.
  canaryTest: [
    async ({ canary, context: _context }, use, testInfo) => {
      canary?.startTest(testInfo.titlePath.slice(1).join(' > '));
      await use();
      await canary?.endTest();
    },
    { auto: true },
  ],
  account: ['alice', { option: true }],
  emulator: ['moto', { option: true, scope: 'worker' }],
  awsEndpoint: ['', { option: true, scope: 'worker' }],
  harnessEmulator: [true, { option: true, scope: 'worker' }],
  sessionOf: [
    async ({ browser }, use, workerInfo) => {
      // The sign-in (worker-scoped) opens its own browser context at the project's console.
      const baseURL = workerInfo.project.use.baseURL!;
      const sessions = new Map<DemoUser, Promise<StorageState>>();
      await use((username) => {
        let session = sessions.get(username);
        if (!session) {
          session = signInThroughProvider(browser, baseURL, username);
          // A failed sign-in is not kept: the next test of the worker tries again.
          session.catch(() => sessions.delete(username));
          sessions.set(username, session);
        }
        return session;
      });
    },
    { scope: 'worker' },
  ],
  // A worker signs each account in once, inside the first test that needs it. That sign-in (the provider's
  // login page, then the console's callback) is not the test's own work: its time is added to the test's
  // limit, so on a busy machine the first test of each account is not cut short for it.
  storageState: async ({ account, sessionOf }, use, testInfo) => {
    const started = Date.now();
    const state = account ? await sessionOf(account) : undefined;
    if (testInfo.timeout > 0) testInfo.setTimeout(testInfo.timeout + (Date.now() - started));
    await use(state);
  },
  // The built-in `request` starts without cookies; this one carries the test's session.
  // With a session it also sends the session's CSRF token, which every POST of a cookie session needs.
  request: async ({ playwright, baseURL, storageState }, use) => {
    let request = await playwright.request.newContext({ baseURL, storageState });
    if (storageState) {
      const { token, header } = (await (await request.get('/api/v1/csrf-token')).json()) as { token: string | null; header: string };
      const withCsrfCookie = await request.storageState();
      await request.dispose();
      request = await playwright.request.newContext({ baseURL, storageState: withCsrfCookie, extraHTTPHeaders: token ? { [header]: token } : {} });
    }
    await use(request);
    await request.dispose();
  },
  secretsPage: async ({ page }, use) => use(new SecretsPage(page)),
  secretPage: async ({ page }, use) => use(new SecretPage(page)),
  wizard: async ({ page }, use) => use(new RotationWizard(page)),
  aws: [async ({ awsEndpoint }, use) => use(harnessClients(awsEndpoint)), { scope: 'worker' }],
});
export { expect } from '@playwright/test';
