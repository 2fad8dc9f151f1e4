import { randomUUID } from 'node:crypto';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { RotationRequestInput, Workflow } from '@rotation-console/contracts';
import { startAwsProxy, type AwsProxy } from '@rotation-console/harness/aws-proxy.ts';
import { seedDemoAccount } from '@rotation-console/harness/seed.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseUserSecret, demoNetwork, dropDatabaseUsers, waitForWorkflow } from '../support/rotation-fixtures.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';

/**
 * Throttling and 5xx: a proxy in front of moto answers a share of the console's AWS calls
 * with AWS's throttling or 5xx errors. Workflows must finish anyway; a step that keeps
 * failing ends its workflow as failed, with the AWS error shown.
 */

const users: string[] = [];
let proxy: AwsProxy;
let api: Awaited<ReturnType<typeof buildApi>>;

/** A client retries POST /workflows on 5xx with the same key, as the web app does. */
const startWithRetries = async (body: RotationRequestInput) => {
  const key = randomUUID();
  for (let attempt = 1; ; attempt++) {
    const res = await request(api.app).post('/api/v1/workflows').set('Idempotency-Key', key).send(body);
    if (res.status === 202) return res.body.id as string;
    if (res.status < 500 || attempt === 10) throw new Error(`POST /workflows: ${res.status} ${JSON.stringify(res.body)}`);
  }
};

describe('Workflows under throttling and 5xx', () => {
  let network: Awaited<ReturnType<typeof demoNetwork>>;

  beforeAll(async () => {
    await reset();
    await seedDemoAccount(aws(), motoEndpoint());
    network = await demoNetwork();
    proxy = await startAwsProxy({ target: motoEndpoint(), seed: 7 });
    api = await buildApi({ AWS_ENDPOINT_URL: proxy.url, WORKFLOW_RETRY_ATTEMPTS: '10' });
  });
  afterAll(async () => {
    await api.close();
    await proxy.close();
    await dropDatabaseUsers(users);
  });

  it('When one call keeps failing, then the workflow fails with the AWS error and the steps after it are skipped', async () => {
    const secret = await createDatabaseUserSecret('test/faults/stuck');
    users.push(secret.username);
    proxy.setOptions({ faultRate: 1, faultOperations: ['CreateVpcEndpoint'] });
    const id = await startWithRetries({
      secretId: secret.name,
      schedule: { kind: 'days', days: 30 },
      rotateImmediately: true,
      function: { mode: 'create', functionName: 'stuck-rotation', strategy: 'single-user' },
      network: { ...network, createSecretsManagerEndpoint: true },
    });
    const workflow = await waitForWorkflow(api.app, id, 120_000);
    proxy.setOptions({ faultRate: 0, faultOperations: undefined });

    const endpoint = workflow.steps.find((s) => s.id === 'create-secrets-manager-endpoint')!;
    expect(workflow.status).toBe('failed');
    expect(endpoint.status).toBe('failed');
    expect(endpoint.error).toMatch(/CreateVpcEndpoint/);
    expect(endpoint.attempts).toBe(10);
    expect(workflow.steps.find((s) => s.id === 'rotate-secret')!.status).toBe('skipped');
    expect(workflow.error).toContain('Create a Secrets Manager interface endpoint in the VPC');
    const described = await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: secret.name }));
    expect(described.RotationEnabled ?? false).toBe(false);
  }, 180_000);

  it('When 20% of AWS calls fail with throttling or 5xx, then every workflow still completes', async () => {
    const secrets = await Promise.all([1, 2, 3].map((i) => createDatabaseUserSecret(`test/faults/db-${i}`)));
    users.push(...secrets.map((s) => s.username));
    proxy.setOptions({ faultRate: 0.2 });

    const ids: string[] = [];
    for (const [i, secret] of secrets.entries()) {
      ids.push(
        await startWithRetries({
          secretId: secret.name,
          schedule: { kind: 'days', days: 30 },
          rotateImmediately: true,
          function: { mode: 'create', functionName: `faults-rotation-${i}`, strategy: 'single-user' },
          network: { ...network, createSecretsManagerEndpoint: i === 0 },
        }),
      );
    }
    const workflows: Workflow[] = [];
    for (const id of ids) workflows.push(await waitForWorkflow(api.app, id, 120_000));
    proxy.setOptions({ faultRate: 0 });

    expect(
      workflows.map((w) => w.status),
      workflows.map((w) => w.error).join(' | '),
    ).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(workflows.every((w) => w.outcome?.result === 'rotated')).toBe(true);
    expect(proxy.faults.length).toBeGreaterThan(5);
  }, 180_000);
});
