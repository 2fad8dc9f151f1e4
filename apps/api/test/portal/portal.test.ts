import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { Portal } from '@rotation-console/contracts';
import { startDemoProvider } from '@rotation-console/harness/oidc/provider.ts';
import { seedDemoAccount } from '@rotation-console/harness/seed.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceToken, startConsole } from '../support/identity-support.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';
import { DEMO_TEAMS_CONFIG } from '../support/teams-support.ts';

const DAY_S = 86_400;

/** Moves a secret's rotation dates (moto's harness extension), as the seed does for overdue ones. */
const setRotationDates = async (secretId: string, lastRotatedDate: number, nextRotationDate: number) => {
  const res = await fetch(new URL('/moto-api/harness/rotation-dates', motoEndpoint()), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ secretId, lastRotatedDate, nextRotationDate }),
  });
  expect(res.status).toBe(200);
};

const portalOf = (body: unknown) => Portal.parse(body);

// The demo account (payments: 5 secrets in every state), one payments secret due in 3 days, and
// a secret of a team the configuration does not name; two consoles over the same moto: the local
// admin, and the OIDC console that services call with their bearer tokens.
let local: Awaited<ReturnType<typeof buildApi>>;
let provider: Awaited<ReturnType<typeof startDemoProvider>>;
let oidc: Awaited<ReturnType<typeof startConsole>>;

beforeAll(async () => {
  await reset();
  await seedDemoAccount(aws(), motoEndpoint());
  const now = Math.floor(Date.now() / 1000);
  await setRotationDates('prod/payments/orders-db', now - 27 * DAY_S, now + 3 * DAY_S);
  await aws().secretsManager.send(new CreateSecretCommand({ Name: 'prod/marketing/crm-db', SecretString: '{}', Tags: [{ Key: 'team', Value: 'marketing' }] }));
  local = await buildApi({ TEAMS_CONFIG: DEMO_TEAMS_CONFIG });
  provider = await startDemoProvider({ port: 0 });
  oidc = await startConsole(provider.issuer, { TEAMS_CONFIG: DEMO_TEAMS_CONFIG });
});
afterAll(async () => {
  await local?.close();
  await oidc?.close();
  await provider?.stop();
});

describe('The team portal (GET /api/v1/portal), from the index', () => {
  it('When nothing is indexed yet, then the portal lists the teams with no secrets and says the index is empty (it never asks AWS)', async () => {
    // Act
    const portal = portalOf((await request(local.app).get('/api/v1/portal').expect(200)).body);

    // Assert
    expect(portal.freshness).toMatchObject({ state: 'empty', source: 'index', indexedAt: null });
    expect(portal.teams.map((t) => t.team)).toEqual(['analytics', 'identity', 'payments']);
    expect(portal.teams.every((t) => t.counts.total === 0 && t.secrets.length === 0)).toBe(true);
  });

  it('When the admin opens the portal after a crawl, then every configured team and every team in the index is there with its settings', async () => {
    // Arrange
    await local.dashboard.crawler.crawlOnce();

    // Act
    const portal = portalOf((await request(local.app).get('/api/v1/portal').expect(200)).body);

    // Assert
    expect(portal.freshness).toMatchObject({ state: 'ready', source: 'index' });
    expect(portal.teams.map((t) => [t.team, t.displayName, t.configured])).toEqual([
      ['analytics', 'Analytics', true],
      ['identity', 'Identity', true],
      ['marketing', 'marketing', false],
      ['payments', 'Payments', true],
    ]);
    const marketing = portal.teams.find((t) => t.team === 'marketing')!;
    expect(marketing).toMatchObject({ defaults: null, limits: {}, counts: { total: 1 } });
    const payments = portal.teams.find((t) => t.team === 'payments')!;
    expect(payments.defaults).toEqual({
      schedule: { kind: 'days', days: 30 },
      duration: '4h',
      function: { mode: 'create', strategy: 'single-user' },
      network: 'auto',
    });
    expect(payments.limits).toEqual({ maxIntervalDays: 90 });
  });

  it('When payments\u2019 secrets are counted, then failed, overdue, rotation off and due within 7 days are listed as needing attention, most urgent first', async () => {
    // Act
    const portal = portalOf((await request(local.app).get('/api/v1/portal').query({ team: 'payments' }).expect(200)).body);

    // Assert
    expect(portal.teams).toHaveLength(1);
    const [payments] = portal.teams;
    expect(payments!.counts).toEqual({
      total: 5,
      byStatus: { healthy: 2, unknown: 0, overdue: 1, pending_or_failed: 0, not_enabled: 2, managed: 0 },
      needsAttention: 4,
      dueSoon: 1,
    });
    expect(payments!.needsAttention.map((s) => [s.name, s.reason, s.reasonText])).toEqual([
      ['prod/payments/ledger-app', 'overdue', 'Rotation is overdue'],
      ['prod/payments/ledger-master', 'rotation-off', 'Rotation not enabled'],
      ['prod/payments/reports-db', 'rotation-off', 'Rotation not enabled'],
      ['prod/payments/orders-db', 'due-soon', 'Due in 3 days'],
    ]);
    // The table: most urgent status first, then by name.
    expect(payments!.secrets.map((s) => [s.name, s.status])).toEqual([
      ['prod/payments/ledger-app', 'overdue'],
      ['prod/payments/ledger-master', 'not_enabled'],
      ['prod/payments/reports-db', 'not_enabled'],
      ['prod/payments/cards-db', 'healthy'],
      ['prod/payments/orders-db', 'healthy'],
    ]);
    expect(payments!.truncated).toBe(false);
  });

  it('When identity\u2019s portal is read, then its failed rotation comes first, with the step its function\u2019s log shows it failing at', async () => {
    // Act
    const portal = portalOf((await request(local.app).get('/api/v1/portal').query({ team: 'identity' }).expect(200)).body);

    // Assert
    expect(portal.teams[0]!.needsAttention.map((s) => [s.name, s.reason])).toEqual([
      ['prod/identity/users-db', 'failed'],
      ['dev/identity/scratch-db', 'rotation-off'],
      ['prod/identity/audit-db', 'rotation-off'],
    ]);
    // The demo's placeholder function fails at its first step (the crawl read its log).
    expect(portal.teams[0]!.needsAttention[0]).toMatchObject({ failedStep: 'createSecret', reasonText: 'The last rotation failed at createSecret' });
  });

  it('When the query has an unknown parameter, then 400 names it', async () => {
    // Act
    const res = await request(local.app).get('/api/v1/portal').query({ teams: 'payments' }).expect(400);

    // Assert
    expect(res.body.error.message).toMatch(/query parameters/);
  });
});

describe('The team portal is scoped to the caller\u2019s teams on the server', () => {
  let tokens: { payments: string; viewer: string };

  beforeAll(async () => {
    await oidc.api.dashboard.crawler.crawlOnce();
    tokens = { payments: await serviceToken(provider.issuer, 'svc-payments'), viewer: await serviceToken(provider.issuer, 'svc-viewer') };
  });

  const get = (token: string, path: string) => fetch(`${oidc.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('When an operator of payments opens the portal, then only payments is there and no other team\u2019s secret is in the answer', async () => {
    // Act
    const res = await get(tokens.payments, '/api/v1/portal');
    const text = await res.text();
    const portal = portalOf(JSON.parse(text));

    // Assert
    expect(res.status).toBe(200);
    expect(portal.teams.map((t) => t.team)).toEqual(['payments']);
    expect(portal.teams[0]!.counts.total).toBe(5);
    for (const other of ['prod/identity/', 'staging/analytics/', 'dev/sandbox/', 'prod/marketing/']) expect(text).not.toContain(other);
  });

  it('When the operator of payments asks for identity\u2019s portal by name, then 403', async () => {
    // Act
    const res = await get(tokens.payments, '/api/v1/portal?team=identity');

    // Assert
    expect(res.status).toBe(403);
    expect(JSON.stringify(await res.json())).not.toContain('prod/identity/');
  });

  it('When a viewer opens the portal, then there are no teams: a viewer changes nothing', async () => {
    // Act
    const res = await get(tokens.viewer, '/api/v1/portal');

    // Assert
    expect(res.status).toBe(200);
    expect(portalOf(await res.json()).teams).toEqual([]);
  });

  it('When nobody is signed in, then 401', async () => {
    expect((await fetch(`${oidc.url}/api/v1/portal`)).status).toBe(401);
  });

  it('When the operator of payments previews a schedule against identity\u2019s secret, then it is not found (as a missing one); against identity\u2019s team 403; against its own team, the limit shows', async () => {
    // Act
    const preview = (body: unknown) =>
      fetch(`${oidc.url}/api/v1/schedule-previews`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.payments}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const bySecret = await preview({ schedule: { kind: 'days', days: 30 }, secretId: 'prod/identity/users-db' });
    const byTeam = await preview({ schedule: { kind: 'days', days: 30 }, team: 'identity' });
    const own = await preview({ schedule: { kind: 'days', days: 100 }, secretId: 'prod/payments/reports-db' });

    // Assert
    expect(bySecret.status).toBe(404);
    expect(byTeam.status).toBe(403);
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ valid: false, limit: { team: 'payments', maxIntervalDays: 90 } });
  });
});
