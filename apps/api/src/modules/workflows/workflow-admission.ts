import { OPERATION_ACTIONS, type Action } from '@rotation-console/contracts';
import { isAllowed, whyNot, type SecretRef } from '../../platform/auth.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { teamActor } from '../../platform/team-role.ts';
import type { Teams } from '../../platform/teams-config.ts';
import type { Admission } from '../../platform/workflow/runner.ts';
import type { WorkflowRecord } from '../../platform/workflow/records.ts';
import type { SecretRefReader } from '../rotation/secret-ref.ts';
import { ENABLE_ROTATION } from './workflows.router.ts';

/** The permission a workflow of `kind` needs on its secret. */
const actionOf = (kind: string): Action =>
  kind === ENABLE_ROTATION ? 'workflows:start' : (OPERATION_ACTIONS as Record<string, Action | undefined>)[kind] ?? 'workflows:start';

/**
 * A workflow runs with the permissions of the person who started it, checked again each time
 * it starts or resumes (in this process or another): the policy for the stored principal,
 * against the team the secret's tag names now; its AWS calls under that team's role, in the
 * person's name.
 */
export const createWorkflowAdmission =
  ({ secretRef, teams }: { secretRef: SecretRefReader; teams: Teams }) =>
  async (workflow: WorkflowRecord): Promise<Admission> => {
    const principal = workflow.createdBy;
    const action = actionOf(workflow.kind);
    let secret: SecretRef;
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
    return { allowed: true, actor: teamActor(teams, principal, secret.team) };
  };
