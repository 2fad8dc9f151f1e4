import type { Page } from '@playwright/test';
import { expect, signInThroughProvider, test } from '../fixtures.ts';

// Each demo account of config/demo-accounts.json, signed in through the demo provider's login
// page (fixtures.ts, once per account per worker), sees and may do only what the one policy
// allows: alice admin, pat operator of payments, ida operator of identity, vic viewer, nora
// operator of no team. The seeded demo account has prod/payments/* and prod/identity/* secrets.

const PAYMENTS_SECRET = 'prod/payments/orders-db';
const IDENTITY_SECRET = 'prod/identity/users-db';
const secretPath = (name: string) => `/secrets/${encodeURIComponent(name)}`;

/**
 * The headers a POST of this page's session needs, as the web app's api-client sends them: the CSRF
 * token of GET /api/v1/csrf-token where the API has one (page.request shares the page's cookies),
 * so that a refusal is the policy's.
 */
const csrfHeaders = async (page: Page): Promise<Record<string, string>> => {
  const answer = await page.request.get('/api/v1/csrf-token');
  if (!answer.ok()) return {};
  const { token, header } = (await answer.json()) as { token: string | null; header: string };
  return token ? { [header]: token } : {};
};

const OPERATIONS = ['Rotate secret immediately', 'Turn off rotation', 'Roll back to the previous version', 'Clear the stuck rotation'];

/** Who the top navigation says is signed in (the person's menu button). */
const expectSignedInAs = async (page: Page, name: string) => {
  await expect(page.getByRole('button', { name: new RegExp(name) })).toBeVisible();
};

/** The prod/ secrets in the Secrets list, once it has loaded. */
const prodSecretsListed = async (page: Page) => {
  await page.goto('/secrets?name=prod/');
  const table = page.getByRole('table', { name: 'Secrets' });
  await expect(
    table
      .getByRole('link')
      .first()
      .or(page.getByText('No secrets', { exact: false }).first()),
  ).toBeVisible();
  return table.getByRole('link').allTextContents();
};

const expectEditRotation = async (page: Page, name: string, allowed: boolean) => {
  await page.goto(secretPath(name));
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const edit = page.getByRole('button', { name: 'Edit rotation' });
  if (allowed) await expect(edit).toBeEnabled();
  else await expect(edit).toHaveAttribute('aria-disabled', 'true');
};

/**
 * The operations on PAYMENTS_SECRET (rotating, healthy, with an AWSPREVIOUS version): rotating now, turning
 * off and rolling back apply, and are enabled for whoever may run them; clearing applies to no healthy
 * secret, so it is disabled for everyone, with that reason.
 */
const expectOperations = async (page: Page, name: string, allowed: boolean) => {
  await page.goto(secretPath(name));
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const operations = page.getByRole('list', { name: 'Operations' });
  for (const label of OPERATIONS.filter((operation) => operation !== 'Clear the stuck rotation')) {
    const button = operations.getByRole('button', { name: label, exact: true });
    if (allowed) await expect(button).toBeEnabled();
    else await expect(button).toHaveAttribute('aria-disabled', 'true');
  }
  await expect(operations.getByRole('button', { name: 'Clear the stuck rotation', exact: true })).toHaveAttribute('aria-disabled', 'true');
  await expect(operations).toContainText('No rotation is stuck');
};

test.describe('alice, an admin', () => {
  test.use({ account: 'alice' });

  test("When alice signs in, then she sees every team's secrets and may change any of them", async ({ page }) => {
    await page.goto('/dashboard');
    await expectSignedInAs(page, 'Alice Admin');
    await expect(page.getByRole('link', { name: 'Overdue: 2' })).toBeVisible();

    const listed = await prodSecretsListed(page);
    expect(listed).toEqual(expect.arrayContaining([PAYMENTS_SECRET, IDENTITY_SECRET]));

    await expectEditRotation(page, IDENTITY_SECRET, true);
    await expectOperations(page, PAYMENTS_SECRET, true);
  });
});

test.describe('pat, an operator of payments', () => {
  test.use({ account: 'pat' });

  test('When pat signs in, then only payments secrets are listed and counted, and pat may change them', async ({ page }) => {
    await page.goto('/dashboard');
    await expectSignedInAs(page, 'Pat Payments');
    // Overdue: prod/payments/ledger-app only (the other overdue secret is analytics').
    await expect(page.getByRole('link', { name: 'Overdue: 1' })).toBeVisible();

    const listed = await prodSecretsListed(page);
    expect(listed).toContain(PAYMENTS_SECRET);
    expect(listed.filter((name) => !name.startsWith('prod/payments/'))).toEqual([]);

    await expectEditRotation(page, PAYMENTS_SECRET, true);
    await expectOperations(page, PAYMENTS_SECRET, true);
  });

  test('When pat opens an identity secret by its URL, its old timeline link or its rotation wizard, then each page says it is not found', async ({ page }) => {
    for (const path of [secretPath(IDENTITY_SECRET), `${secretPath(IDENTITY_SECRET)}/timeline`, `${secretPath(IDENTITY_SECRET)}/rotation`]) {
      await page.goto(path);
      await expect(page.getByText('Secret not found')).toBeVisible();
      await expect(page.getByRole('button', { name: 'Next' })).toHaveCount(0);
    }
  });

  test('When pat calls the API for an identity secret from the page, then it answers exactly as for a secret that does not exist', async ({ page }) => {
    await page.goto('/dashboard');
    const ask = async (name: string) =>
      page.evaluate(
        async ({ secret, csrf }) => {
          const id = encodeURIComponent(secret);
          const calls = [
            fetch(`/api/v1/secrets/${id}`),
            fetch(`/api/v1/secrets/${id}/timeline`),
            fetch(`/api/v1/secrets/${id}/operation-previews`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', ...csrf },
              body: '{"operation":"rotate-now"}',
            }),
          ];
          return Promise.all(
            calls.map(async (call) => {
              const response = await call;
              const body = (await response.json()) as { error?: { code: string; message: string } };
              return { status: response.status, code: body.error?.code, message: body.error?.message.replace(secret, '<name>') };
            }),
          );
        },
        { secret: name, csrf: await csrfHeaders(page) },
      );

    const hidden = await ask(IDENTITY_SECRET);
    const missing = await ask('prod/identity/no-such-db');

    expect(hidden.map((answer) => answer.status)).toEqual([404, 404, 404]);
    expect(hidden).toEqual(missing);
  });

  test('When pat exports the dashboard as CSV, then no identity secret is in it', async ({ page, request }) => {
    await page.goto('/dashboard');
    const href = await page.getByRole('link', { name: /Download CSV/ }).getAttribute('href');
    const csv = await (await request.get(href!)).text();

    expect(csv).toContain(PAYMENTS_SECRET);
    expect(csv).not.toContain('prod/identity/');
    expect(csv).not.toContain('staging/analytics/');
  });
});

test.describe('ida, an operator of identity', () => {
  test.use({ account: 'ida' });

  test('When ida signs in, then only identity secrets are listed and counted, and payments secrets are out of reach', async ({ page }) => {
    await page.goto('/dashboard');
    await expectSignedInAs(page, 'Ida Identity');
    await expect(page.getByRole('link', { name: 'Rotation pending or failed: 1' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Overdue: 0' })).toBeVisible();

    const listed = await prodSecretsListed(page);
    expect(listed).toContain(IDENTITY_SECRET);
    expect(listed.filter((name) => !name.startsWith('prod/identity/'))).toEqual([]);

    await expectEditRotation(page, IDENTITY_SECRET, true);
    await page.goto(secretPath(PAYMENTS_SECRET));
    await expect(page.getByText('Secret not found')).toBeVisible();
  });
});

test.describe('vic, a viewer', () => {
  test.use({ account: 'vic' });

  test('When vic signs in, then every secret is listed but nothing can be changed: buttons disabled, the wizard refuses', async ({ page }) => {
    await page.goto('/dashboard');
    await expectSignedInAs(page, 'Vic Viewer');
    await expect(page.getByRole('link', { name: 'Overdue: 2' })).toBeVisible();

    const listed = await prodSecretsListed(page);
    expect(listed).toEqual(expect.arrayContaining([PAYMENTS_SECRET, IDENTITY_SECRET]));

    await expectEditRotation(page, PAYMENTS_SECRET, false);
    await expectOperations(page, PAYMENTS_SECRET, false);
    await page.goto(`${secretPath(PAYMENTS_SECRET)}/rotation`);
    await expect(page.getByText("You cannot change this secret's rotation")).toBeVisible();
  });

  test('When vic asks the API to rotate a secret anyway, then it refuses with 403', async ({ page }) => {
    await page.goto('/dashboard');
    const answer = await page.evaluate(
      async ({ name, csrf }) => {
        const r = await fetch(`/api/v1/secrets/${encodeURIComponent(name)}/operations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `vic-${Date.now()}`, ...csrf },
          body: '{"operation":"rotate-now"}',
        });
        return { status: r.status, code: ((await r.json()) as { error?: { code: string } }).error?.code };
      },
      { name: PAYMENTS_SECRET, csrf: await csrfHeaders(page) },
    );
    expect(answer).toEqual({ status: 403, code: 'not_allowed' });
  });
});

test.describe('nora, an operator of no team', () => {
  test.use({ account: 'nora' });

  test('When nora signs in, then no secret is listed or counted, and none can be opened', async ({ page }) => {
    await page.goto('/dashboard');
    await expectSignedInAs(page, 'Nora No-team');
    await expect(page.getByRole('link', { name: 'Overdue: 0' })).toBeVisible();

    await page.goto('/secrets');
    await expect(page.getByText('No secrets', { exact: true })).toBeVisible();

    await page.goto(secretPath(PAYMENTS_SECRET));
    await expect(page.getByText('Secret not found')).toBeVisible();
  });
});

test.describe('Signing in and out', () => {
  // These tests end or forge sessions: they sign in for themselves, never with a worker's shared session.
  test.use({ account: null });

  test("When nobody is signed in and the dashboard is opened, then the provider's login page comes, and signing in returns to the dashboard", async ({
    page,
    baseURL,
  }) => {
    await page.goto('/dashboard?status=overdue');

    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    expect(new URL(page.url()).origin).not.toBe(baseURL);
    await page.getByLabel('Username').fill('vic');
    await page.getByLabel('Password').fill('vic-demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();

    await expect(page).toHaveURL(`${baseURL}/dashboard?status=overdue`);
    await expectSignedInAs(page, 'Vic Viewer');
  });

  test('When the session cookie is one the console no longer knows (ended or expired), then the next API call sends the browser to sign in', async ({
    page,
    context,
    baseURL,
  }) => {
    await context.addCookies([{ name: 'rc_session', value: 'ended-session-id', url: baseURL! }]);

    await page.goto('/secrets');

    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  });

  test('When a signed-in person chooses Sign out, then the signed-out page shows and the API no longer answers for that browser', async ({
    browser,
    baseURL,
  }) => {
    const context = await browser.newContext({ baseURL: baseURL!, storageState: await signInThroughProvider(browser, baseURL!, 'nora') });
    const page = await context.newPage();
    await page.goto('/dashboard');

    await page.getByRole('button', { name: /Nora No-team/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();

    await expect(page).toHaveURL(`${baseURL}/signed-out`);
    await expect(page.getByRole('heading', { name: 'You are signed out' })).toBeVisible();
    expect((await context.request.get('/api/v1/me')).status()).toBe(401);
    await context.close();
  });
});
