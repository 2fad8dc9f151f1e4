import { RotationRequest, WorkflowIdParams } from '@rotation-console/contracts';
import { EVENTS_SETUP } from '../events/events-setup.ts';
import { Router } from 'express';
import { isAllowed } from '../../platform/auth.ts';
import type { FunctionLogAccess } from '../dashboard/dashboard.router.ts';
import { InputError, NotFoundError } from '../../platform/errors.ts';
import { UPDATE_FUNCTION } from '../functions/functions.service.ts';
import { parseInput } from '../../platform/validation.ts';
import type { WorkflowRecord } from '../../platform/workflow/records.ts';
import type { WorkflowStore } from '../../platform/workflow/workflow-store.ts';
import type { PlanService } from '../rotation/plan.service.ts';
import type { SecretRefReader } from '../rotation/secret-ref.ts';
import { accepted, idempotencyKeyOf, type WorkflowStarter } from './start-workflow.ts';
import { toWorkflowView } from './workflow-view.ts';

export const ENABLE_ROTATION = 'enable-rotation';

/** A Lambda function's name and owners now (null when it is gone): a function update's workflow is its owners'. */
export type FunctionOwnersReader = (functionArn: string) => Promise<{ name: string; owners: string[]; owner: string } | null>;

interface Deps {
  plans: PlanService;
  store: WorkflowStore;
  start: WorkflowStarter;
  secretRef: SecretRefReader;
  functionLogAccess: FunctionLogAccess;
  functionOwners: FunctionOwnersReader;
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

export const createWorkflowsRouter = ({ plans, store, start, secretRef, functionLogAccess, functionOwners }: Deps) => {
  const router = Router();

  router.post('/api/v1/workflows', async (req, res) => {
    const request = parseInput(RotationRequest, req.body, 'rotation request');
    const idempotencyKey = idempotencyKeyOf(req);
    // The plan authorizes first: a secret the caller may not see looks missing, whatever else is wrong.
    const { plan, built, before } = await plans.plan(req.principal, request, 'workflows:start');
    const workflow = await start(req, {
      kind: ENABLE_ROTATION,
      subject: plan.secretArn,
      input: { request, plan },
      plan: { steps: built.steps.map((s) => ({ id: s.id, kind: s.kind, title: s.title, dependsOn: s.dependsOn, input: s.input })) },
      idempotencyKey,
      // One rotation change at a time per secret; a retry with the same key is not a second one.
      exclusive: (other) => `A rotation workflow for ${plan.secretName} is already running (${other.id}); wait for it to finish.`,
      audit: { action: 'rotation.enable', before },
      overrideFreeze: request.overrideFreeze,
    });
    accepted(res, workflow);
  });

  router.get('/api/v1/workflows/:workflowId', async (req, res) => {
    const { workflowId } = parseInput(WorkflowIdParams, req.params, 'workflow id');
    const workflow = await store.get(workflowId);
    const missing = new NotFoundError({ message: `Workflow "${workflowId}" was not found.` });
    if (!workflow) throw missing;
    if (workflow.kind === UPDATE_FUNCTION) {
      // Visible only to who may see the function (its owners now); a function gone since is read by viewers and admins.
      const fn = await functionOwners(workflow.subject).catch((error: unknown) => (error instanceof InputError ? null : Promise.reject(error)));
      if (!isAllowed(req.principal, 'workflows:read', { type: 'function', name: fn?.name ?? workflow.subject, owners: fn?.owners ?? [] })) throw missing;
      // No rotation is watched: there is no function log to show.
      res.json(toWorkflowView(workflow, { mayReadLogs: false }));
      return;
    }
    if (workflow.kind === EVENTS_SETUP) {
      // The events setup acts on the console's own account, not a secret: who may read the events' status.
      if (!isAllowed(req.principal, 'events:read', { type: 'service' })) throw missing;
      res.json(toWorkflowView(workflow, { mayReadLogs: false }));
      return;
    }
    // Visible only to who may read its secret (its team now, from the tag); to others it does not exist.
    const secret = { name: workflow.subject, team: await workflowTeam(secretRef, workflow) };
    if (!isAllowed(req.principal, 'workflows:read', { type: 'secret', ...secret })) throw missing;
    // The function whose log the watch read: the one the rotation ran (its step's output).
    const functionArn = workflow.steps.map((s) => s.output?.functionArn).find((arn): arn is string => typeof arn === 'string') ?? null;
    res.json(toWorkflowView(workflow, { mayReadLogs: await functionLogAccess(req.principal, secret, functionArn) }));
  });

  return router;
};
