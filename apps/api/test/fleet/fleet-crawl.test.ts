// The index spans every account-region the console covers (issue 14): the crawl assumes each
// member account's role, a target that fails shows its error beside the others, and a crawl sweeps
// only its own target.
import { DeleteSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DashboardPage, DashboardSummary } from '@rotation-console/contracts';
import { startAwsProxy, type AwsProxy } from '@rotation-console/harness/aws-proxy.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi, motoEndpoint, reset } from '../support/support.ts';
import { accountsFile, ANALYTICS_ACCOUNT, createSecretIn, denyAssumeRole, HOME_ACCOUNT, PAYMENTS_ACCOUNT, readerRole, secretsIn } from './fleet-support.ts';

type Api = Awaited<ReturnType<typeof buildApi>>;

const listOf = async (api: Api) =>
  DashboardPage.parse((await request(api.app).get('/api/v1/dashboard/secrets').query({ name: 'fleet/', limit: 100 }).expect(200)).body);

describe('The index across accounts and regions', () => {
  let api: Api;
  let proxy: AwsProxy;
  const arns: Record<string, string> = {};

  beforeAll(async () => {
    await reset();
    const moto = motoEndpoint();
    arns.home = await createSecretIn(moto, HOME_ACCOUNT, 'us-east-1', 'fleet/home-orders', { team: 'payments' });
    arns.paymentsEast = await createSecretIn(moto, PAYMENTS_ACCOUNT, 'us-east-1', 'fleet/payments-ledger', { team: 'payments' });
    arns.paymentsWest1 = await createSecretIn(moto, PAYMENTS_ACCOUNT, 'eu-west-1', 'fleet/payments-eu-a', { team: 'payments' });
    arns.paymentsWest2 = await createSecretIn(moto, PAYMENTS_ACCOUNT, 'eu-west-1', 'fleet/payments-eu-b', { team: 'payments' });
    arns.analytics = await createSecretIn(moto, ANALYTICS_ACCOUNT, 'us-east-1', 'fleet/analytics-warehouse', { team: 'analytics' });
    proxy = await startAwsProxy({ target: moto, intercept: denyAssumeRole(readerRole(ANALYTICS_ACCOUNT)) });
    const file = accountsFile({
      accounts: [
        { id: HOME_ACCOUNT, name: 'console', regions: ['us-east-1'] },
        { id: PAYMENTS_ACCOUNT, name: 'payments-prod', roleArn: readerRole(PAYMENTS_ACCOUNT), regions: ['us-east-1', 'eu-west-1'] },
        { id: ANALYTICS_ACCOUNT, name: 'analytics-dev', roleArn: readerRole(ANALYTICS_ACCOUNT), regions: ['us-east-1'] },
      ],
    });
    api = await buildApi({ AWS_ENDPOINT_URL: proxy.url, ACCOUNTS_CONFIG: file });
  });
  afterAll(async () => {
    await api?.close();
    await proxy?.close();
  });

  it("When the crawl runs, then each member account's secrets are indexed through its role, and the target whose role cannot be assumed shows its error while the others are fresh", async () => {
    // Act
    const result = await api.dashboard.crawler.crawlOnce();
    const list = await listOf(api);
    const summary = DashboardSummary.parse((await request(api.app).get('/api/v1/dashboard/summary').expect(200)).body);

    // Assert
    expect(result.targets.crawled.sort()).toEqual([`${PAYMENTS_ACCOUNT}:eu-west-1`, `${PAYMENTS_ACCOUNT}:us-east-1`, `${HOME_ACCOUNT}:us-east-1`]);
    expect(result.targets.failed.map((f) => f.key)).toEqual([`${ANALYTICS_ACCOUNT}:us-east-1`]);
    expect(list.items.map((r) => [r.name, r.accountId, r.region])).toEqual([
      ['fleet/home-orders', HOME_ACCOUNT, 'us-east-1'],
      ['fleet/payments-eu-a', PAYMENTS_ACCOUNT, 'eu-west-1'],
      ['fleet/payments-eu-b', PAYMENTS_ACCOUNT, 'eu-west-1'],
      ['fleet/payments-ledger', PAYMENTS_ACCOUNT, 'us-east-1'],
    ]);
    expect(list.items.find((r) => r.name === 'fleet/payments-eu-a')!.arn).toBe(arns.paymentsWest1);
    const targets = summary.freshness.targets;
    expect(targets.map((t) => [t.accountId, t.accountName, t.region, t.state, t.secretsIndexed])).toEqual([
      [PAYMENTS_ACCOUNT, 'payments-prod', 'eu-west-1', 'ready', 2],
      [PAYMENTS_ACCOUNT, 'payments-prod', 'us-east-1', 'ready', 1],
      [HOME_ACCOUNT, 'console', 'us-east-1', 'ready', 1],
      [ANALYTICS_ACCOUNT, 'analytics-dev', 'us-east-1', 'failed', 0],
    ]);
    const failed = targets.find((t) => t.accountId === ANALYTICS_ACCOUNT)!;
    expect(failed.error).toMatch(/AssumeRole.*AccessDenied|AccessDenied.*AssumeRole/);
    expect(failed.indexedAt).toBeNull();
    expect(summary.freshness.state).toBe('ready');
    // Payments' role was assumed once for both of its regions (the refused one never reached moto).
    expect(proxy.calls.filter((c) => c.operation === 'AssumeRole')).toHaveLength(1);
  });

  it('When a secret is deleted in one member region and the crawl runs again, then only that secret leaves the index', async () => {
    // Arrange
    await secretsIn(motoEndpoint(), PAYMENTS_ACCOUNT, 'eu-west-1').send(
      new DeleteSecretCommand({ SecretId: arns.paymentsWest2, ForceDeleteWithoutRecovery: true }),
    );

    // Act
    const result = await api.dashboard.crawler.crawlOnce();
    const list = await listOf(api);

    // Assert
    expect(result.deleted).toBe(1);
    expect(list.items.map((r) => r.name)).toEqual(['fleet/home-orders', 'fleet/payments-eu-a', 'fleet/payments-ledger']);
  });
});
