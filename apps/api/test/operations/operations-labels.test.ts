import { randomUUID } from 'node:crypto';
import { DescribeSecretCommand, GetSecretValueCommand, ListSecretVersionIdsCommand, ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import type { Operation, OperationPreview, Workflow } from '@rotation-console/contracts';
import { seedDemoAccount } from '@rotation-console/harness/seed.ts';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperationsGateway } from '../../src/modules/operations/operations.aws.ts';
import { createOperationsRouter } from '../../src/modules/operations/operations.router.ts';
import { createWorkflowStarter } from '../../src/modules/workflows/start-workflow.ts';
import { createMasterGrants } from '../../src/modules/operations/master-grants.aws.ts';
import { createOperationsService } from '../../src/modules/operations/operations.service.ts';
import type { Principal } from '../../src/platform/auth.ts';
import { errorMiddleware, requestContext } from '../../src/platform/http.ts';
import { waitForWorkflow } from '../support/rotation-fixtures.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';

const api = await buildApi();

const STUCK = 'prod/identity/users-db';
const WITH_PREVIOUS = 'prod/payments/orders-db';
const ROTATION_OFF = 'prod/payments/reports-db';
const HEALTHY = 'prod/payments/cards-db';
const TO_TURN_OFF = 'prod/identity/sessions-db';

const secretPath = (secretId: string) => `/api/v1/secrets/${encodeURIComponent(secretId)}`;
const previewRequest = (secretId: string, operation: string) =>
  request(api.app)
    .post(`${secretPath(secretId)}/operation-previews`)
    .send({ operation });
const preview = async (secretId: string, operation: Operation) => (await previewRequest(secretId, operation).expect(200)).body as OperationPreview;
const start = (secretId: string, operation: string, key: string = randomUUID()) =>
  request(api.app)
    .post(`${secretPath(secretId)}/operations`)
    .set('Idempotency-Key', key)
    .send({ operation });

/** Every version's staging labels, read from AWS (IncludeDeprecated: unlabelled versions show as []). */
const stagesOf = async (secretId: string): Promise<Record<string, string[]>> => {
  const out = await aws().secretsManager.send(new ListSecretVersionIdsCommand({ SecretId: secretId, IncludeDeprecated: true }));
  return Object.fromEntries((out.Versions ?? []).map((v) => [v.VersionId!, [...(v.VersionStages ?? [])].sort()]));
};
const holderOf = (stages: Record<string, string[]>, label: string) => Object.entries(stages).find(([, s]) => s.includes(label))?.[0] ?? null;
const describeSecret = (secretId: string) => aws().secretsManager.send(new DescribeSecretCommand({ SecretId: secretId }));

/** Runs an operation to the end and returns its workflow. */
const run = async (secretId: string, operation: Operation, key: string = randomUUID()) => {
  const started = await start(secretId, operation, key).expect(202);
  expect(started.headers.location).toBe(`/api/v1/workflows/${started.body.id}`);
  const workflow = await waitForWorkflow(api.app, started.body.id);
  expect(workflow.status, JSON.stringify(workflow.steps.map((s) => [s.id, s.status, s.error]))).toBe('succeeded');
  return workflow;
};

/** Stores and runs a workflow with the same steps again: what the runner does after a crash right after the AWS call. */
const rerunSteps = async (workflow: Workflow) => {
  const stored = (await api.store.get(workflow.id))!;
  const { workflow: again } = await api.store.create({
    kind: stored.kind,
    subject: stored.subject,
    input: stored.input,
    plan: { steps: stored.steps.map((s) => ({ id: s.id, kind: s.kind, title: s.title, dependsOn: s.dependsOn, input: s.input })) },
    createdBy: stored.createdBy,
  });
  await api.runner.run(again.id);
  return (await api.store.get(again.id))!;
};

describe('Operations on staging labels and the rotation switch', () => {
  beforeAll(async () => {
    await reset();
    await seedDemoAccount(aws(), motoEndpoint());
  });
  afterAll(async () => {
    await api.close();
  });

  describe('Roll back', () => {
    it('When a roll back is previewed on a secret with AWSPREVIOUS, then it lists the label moves and the CLI command and changes nothing', async () => {
      const before = await stagesOf(WITH_PREVIOUS);
      const current = holderOf(before, 'AWSCURRENT')!;
      const previous = holderOf(before, 'AWSPREVIOUS')!;

      const plan = await preview(WITH_PREVIOUS, 'roll-back');

      expect(plan).toMatchObject({ operation: 'roll-back', secretName: WITH_PREVIOUS, allowed: true, reason: null });
      expect(plan.labelMoves).toEqual([
        { label: 'AWSCURRENT', fromVersionId: current, toVersionId: previous },
        // What AWS does by itself when AWSCURRENT moves.
        { label: 'AWSPREVIOUS', fromVersionId: previous, toVersionId: current },
      ]);
      expect(plan.actions.map((a) => a.cli)).toEqual([
        `aws secretsmanager update-secret-version-stage --secret-id ${WITH_PREVIOUS} --version-stage AWSCURRENT --move-to-version-id ${previous} --remove-from-version-id ${current}`,
      ]);
      expect(plan.warnings.join(' ')).toMatch(/previous password may no longer work/);
      expect(plan.warnings.join(' ')).toMatch(/next rotation proceeds from the restored version/);
      expect(await stagesOf(WITH_PREVIOUS)).toEqual(before);
    });

    it('When a roll back runs, then AWSCURRENT moves to the previous version and AWSPREVIOUS to the old current (moto moves AWSPREVIOUS as AWS does), once per Idempotency-Key', async () => {
      const before = await stagesOf(WITH_PREVIOUS);
      const current = holderOf(before, 'AWSCURRENT')!;
      const previous = holderOf(before, 'AWSPREVIOUS')!;
      const previousValue = (await aws().secretsManager.send(new GetSecretValueCommand({ SecretId: WITH_PREVIOUS, VersionStage: 'AWSPREVIOUS' }))).SecretString;
      const key = randomUUID();

      const workflow = await run(WITH_PREVIOUS, 'roll-back', key);

      expect(workflow).toMatchObject({ kind: 'roll-back', outcome: null });
      expect(workflow.steps.map((s) => s.kind)).toEqual(['move-current-to-previous']);
      const after = await stagesOf(WITH_PREVIOUS);
      expect(after[previous]).toEqual(['AWSCURRENT']);
      expect(after[current]).toEqual(['AWSPREVIOUS']);
      expect(workflow.steps[0]!.output).toMatchObject({ alreadyApplied: false, versionStages: { [previous]: ['AWSCURRENT'], [current]: ['AWSPREVIOUS'] } });
      const restored = await aws().secretsManager.send(new GetSecretValueCommand({ SecretId: WITH_PREVIOUS }));
      expect(restored.SecretString).toBe(previousValue);

      // The same key is the same request, even though rolling back again would now be allowed (and undo it).
      const again = await start(WITH_PREVIOUS, 'roll-back', key).expect(202);
      expect(again.body).toMatchObject({ id: workflow.id, status: 'succeeded' });
      expect(await stagesOf(WITH_PREVIOUS)).toEqual(after);

      const audit = await api.store.listAudit({ workflowId: workflow.id });
      expect(audit.items.map((a) => a.action).sort()).toEqual(['roll-back.finish', 'secret.roll-back']);
      const record = audit.items.find((a) => a.action === 'secret.roll-back')!;
      expect(record.before).toMatchObject({ rotation: { enabled: true }, versionStages: { [current]: ['AWSCURRENT'], [previous]: ['AWSPREVIOUS'] } });
      expect(record.after).toMatchObject({
        operation: 'roll-back',
        preview: { labelMoves: [{ label: 'AWSCURRENT', fromVersionId: current, toVersionId: previous }, {}] },
      });
      expect(audit.items.find((a) => a.action === 'roll-back.finish')).toMatchObject({ outcome: 'succeeded' });
      expect(JSON.stringify(audit.items)).not.toContain(previousValue!);
    });

    it('When the roll back step runs again after it was applied (a rerun after a crash), then it changes nothing and says so', async () => {
      const first = await run(WITH_PREVIOUS, 'roll-back');
      const after = await stagesOf(WITH_PREVIOUS);

      const rerun = await rerunSteps(first);

      expect(rerun.status).toBe('succeeded');
      expect(rerun.steps[0]!.output).toMatchObject({ alreadyApplied: true });
      expect(await stagesOf(WITH_PREVIOUS)).toEqual(after);
    });

    it('When AWSCURRENT moved after the preview, then the roll back step refuses and changes nothing', async () => {
      const stages = await stagesOf(WITH_PREVIOUS);
      const current = holderOf(stages, 'AWSCURRENT')!;
      const previous = holderOf(stages, 'AWSPREVIOUS')!;
      const { workflow } = await api.store.create({
        kind: 'roll-back',
        subject: (await describeSecret(WITH_PREVIOUS)).ARN!,
        input: {},
        // A plan made when AWSCURRENT was on the version that is AWSPREVIOUS now.
        plan: {
          steps: [
            {
              id: 'move-current-to-previous',
              kind: 'move-current-to-previous',
              dependsOn: [],
              input: { secretArn: WITH_PREVIOUS, fromVersionId: previous, toVersionId: randomUUID() },
            },
          ],
        },
        createdBy: { id: 'local', name: 'Local operator', roles: ['admin'], teams: [] },
      });

      await api.runner.run(workflow.id);

      const done = (await api.store.get(workflow.id))!;
      expect(done.status).toBe('failed');
      expect(done.steps[0]!.error).toContain(`AWSCURRENT is on version ${current} now, not on ${previous}`);
      expect(await stagesOf(WITH_PREVIOUS)).toEqual(stages);
    });

    it('When a secret has no AWSPREVIOUS, then the preview refuses with the reason and starting it answers 409', async () => {
      const plan = await preview(ROTATION_OFF, 'roll-back');

      expect(plan).toMatchObject({ allowed: false, actions: [], labelMoves: [] });
      expect(plan.reason).toMatch(/No version has AWSPREVIOUS/);
      const res = await start(ROTATION_OFF, 'roll-back').expect(409);
      expect(res.body.error).toMatchObject({ code: 'conflict', message: plan.reason });
    });
  });

  describe('Clear a stuck rotation', () => {
    it('When turning rotation off is previewed on a stuck secret, then it carries AWS\u2019s warning and names the AWSPENDING version', async () => {
      const stuck = Object.entries(await stagesOf(STUCK)).find(([, s]) => s.includes('AWSPENDING'))![0];

      const plan = await preview(STUCK, 'turn-off');

      expect(plan.allowed).toBe(true);
      const warnings = plan.warnings.join(' ');
      expect(warnings).toContain('If you cancel a rotation in progress, it can leave the VersionStage labels in an unexpected state');
      expect(warnings).toContain('remove the staging label AWSPENDING from the partially created version');
      expect(warnings).toContain(`Version ${stuck} has AWSPENDING`);
      expect(warnings).toMatch(/rotation function [\w-]+ is not deleted/);
    });

    it('When clearing is previewed on a stuck secret, then it removes AWSPENDING from the pending version only', async () => {
      const stages = await stagesOf(STUCK);
      const stuck = holderOf(stages, 'AWSPENDING')!;
      expect(stages[stuck]).not.toContain('AWSCURRENT');

      const plan = await preview(STUCK, 'clear-stuck');

      expect(plan).toMatchObject({ allowed: true, labelMoves: [{ label: 'AWSPENDING', fromVersionId: stuck, toVersionId: null }] });
      expect(plan.actions[0]!.cli).toBe(
        `aws secretsmanager update-secret-version-stage --secret-id ${STUCK} --version-stage AWSPENDING --remove-from-version-id ${stuck}`,
      );
      expect(plan.warnings.join(' ')).toMatch(/also how a rotation in progress looks/);
      expect(await stagesOf(STUCK)).toEqual(stages);
    });

    it('When a stuck rotation is cleared, then AWSPENDING is gone, AWSCURRENT stays, and the same key gives the same workflow', async () => {
      const before = await stagesOf(STUCK);
      const stuck = holderOf(before, 'AWSPENDING')!;
      const current = holderOf(before, 'AWSCURRENT')!;
      const key = randomUUID();

      const workflow = await run(STUCK, 'clear-stuck', key);
      const again = await start(STUCK, 'clear-stuck', key).expect(202);

      expect(again.body.id).toBe(workflow.id);
      const after = await stagesOf(STUCK);
      expect(after[stuck]).toEqual([]);
      expect(after[current]).toEqual(before[current]);
      expect(workflow.steps[0]).toMatchObject({ kind: 'remove-pending-label', output: { alreadyApplied: false, versionId: stuck } });
      const audit = await api.store.listAudit({ workflowId: workflow.id });
      expect(audit.items.map((a) => a.action).sort()).toEqual(['clear-stuck.finish', 'secret.clear-stuck']);
      expect(audit.items.find((a) => a.action === 'secret.clear-stuck')!.before).toMatchObject({ versionStages: { [stuck]: ['AWSPENDING'] } });
      // Nothing is stuck any more.
      expect((await preview(STUCK, 'clear-stuck')).allowed).toBe(false);
      const detail = await request(api.app).get(secretPath(STUCK)).expect(200);
      expect(detail.body.status).not.toBe('pending_or_failed');
    });

    it('When the clear step runs again after AWSPENDING is gone, then it changes nothing and says so', async () => {
      const workflows = await api.store.list({ subject: (await describeSecret(STUCK)).ARN!, kind: 'clear-stuck' });
      const first = (await api.store.get(workflows.items[0]!.id))!;

      const rerun = await rerunSteps({ id: first.id } as Workflow);

      expect(rerun.status).toBe('succeeded');
      expect(rerun.steps[0]!.output).toMatchObject({ alreadyApplied: true });
    });

    it('When clearing is asked for on a healthy secret, then the preview refuses with the reason and starting it answers 409', async () => {
      const plan = await preview(HEALTHY, 'clear-stuck');

      expect(plan.allowed).toBe(false);
      expect(plan.reason).toMatch(/^No rotation is stuck: no version has AWSPENDING without AWSCURRENT/);
      await start(HEALTHY, 'clear-stuck').expect(409);
    });
  });

  describe('Turn rotation off', () => {
    it('When rotation is turned off, then DescribeSecret shows it off, the function stays configured, and the same key gives one workflow', async () => {
      const before = await describeSecret(TO_TURN_OFF);
      expect(before.RotationEnabled).toBe(true);
      const plan = await preview(TO_TURN_OFF, 'turn-off');
      expect(plan.actions).toEqual([
        { description: expect.stringContaining('CancelRotateSecret'), cli: `aws secretsmanager cancel-rotate-secret --secret-id ${TO_TURN_OFF}` },
      ]);
      const key = randomUUID();

      const workflow = await run(TO_TURN_OFF, 'turn-off', key);
      const again = await start(TO_TURN_OFF, 'turn-off', key).expect(202);

      expect(again.body.id).toBe(workflow.id);
      const after = await describeSecret(TO_TURN_OFF);
      expect(after.RotationEnabled).toBe(false);
      // CancelRotateSecret keeps the function ARN on AWS and on moto: turning rotation on again can reuse it.
      expect(after.RotationLambdaARN).toBe(before.RotationLambdaARN);
      expect(workflow.steps[0]).toMatchObject({ kind: 'cancel-rotation', output: { alreadyApplied: false, rotationEnabled: false } });
      const audit = await api.store.listAudit({ workflowId: workflow.id });
      expect(audit.items.find((a) => a.action === 'secret.turn-off')!.before).toMatchObject({
        rotation: { enabled: true, lambdaArn: before.RotationLambdaARN },
      });
      expect(audit.items.find((a) => a.action === 'turn-off.finish')).toMatchObject({ outcome: 'succeeded' });
    });

    it('When rotation is already off, then the preview refuses, a new request answers 409, and the step run again says it was already off', async () => {
      const plan = await preview(TO_TURN_OFF, 'turn-off');
      expect(plan).toMatchObject({ allowed: false, reason: expect.stringMatching(/already off/) });
      await start(TO_TURN_OFF, 'turn-off').expect(409);

      const workflows = await api.store.list({ subject: (await describeSecret(TO_TURN_OFF)).ARN!, kind: 'turn-off' });
      const rerun = await rerunSteps({ id: workflows.items[0]!.id } as Workflow);

      expect(rerun.status).toBe('succeeded');
      expect(rerun.steps[0]!.output).toMatchObject({ alreadyApplied: true, message: 'Rotation was already off; nothing was changed.' });
      expect((await describeSecret(TO_TURN_OFF)).RotationEnabled).toBe(false);
      // The function is still configured, but rotating now would turn rotation back on: refused too.
      expect((await preview(TO_TURN_OFF, 'rotate-now')).reason).toMatch(/Rotation is turned off for this secret/);
    });
  });

  describe('Refusals', () => {
    it('When the secret is managed by another service, then every operation is refused with 400', async () => {
      const managed = (await aws().secretsManager.send(new ListSecretsCommand({ MaxResults: 100 }))).SecretList!.find((s) => s.OwningService)!;

      const plan = await preview(managed.ARN!, 'rotate-now');
      const res = await start(managed.ARN!, 'turn-off').expect(400);

      expect(managed.OwningService).toBe('rds');
      expect(plan).toMatchObject({ allowed: false, reason: expect.stringContaining('managed by RDS: its rotation is changed through RDS') });
      expect(res.body.error.code).toBe('invalid_input');
    });

    it.each([
      [
        'a viewer',
        { id: 'viewer-1', name: 'A viewer', roles: ['viewer'], teams: ['payments'] },
        'the preview is shown, and starting each operation answers 403 naming its permission',
        200,
        403,
      ],
      // Another team's secret does not exist for an operator: 404, as for a missing one.
      [
        'an operator of another team',
        { id: 'operator-1', name: 'An identity operator', roles: ['operator'], teams: ['identity'] },
        'the secret is not found, for the preview and for each operation',
        404,
        404,
      ],
    ] satisfies [string, Principal, string, number, number][])('When %s asks, then %s', async (_who, principal, _then, previewStatus, startStatus) => {
      const app = express();
      app.use(requestContext(api.logs.logger), express.json());
      app.use((req, _res, next) => {
        req.principal = principal;
        next();
      });
      app.use(
        createOperationsRouter({
          operations: createOperationsService({
            gateway: createOperationsGateway(api.aws),
            store: api.store,
            start: createWorkflowStarter({ store: api.store, runner: api.runner }),
            teamTagKey: 'team',
            masterGrants: createMasterGrants({ store: api.store, aws: api.aws }),
          }),
        }),
      );
      app.use(errorMiddleware(api.logs.logger));
      const path = `${secretPath(WITH_PREVIOUS)}`; // tagged team = payments

      await request(app).post(`${path}/operation-previews`).send({ operation: 'roll-back' }).expect(previewStatus);
      const denied: Record<string, string> = {};
      for (const operation of ['rotate-now', 'turn-off', 'roll-back', 'clear-stuck'] as const) {
        const res = await request(app).post(`${path}/operations`).set('Idempotency-Key', randomUUID()).send({ operation }).expect(startStatus);
        denied[operation] = res.body.error.message;
      }

      const refusal = (action: string) =>
        startStatus === 404 ? `Secret "${WITH_PREVIOUS}" was not found.` : `You are not allowed to ${action} on ${WITH_PREVIOUS}: your role may only read.`;
      expect(denied).toEqual({
        'rotate-now': refusal('secrets:rotate'),
        'turn-off': refusal('secrets:turn-off'),
        'roll-back': refusal('secrets:roll-back'),
        'clear-stuck': refusal('secrets:clear-stuck'),
      });
      const stored = await api.store.list({ subject: (await describeSecret(WITH_PREVIOUS)).ARN! });
      expect(stored.items.every((w) => w.createdBy.id !== principal.id)).toBe(true);
    });

    it('When the secret does not exist or the operation is unknown, then 404 and 400', async () => {
      await previewRequest('prod/none/such-db', 'roll-back').expect(404);
      await start('prod/none/such-db', 'roll-back').expect(404);
      const bad = await previewRequest(WITH_PREVIOUS, 'delete-everything').expect(400);
      expect(bad.body.error.message).toMatch(/operation/);
      await start(WITH_PREVIOUS, 'roll-back', 'short').expect(400);
    });
  });
});
