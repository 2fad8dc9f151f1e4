import { OPERATION_ACTIONS, RotationRequest, type Action } from '@rotation-console/contracts';
import { isAllowed, whyNot, type SecretRef } from '../../platform/auth.ts';
import { ConflictError, NotAllowedError, NotFoundError } from '../../platform/errors.ts';
import { teamActor } from '../../platform/team-role.ts';
import type { Teams } from '../../platform/teams-config.ts';
import type { Admission } from '../../platform/workflow/runner.ts';
import type { WorkflowRecord } from '../../platform/workflow/records.ts';
import type { PlanService } from '../rotation/plan.service.ts';
import type { SecretRefReader } from '../rotation/secret-ref.ts';
import { BATCH_SHARED_STEPS } from '../batches/batch-kinds.ts';
import { actingTeam, UPDATE_FUNCTION } from '../functions/functions.service.ts';
import { ENABLE_ROTATION, type FunctionOwnersReader } from './workflows.router.ts';
import { EVENTS_SETUP } from '../events/events-setup.ts';

// A batch's shared steps (its one function) are a rotation plan's steps: the same recheck of every resource.
const kindIsRotation = (kind: string) => kind === ENABLE_ROTATION || kind === BATCH_SHARED_STEPS;

/** The permission a workflow of `kind` needs on its secret (its admission's check, and a batch Start's on a kept plan). */
export const actionOf = (kind: string): Action =>
  kind === ENABLE_ROTATION ? 'workflows:start' : ((OPERATION_ACTIONS as Record<string, Action | undefined>)[kind] ?? 'workflows:start');

/**
 * A workflow runs with the permissions of the person who started it, checked again each time
 * it starts or resumes (in this process or another): the policy for the stored principal,
 * against the team the secret's tag names now; its AWS calls under that team's role, in the
 * person's name.
 */
export const createWorkflowAdmission =
  ({
    secretRef,
    teams,
    plans,
    functionOwners,
    withinBatchAdmission,
  }: {
    secretRef: SecretRefReader;
    teams: Teams;
    plans: Pick<PlanService, 'recheck'>;
    /** A function's owners now (the Functions page's service), for an update of the console's function. */
    functionOwners: FunctionOwnersReader;
    /** The admissions of one batch's items share their read of the function for a few seconds (batch-plan-memo.ts). */
    withinBatchAdmission?: <T>(batchId: string, fn: () => Promise<T>) => Promise<T>;
  }) =>
  async (workflow: WorkflowRecord): Promise<Admission> => {
    const principal = workflow.createdBy;
    if (workflow.kind === EVENTS_SETUP) {
      // The events' rule and queue are the console's own account's: admins only, as the console itself.
      if (!isAllowed(principal, 'events:setup', { type: 'service' })) return { allowed: false, reason: `${principal.name} may not events:setup` };
      return { allowed: true, actor: null };
    }
    if (workflow.kind === UPDATE_FUNCTION) {
      // The function's owners now: a function that changed hands since is refused, as a secret is.
      const fn = await functionOwners(workflow.subject);
      if (!fn) return { allowed: false, reason: `the function ${workflow.subject} no longer exists` };
      if (!isAllowed(principal, 'functions:update', { type: 'function', name: fn.name, owners: fn.owners })) {
        return { allowed: false, reason: `${principal.name} may not functions:update on ${fn.name}: it belongs to ${fn.owner}` };
      }
      return { allowed: true, actor: teamActor(teams, principal, actingTeam(principal, fn.owners)) };
    }
    const action = actionOf(workflow.kind);
    let secret: SecretRef & { arn: string };
    try {
      secret = await secretRef(workflow.subject);
    } catch (error) {
      // Deleted since: nobody may act on it any more. Anything else (throttling, a timeout) is tried again later.
      if (error instanceof NotFoundError) return { allowed: false, reason: `the secret ${workflow.subject} no longer exists` };
      throw error;
    }
    if (!isAllowed(principal, action, { type: 'secret', ...secret })) {
      return { allowed: false, reason: `${principal.name} may not ${action} on ${secret.name}: ${whyNot(principal, secret)}` };
    }
    // The resources too: a function, role or network that changed hands since the plan is refused now.
    const request = kindIsRotation(workflow.kind) ? RotationRequest.safeParse((workflow.input as { request?: unknown } | null)?.request) : null;
    if (request?.success) {
      try {
        // The secret just read is the request's: its owner now, read once per admission.
        const sameSecret = [workflow.subject, secret.arn, secret.name].includes(request.data.secretId);
        const recheck = () => plans.recheck(principal, request.data, sameSecret ? secret : undefined);
        // A batch's item (not its shared steps, which may create the function): the function's owner as another item read it seconds ago.
        const batchId = (workflow.input as { batchId?: unknown } | null)?.batchId;
        await (withinBatchAdmission && typeof batchId === 'string' && workflow.kind !== BATCH_SHARED_STEPS
          ? withinBatchAdmission(batchId, recheck)
          : recheck());
      } catch (error) {
        if (error instanceof NotAllowedError || error instanceof ConflictError) return { allowed: false, reason: error.message };
        throw error;
      }
    }
    return { allowed: true, actor: teamActor(teams, principal, secret.team) };
  };
