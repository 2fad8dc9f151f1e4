import { randomUUID } from 'node:crypto';
import { DescribeSecretCommand, GetSecretValueCommand, ListSecretVersionIdsCommand, RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { Operation, OperationPreview, RotationRequestInput, Workflow } from '@rotation-console/contracts';
import { seedDemoAccount } from '@rotation-console/harness/seed.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseUserSecret, dropDatabaseUsers, waitForWorkflow } from '../support/rotation-fixtures.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';

const api = await buildApi();
const users: string[] = [];

const secretPath = (secretId: string) => `/api/v1/secrets/${encodeURIComponent(secretId)}`;
const preview = async (secretId: string, operation: Operation) =>
  (
    await request(api.app)
      .post(`${secretPath(secretId)}/operation-previews`)
      .send({ operation })
      .expect(200)
  ).body as OperationPreview;
const start = (secretId: string, operation: Operation, key: string = randomUUID()) =>
  request(api.app)
    .post(`${secretPath(secretId)}/operations`)
    .set('Idempotency-Key', key)
    .send({ operation });
const stagesOf = async (secretId: string): Promise<Record<string, string[]>> => {
  const out = await aws().secretsManager.send(new ListSecretVersionIdsCommand({ SecretId: secretId, IncludeDeprecated: true }));
  return Object.fromEntries((out.Versions ?? []).map((v) => [v.VersionId!, [...(v.VersionStages ?? [])].sort()]));
};
const holderOf = (stages: Record<string, string[]>, label: string) => Object.entries(stages).find(([, s]) => s.includes(label))?.[0] ?? null;
const passwordOf = async (secretId: string) =>
  JSON.parse((await aws().secretsManager.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString!).password as string;
const describeSecret = (secretId: string) => aws().secretsManager.send(new DescribeSecretCommand({ SecretId: secretId }));

const failedSteps = (workflow: Workflow) => JSON.stringify(workflow.steps.filter((s) => s.error).map((s) => [s.id, s.error, s.output]));

describe('Rotate now', () => {
  let secret: Awaited<ReturnType<typeof createDatabaseUserSecret>>;
  let functionArn: string;
  /** The password before rotate now, which a roll back restores. */
  let passwordBefore: string;

  beforeAll(async () => {
    await reset();
    await seedDemoAccount(aws(), motoEndpoint());
    secret = await createDatabaseUserSecret('test/operations/orders');
    users.push(secret.username);
    // A function that really rotates (the bundled one, changing a real PostgreSQL password), turned on through the wizard's API.
    const started = await request(api.app)
      .post('/api/v1/workflows')
      .set('Idempotency-Key', randomUUID())
      .send({
        secretId: secret.name,
        schedule: { kind: 'days', days: 30 },
        // Not false: moto runs testSecret on a new AWSPENDING version and, unlike AWS, leaves it there (a stuck rotation).
        rotateImmediately: true,
        function: { mode: 'create', functionName: 'operations-rotation', strategy: 'single-user' },
        network: null,
      } satisfies RotationRequestInput)
      .expect(202);
    const enabled = await waitForWorkflow(api.app, started.body.id);
    expect(enabled.status, failedSteps(enabled)).toBe('succeeded');
    expect(enabled.outcome).toMatchObject({ result: 'rotated' });
    functionArn = (await describeSecret(secret.name)).RotationLambdaARN!;
  });
  afterAll(async () => {
    await api.close();
    await dropDatabaseUsers(users);
  });

  it('When rotate now is previewed, then it names RotateSecret with the configured function and changes nothing', async () => {
    const before = await stagesOf(secret.name);

    const plan = await preview(secret.name, 'rotate-now');

    expect(plan).toMatchObject({ operation: 'rotate-now', allowed: true, reason: null, labelMoves: [] });
    expect(plan.actions[0]!.cli).toBe(`aws secretsmanager rotate-secret --secret-id ${secret.name} --rotation-lambda-arn ${functionArn}`);
    expect(plan.warnings.join(' ')).toMatch(/rotates at once/);
    expect(await stagesOf(secret.name)).toEqual(before);
  });

  it('When rotate now runs, then a new version is AWSCURRENT with a new password, the function and schedule stay, the outcome is rotated, once per key', async () => {
    const before = await stagesOf(secret.name);
    const oldCurrent = holderOf(before, 'AWSCURRENT')!;
    passwordBefore = await passwordOf(secret.name);
    const key = randomUUID();

    const started = await start(secret.name, 'rotate-now', key).expect(202);
    const workflow = await waitForWorkflow(api.app, started.body.id);
    const again = await start(secret.name, 'rotate-now', key).expect(202);

    expect(workflow.status, failedSteps(workflow)).toBe('succeeded');
    expect(again.body.id).toBe(workflow.id);
    expect(workflow.kind).toBe('rotate-now');
    expect(workflow.steps.map((s) => s.kind)).toEqual(['rotate-secret-now', 'watch-first-rotation']);
    const newVersion = workflow.steps[0]!.output!.versionId as string;
    // Rotated because the function's log shows this rotation's four steps succeeding, not because the labels moved.
    expect(workflow.outcome).toMatchObject({ result: 'rotated', versionId: newVersion, logHidden: false });
    expect(workflow.outcome!.log.map((g) => g.headline)).toEqual([
      'createSecret succeeded',
      'setSecret succeeded',
      'testSecret succeeded',
      'finishSecret succeeded',
    ]);
    const after = await stagesOf(secret.name);
    expect(holderOf(after, 'AWSCURRENT')).toBe(newVersion);
    expect(newVersion).not.toBe(oldCurrent);
    expect(after[oldCurrent]).toEqual(['AWSPREVIOUS']);
    expect(await passwordOf(secret.name)).not.toBe(passwordBefore);
    // RotateSecret named the configured function (moto would clear it otherwise) and no rules: both stay.
    const described = await describeSecret(secret.name);
    expect(described).toMatchObject({ RotationEnabled: true, RotationLambdaARN: functionArn, RotationRules: { AutomaticallyAfterDays: 30 } });

    const audit = await api.store.listAudit({ workflowId: workflow.id });
    expect(audit.items.map((a) => a.action).sort()).toEqual(['rotate-now.finish', 'secret.rotate-now']);
    expect(audit.items.find((a) => a.action === 'secret.rotate-now')!.before).toMatchObject({
      rotation: { enabled: true, lambdaArn: functionArn },
      versionStages: { [oldCurrent]: expect.arrayContaining(['AWSCURRENT']) },
    });
    expect(audit.items.find((a) => a.action === 'rotate-now.finish')).toMatchObject({ outcome: 'succeeded' });
    expect(JSON.stringify(audit.items)).not.toContain(await passwordOf(secret.name));
  });

  it('When a rotated secret is rolled back, then AWSPENDING left on the current version goes too, and the next rotation is not blocked', async () => {
    const stages = await stagesOf(secret.name);
    const current = holderOf(stages, 'AWSCURRENT')!;
    const previous = holderOf(stages, 'AWSPREVIOUS')!;
    // The rotation function's finishSecret moves AWSCURRENT only, as AWS's templates do: AWSPENDING stays on the new version.
    expect(stages[current]).toEqual(['AWSCURRENT', 'AWSPENDING']);

    const plan = await preview(secret.name, 'roll-back');
    expect(plan.labelMoves).toEqual([
      { label: 'AWSPENDING', fromVersionId: current, toVersionId: null },
      { label: 'AWSCURRENT', fromVersionId: current, toVersionId: previous },
      { label: 'AWSPREVIOUS', fromVersionId: previous, toVersionId: current },
    ]);
    const rolledBack = await waitForWorkflow(api.app, (await start(secret.name, 'roll-back').expect(202)).body.id);

    expect(rolledBack.status, failedSteps(rolledBack)).toBe('succeeded');
    expect(rolledBack.steps.map((s) => s.kind)).toEqual(['remove-pending-label', 'move-current-to-previous']);
    const after = await stagesOf(secret.name);
    expect(after[previous]).toEqual(['AWSCURRENT']);
    expect(after[current]).toEqual(['AWSPREVIOUS']);
    expect(await passwordOf(secret.name)).toBe(passwordBefore);

    // Single-user rotation changed the password: the restored one no longer works in the database, as the
    // preview warned, but the next rotation logs in with AWSPREVIOUS and proceeds from the restored version.
    expect((await preview(secret.name, 'rotate-now')).allowed).toBe(true);
    const rotated = await waitForWorkflow(api.app, (await start(secret.name, 'rotate-now').expect(202)).body.id);
    expect(rotated.status, failedSteps(rotated)).toBe('succeeded');
    expect(rotated.outcome).toMatchObject({ result: 'rotated' });
    expect(holderOf(await stagesOf(secret.name), 'AWSPREVIOUS')).toBe(previous);
  });

  it('When the API died right after RotateSecret, then the resumed step finds its own version by the stored token and starts no second rotation', async () => {
    const arn = (await describeSecret(secret.name)).ARN!;
    const planned = await preview(secret.name, 'rotate-now');
    const before = Object.keys(await stagesOf(secret.name)).length;
    // Store the workflow as the API does, without starting it.
    const { workflow } = await api.store.create({
      kind: 'rotate-now',
      subject: arn,
      input: { operation: 'rotate-now', preview: planned },
      plan: {
        steps: [
          { id: 'rotate-secret', kind: 'rotate-secret-now', dependsOn: [], input: { secretArn: arn, functionArn } },
          { id: 'watch-rotation', kind: 'watch-first-rotation', dependsOn: ['rotate-secret'], input: { secretArn: arn, rotateImmediately: true } },
        ],
      },
      createdBy: { id: 'local', name: 'Local operator', roles: ['admin'], teams: [] },
    });
    const token = workflow.steps[0]!.idempotencyToken;
    // What the step sent before the process died.
    await aws().secretsManager.send(new RotateSecretCommand({ SecretId: arn, ClientRequestToken: token, RotationLambdaARN: functionArn }));

    await api.runner.run(workflow.id);

    const resumed = (await api.store.get(workflow.id))!;
    expect(resumed.status).toBe('succeeded');
    expect(resumed.steps[0]!.output).toMatchObject({ alreadyApplied: true, versionId: token });
    expect(resumed.steps[1]!.output).toMatchObject({ result: 'rotated', versionId: token });
    const after = await stagesOf(secret.name);
    expect(holderOf(after, 'AWSCURRENT')).toBe(token);
    expect(Object.keys(after)).toHaveLength(before + 1);
  });

  it('When rotation is off, then rotate now is refused with the reason and starting it answers 409', async () => {
    const plan = await preview('prod/payments/reports-db', 'rotate-now');

    expect(plan).toMatchObject({ allowed: false, actions: [] });
    expect(plan.reason).toMatch(/Rotation is not configured for this secret/);
    const res = await start('prod/payments/reports-db', 'rotate-now').expect(409);
    expect(res.body.error.message).toBe(plan.reason);
  });

  it('When a rotation is stuck, then rotate now is refused until it is cleared', async () => {
    const stuck = holderOf(await stagesOf('prod/identity/users-db'), 'AWSPENDING')!;

    const plan = await preview('prod/identity/users-db', 'rotate-now');

    expect(plan.allowed).toBe(false);
    expect(plan.reason).toContain(`Version ${stuck} has AWSPENDING but not AWSCURRENT`);
    expect(plan.reason).toMatch(/Clear the stuck rotation first/);
    await start('prod/identity/users-db', 'rotate-now').expect(409);
  });

  it('When another operation on the secret is still running, then a second one answers 409', async () => {
    const first = await start(secret.name, 'rotate-now').expect(202);
    const second = await start(secret.name, 'turn-off').expect(409);

    expect(second.body.error.message).toContain(first.body.id);
    const workflow = await waitForWorkflow(api.app, first.body.id);
    expect(workflow.status, failedSteps(workflow)).toBe('succeeded');
  });
});
