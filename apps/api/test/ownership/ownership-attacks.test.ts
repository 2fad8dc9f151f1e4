import { randomUUID } from 'node:crypto';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand, GetFunctionConfigurationCommand, GetPolicyCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { DEMO_FUNCTIONS, seedDemoAccount } from '@rotation-console/harness/seed.ts';
import { startAwsProxy } from '@rotation-console/harness/aws-proxy.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { demoNetwork } from '../support/rotation-fixtures.ts';
import { aws, motoEndpoint, reset } from '../support/support.ts';
import { DEMO_TEAMS_CONFIG, startTeamsConsole } from '../support/teams-support.ts';

// The attacks of issue 10 on the local default's demo data, tried with payments' service token:
// each is refused with the owner named, and AWS shows nothing of the other team's changed.
await reset();
const a = aws();
await seedDemoAccount(a, motoEndpoint());
const network = await demoNetwork();
const proxy = await startAwsProxy({ target: motoEndpoint() });
const t = await startTeamsConsole({ AWS_ENDPOINT_URL: proxy.url, TEAMS_CONFIG: DEMO_TEAMS_CONFIG });
afterAll(async () => {
  await t.close();
  await proxy.close();
});

const mutatingSince = (mark: number) => proxy.calls.slice(mark).filter((c) => c.mutating);
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;
const SHARED = DEMO_FUNCTIONS[0]; // rotates secrets of payments, identity and analytics: nobody's

const waitForWorkflow = async (id: string) => {
  for (;;) {
    const res = await t.call('admin', `/api/v1/workflows/${id}`);
    const body = (await res.json()) as { status: string; steps: { id: string; status: string; error: string | null }[] };
    if (['succeeded', 'failed', 'cancelled'].includes(body.status)) return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe('Another team\u2019s function, role and network', () => {
  it('When payments asks to put the function shared with identity in another network, then it is refused and the function keeps its network and policy', async () => {
    const before = await a.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: SHARED }));
    const policyBefore = (await a.lambda.send(new GetPolicyCommand({ FunctionName: SHARED }))).Policy;
    const mark = proxy.calls.length;
    const body = {
      secretId: 'prod/payments/reports-db',
      schedule: { kind: 'days', days: 30 },
      rotateImmediately: false,
      function: { mode: 'existing', functionArn: SHARED, strategy: 'single-user' },
      network: { ...network, subnetIds: network.subnetIds.slice(0, 1), createSecretsManagerEndpoint: false },
      acknowledgeSharedFunction: true,
    };

    const plan = await t.call('owner', '/api/v1/rotation-plans', { body });
    const preflight = await t.call('owner', '/api/v1/rotation-plans/preflight', { body });
    const started = await t.call('owner', '/api/v1/workflows', { body, headers: { 'idempotency-key': randomUUID() } });

    expect(plan.status).toBe(403);
    // The preflight would read the shared function and invoke it: refused as its plan is.
    expect(preflight.status).toBe(403);
    expect(started.status).toBe(403);
    expect((await errorOf(started)).message).toMatch(new RegExp(`Lambda function ${SHARED} .*belongs to no team \\(it rotates secrets of .*identity`));
    expect(mutatingSince(mark)).toEqual([]);
    const after = await a.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: SHARED }));
    expect(after.VpcConfig?.SubnetIds).toEqual(before.VpcConfig?.SubnetIds);
    expect((await a.lambda.send(new GetPolicyCommand({ FunctionName: SHARED }))).Policy).toBe(policyBefore);
  });

  it('When payments lists the functions for its secret, then it gets only payments\u2019 own, each with what it rotates', async () => {
    const res = await t.call('owner', `/api/v1/lambda-functions?secretId=${encodeURIComponent('prod/payments/reports-db')}`);
    const items = ((await res.json()) as { items: { name: string; owner: string; usedBy: { name: string }[] }[] }).items;

    expect(items.map((f) => f.name)).toEqual([DEMO_FUNCTIONS[1]]);
    expect(items[0]).toMatchObject({ owner: 'team payments', usedBy: [{ name: 'prod/payments/ledger-app' }] });
    const admin = ((await (await t.call('admin', '/api/v1/lambda-functions')).json()) as { items: { name: string; owner: string }[] }).items;
    expect(admin.find((f) => f.name === SHARED)).toMatchObject({ owner: 'no team' });
  });

  it('When payments names a new function after a stack identity created, then the name is refused (409) and identity\u2019s role gets no grant', async () => {
    // Identity creates its function through the console.
    const identityStart = await t.call('other-team', '/api/v1/workflows', {
      body: {
        secretId: 'prod/identity/audit-db',
        schedule: { kind: 'days', days: 14 },
        rotateImmediately: false,
        function: { mode: 'create', functionName: 'identity-rotation', strategy: 'single-user' },
        network: null,
      },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(identityStart.status, await identityStart.clone().text()).toBe(202);
    const done = await waitForWorkflow(((await identityStart.json()) as { id: string }).id);
    expect(done.status, JSON.stringify(done.steps.filter((s) => s.error))).toBe('succeeded');
    const stack = (await a.cloudFormation.send(new DescribeStacksCommand({ StackName: 'SecretsManagerRotation-identity-rotation' }))).Stacks![0]!;
    expect(stack.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'team', Value: 'identity' },
        { Key: 'managed-by', Value: 'rotation-console' },
      ]),
    );
    const role = (await a.lambda.send(new GetFunctionCommand({ FunctionName: 'identity-rotation' }))).Configuration!.Role!.split('/').pop()!;
    const policiesBefore = (await a.iam.send(new ListRolePoliciesCommand({ RoleName: role }))).PolicyNames;

    // Payments asks for the same name, multi-user, so the plan would grant its master secret on identity's role.
    const master = await a.secretsManager.send(new DescribeSecretCommand({ SecretId: 'prod/payments/ledger-master' }));
    const mark = proxy.calls.length;
    const res = await t.call('owner', '/api/v1/workflows', {
      body: {
        secretId: 'prod/payments/ledger-app',
        schedule: { kind: 'days', days: 30 },
        rotateImmediately: false,
        function: { mode: 'create', functionName: 'identity-rotation', strategy: 'alternating-users', masterSecretId: master.ARN },
        network: null,
      },
      headers: { 'idempotency-key': randomUUID() },
    });

    expect(res.status).toBe(409);
    expect((await errorOf(res)).message).toContain('belongs to team identity');
    expect(mutatingSince(mark)).toEqual([]);
    expect((await a.iam.send(new ListRolePoliciesCommand({ RoleName: role }))).PolicyNames).toEqual(policiesBefore);
  });

  it('When payments\u2019 own function also rotates another secret and the plan moves its network, then the plan lists that secret and the change, and Save needs the acknowledgement', async () => {
    const fn = DEMO_FUNCTIONS[1];
    const before = await a.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }));
    const secretId = `attacks/payments/${randomUUID().slice(0, 6)}`;
    await a.secretsManager.send(
      new CreateSecretCommand({
        Name: secretId,
        // The orders database's host, so its network is payments' own.
        SecretString: JSON.stringify({
          engine: 'postgres',
          host: await hostOf('prod/payments/orders-db'),
          username: 'reports',
          password: 'not-a-real-password-2',
          dbname: 'postgres',
          port: 5432,
        }),
        Tags: [{ Key: 'team', Value: 'payments' }],
      }),
    );
    const body = {
      secretId,
      schedule: { kind: 'days', days: 30 },
      rotateImmediately: false,
      function: { mode: 'existing', functionArn: fn, strategy: 'single-user' },
      network: { ...network, subnetIds: network.subnetIds.slice(1, 2), createSecretsManagerEndpoint: false },
    };

    const plan = (await (await t.call('owner', '/api/v1/rotation-plans', { body })).json()) as {
      sharedFunction: { otherSecrets: { name: string }[]; changes: { what: string; before: string; after: string }[]; acknowledgementRequired: boolean };
    };
    const mark = proxy.calls.length;
    const refused = await t.call('owner', '/api/v1/workflows', { body, headers: { 'idempotency-key': randomUUID() } });

    expect(plan.sharedFunction.otherSecrets.map((s) => s.name)).toEqual(['prod/payments/ledger-app']);
    expect(plan.sharedFunction.changes.find((c) => c.what === 'subnets')).toMatchObject({
      before: before.VpcConfig!.SubnetIds!.join(', '),
      after: network.subnetIds[1],
    });
    expect(plan.sharedFunction.acknowledgementRequired).toBe(true);
    expect(refused.status).toBe(400);
    expect((await errorOf(refused)).message).toContain('prod/payments/ledger-app');
    expect(mutatingSince(mark)).toEqual([]);
    expect((await a.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }))).VpcConfig?.SubnetIds).toEqual(before.VpcConfig?.SubnetIds);
  });

  it('When identity reads the timeline of its secret rotated by the function it shares with payments and analytics, then it sees the verdict without the function\u2019s log; an admin sees the log', async () => {
    // prod/identity/users-db: its last rotation failed, on the demo function nobody owns.
    const identity = (await (await t.call('other-team', `/api/v1/secrets/${encodeURIComponent('prod/identity/users-db')}/timeline`)).json()) as {
      failure: { logHidden: boolean; log: unknown[] };
    };
    const admin = (await (await t.call('admin', `/api/v1/secrets/${encodeURIComponent('prod/identity/users-db')}/timeline`)).json()) as {
      failure: { logHidden: boolean };
    };

    expect(identity.failure).toMatchObject({ logHidden: true, log: [] });
    expect(admin.failure.logHidden).toBe(false);
  });
});

/** The host a demo secret names (read by the test itself, from AWS). */
async function hostOf(secretId: string): Promise<string> {
  return (JSON.parse((await a.secretsManager.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString!) as { host: string }).host;
}
