import { randomUUID } from 'node:crypto';
import { ListSecretVersionIdsCommand } from '@aws-sdk/client-secrets-manager';
import type { RotationRequestInput, Workflow } from '@rotation-console/contracts';
import { startApiProcess, type ApiProcess } from '@rotation-console/harness/api-process.ts';
import { startAwsProxy, type AwsProxy } from '@rotation-console/harness/aws-proxy.ts';
import { seedDemoAccount } from '@rotation-console/harness/seed.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../src/platform/db/test-database.ts';
import { createDatabaseUserSecret, demoNetwork, dropDatabaseUsers } from '../support/rotation-fixtures.ts';
import { aws, motoEndpoint, reset } from '../support/support.ts';

/** Two API processes on one PostgreSQL: each workflow runs once, and one's crash is the other's to finish. */
describe('Two API processes on one PostgreSQL', () => {
  let database: TestDatabase;
  let proxy: AwsProxy;
  let a: ApiProcess;
  let b: ApiProcess;
  const users: string[] = [];

  beforeAll(async () => {
    await reset();
    await seedDemoAccount(aws(), motoEndpoint());
    database = await createTestDatabase('postgres');
    proxy = await startAwsProxy({ target: motoEndpoint() });
    const env = {
      AWS_ENDPOINT_URL: proxy.url,
      DATABASE_URL: database.options.url!,
      WORKFLOW_LEASE_MS: '1500',
      WORKFLOW_POLL_MS: '50',
      WORKFLOW_RETRY_BASE_MS: '20',
    };
    [a, b] = await Promise.all([startApiProcess(env), startApiProcess(env)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await proxy.close();
    await database.drop();
    await dropDatabaseUsers(users);
  });

  it('When one process dies with workflows in flight, then the other finishes each of them exactly once', async () => {
    const network = await demoNetwork();
    const secrets = await Promise.all([1, 2, 3].map((i) => createDatabaseUserSecret(`test/two/db-${i}`)));
    users.push(...secrets.map((s) => s.username));
    // Armed once every POST is accepted: A dies at its next change to AWS (or soon after, whatever it is doing).
    let armed = false;
    proxy.setOptions({ onMutatingCall: () => armed && a.child.kill('SIGKILL') });

    const ids: string[] = [];
    for (const [i, secret] of secrets.entries()) {
      const body: RotationRequestInput = {
        secretId: secret.name,
        schedule: { kind: 'days', days: 30 },
        rotateImmediately: true,
        function: { mode: 'create', functionName: `two-rotation-${i}`, strategy: 'single-user' },
        network: { ...network, createSecretsManagerEndpoint: false },
      };
      const res = await fetch(`${a.url}/api/v1/workflows`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...a.changeHeaders },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(202);
      ids.push(((await res.json()) as { id: string }).id);
    }
    armed = true;
    setTimeout(() => a.child.kill('SIGKILL'), 3000).unref();
    await a.exited;

    const done: Workflow[] = [];
    for (const id of ids) {
      for (let tries = 0; tries < 300; tries++) {
        const wf = (await (await fetch(`${b.url}/api/v1/workflows/${id}`)).json()) as Workflow;
        if (wf.status === 'succeeded' || wf.status === 'failed') {
          done.push(wf);
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    expect(done.map((w) => w.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const count = (operation: string) => proxy.calls.filter((c) => c.operation === operation).length;
    expect(count('CreateChangeSet')).toBe(3);
    expect(count('ExecuteChangeSet')).toBe(3);
    expect(count('RotateSecret')).toBe(3);
    for (const secret of secrets) {
      const versions = await aws().secretsManager.send(new ListSecretVersionIdsCommand({ SecretId: secret.name, IncludeDeprecated: true }));
      expect(versions.Versions).toHaveLength(2);
    }
  }, 120_000);
});
