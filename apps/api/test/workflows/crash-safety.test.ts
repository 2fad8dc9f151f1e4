import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { GetPolicyCommand } from '@aws-sdk/client-lambda';
import { DescribeSecretCommand, ListSecretVersionIdsCommand } from '@aws-sdk/client-secrets-manager';
import type { RotationRequestInput, Workflow } from '@rotation-console/contracts';
import { startAwsProxy, type AwsCall, type AwsProxy } from '@rotation-console/harness/aws-proxy.ts';
import { seedDemoNetwork } from '@rotation-console/harness/seed.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiProcess, type ApiProcess } from '@rotation-console/harness/api-process.ts';
import { createDatabaseUserSecret, demoNetwork, dropDatabaseUsers } from '../support/rotation-fixtures.ts';
import { aws, motoEndpoint, reset } from '../support/support.ts';

/**
 * Crash safety: the API is killed (SIGKILL) right after each call that changes something
 * in AWS, in turn; restarted on the same database, it finishes the workflow without a
 * second stack, endpoint, permission or rotation. The kill points come from a proxy
 * between the API and moto, so the product has no test-only branch.
 */

const users: string[] = [];
let proxy: AwsProxy;

const env = (dataDir: string) => ({
  AWS_ENDPOINT_URL: proxy.url,
  DATA_DIR: dataDir,
  WORKFLOW_LEASE_MS: '1500',
  WORKFLOW_POLL_MS: '50',
  WORKFLOW_RETRY_BASE_MS: '20',
});

const getJson = async (url: string) => {
  const res = await fetch(url).catch(() => null);
  return res?.ok ? ((await res.json()) as Workflow) : null;
};

const waitUntilDone = async (api: ApiProcess, id: string, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const wf = await getJson(`${api.url}/api/v1/workflows/${id}`);
    if (wf && ['succeeded', 'failed'].includes(wf.status)) return wf;
    if (Date.now() > deadline) throw new Error(`workflow ${id} not done: ${JSON.stringify(wf?.steps.map((s) => `${s.id}:${s.status}`))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** An empty account but for the demo VPC, and a secret of a real PostgreSQL login: all the workflow needs. */
const scenario = async () => {
  await reset();
  await seedDemoNetwork(aws());
  const network = await demoNetwork();
  const secret = await createDatabaseUserSecret(`test/crash/${randomUUID().slice(0, 8)}`);
  users.push(secret.username);
  const body: RotationRequestInput = {
    secretId: secret.name,
    schedule: { kind: 'days', days: 30 },
    rotateImmediately: true,
    function: { mode: 'create', functionName: 'crash-rotation', strategy: 'single-user' },
    network: { ...network, createSecretsManagerEndpoint: true },
  };
  return { secret, network, body };
};

const startWorkflow = async (api: ApiProcess, body: RotationRequestInput, key: string) => {
  const res = await fetch(`${api.url}/api/v1/workflows`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key, ...api.changeHeaders },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
};

/** What AWS holds after the workflow: one of each thing, and one rotation. */
const awsState = async (secretName: string, vpcId: string) => {
  const stacks = (await aws().cloudFormation.send(new DescribeStacksCommand({}))).Stacks ?? [];
  const endpoints = (await aws().ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).VpcEndpoints ?? [];
  const secret = await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: secretName }));
  const policy = JSON.parse((await aws().lambda.send(new GetPolicyCommand({ FunctionName: secret.RotationLambdaARN! }))).Policy!) as {
    Statement: { Principal?: { Service?: string } }[];
  };
  const versions = (await aws().secretsManager.send(new ListSecretVersionIdsCommand({ SecretId: secretName, IncludeDeprecated: true }))).Versions ?? [];
  return {
    stacks: stacks.filter((s) => s.StackName === 'SecretsManagerRotation-crash-rotation').length,
    endpoints: endpoints.filter((e) => e.ServiceName?.endsWith('.secretsmanager')).length,
    invokePermissions: policy.Statement.filter((s) => s.Principal?.Service === 'secretsmanager.amazonaws.com').length,
    versions: versions.length,
    rotationEnabled: secret.RotationEnabled,
  };
};

describe('Crash safety', () => {
  let mutatingCalls: AwsCall[] = [];

  beforeAll(async () => {
    proxy = await startAwsProxy({ target: motoEndpoint() });
    // A run without a crash lists the mutating calls, in order: the kill points.
    const { body } = await scenario();
    proxy.setOptions({ onMutatingCall: (call) => mutatingCalls.push(call) });
    const api = await startApiProcess(env(mkdtempSync(path.join(tmpdir(), 'rc-crash-'))));
    const wf = await waitUntilDone(api, await startWorkflow(api, body, randomUUID()));
    await api.stop();
    expect(wf.status, JSON.stringify(wf.outcome ?? wf.steps.filter((s) => s.error))).toBe('succeeded');
    mutatingCalls = mutatingCalls.filter((c) => c.service !== 'lambda' || c.operation !== 'Invoke');
  });
  afterAll(async () => {
    await proxy.close();
    await dropDatabaseUsers(users);
  });

  it('When nothing crashes, then the run makes the calls the plan lists', () => {
    expect(mutatingCalls.map((c) => c.operation)).toEqual(expect.arrayContaining(['CreateChangeSet', 'ExecuteChangeSet', 'CreateVpcEndpoint', 'RotateSecret']));
  });

  it('When the API is killed after each mutating call in turn, then a restart finishes the workflow with nothing duplicated', async () => {
    const results: string[] = [];
    for (let killAt = 1; killAt <= mutatingCalls.length; killAt++) {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'rc-crash-'));
      // The API boots (seconds of module loading) while the account is set up: it makes no change
      // in AWS until it is asked for the workflow.
      const [{ secret, network, body }, first] = await Promise.all([scenario(), startApiProcess(env(dataDir))]);
      proxy.setOptions({ onMutatingCall: (_call, n) => n === killAt && first.child.kill('SIGKILL') });
      const id = await startWorkflow(first, body, randomUUID());
      await first.exited;
      proxy.setOptions({ onMutatingCall: () => undefined });

      const second = await startApiProcess(env(dataDir));
      const wf = await waitUntilDone(second, id);
      await second.stop();

      expect(wf.status, `killed after ${mutatingCalls[killAt - 1]?.operation}: ${wf.error}`).toBe('succeeded');
      expect(await awsState(secret.name, network.vpcId)).toEqual({ stacks: 1, endpoints: 1, invokePermissions: 1, versions: 2, rotationEnabled: true });
      results.push(mutatingCalls[killAt - 1]!.operation);
      console.info(`crash after ${results.at(-1)}: recovered`);
    }
    expect(results).toHaveLength(mutatingCalls.length);
    // About half a minute per kill point; the artifact bucket's lock-down added three.
  }, 600_000);
});
