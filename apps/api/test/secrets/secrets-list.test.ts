import { CreateSecretCommand, DeleteSecretCommand, TagResourceCommand, UpdateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { SecretPage, type SecretDetail, type SecretSummary } from '@rotation-console/contracts';
import { startAwsProxy } from '@rotation-console/harness/aws-proxy.ts';
import { DEMO_SECRETS, seedDemoAccount } from '@rotation-console/harness/seed.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFRESH_LIST_PAGES } from '../../src/modules/secrets/secrets.service.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';

// The Secrets list reads the console's index of secrets (the dashboard's), never AWS per request:
// the API runs behind the harness's AWS proxy, which records every call it makes to moto.
await reset();
await seedDemoAccount(aws(), motoEndpoint());
// A team whose name starts like another's: tag filters are prefix matches in AWS.
await aws().secretsManager.send(new CreateSecretCommand({ Name: 'prod/payments-eu/db', SecretString: '{}', Tags: [{ Key: 'team', Value: 'payments-eu' }] }));
const proxy = await startAwsProxy({ target: motoEndpoint() });
const api = await buildApi({ AWS_ENDPOINT_URL: proxy.url });
afterAll(async () => {
  await api.close();
  await proxy.close();
});

const list = async (query: Record<string, string | number> = {}) =>
  SecretPage.parse((await request(api.app).get('/api/v1/secrets').query(query).expect(200)).body);

const refresh = async (body: Record<string, string | number> = {}) =>
  SecretPage.parse((await request(api.app).post('/api/v1/secret-refreshes').send(body).expect(200)).body);

const allPages = async (query: Record<string, string | number>) => {
  const names: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await list({ ...query, ...(cursor ? { cursor } : {}) });
    names.push(...page.items.map((s) => s.name));
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 50);
  return { names, pages };
};

/** The AWS calls the API makes while `act` runs, by operation. */
const awsCallsDuring = async (act: () => Promise<unknown>) => {
  const before = proxy.calls.length;
  await act();
  return proxy.calls.slice(before);
};
const operations = (calls: { operation: string }[]) => calls.map((c) => c.operation);

describe('GET /api/v1/secrets before the first crawl has ended', () => {
  it('When the index is still empty, then the page comes from AWS’s first ListSecrets page and says so, rather than "no secrets"', async () => {
    const calls = await awsCallsDuring(async () => {
      const page = await list({ name: 'prod/payments/orders-db' });

      expect(page.freshness).toMatchObject({ source: 'aws', state: 'empty', indexedAt: null });
      expect(page.items.map((s) => s.name)).toEqual(['prod/payments/orders-db']);
      // No verdict on its last rotation has been read yet: unknown, not healthy.
      expect(page.items[0]!.status).toBe('unknown');
    });

    expect(operations(calls)).toContain('ListSecrets');
  });
});

describe('GET /api/v1/secrets from the index', () => {
  beforeAll(async () => {
    await api.dashboard.crawler.crawlOnce();
  });

  it('When pages are read after the crawl, with any filter and cursor, then the API makes not one AWS call', async () => {
    const calls = await awsCallsDuring(async () => {
      const { pages } = await allPages({ limit: 5 });
      await list({ status: 'overdue' });
      await list({ team: 'payments', name: 'prod/' });
      await Promise.all(Array.from({ length: 20 }, () => list()));
      expect(pages).toBeGreaterThanOrEqual(8);
    });

    expect(operations(calls)).toEqual([]);
  });

  it('When the account is listed page by page, then every secret appears once, in name order', async () => {
    const { names, pages } = await allPages({ limit: 4 });

    expect(pages).toBeGreaterThanOrEqual(10);
    expect(new Set(names).size).toBe(names.length);
    for (const s of DEMO_SECRETS) expect(names).toContain(s.name);
    expect(names.some((n) => n.startsWith('rds!'))).toBe(true);
    expect(names).toEqual([...names].sort());
  });

  it('When a page is read, then it says how fresh the index is: the crawl ended, and when it last read these secrets', async () => {
    const page = await list({ name: 'prod/payments/' });

    expect(page.freshness).toMatchObject({ source: 'index', state: 'ready' });
    expect(page.freshness.indexedAt).not.toBeNull();
    expect(page.freshness.secretsIndexed).toBeGreaterThanOrEqual(DEMO_SECRETS.length);
    // Each row was read by the crawl, before the crawl ended.
    expect(Date.parse(page.freshness.seenAt!)).toBeLessThanOrEqual(Date.parse(page.freshness.indexedAt!));
  });

  it('When a row is compared with the secret’s own page (DescribeSecret), then it carries the same facts and status as AWS gives', async () => {
    const { items } = await list({ limit: 100 });
    const keys = ['name', 'arn', 'description', 'tags', 'team', 'owningService', 'createdDate', 'lastChangedDate', 'rotation', 'status', 'failedStep'] as const;
    const pick = (s: SecretSummary | SecretDetail) => Object.fromEntries(keys.map((k) => [k, s[k]]));

    expect(items.length).toBeGreaterThanOrEqual(DEMO_SECRETS.length);
    for (const item of items) {
      const detail = (
        await request(api.app)
          .get(`/api/v1/secrets/${encodeURIComponent(item.arn)}`)
          .expect(200)
      ).body as SecretDetail;
      expect(pick(item), item.name).toEqual(pick(detail));
    }
    const orders = items.find((s) => s.name === 'prod/payments/orders-db')!;
    expect(orders).toMatchObject({ team: 'payments', status: 'healthy', rotation: { enabled: true, rules: { automaticallyAfterDays: 30 } } });
    expect(orders.rotation.lambdaArn).toMatch(/function:SecretsManager-postgres-single-user$/);
  });

  it.each([
    ['overdue', ['prod/payments/ledger-app', 'staging/analytics/events-db']],
    ['pending_or_failed', ['prod/identity/users-db']],
    ['healthy', ['prod/identity/sessions-db', 'prod/payments/cards-db', 'prod/payments/orders-db']],
  ])('When filtered by status %s, then only those secrets come back', async (status, expected) => {
    const { names } = await allPages({ status, limit: 2 });
    expect(names).toEqual([...expected].sort());
  });

  it('When filtered by status pending_or_failed, then the row names the step the function’s log shows failing', async () => {
    const { items } = await list({ status: 'pending_or_failed' });
    expect(items[0]).toMatchObject({ name: 'prod/identity/users-db', failedStep: 'createSecret' });
  });

  it('When filtered by status managed, then the RDS-owned secret comes back', async () => {
    const { items } = await list({ status: 'managed' });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ owningService: 'rds', status: 'managed' });
  });

  it('When filtered by team, then the match is exact, not the prefix AWS applies', async () => {
    const { names } = await allPages({ team: 'payments', limit: 3 });

    expect(names).toEqual(
      DEMO_SECRETS.filter((s) => s.team === 'payments')
        .map((s) => s.name)
        .sort(),
    );
    expect(names).not.toContain('prod/payments-eu/db');
  });

  it('When filtered by a name prefix, then only names starting with it come back, case-sensitive as ListSecrets’ name filter', async () => {
    const { names } = await allPages({ name: 'staging/analytics' });
    expect(names).toEqual(
      DEMO_SECRETS.filter((s) => s.name.startsWith('staging/analytics'))
        .map((s) => s.name)
        .sort(),
    );
    expect((await list({ name: 'Staging/analytics' })).items).toEqual([]);
    // A prefix, not "contains": the dashboard's filter would find these by "analytics".
    expect((await list({ name: 'analytics' })).items).toEqual([]);
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ status: 'broken' }, 'status'],
    [{ name: '<script>' }, 'name'],
    [{ cursor: 'not-a-cursor' }, 'cursor'],
    // A cursor of the list that read ListSecrets (an AWS token and an offset): no longer this API's.
    [{ cursor: Buffer.from(JSON.stringify({ t: 'token', o: 0, m: 20 })).toString('base64url') }, 'cursor'],
    [{ colour: 'blue' }, '(root)'],
  ])('When the query is %o, then 400 names the field %s', async (query, field) => {
    const res = await request(api.app).get('/api/v1/secrets').query(query).expect(400);

    expect(res.body.error.code).toBe('invalid_input');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('POST /api/v1/secret-refreshes: Refresh on the Secrets list', () => {
  beforeAll(async () => {
    await api.dashboard.crawler.crawlOnce();
  });

  it('When a secret is created in AWS after the crawl, then the list shows it only once its page is refreshed', async () => {
    // Arrange
    await aws().secretsManager.send(
      new CreateSecretCommand({ Name: 'refresh/made-outside/db', SecretString: '{}', Tags: [{ Key: 'team', Value: 'payments' }] }),
    );
    expect((await list({ name: 'refresh/' })).items).toEqual([]);

    // Act
    const refreshed = await refresh({ name: 'refresh/' });

    // Assert
    expect(refreshed.items.map((s) => s.name)).toEqual(['refresh/made-outside/db']);
    expect(refreshed.items[0]).toMatchObject({ team: 'payments', status: 'not_enabled' });
    expect((await list({ name: 'refresh/' })).items.map((s) => s.name)).toEqual(['refresh/made-outside/db']);
  });

  it('When secrets on the page change in AWS, then Refresh reads each row with DescribeSecret, lists the page’s filters once, and the list shows the new state', async () => {
    // Arrange: a new description on one, another moved to another team.
    await aws().secretsManager.send(new UpdateSecretCommand({ SecretId: 'prod/payments/reports-db', Description: 'Reports, read again from AWS' }));
    await aws().secretsManager.send(new TagResourceCommand({ SecretId: 'prod/payments/cards-db', Tags: [{ Key: 'team', Value: 'identity' }] }));
    const inView = await list({ name: 'prod/payments/', limit: 100 });
    // The index has not seen the change: nothing asked AWS.
    expect(inView.items.find((s) => s.name === 'prod/payments/reports-db')!.description).not.toBe('Reports, read again from AWS');

    // Act
    const calls = await awsCallsDuring(() => refresh({ name: 'prod/payments/', limit: 100 }));

    // Assert
    const described = calls.filter((c) => c.operation === 'DescribeSecret').map((c) => c.secretId);
    expect(described.sort()).toEqual(inView.items.map((s) => s.arn).sort());
    const listings = calls.filter((c) => c.operation === 'ListSecrets').length;
    expect(listings).toBeGreaterThanOrEqual(1);
    expect(listings).toBeLessThanOrEqual(REFRESH_LIST_PAGES);
    const after = await list({ name: 'prod/payments/', limit: 100 });
    expect(after.items.find((s) => s.name === 'prod/payments/reports-db')!.description).toBe('Reports, read again from AWS');
    expect(after.items.find((s) => s.name === 'prod/payments/cards-db')!.team).toBe('identity');
    expect((await list({ team: 'payments', name: 'prod/payments/' })).items.map((s) => s.name)).not.toContain('prod/payments/cards-db');
  });

  it('When secrets on the page were deleted in AWS, then Refresh removes them from the index, and from the dashboard too', async () => {
    // Arrange: one deleted for good, one scheduled for deletion (AWS lists neither by default).
    for (const name of ['refresh/gone/forced', 'refresh/gone/scheduled']) {
      await aws().secretsManager.send(new CreateSecretCommand({ Name: name, SecretString: '{}' }));
    }
    await refresh({ name: 'refresh/gone/' });
    await aws().secretsManager.send(new DeleteSecretCommand({ SecretId: 'refresh/gone/forced', ForceDeleteWithoutRecovery: true }));
    await aws().secretsManager.send(new DeleteSecretCommand({ SecretId: 'refresh/gone/scheduled', RecoveryWindowInDays: 7 }));
    expect((await list({ name: 'refresh/gone/' })).items).toHaveLength(2);

    // Act
    const refreshed = await refresh({ name: 'refresh/gone/' });

    // Assert
    expect(refreshed.items).toEqual([]);
    expect((await list({ name: 'refresh/gone/' })).items).toEqual([]);
    const dashboard = (await request(api.app).get('/api/v1/dashboard/secrets').query({ name: 'refresh/gone/' }).expect(200)).body as { total: number };
    expect(dashboard.total).toBe(0);
  });

  it('When a page is refreshed, then its freshness says it was read from AWS just now', async () => {
    const before = await list({ name: 'prod/identity/' });
    const started = Date.now();

    const refreshed = await refresh({ name: 'prod/identity/' });

    expect(Date.parse(refreshed.freshness.seenAt!)).toBeGreaterThanOrEqual(started);
    expect(Date.parse(refreshed.freshness.seenAt!)).toBeGreaterThan(Date.parse(before.freshness.seenAt!));
    expect(refreshed.items.map((s) => s.name)).toEqual(before.items.map((s) => s.name));
  });

  it('When the second page is refreshed, then only its rows are read and the answer is that page', async () => {
    const first = await list({ name: 'prod/', limit: 5 });
    const second = await list({ name: 'prod/', limit: 5, cursor: first.nextCursor! });

    const calls = await awsCallsDuring(async () => {
      const refreshed = await refresh({ name: 'prod/', limit: 5, cursor: first.nextCursor! });
      expect(refreshed.items.map((s) => s.name)).toEqual(second.items.map((s) => s.name));
    });

    expect(second.items.length).toBeGreaterThan(0);
    const described = calls.filter((c) => c.operation === 'DescribeSecret').map((c) => c.secretId);
    expect(described.sort()).toEqual(second.items.map((s) => s.arn).sort());
  });

  it.each([
    [{ limit: 500 }, 'limit'],
    [{ name: 'db;drop' }, 'name'],
    [{ cursor: 'not-a-cursor' }, 'cursor'],
    [{ colour: 'blue' }, '(root)'],
  ])('When the refresh request is %o, then 400 names the field %s and nothing is read from AWS', async (body, field) => {
    const calls = await awsCallsDuring(async () => {
      const res = await request(api.app).post('/api/v1/secret-refreshes').send(body).expect(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    });
    expect(calls).toEqual([]);
  });
});
