import { OPERATION_ACTIONS, type Operation, type OperationPreview, type Principal } from '@rotation-console/contracts';
import type { Request } from 'express';
import { authorizeSecret } from '../../platform/auth.ts';
import { ConflictError, InputError } from '../../platform/errors.ts';
import { teamOf } from '../../platform/team-tag.ts';
import type { WorkflowRecord } from '../../platform/workflow/records.ts';
import type { WorkflowStore } from '../../platform/workflow/workflow-store.ts';
import type { WorkflowStarter } from '../workflows/start-workflow.ts';
import type { MasterGrants } from './master-grants.aws.ts';
import type { OperationsGateway } from './operations.aws.ts';
import { beforeOf, draftOperation } from '@rotation-console/rotation';

interface Deps {
  gateway: OperationsGateway;
  store: WorkflowStore;
  start: WorkflowStarter;
  /** The tag whose value names the team that owns a secret. */
  teamTagKey: string;
  masterGrants: MasterGrants;
}

/** The workflow a key started on this secret, if any (a secret has few workflows; this pages through them). */
const findByKey = async (store: WorkflowStore, subject: string, key: string): Promise<WorkflowRecord | null> => {
  let cursor: string | null = null;
  do {
    const page = await store.list({ subject, limit: 200, cursor });
    const found = page.items.find((w) => w.idempotencyKey === key);
    if (found) return found;
    cursor = page.nextCursor;
  } while (cursor);
  return null;
};

/** The four operations on a secret: a preview that changes nothing, and the workflow that carries one out. */
export const createOperationsService = ({ gateway, store, start, teamTagKey, masterGrants }: Deps) => {
  /** Reads the secret fresh, authorizes `action` on it (its team from the tag), and works out the operation. */
  const draft = async (principal: Principal, secretId: string, operation: Operation, action: Parameters<typeof authorizeSecret>[1]) => {
    const state = await gateway.readSecret(secretId);
    authorizeSecret(principal, action, secretId, { name: state.name, team: teamOf(state.tags, teamTagKey) });
    // Turning rotation off also takes back the master grant the console made for it, if nothing else needs it.
    const masterGrant = operation === 'turn-off' && state.rotation.enabled ? await masterGrants.planForTurnOff(state.arn) : null;
    return { state, draft: draftOperation(operation, state, { masterGrant }) };
  };

  return {
    /**
     * The operation drafted for `principal` as a start would (its permission on the secret, the secret
     * read fresh), without starting anything: a batch builds each secret's workflow from it.
     */
    draftFor: (principal: Principal, secretId: string, operation: Operation) => draft(principal, secretId, operation, OPERATION_ACTIONS[operation]),

    async preview(principal: Principal, secretId: string, operation: Operation): Promise<OperationPreview> {
      return (await draft(principal, secretId, operation, 'secrets:read')).draft.preview;
    },

    /** Starts the operation's workflow (or gives back the one this Idempotency-Key started). */
    async start(req: Request, secretId: string, operation: Operation, idempotencyKey: string | null): Promise<{ id: string; status: string }> {
      const { state, draft: drafted } = await draft(req.principal, secretId, operation, OPERATION_ACTIONS[operation]);
      // A retry with the same key is the same request: its workflow, whatever the secret looks like now
      // (after a roll back, say, rolling back again would be allowed, and would undo it).
      if (idempotencyKey) {
        const earlier = await findByKey(store, state.arn, idempotencyKey);
        if (earlier) {
          if (earlier.kind !== operation || earlier.createdBy.id !== req.principal.id) {
            throw new ConflictError({ message: 'This Idempotency-Key was already used for a different request.' });
          }
          return earlier;
        }
      }
      // Checked again now: the secret may have changed since the preview.
      if (!drafted.preview.allowed) {
        const message = drafted.preview.reason ?? `${operation} is not possible on ${state.name} now.`;
        throw drafted.refusal === 'input' ? new InputError({ message }) : new ConflictError({ message });
      }
      return start(req, {
        kind: operation,
        subject: state.arn,
        input: { operation, preview: drafted.preview },
        plan: { steps: drafted.steps },
        idempotencyKey,
        // One change at a time per secret, as for enabling rotation.
        exclusive: (other) => `A workflow for ${state.name} is already running (${other.kind}, ${other.id}); wait for it to finish.`,
        audit: { action: `secret.${operation}`, before: beforeOf(state) },
      });
    },
  };
};
export type OperationsService = ReturnType<typeof createOperationsService>;
