// The local default's fleet (packages/harness/seed-fleet.ts) on a moto that, as AWS, assumes only
// roles that exist: the member accounts where the seed deployed deploy/member-roles/operator.yaml
// are crawled through that role, and the sandbox account, which has no console role, shows failed
// with AWS's AccessDenied while the others are fresh.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { DashboardSummary } from '@rotation-console/contracts';
import { startMoto, type MotoServer } from '@rotation-console/harness/moto.ts';
import {
  DEMO_ANALYTICS_ACCOUNT,
  DEMO_FLEET_SECRETS,
  DEMO_MEMBER_ACCOUNT,
  DEMO_SANDBOX_ACCOUNT,
  demoMemberRole,
  deployDemoMemberRoles,
  seedDemoFleet,
  writeDemoAccountsConfig,
} from '@rotation-console/harness/seed-fleet.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../support/support.ts';

type Api = Awaited<ReturnType<typeof buildApi>>;

const assume = (endpoint: string, roleArn: string) =>
  new STSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } }).send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'fleet-demo-test' }),
  );

describe('The local default fleet, on a moto that assumes only roles that exist', () => {
  let moto: MotoServer;
  let api: Api;

  beforeAll(async () => {
    moto = await startMoto({ rolesMustExist: true });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'rc-demo-fleet-')), 'accounts.json');
    writeDemoAccountsConfig(file, 'us-east-1');
    api = await buildApi({ AWS_ENDPOINT_URL: moto.endpoint, ACCOUNTS_CONFIG: file });
  });
  afterAll(async () => {
    await api?.close();
    await moto?.stop();
  });

  it('When no member role is deployed yet, then AssumeRole of it is refused with AccessDenied naming the role, as AWS answers', async () => {
    // Act
    const refused = await assume(moto.endpoint, demoMemberRole(DEMO_MEMBER_ACCOUNT.id)).catch((error: Error) => error);

    // Assert
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).name).toBe('AccessDenied');
    expect((refused as Error).message).toContain(`sts:AssumeRole on resource: ${demoMemberRole(DEMO_MEMBER_ACCOUNT.id)}`);
  });

  it('When the seed deploys the operator role template and the crawl runs, then the member accounts are fresh through it and the sandbox, without the role, shows failed', async () => {
    // Arrange
    expect((await deployDemoMemberRoles(moto.endpoint)).sort()).toEqual([DEMO_MEMBER_ACCOUNT.id, DEMO_ANALYTICS_ACCOUNT.id].sort());
    expect(await deployDemoMemberRoles(moto.endpoint)).toEqual([]);
    await seedDemoFleet(moto.endpoint);

    // Act
    const result = await api.dashboard.crawler.crawlOnce();
    const summary = DashboardSummary.parse((await request(api.app).get('/api/v1/dashboard/summary').expect(200)).body);

    // Assert
    const assumed = await assume(moto.endpoint, demoMemberRole(DEMO_ANALYTICS_ACCOUNT.id));
    expect(assumed.AssumedRoleUser?.Arn).toContain(`${DEMO_ANALYTICS_ACCOUNT.id}:assumed-role/RotationConsoleOperator/`);
    expect(result.targets.failed.map((f) => f.key)).toEqual([`${DEMO_SANDBOX_ACCOUNT.id}:us-east-1`]);
    const byTarget = Object.fromEntries(summary.freshness.targets.map((t) => [`${t.accountName}:${t.region}`, [t.state, t.secretsIndexed]]));
    const seeded = (account: string, region: string) => DEMO_FLEET_SECRETS.filter((s) => s.account === account && s.region === region).length;
    expect(byTarget).toEqual({
      'demo:us-east-1': ['ready', 0],
      'payments-prod:us-east-1': ['ready', seeded(DEMO_MEMBER_ACCOUNT.id, 'us-east-1')],
      'payments-prod:eu-west-1': ['ready', seeded(DEMO_MEMBER_ACCOUNT.id, 'eu-west-1')],
      'analytics-dev:eu-west-1': ['ready', seeded(DEMO_ANALYTICS_ACCOUNT.id, 'eu-west-1')],
      'sandbox:us-east-1': ['failed', 0],
    });
    const sandbox = summary.freshness.targets.find((t) => t.accountId === DEMO_SANDBOX_ACCOUNT.id)!;
    expect(sandbox.error).toContain('AccessDenied');
    expect(sandbox.error).toContain(demoMemberRole(DEMO_SANDBOX_ACCOUNT.id));
  });
});
