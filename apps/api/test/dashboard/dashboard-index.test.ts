import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  TagResourceCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { DashboardPage, DashboardSummary, SecretPage } from '@rotation-console/contracts';
import { startAwsProxy } from '@rotation-console/harness/aws-proxy.ts';
import { DEMO_FUNCTIONS, DEMO_SECRETS, seedDemoAccount } from '@rotation-console/harness/seed.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIndexSource } from '../../src/modules/dashboard/crawl.aws.ts';
import { IndexCrawler } from '../../src/modules/dashboard/crawler.ts';
import { SecretIndexStore } from '../../src/modules/dashboard/index-store/secret-index-store.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';

type Api = Awaited<ReturnType<typeof buildApi>>;

/** A crawler over the API's own database and AWS clients, as server.ts starts one. */
const crawlerFor = (api: Api, options: { pageSize?: number } = {}) =>
  new IndexCrawler({
    store: new SecretIndexStore(api.database.db),
    source: createIndexSource(api.aws),
    targets: api.targets,
    lastRotation: api.dashboard.lastRotation,
    db: api.database.db,
    tagKeys: { team: 'team', engine: 'engine' },
    logger: api.logs.logger,
    refreshMs: 60_000,
    retry: { maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 50 },
    ...options,
  });

/** Every answer is checked against the contract the web app parses it with. */
const summaryOf = async (api: Api) => DashboardSummary.parse((await request(api.app).get('/api/v1/dashboard/summary').expect(200)).body);
const pageOf = async (api: Api, query: Record<string, string | number>) =>
  DashboardPage.parse((await request(api.app).get('/api/v1/dashboard/secrets').query(query).expect(200)).body);

/** The demo seed's secrets, plus the RDS-managed master password that RDS creates. */
const SEEDED_TOTAL = DEMO_SECRETS.length + 1;

describe('The dashboard index over the demo account', () => {
  let api: Api;

  beforeAll(async () => {
    await reset();
    await seedDemoAccount(aws(), motoEndpoint());
    api = await buildApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('When nothing is indexed yet, then the summary and the list answer from AWS\u2019s first page and say so; no last rotation is called healthy before its log was read', async () => {
    // Act
    const summary = await summaryOf(api);
    const page = await pageOf(api, { limit: 5, status: 'unknown' });

    // Assert
    expect(summary.freshness).toMatchObject({ source: 'aws', state: 'empty', indexedAt: null, secretsIndexed: 0 });
    expect(summary.total).toBe(SEEDED_TOTAL);
    expect(summary.byStatus.pending_or_failed).toBe(1);
    expect(summary.byStatus.healthy).toBe(0);
    expect(page.freshness.source).toBe('aws');
    expect(page.items.map((i) => i.name).sort()).toEqual(['prod/identity/sessions-db', 'prod/payments/cards-db', 'prod/payments/orders-db']);
    expect(page.total).toBe(3);
  });

  it('When the crawl runs, then every secret is indexed and the summary counts match the seeded states', async () => {
    // Act
    const result = await crawlerFor(api).crawlOnce();
    const summary = await summaryOf(api);

    // Assert
    expect(result).toMatchObject({ ran: true, pages: 1, secrets: SEEDED_TOTAL, deleted: 0 });
    expect(summary.freshness).toMatchObject({ source: 'index', state: 'ready', secretsIndexed: SEEDED_TOTAL });
    expect(summary.freshness.indexedAt).not.toBeNull();
    expect(summary.total).toBe(SEEDED_TOTAL);
    // Healthy: the crawl read each last rotation's verdict from its function's log (all four steps).
    expect(summary.byStatus).toEqual({ healthy: 3, unknown: 0, overdue: 2, pending_or_failed: 1, managed: 1, not_enabled: SEEDED_TOTAL - 7 });
    // Covered: rotation on (healthy, overdue, the failed one) or managed by RDS.
    expect(summary.coveragePercent).toBe(Math.round((7 / SEEDED_TOTAL) * 1000) / 10);
    const identity = summary.byTeam.find((t) => t.key === 'identity')!;
    expect(identity).toMatchObject({ total: 4, covered: 2, coveragePercent: 50, byStatus: { healthy: 1, pending_or_failed: 1, not_enabled: 2 } });
    const mariadb = summary.byEngine.find((e) => e.key === 'mariadb')!;
    expect(mariadb.total).toBe(DEMO_SECRETS.filter((s) => s.engine === 'mariadb').length);
    expect(mariadb.byStatus).toMatchObject({ healthy: 2, overdue: 1 });
    // The RDS-managed secret carries no engine tag.
    expect(summary.byEngine.at(-1)).toMatchObject({ key: null, total: 1, byStatus: { managed: 1 } });
    // The healthy ones were just rotated: none is due within 7 days.
    expect(summary.dueSoon).toEqual([]);
    expect(summary.dueSoonTotal).toBe(0);
  });

  it('When the list is sorted, filtered and paged, then the server does it and gives the total', async () => {
    // Act
    const first = await pageOf(api, { limit: 10, sort: 'name', order: 'asc' });
    const second = await pageOf(api, { limit: 10, offset: 10, sort: 'name', order: 'asc' });
    const all = await pageOf(api, { limit: 100 });
    const byStatus = await pageOf(api, { limit: 3, sort: 'status' });
    const identityDesc = await pageOf(api, { team: 'identity', sort: 'name', order: 'desc' });
    const containing = await pageOf(api, { name: 'LEDGER', sort: 'lastRotatedDate', order: 'desc' });
    const overdueMariadb = await pageOf(api, { status: 'overdue', engine: 'mariadb' });
    const byTeam = await pageOf(api, { sort: 'team', order: 'asc', limit: 100 });

    // Assert
    const names = all.items.map((i) => i.name);
    expect(all.total).toBe(SEEDED_TOTAL);
    expect(names).toEqual([...names].sort());
    expect(first.total).toBe(SEEDED_TOTAL);
    expect([...first.items, ...second.items].map((i) => i.name)).toEqual(names.slice(0, 20));
    expect(byStatus.items.map((i) => i.status)).toEqual(['pending_or_failed', 'overdue', 'overdue']);
    expect(identityDesc.items.map((i) => i.name)).toEqual([
      'prod/identity/users-db',
      'prod/identity/sessions-db',
      'prod/identity/audit-db',
      'dev/identity/scratch-db',
    ]);
    expect(identityDesc.total).toBe(4);
    // Name contains, case-insensitive; the one never rotated sorts as "no value", first when descending.
    expect(containing.items.map((i) => i.name)).toEqual(['prod/payments/ledger-master', 'prod/payments/ledger-app']);
    expect(overdueMariadb.items).toHaveLength(1);
    expect(overdueMariadb.items[0]).toMatchObject({
      name: 'staging/analytics/events-db',
      status: 'overdue',
      rotationEnabled: true,
      schedule: 'every 7 days',
      team: 'analytics',
      engine: 'mariadb',
    });
    expect(overdueMariadb.items[0]!.lambdaArn).toMatch(new RegExp(`:function:${DEMO_FUNCTIONS[0]}$`));
    // Without a team tag, last when ascending.
    expect(byTeam.items.at(-1)).toMatchObject({ team: null, status: 'managed' });
  });

  it('When the query is not one the contract allows, then the answer is 400 naming the field', async () => {
    // Act
    const res = await request(api.app).get('/api/v1/dashboard/secrets').query({ limit: 500, sort: 'colour' }).expect(400);

    // Assert
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['limit', 'sort']);
  });

  it('When a healthy secret\u2019s value is then put by hand, then it shows unknown everywhere: no rotation of that version is in the function\u2019s log', async () => {
    // Arrange: orders-db is healthy after the crawl (its log shows all four steps of its last rotation).
    const name = 'prod/payments/orders-db';
    expect((await pageOf(api, { name, limit: 5 })).items[0]!.status).toBe('healthy');

    // Act: AWSCURRENT moves to a version no rotation made (a new value, then the label moved by hand;
    // moto's put-secret-value alone leaves AWSCURRENT on the seed's version too).
    const current = Object.entries((await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: name }))).VersionIdsToStages!).find(([, s]) =>
      s.includes('AWSCURRENT'),
    )![0];
    const byHand = await aws().secretsManager.send(
      new PutSecretValueCommand({
        SecretId: name,
        SecretString: '{"engine":"postgres","host":"h","username":"u","password":"by-hand"}',
        VersionStages: ['BYHAND'],
      }),
    );
    await aws().secretsManager.send(
      new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: 'AWSCURRENT', MoveToVersionId: byHand.VersionId!, RemoveFromVersionId: current }),
    );
    await crawlerFor(api).refreshSecret(name);

    // Assert: the index, the secrets list and the secret's page say unknown, and why.
    expect((await pageOf(api, { name, limit: 5 })).items[0]!.status).toBe('unknown');
    const listed = (await request(api.app).get('/api/v1/secrets').query({ name }).expect(200)).body as { items: { status: string }[] };
    expect(listed.items[0]!.status).toBe('unknown');
    const detail = (
      await request(api.app)
        .get(`/api/v1/secrets/${encodeURIComponent(name)}`)
        .expect(200)
    ).body as { status: string; statusReasons: string[] };
    expect(detail.status).toBe('unknown');
    expect(detail.statusReasons.join(' ')).toMatch(/Whether that rotation worked is unknown/);
  });

  it('When a secret is deleted in AWS, then it disappears after the next crawl', async () => {
    // Arrange
    const gone = 'dev/sandbox/app-01-db';
    const forced = 'dev/sandbox/app-02-db';
    await aws().secretsManager.send(new DeleteSecretCommand({ SecretId: gone, RecoveryWindowInDays: 7 }));
    await aws().secretsManager.send(new DeleteSecretCommand({ SecretId: forced, ForceDeleteWithoutRecovery: true }));

    // Act
    const before = await pageOf(api, { name: 'dev/sandbox/app-0' });
    const result = await crawlerFor(api).crawlOnce();
    const after = await pageOf(api, { name: 'dev/sandbox/app-0' });
    const summary = await summaryOf(api);

    // Assert
    expect(before.total).toBe(9);
    expect(result.deleted).toBe(2);
    expect(after.items.map((i) => i.name)).not.toContain(gone);
    expect(after.items.map((i) => i.name)).not.toContain(forced);
    expect(after.total).toBe(7);
    expect(summary.total).toBe(SEEDED_TOTAL - 2);
    expect(summary.freshness.secretsIndexed).toBe(SEEDED_TOTAL - 2);
  });

  it('When a workflow step or workflow of this process ends, then its secret is indexed again at once', async () => {
    // Arrange: the secret changes in AWS (team tag, rotation turned on), as a workflow would change it.
    const name = 'dev/sandbox/app-03-db';
    const { items } = await pageOf(api, { name });
    const arn = items[0]!.arn;
    expect(items[0]).toMatchObject({ status: 'not_enabled', team: 'analytics' });
    const fn = await aws().lambda.send(new GetFunctionCommand({ FunctionName: DEMO_FUNCTIONS[0] }));
    await aws().secretsManager.send(new TagResourceCommand({ SecretId: arn, Tags: [{ Key: 'team', Value: 'payments' }] }));
    await aws().secretsManager.send(
      new RotateSecretCommand({ SecretId: arn, RotationLambdaARN: fn.Configuration!.FunctionArn!, RotationRules: { AutomaticallyAfterDays: 45 } }),
    );
    const { workflow } = await api.store.create({
      kind: 'test-change',
      subject: arn,
      input: {},
      plan: { steps: [{ id: 'change', kind: 'test', dependsOn: [] }] },
      createdBy: { id: 'test', name: 'Test', roles: ['admin'], teams: [] },
    });

    // Act: what the runner emits when the workflow ends (no crawl runs).
    api.runner.events.emit('workflow', { workflowId: workflow.id, status: 'succeeded', at: new Date().toISOString(), error: null });
    const started = Date.now();
    let row = (await pageOf(api, { name })).items[0]!;
    while (row.team !== 'payments' && Date.now() - started < 5000) {
      await new Promise((r) => setTimeout(r, 25));
      row = (await pageOf(api, { name })).items[0]!;
    }

    // Assert: the demo function fails, so the rotation stays pending; the new team and schedule show.
    expect(row).toMatchObject({ team: 'payments', rotationEnabled: true, schedule: 'every 45 days', status: 'pending_or_failed' });
    expect(Date.now() - started).toBeLessThan(5000);
    const summary = await summaryOf(api);
    expect(summary.byStatus.pending_or_failed).toBe(2);
    expect(summary.freshness.updatedAt! >= summary.freshness.indexedAt!).toBe(true);
    // The Secrets list reads the same row: the change shows there at once too, tags and all.
    const listed = SecretPage.parse((await request(api.app).get('/api/v1/secrets').query({ name }).expect(200)).body);
    expect(listed.freshness.source).toBe('index');
    expect(listed.items[0]).toMatchObject({
      team: 'payments',
      status: 'pending_or_failed',
      rotation: { enabled: true, rules: { automaticallyAfterDays: 45 } },
    });
    expect(listed.items[0]!.tags).toContainEqual({ key: 'team', value: 'payments' });
  });

  it('When a secret is created after the crawl, then the next crawl adds it', async () => {
    // Arrange
    await aws().secretsManager.send(new CreateSecretCommand({ Name: 'dev/new/late-db', SecretString: '{}', Tags: [{ Key: 'team', Value: 'identity' }] }));

    // Act
    await crawlerFor(api).crawlOnce();
    const page = await pageOf(api, { name: 'late-db' });

    // Assert
    expect(page.items).toEqual([expect.objectContaining({ name: 'dev/new/late-db', team: 'identity', engine: null, status: 'not_enabled', schedule: null })]);
  });
});

describe('The crawl when ListSecrets is throttled', () => {
  it('When half the ListSecrets calls are throttled or fail, then the crawl backs off, retries and indexes every page', async () => {
    // Arrange
    await reset();
    await seedDemoAccount(aws(), motoEndpoint());
    const proxy = await startAwsProxy({ target: motoEndpoint(), faultRate: 0.5, faultOperations: ['ListSecrets'], seed: 7 });
    const api = await buildApi({ AWS_ENDPOINT_URL: proxy.url, AWS_MAX_ATTEMPTS: '1' });

    try {
      // Act: pages of 5, so the crawl fetches one page while it writes the previous.
      const result = await crawlerFor(api, { pageSize: 5 }).crawlOnce();
      const summary = await summaryOf(api);

      // Assert
      expect(proxy.faults.length).toBeGreaterThan(0);
      expect(result.retries).toBe(proxy.faults.length);
      expect(result).toMatchObject({ ran: true, pages: Math.ceil(SEEDED_TOTAL / 5), secrets: SEEDED_TOTAL });
      expect(summary.total).toBe(SEEDED_TOTAL);
      expect(summary.freshness.state).toBe('ready');
    } finally {
      await api.close();
      await proxy.close();
    }
  });

  it('When ListSecrets keeps failing, then the crawl gives up after its bounded retries and the index stays as it was', async () => {
    // Arrange
    const proxy = await startAwsProxy({ target: motoEndpoint(), faultRate: 1, faultOperations: ['ListSecrets'] });
    const api = await buildApi({ AWS_ENDPOINT_URL: proxy.url, AWS_MAX_ATTEMPTS: '1' });

    try {
      // Act
      const crawl = crawlerFor(api).crawlOnce();

      // Assert
      await expect(crawl).rejects.toThrow(/ListSecrets/);
      expect(proxy.faults).toHaveLength(8);
      const state = await new SecretIndexStore(api.database.db).state();
      expect(state).toMatchObject({ indexed_at: null, crawl_owner: null });
      expect(state.last_error).toMatch(/ListSecrets/);
    } finally {
      await api.close();
      await proxy.close();
    }
  });
});
