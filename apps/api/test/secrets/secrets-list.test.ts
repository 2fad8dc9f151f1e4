import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { SecretPage } from '@rotation-console/contracts';
import { DEMO_SECRETS, seedDemoAccount } from '@rotation-console/harness/seed.ts';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';

const api = await buildApi();

const allPages = async (query: Record<string, string | number>) => {
  const names: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await request(api.app)
      .get('/api/v1/secrets')
      .query({ ...query, ...(cursor ? { cursor } : {}) })
      .expect(200);
    const page = res.body as SecretPage;
    names.push(...page.items.map((s) => s.name));
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 50);
  return { names, pages };
};

describe('GET /api/v1/secrets', () => {
  beforeAll(async () => {
    await reset();
    await seedDemoAccount(aws(), motoEndpoint());
    // A team whose name starts like another's: tag filters are prefix matches in AWS.
    await aws().secretsManager.send(
      new CreateSecretCommand({ Name: 'prod/payments-eu/db', SecretString: '{}', Tags: [{ Key: 'team', Value: 'payments-eu' }] }),
    );
  });

  it('When the account is listed page by page, then every secret appears once', async () => {
    const { names, pages } = await allPages({ limit: 4 });

    expect(pages).toBeGreaterThanOrEqual(4);
    expect(new Set(names).size).toBe(names.length);
    for (const s of DEMO_SECRETS) expect(names).toContain(s.name);
    expect(names.some((n) => n.startsWith('rds!'))).toBe(true);
  });

  it('When no verdict on the last rotation has been read yet, then the row says unknown, not healthy', async () => {
    const res = await request(api.app).get('/api/v1/secrets').query({ name: 'prod/payments/orders-db' }).expect(200);
    expect((res.body as SecretPage).items[0]!.status).toBe('unknown');
  });

  it('When a page is read after the crawl read the functions\u2019 logs, then each row carries rotation facts and a derived status', async () => {
    await api.dashboard.crawler.crawlOnce();

    const res = await request(api.app).get('/api/v1/secrets').query({ name: 'prod/payments/orders-db' }).expect(200);
    const [orders] = (res.body as SecretPage).items;

    expect(orders).toMatchObject({
      name: 'prod/payments/orders-db',
      team: 'payments',
      status: 'healthy',
      rotation: { enabled: true, rules: { automaticallyAfterDays: 30 } },
    });
    expect(orders!.rotation.lambdaArn).toMatch(/function:SecretsManager-postgres-single-user$/);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it.each([
    ['overdue', ['prod/payments/ledger-app', 'staging/analytics/events-db']],
    ['pending_or_failed', ['prod/identity/users-db']],
    ['healthy', ['prod/identity/sessions-db', 'prod/payments/cards-db', 'prod/payments/orders-db']],
  ])('When filtered by status %s, then only those secrets come back', async (status, expected) => {
    const { names } = await allPages({ status, limit: 2 });
    expect(names.sort()).toEqual([...expected].sort());
  });

  it('When filtered by status managed, then the RDS-owned secret comes back', async () => {
    const res = await request(api.app).get('/api/v1/secrets').query({ status: 'managed' }).expect(200);
    const items = (res.body as SecretPage).items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ owningService: 'rds', status: 'managed' });
  });

  it('When filtered by team, then the match is exact, not the prefix AWS applies', async () => {
    const { names } = await allPages({ team: 'payments', limit: 3 });

    expect(names.sort()).toEqual(
      DEMO_SECRETS.filter((s) => s.team === 'payments')
        .map((s) => s.name)
        .sort(),
    );
    expect(names).not.toContain('prod/payments-eu/db');
  });

  it('When filtered by a name prefix, then only names starting with it come back', async () => {
    const { names } = await allPages({ name: 'staging/analytics' });
    expect(names.sort()).toEqual(
      DEMO_SECRETS.filter((s) => s.name.startsWith('staging/analytics'))
        .map((s) => s.name)
        .sort(),
    );
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ status: 'broken' }, 'status'],
    [{ name: '<script>' }, 'name'],
    [{ cursor: 'not-a-cursor' }, 'cursor'],
    [{ colour: 'blue' }, '(root)'],
  ])('When the query is %o, then 400 names the field %s', async (query, field) => {
    const res = await request(api.app).get('/api/v1/secrets').query(query).expect(400);

    expect(res.body.error.code).toBe('invalid_input');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  });
});
