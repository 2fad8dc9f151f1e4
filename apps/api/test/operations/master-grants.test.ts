import { randomUUID } from 'node:crypto';
import { GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import type { OperationPreview, RotationPlan, RotationRequestInput, Workflow } from '@rotation-console/contracts';
import { DEMO_FUNCTIONS, seedDemoAccount } from '@rotation-console/harness/seed.ts';
import { MASTER_POLICY_NAME, masterGrantSid, parsePolicyDocument } from '@rotation-console/rotation';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseUserSecret, dropDatabaseUsers, waitForWorkflow } from '../support/rotation-fixtures.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';

// Multi-user rotation lets the function's role read the master secret. Secrets whose functions
// share a role each keep their master's statement; turning rotation off takes one back only when
// no other secret rotating on that role uses the same master secret.

const api = await buildApi();
const users: string[] = [];

type Secret = Awaited<ReturnType<typeof createDatabaseUserSecret>>;

describe('Master secret grants on a shared function role', () => {
  let roleName: string;
  let master1: Secret;
  let master2: Secret;
  let appA: Secret; // master 1, function 0
  let appB: Secret; // master 2, function 1 (same role)
  let appC: Secret; // master 2, function 0

  const requestFor = async (secret: Secret, master: Secret, functionName: string): Promise<RotationRequestInput> => ({
    secretId: secret.name,
    schedule: { kind: 'days', days: 30 },
    rotateImmediately: false,
    function: {
      mode: 'existing',
      functionArn: (await aws().lambda.send(new GetFunctionCommand({ FunctionName: functionName }))).Configuration!.FunctionArn!,
      strategy: 'alternating-users',
      masterSecretId: master.arn,
    },
    network: null,
    // The demo functions rotate other demo secrets too, and the grant changes their role: the operator has read the plan.
    acknowledgeSharedFunction: true,
  });
  const enable = async (secret: Secret, master: Secret, functionName: string) => {
    const res = await request(api.app)
      .post('/api/v1/workflows')
      .set('Idempotency-Key', randomUUID())
      .send(await requestFor(secret, master, functionName))
      .expect(202);
    return waitForWorkflow(api.app, res.body.id);
  };

  const statements = async () => {
    try {
      const out = await aws().iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: MASTER_POLICY_NAME }));
      return parsePolicyDocument(out.PolicyDocument).Statement;
    } catch (error) {
      if ((error as Error).name === 'NoSuchEntity' || (error as Error).name === 'NoSuchEntityException') return null;
      throw error;
    }
  };
  const resources = async () => (await statements())?.map((s) => s.Resource).sort() ?? null;

  const turnOff = async (secret: Secret): Promise<{ preview: OperationPreview; workflow: Workflow }> => {
    const preview = (
      await request(api.app)
        .post(`/api/v1/secrets/${encodeURIComponent(secret.arn)}/operation-previews`)
        .send({ operation: 'turn-off' })
        .expect(200)
    ).body as OperationPreview;
    const started = await request(api.app)
      .post(`/api/v1/secrets/${encodeURIComponent(secret.arn)}/operations`)
      .set('Idempotency-Key', randomUUID())
      .send({ operation: 'turn-off' })
      .expect(202);
    return { preview, workflow: await waitForWorkflow(api.app, started.body.id) };
  };

  beforeAll(async () => {
    await reset();
    await seedDemoAccount(aws(), motoEndpoint());
    roleName = (await aws().lambda.send(new GetFunctionCommand({ FunctionName: DEMO_FUNCTIONS[0] }))).Configuration!.Role!.split('/').pop()!;
    expect((await aws().lambda.send(new GetFunctionCommand({ FunctionName: DEMO_FUNCTIONS[1] }))).Configuration!.Role).toContain(`/${roleName}`);
    [master1, master2] = await Promise.all([createDatabaseUserSecret('test/grants/master-1'), createDatabaseUserSecret('test/grants/master-2')]);
    [appA, appB, appC] = await Promise.all([
      createDatabaseUserSecret('test/grants/app-a', { masterarn: master1.arn }),
      createDatabaseUserSecret('test/grants/app-b', { masterarn: master2.arn }),
      createDatabaseUserSecret('test/grants/app-c', { masterarn: master2.arn }),
    ]);
    users.push(...[master1, master2, appA, appB, appC].map((s) => s.username));
  });
  afterAll(async () => {
    await api.close();
    await dropDatabaseUsers(users);
  });

  it('When two secrets with different master secrets turn rotation on at once with functions on one role, then the role may read both masters', async () => {
    const done = await Promise.all([enable(appA, master1, DEMO_FUNCTIONS[0]), enable(appB, master2, DEMO_FUNCTIONS[1])]);

    expect(
      done.map((w) => w.status),
      JSON.stringify(done.flatMap((w) => w.steps.filter((s) => s.error))),
    ).toEqual(['succeeded', 'succeeded']);
    expect(await resources()).toEqual([master1.arn, master2.arn].sort());
    expect((await statements())!.map((s) => s.Sid).sort()).toEqual([masterGrantSid(master1.arn), masterGrantSid(master2.arn)].sort());
  });

  it('When the plan is shown, then its CLI for the grant reads the role\u2019s policy, adds this master\u2019s statement and writes it back', async () => {
    const plan = (
      await request(api.app)
        .post('/api/v1/rotation-plans')
        .send(await requestFor(appC, master2, DEMO_FUNCTIONS[0]))
        .expect(200)
    ).body as RotationPlan;

    const cli = plan.steps.find((s) => s.id === 'grant-master-secret-access')!.cli!;
    expect(cli.split('\n').map((line) => line.split(' ').slice(0, 3).join(' '))).toEqual([
      'aws iam get-role-policy',
      'jq --argjson s',
      'aws iam put-role-policy',
    ]);
    expect(cli).toContain(`"Sid":"${masterGrantSid(master2.arn)}"`);
    expect(cli).toContain(`--policy-name ${MASTER_POLICY_NAME} --policy-document file://master-policy.new.json`);
  });

  it('When a third secret uses a master secret the role may read already, then nothing changes', async () => {
    const before = await statements();

    const done = await enable(appC, master2, DEMO_FUNCTIONS[0]);

    expect(done.status).toBe('succeeded');
    expect(done.steps.find((s) => s.id === 'grant-master-secret-access')?.output).toMatchObject({ roleName, changed: false });
    expect(await statements()).toEqual(before);
  });

  it('When rotation is turned off for a secret whose master another secret still rotates with, then the grant stays and the preview says why', async () => {
    const { preview, workflow } = await turnOff(appB);

    expect(workflow.status).toBe('succeeded');
    expect(preview.actions.map((a) => a.description).join('\n')).not.toContain('master secret');
    expect(preview.warnings.join('\n')).toContain(`keeps its permission to read the master secret ${master2.arn}: ${appC.arn} still rotates with it`);
    expect(workflow.steps.map((s) => s.id)).toEqual(['cancel-rotation']);
    expect(await resources()).toEqual([master1.arn, master2.arn].sort());
  });

  it('When rotation is turned off for the last secret using a master, then its statement is removed and the other master\u2019s kept', async () => {
    const { preview, workflow } = await turnOff(appA);

    expect(workflow.status, JSON.stringify(workflow.steps)).toBe('succeeded');
    const revoke = preview.actions.find((a) => a.description.includes('master secret'))!;
    expect(revoke.description).toContain(`${roleName}'s permission to read the master secret ${master1.arn}`);
    expect(revoke.cli).toContain(`aws iam put-role-policy --role-name ${roleName} --policy-name ${MASTER_POLICY_NAME}`);
    expect(workflow.steps.find((s) => s.id === 'revoke-master-secret-access')?.output).toMatchObject({ removed: true, policyDeleted: false });
    expect(await resources()).toEqual([master2.arn]);
  });

  it('When rotation is turned off for the last secret with any grant on the role, then the policy is gone', async () => {
    const { preview, workflow } = await turnOff(appC);

    expect(workflow.status, JSON.stringify(workflow.steps)).toBe('succeeded');
    expect(preview.actions.map((a) => a.cli)).toContain(`aws iam delete-role-policy --role-name ${roleName} --policy-name ${MASTER_POLICY_NAME}`);
    expect(workflow.steps.find((s) => s.id === 'revoke-master-secret-access')?.output).toMatchObject({ removed: true, policyDeleted: true });
    expect(await statements()).toBeNull();
  });
});
