import { randomUUID } from 'node:crypto';
import { DeleteVpcEndpointsCommand, DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { RotationRequestInput } from '@rotation-console/contracts';
import { startAwsProxy, type AwsProxy } from '@rotation-console/harness/aws-proxy.ts';
import { DEMO_FUNCTIONS, seedDemoAccount } from '@rotation-console/harness/seed.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../src/platform/db/test-database.ts';
import { demoNetwork, waitForWorkflow } from '../support/rotation-fixtures.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';

// Two workflows that need the same shared resource at the same moment: here, a Secrets Manager
// endpoint in one VPC. Without a lock both look, both find none, both create one.

const SERVICE = 'com.amazonaws.us-east-1.secretsmanager';
const ROUNDS = 20;

/**
 * Widens the race window in the harness, so a lost race shows every time instead of by luck:
 * the proxy holds a DescribeVpcEndpoints until a second one arrives (then lets both go at once),
 * or until `aloneMs` passes. Two looks that overlap thus both see the VPC as it was before
 * either acted; a look made after the other's create sees that endpoint.
 */
const pairDescribes = (aloneMs = 150) => {
  let waiting: (() => void) | null = null;
  return async ({ body }: { body: Buffer }) => {
    if (new URLSearchParams(body.toString('utf8')).get('Action') !== 'DescribeVpcEndpoints') return undefined;
    if (waiting) {
      waiting();
      waiting = null;
      return undefined;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, aloneMs);
      waiting = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    return undefined;
  };
};

const liveEndpoints = async (vpcId: string) =>
  ((await aws().ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).VpcEndpoints ?? []).filter(
    (e) => e.ServiceName === SERVICE && !['deleted', 'deleting'].includes(String(e.State ?? '').toLowerCase()),
  );

describe.each([
  ['sqlite', 'one API'],
  ['postgres', 'two API instances'],
] as const)('Shared resources on %s, %s', (dialect, _instances) => {
  let proxy: AwsProxy;
  let database: TestDatabase | undefined;
  let apis: Awaited<ReturnType<typeof buildApi>>[] = [];

  beforeAll(async () => {
    await reset();
    await seedDemoAccount(aws(), motoEndpoint());
    proxy = await startAwsProxy({ target: motoEndpoint(), intercept: pairDescribes() });
    const env: Record<string, string> = { AWS_ENDPOINT_URL: proxy.url };
    if (dialect === 'postgres') {
      database = await createTestDatabase('postgres');
      env.DATABASE_URL = database.options.url!;
      apis = await Promise.all([buildApi(env), buildApi(env)]);
    } else {
      apis = [await buildApi(env)];
    }
  });
  afterAll(async () => {
    for (const api of apis) await api.close();
    await proxy?.close();
    await database?.drop();
  });

  it(`When two workflows ask for the Secrets Manager endpoint of one VPC at the same moment, then exactly one endpoint is made and both succeed (${ROUNDS} rounds)`, async () => {
    const network = await demoNetwork();
    const functionArn = (await aws().lambda.send(new GetFunctionCommand({ FunctionName: DEMO_FUNCTIONS[0] }))).Configuration!.FunctionArn!;
    const counts: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Arrange: the VPC without an endpoint, two new secrets.
      const stale = (await liveEndpoints(network.vpcId)).map((e) => e.VpcEndpointId!);
      if (stale.length > 0) await aws().ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: stale }));
      const secrets = await Promise.all(
        [0, 1].map(async (i) => {
          const name = `test/shared/${dialect}-${round}-${i}`;
          const out = await aws().secretsManager.send(
            new CreateSecretCommand({
              Name: name,
              SecretString: JSON.stringify({
                engine: 'postgres',
                host: '127.0.0.1',
                port: 5432,
                username: `app_${round}_${i}`,
                password: 'not-a-real-password-0',
                dbname: 'test',
              }),
              Tags: [{ Key: 'team', Value: 'payments' }],
            }),
          );
          return { name, arn: out.ARN! };
        }),
      );
      const body = (secretId: string): RotationRequestInput => ({
        secretId,
        schedule: { kind: 'days', days: 30 },
        rotateImmediately: false,
        function: { mode: 'existing', functionArn, strategy: 'single-user' },
        network: { ...network, createSecretsManagerEndpoint: true },
        // The demo function rotates other demo secrets too: the operator has read the plan's list.
        acknowledgeSharedFunction: true,
      });

      // Act: both at once, each to its own API instance where there are two.
      const started = await Promise.all(
        secrets.map((s, i) =>
          request(apis[i % apis.length]!.app)
            .post('/api/v1/workflows')
            .set('Idempotency-Key', randomUUID())
            .send(body(s.name)),
        ),
      );
      expect(
        started.map((r) => r.status),
        JSON.stringify(started.map((r) => r.body)),
      ).toEqual([202, 202]);
      const done = await Promise.all(started.map((r, i) => waitForWorkflow(apis[i % apis.length]!.app, r.body.id)));

      // Assert
      expect(
        done.map((w) => w.status),
        JSON.stringify(done.flatMap((w) => w.steps.filter((s) => s.error))),
      ).toEqual(['succeeded', 'succeeded']);
      const endpointSteps = done.map((w) => w.steps.find((s) => s.id === 'create-secrets-manager-endpoint'));
      expect(endpointSteps.every(Boolean), 'both plans create the endpoint').toBe(true);
      counts.push((await liveEndpoints(network.vpcId)).length);
      expect(new Set(endpointSteps.map((s) => s!.output?.vpcEndpointId)).size, `round ${round}: both workflows use one endpoint`).toBe(1);
    }
    expect(counts).toEqual(Array(ROUNDS).fill(1));
  }, 180_000);
});
