import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures.ts';

/**
 * The console under its own Content-Security-Policy in Chromium: every page draws, and the
 * browser reports no violation (a refused script, style, font, image or eval).
 */
const watchCsp = async (page: Page) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await page.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportCspViolation: (t: string) => void }).reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  return violations;
};

test.describe('Security headers', () => {
  test('When a person opens the console, then the page comes with a strict CSP and no-store API answers', async ({ page }) => {
    const response = await page.goto('/secrets');
    const csp = response!.headers()['content-security-policy'];
    const api = await page.request.get('/api/v1/secrets');

    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('unsafe-inline');
    expect(response!.headers()['x-content-type-options']).toBe('nosniff');
    expect(api.headers()['cache-control']).toBe('no-store');
  });

  test('When the dashboard, the secrets, a secret, the rotation wizard and the audit log are used, then Chromium reports no CSP violation', async ({
    page,
  }) => {
    const violations = await watchCsp(page);

    await page.goto('/');
    await expect(page.getByRole('heading', { name: /dashboard/i }).first()).toBeVisible();
    await page.goto('/secrets?name=prod/payments');
    await page.getByRole('link', { name: 'prod/payments/orders-db' }).click();
    await expect(page.getByRole('heading', { name: 'prod/payments/orders-db' })).toBeVisible();
    await page.goto('/secrets?name=prod/payments/reports-db');
    await page.getByRole('link', { name: 'prod/payments/reports-db' }).click();
    await page.getByRole('button', { name: 'Edit rotation' }).click();
    // Rotation is off on reports-db: turning it on asks for the schedule preview.
    await page.getByLabel('Enable automatic rotation').check();
    // The wizard's first POST (the schedule preview) goes through the api-client's CSRF path.
    await expect(page.getByRole('list', { name: 'Next rotation windows' }).getByRole('listitem')).toHaveCount(5);

    // The admin's audit page (its own chunk) with the records this test's own requests left.
    await page.goto('/audit');
    await expect(page.getByRole('table', { name: 'Audit records' })).toBeVisible();

    expect(violations).toEqual([]);
  });
});
