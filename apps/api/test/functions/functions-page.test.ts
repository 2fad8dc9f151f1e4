// The Functions page (issue 15) across a fleet: every rotation function of the account-regions the
// console covers, with its runtime's end of life, its owner as the one policy decides, the secrets
// it rotates and their last rotations from the index; to an operator its teams' functions only; a
// target Lambda does not answer for shown with its error; Lambda asked at most once a minute.
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient, type Runtime } from '@aws-sdk/client-lambda';
import { RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { FunctionsPage, type RotationFunctionRow } from '@rotation-console/contracts';
import { inMotoAccount } from '@rotation-console/harness/aws.ts';
import { startAwsProxy, type AwsProxy } from '@rotation-console/harness/aws-proxy.ts';
import { DEMO_FUNCTIONS, seedDemoAccount } from '@rotation-console/harness/seed.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountsFile,
  ANALYTICS_ACCOUNT,
  createSecretIn,
  denyAssumeRole,
  HOME_ACCOUNT,
  PAYMENTS_ACCOUNT,
  readerRole,
  secretsIn,
} from '../fleet/fleet-support.ts';
import { storedZip } from '../support/rotation-fixtures.ts';
import { aws, motoEndpoint, reset } from '../support/support.ts';
import { startTeamsConsole, type Who } from '../support/teams-support.ts';

const REGION = 'us-east-1';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** A function in a member account of moto, made outside the console (its role made there first). */
const createFunctionIn = async (account: string, name: string, options: { variables?: Record<string, string>; runtime?: string } = {}) => {
  const iam = inMotoAccount(new IAMClient({ endpoint: motoEndpoint(), region: REGION, credentials }), account);
  const role = await iam
    .send(
      new CreateRoleCommand({
        RoleName: `${name}-role`,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    )
    .then((out) => out.Role!.Arn!);
  const lambda = inMotoAccount(new LambdaClient({ endpoint: motoEndpoint(), region: REGION, credentials }), account);
  const out = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: (options.runtime ?? 'nodejs24.x') as Runtime,
      Role: role,
      Handler: 'index.handler',
      Code: { ZipFile: storedZip('index.mjs', 'export const handler = async () => { throw new Error("not a working rotation"); };') },
      ...(options.variables ? { Environment: { Variables: options.variables } } : {}),
    }),
  );
  return out.FunctionArn!;
};

describe('GET /api/v1/functions across a fleet', () => {
  let t: Awaited<ReturnType<typeof startTeamsConsole>>;
  let proxy: AwsProxy;
  const arns: Record<string, string> = {};

  const page = async (who: Who, query = '') => {
    const res = await t.call(who, `/api/v1/functions${query}`);
    expect(res.status).toBe(200);
    return FunctionsPage.parse(await res.json());
  };
  const row = (p: FunctionsPage, name: string): RotationFunctionRow => {
    const found = p.items.find((r) => r.name === name);
    if (!found) throw new Error(`${name} is not on the page: ${p.items.map((r) => r.name).join(', ')}`);
    return found;
  };

  beforeAll(async () => {
    await reset();
    const moto = motoEndpoint();
    // The console's own account: the demo's functions and secrets (healthy, failed, overdue, of three teams).
    await seedDemoAccount(aws(), moto);
    // The payments member account: an old Python function rotating a payments secret (which fails: it is a placeholder),
    // and a function made from a rotation template that rotates nothing yet. Also a function that is no rotation function.
    arns.ledger = await createSecretIn(moto, PAYMENTS_ACCOUNT, REGION, 'fleet/payments-ledger', { team: 'payments' });
    arns.legacy = await createFunctionIn(PAYMENTS_ACCOUNT, 'payments-legacy-rotation', { runtime: 'python3.9' });
    await secretsIn(moto, PAYMENTS_ACCOUNT, REGION)
      .send(new RotateSecretCommand({ SecretId: arns.ledger, RotationLambdaARN: arns.legacy, RotationRules: { AutomaticallyAfterDays: 30 } }))
      .catch(() => undefined);
    arns.spare = await createFunctionIn(PAYMENTS_ACCOUNT, 'payments-spare-rotation', {
      variables: { SECRETS_MANAGER_ENDPOINT: 'https://secretsmanager.us-east-1.amazonaws.com' },
    });
    await createFunctionIn(PAYMENTS_ACCOUNT, 'payments-thumbnails');
    // The analytics account's role cannot be assumed: its target fails.
    proxy = await startAwsProxy({ target: moto, intercept: denyAssumeRole(readerRole(ANALYTICS_ACCOUNT)) });
    t = await startTeamsConsole({
      AWS_ENDPOINT_URL: proxy.url,
      ACCOUNTS_CONFIG: accountsFile({
        accounts: [
          { id: HOME_ACCOUNT, name: 'console', regions: [REGION] },
          { id: PAYMENTS_ACCOUNT, name: 'payments-prod', roleArn: readerRole(PAYMENTS_ACCOUNT), regions: [REGION] },
          { id: ANALYTICS_ACCOUNT, name: 'analytics-dev', roleArn: readerRole(ANALYTICS_ACCOUNT), regions: [REGION] },
        ],
      }),
    });
    await t.console.api.dashboard.crawler.crawlOnce();
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
  });

  it('When an admin opens the page, then the rotation functions of both accounts show with their runtimes, owners, secrets and last rotations, and the account Lambda did not answer for shows its error', async () => {
    // Act
    const p = await page('admin');

    // Assert: the rotation functions only (not the thumbnails function), by account, region and name
    expect(p.items.map((r) => [r.accountId, r.name])).toEqual(
      [
        [PAYMENTS_ACCOUNT, 'payments-legacy-rotation'],
        [PAYMENTS_ACCOUNT, 'payments-spare-rotation'],
        [HOME_ACCOUNT, DEMO_FUNCTIONS[1]],
        [HOME_ACCOUNT, DEMO_FUNCTIONS[0]],
      ].sort((a, b) => a[0]!.localeCompare(b[0]!) || a[1]!.localeCompare(b[1]!)),
    );
    // The single-user demo function rotates secrets of three teams: nobody's. The multi-user one is tagged payments.
    const shared = row(p, DEMO_FUNCTIONS[0]);
    expect(shared).toMatchObject({
      accountName: 'console',
      runtime: 'nodejs24.x',
      owners: [],
      owner: 'no team',
      consoleFunction: false,
      atCurrentVersion: null,
    });
    expect(shared.runtimeEndOfLife).toMatchObject({ verdict: 'supported', deprecatedOn: '2028-04-30', successor: 'nodejs24.x' });
    expect(shared.secrets.map((s) => s.name)).toEqual([
      'prod/identity/sessions-db',
      'prod/identity/users-db',
      'prod/payments/cards-db',
      'prod/payments/orders-db',
      'staging/analytics/events-db',
    ]);
    expect(shared.secretCount).toBe(5);
    // users-db's rotation failed (its placeholder function threw at createSecret, as the seed left it).
    expect(shared.failing).toBe(1);
    expect(shared.lastFailure).toMatchObject({ secretName: 'prod/identity/users-db', outcome: 'failed' });
    expect(shared.lastRotation).not.toBeNull();
    expect(row(p, DEMO_FUNCTIONS[1])).toMatchObject({ owners: ['payments'], owner: 'team payments', secretCount: 1 });
    // The member account's Python 3.9 function: deprecated; it alone rotates a payments secret, so it is payments'; its rotation did not finish.
    const legacy = row(p, 'payments-legacy-rotation');
    expect(legacy).toMatchObject({ accountName: 'payments-prod', runtime: 'python3.9', owners: ['payments'], secretCount: 1, failing: 1 });
    expect(legacy.runtimeEndOfLife).toMatchObject({ verdict: 'deprecated', deprecatedOn: '2025-12-15', daysLeft: null, successor: 'python3.14' });
    expect(legacy.lastRotation).toMatchObject({ secretName: 'fleet/payments-ledger', outcome: 'failed' });
    expect(row(p, 'payments-spare-rotation')).toMatchObject({ owners: [], secretCount: 0, lastRotation: null, failing: 0 });
    // Each target: listed, or failed with its error, holding back no other.
    expect(p.targets.map((x) => [x.accountId, x.state, x.functions])).toEqual(
      [
        [PAYMENTS_ACCOUNT, 'listed', 2],
        [HOME_ACCOUNT, 'listed', 2],
        [ANALYTICS_ACCOUNT, 'failed', 0],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(p.targets.find((x) => x.accountId === ANALYTICS_ACCOUNT)!.error).toMatch(/AccessDenied|not authorized|assume/i);
    expect(p.currentCodeSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it('When an operator opens the page, then it lists its team\u2019s functions only, and of their secrets those it may read', async () => {
    // Act
    const payments = await page('owner');
    const identity = await page('other-team');
    const noTeam = await page('no-team');
    const viewer = await page('viewer');

    // Assert
    expect(payments.items.map((r) => r.name).sort()).toEqual([DEMO_FUNCTIONS[1], 'payments-legacy-rotation'].sort());
    expect(identity.items).toEqual([]);
    expect(noTeam.items).toEqual([]);
    expect(viewer.items).toHaveLength(4);
    // The viewer sees every function's secrets.
    expect(viewer.items.find((r) => r.name === DEMO_FUNCTIONS[0])!.secretCount).toBe(5);
  });

  it('When the page is opened again within a minute, then Lambda is not asked again; an account filter lists that account alone', async () => {
    // Arrange
    await page('admin');
    const before = proxy.calls.length;

    // Act
    await page('viewer');
    await page('owner');
    const filtered = await page('admin', `?account=${PAYMENTS_ACCOUNT}`);

    // Assert
    expect(proxy.calls.slice(before).filter((c) => c.service === 'lambda')).toEqual([]);
    expect(filtered.targets.map((x) => x.accountId)).toEqual([PAYMENTS_ACCOUNT]);
    expect(filtered.items.every((r) => r.accountId === PAYMENTS_ACCOUNT)).toBe(true);
  });

  it('When someone not signed in asks, then it is 401; a bad account filter is 400', async () => {
    expect((await t.call('anonymous', '/api/v1/functions')).status).toBe(401);
    expect((await t.call('admin', '/api/v1/functions?account=12')).status).toBe(400);
  });
});
