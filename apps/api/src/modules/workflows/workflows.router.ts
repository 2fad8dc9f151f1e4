import { RotationRequest, WorkflowIdParams } from '@rotation-console/contracts';
import { Router } from 'express';
import { z } from 'zod';
import { isAllowed, mayReadFunctionLogs } from '../../platform/auth.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { parseInput } from '../../platform/validation.ts';
import type { WorkflowRecord } from '../../platform/workflow/records.ts';
import type { WorkflowRunner } from '../../platform/workflow/runner.ts';
import type { WorkflowStore } from '../../platform/workflow/workflow-store.ts';
import type { PlanService } from '../rotation/plan.service.ts';
import { authorizeRotationRequest, type SecretRefReader } from '../rotation/secret-ref.ts';
import { toWorkflowView } from './workflow-view.ts';
import { origin } from '../../platform/audit-trail.ts';

const IdempotencyKey = z
  .string()
  .trim()
  .min(8, 'Idempotency-Key must be 8 to 128 characters')
  .max(128, 'Idempotency-Key must be 8 to 128 characters')
  .regex(/^[A-Za-z0-9_.:-]+$/, 'Idempotency-Key may contain letters, digits and _ . : - only')
  .optional();

export const ENABLE_ROTATION = 'enable-rotation';

interface Deps {
  plans: PlanService;
  store: WorkflowStore;
  runner: WorkflowRunner;
  secretRef: SecretRefReader;
}

/** The team a workflow's secret belongs to now; a secret deleted since counts as untagged (viewers and admins read its history). */
const workflowTeam = async (secretRef: SecretRefReader, workflow: WorkflowRecord): Promise<string | null> => {
  try {
    return (await secretRef(workflow.subject)).team;
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
};

export const createWorkflowsRouter = ({ plans, store, runner, secretRef }: Deps) => {
  const router = Router();

  router.post('/api/v1/workflows', async (req, res) => {
    const request = parseInput(RotationRequest, req.body, 'rotation request');
    const idempotencyKey = parseInput(IdempotencyKey, req.get('idempotency-key'), 'Idempotency-Key header');
    // Before any planning: a secret the caller may not see must look missing, whatever else is wrong with the request.
    await authorizeRotationRequest(req.principal, 'workflows:start', request, secretRef);
    const { plan, built, before } = await plans.plan(request);

    const { workflow, created } = await store.create({
      kind: ENABLE_ROTATION,
      subject: plan.secretArn,
      input: { request, plan },
      plan: { steps: built.steps.map((s) => ({ id: s.id, kind: s.kind, title: s.title, dependsOn: s.dependsOn, input: s.input })) },
      createdBy: req.principal,
      idempotencyKey: idempotencyKey ?? null,
      // One rotation change at a time per secret; a retry with the same key is not a second one.
      exclusive: (other) => `A rotation workflow for ${plan.secretName} is already running (${other.id}); wait for it to finish.`,
      audit: { action: 'rotation.enable', ...origin(req), before },
    });
    if (created) runner.start(workflow.id);
    res
      .status(202)
      .location(`/api/v1/workflows/${workflow.id}`)
      .json({ id: workflow.id, status: workflow.status, location: `/api/v1/workflows/${workflow.id}` });
  });

  router.get('/api/v1/workflows/:workflowId', async (req, res) => {
    const { workflowId } = parseInput(WorkflowIdParams, req.params, 'workflow id');
    const workflow = await store.get(workflowId);
    const missing = new NotFoundError({ message: `Workflow "${workflowId}" was not found.` });
    if (!workflow) throw missing;
    // Visible only to who may read its secret (its team now, from the tag); to others it does not exist.
    const secret = { name: workflow.subject, team: await workflowTeam(secretRef, workflow) };
    if (!isAllowed(req.principal, 'workflows:read', { type: 'secret', ...secret })) throw missing;
    res.json(toWorkflowView(workflow, { mayReadLogs: mayReadFunctionLogs(req.principal, secret) }));
  });

  return router;
};
