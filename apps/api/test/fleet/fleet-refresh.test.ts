// Refresh on the Secrets list of a fleet (issue 14): the page in view is read again in its own
// account-regions, those its Account and Region filters leave, and in no other (a member account
// whose role is refused, or a region out of view, neither slows nor fails it).
import { SecretPage } from '@rotation-console/contracts';
import { startAwsProxy, type AwsProxy } from '@rotation-console/harness/aws-proxy.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi, motoEndpoint, reset } from '../support/support.ts';
import { accountsFile, ANALYTICS_ACCOUNT, createSecretIn, denyAssumeRole, HOME_ACCOUNT, PAYMENTS_ACCOUNT, readerRole } from './fleet-support.ts';

type Api = Awaited<ReturnType<typeof buildApi>>;

describe('POST /api/v1/secret-refreshes in a fleet', () => {
  let api: Api;
  let proxy: AwsProxy;
  let paymentsEu: string;

  const list = async (query: Record<string, string | number>) =>
    SecretPage.parse((await request(api.app).get('/api/v1/secrets').query(query).expect(200)).body);

  /** Refresh with `body`, and the AWS calls it made. */
  const refresh = async (body: Record<string, string | number>) => {
    const before = proxy.calls.length;
    const page = SecretPage.parse((await request(api.app).post('/api/v1/secret-refreshes').send(body).expect(200)).body);
    return { page, calls: proxy.calls.slice(before) };
  };

  beforeAll(async () => {
    await reset();
    const moto = motoEndpoint();
    await createSecretIn(moto, HOME_ACCOUNT, 'us-east-1', 'fleet/home-orders', { team: 'payments' });
    await createSecretIn(moto, PAYMENTS_ACCOUNT, 'us-east-1', 'fleet/payments-ledger', { team: 'payments' });
    paymentsEu = await createSecretIn(moto, PAYMENTS_ACCOUNT, 'eu-west-1', 'fleet/payments-eu-a', { team: 'payments' });
    // The analytics account's role cannot be assumed: its target fails.
    proxy = await startAwsProxy({ target: moto, intercept: denyAssumeRole(readerRole(ANALYTICS_ACCOUNT)) });
    api = await buildApi({
      AWS_ENDPOINT_URL: proxy.url,
      ACCOUNTS_CONFIG: accountsFile({
        accounts: [
          { id: HOME_ACCOUNT, name: 'console', regions: ['us-east-1'] },
          { id: PAYMENTS_ACCOUNT, name: 'payments-prod', roleArn: readerRole(PAYMENTS_ACCOUNT), regions: ['us-east-1', 'eu-west-1'] },
          { id: ANALYTICS_ACCOUNT, name: 'analytics-dev', roleArn: readerRole(ANALYTICS_ACCOUNT), regions: ['us-east-1'] },
        ],
      }),
    });
    await api.dashboard.crawler.crawlOnce();
  });
  afterAll(async () => {
    await api?.close();
    await proxy?.close();
  });

  it('When the page in view is filtered to one account and region, then Refresh lists that account-region alone, finds the secret made there outside the console, and describes the rows there', async () => {
    // Arrange: made outside the console after the crawl, in the account-region in view and in another region of that account.
    const moto = motoEndpoint();
    const madeHere = await createSecretIn(moto, PAYMENTS_ACCOUNT, 'eu-west-1', 'fleet/payments-eu-new', { team: 'payments' });
    await createSecretIn(moto, PAYMENTS_ACCOUNT, 'us-east-1', 'fleet/payments-us-new', { team: 'payments' });

    // Act
    const { page, calls } = await refresh({ name: 'fleet/', account: PAYMENTS_ACCOUNT, region: 'eu-west-1' });

    // Assert
    expect(page.items.map((s) => [s.name, s.accountId, s.region])).toEqual([
      ['fleet/payments-eu-a', PAYMENTS_ACCOUNT, 'eu-west-1'],
      ['fleet/payments-eu-new', PAYMENTS_ACCOUNT, 'eu-west-1'],
    ]);
    expect(page.items.find((s) => s.name === 'fleet/payments-eu-new')!.arn).toBe(madeHere);
    // One ListSecrets page, in the one target in view; the secret of the other region waits for the crawl.
    expect(calls.filter((c) => c.operation === 'ListSecrets')).toHaveLength(1);
    expect((await list({ name: 'fleet/', limit: 100 })).items.map((s) => s.name)).not.toContain('fleet/payments-us-new');
    // The row that was in view is read again by its ARN, so in its own account and region.
    expect(calls.filter((c) => c.operation === 'DescribeSecret').map((c) => c.secretId)).toEqual([paymentsEu]);
  });

  it('When the page in view is filtered to one account alone, then Refresh lists each of its regions and no other account', async () => {
    // Act
    const { page, calls } = await refresh({ name: 'fleet/', account: PAYMENTS_ACCOUNT });

    // Assert
    expect(calls.filter((c) => c.operation === 'ListSecrets')).toHaveLength(2);
    expect(page.items.map((s) => [s.name, s.region])).toEqual([
      ['fleet/payments-eu-a', 'eu-west-1'],
      ['fleet/payments-eu-new', 'eu-west-1'],
      ['fleet/payments-ledger', 'us-east-1'],
      ['fleet/payments-us-new', 'us-east-1'],
    ]);
  });

  it('When the page in view spans every target and one member account refuses the role, then Refresh still answers with the others listed', async () => {
    // Arrange: made outside the console in the console's own account, after the crawl.
    await createSecretIn(motoEndpoint(), HOME_ACCOUNT, 'us-east-1', 'fleet/home-new', { team: 'payments' });

    // Act
    const { page, calls } = await refresh({ name: 'fleet/' });

    // Assert
    expect(page.items.map((s) => s.name)).toContain('fleet/home-new');
    // Every target was tried: the refused one too (its AssumeRole never reached moto).
    expect(calls.filter((c) => c.operation === 'ListSecrets')).toHaveLength(3);
  });

  it("When the master secret picker opens for a member account's secret, then it offers only secrets of that account and region, though another account refuses the role", async () => {
    // Arrange: the same database named in the secret's own account-region and in another region.
    const moto = motoEndpoint();
    const rotated = await createSecretIn(moto, PAYMENTS_ACCOUNT, 'eu-west-1', 'fleet/pick-app', { team: 'payments' });
    const master = await createSecretIn(moto, PAYMENTS_ACCOUNT, 'eu-west-1', 'fleet/pick-master', { team: 'payments' });
    await createSecretIn(moto, PAYMENTS_ACCOUNT, 'us-east-1', 'fleet/pick-elsewhere', { team: 'payments' });

    // Act
    const res = await request(api.app)
      .get(`/api/v1/secrets/${encodeURIComponent(rotated)}/master-secret-candidates`)
      .query({ name: 'fleet/pick' })
      .expect(200);

    // Assert
    expect((res.body as { items: { name: string; arn: string }[] }).items.map((c) => c.arn)).toEqual([master]);
  });
});
