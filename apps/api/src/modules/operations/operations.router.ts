import { OPERATION_ACTIONS, OperationRequest, SecretIdParams } from '@rotation-console/contracts';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { authorizeSecret } from '../../platform/auth.ts';
import { ConflictError, InputError } from '../../platform/errors.ts';
import { parseInput } from '../../platform/validation.ts';
import type { WorkflowRecord } from '../../platform/workflow/records.ts';
import type { WorkflowRunner } from '../../platform/workflow/runner.ts';
import type { WorkflowStore } from '../../platform/workflow/workflow-store.ts';
import type { OperationsService } from './operations.service.ts';
import { beforeOf } from './preview.ts';
import { origin } from '../../platform/audit-trail.ts';

/** The same rules as POST /api/v1/workflows. */
const IdempotencyKey = z
  .string()
  .trim()
  .min(8, 'Idempotency-Key must be 8 to 128 characters')
  .max(128, 'Idempotency-Key must be 8 to 128 characters')
  .regex(/^[A-Za-z0-9_.:-]+$/, 'Idempotency-Key may contain letters, digits and _ . : - only')
  .optional();

interface Deps {
  operations: OperationsService;
  store: WorkflowStore;
  runner: WorkflowRunner;
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

const accepted = (res: Response, workflow: { id: string; status: string }) => {
  const location = `/api/v1/workflows/${workflow.id}`;
  res.status(202).location(location).json({ id: workflow.id, status: workflow.status, location });
};

export const createOperationsRouter = ({ operations, store, runner }: Deps) => {
  const router = Router();

  router.post('/api/v1/secrets/:secretId/operation-previews', async (req, res) => {
    const { secretId } = parseInput(SecretIdParams, req.params, 'secret id');
    const { operation } = parseInput(OperationRequest, req.body, 'operation request');
    const { state, team, draft } = await operations.draft(secretId, operation);
    authorizeSecret(req.principal, 'secrets:read', secretId, { name: state.name, team });
    res.json(draft.preview);
  });

  router.post('/api/v1/secrets/:secretId/operations', async (req, res) => {
    const { secretId } = parseInput(SecretIdParams, req.params, 'secret id');
    const { operation } = parseInput(OperationRequest, req.body, 'operation request');
    const idempotencyKey = parseInput(IdempotencyKey, req.get('idempotency-key'), 'Idempotency-Key header');
    const { state, team, draft } = await operations.draft(secretId, operation);
    authorizeSecret(req.principal, OPERATION_ACTIONS[operation], secretId, { name: state.name, team });

    // A retry with the same key is the same request: its workflow, whatever the secret looks like now
    // (after a roll back, say, rolling back again would be allowed, and would undo it).
    if (idempotencyKey) {
      const earlier = await findByKey(store, state.arn, idempotencyKey);
      if (earlier) {
        if (earlier.kind !== operation || earlier.createdBy.id !== req.principal.id) {
          throw new ConflictError({ message: 'This Idempotency-Key was already used for a different request.' });
        }
        accepted(res, earlier);
        return;
      }
    }

    // Checked again now: the secret may have changed since the preview.
    if (!draft.preview.allowed) {
      const message = draft.preview.reason ?? `${operation} is not possible on ${state.name} now.`;
      throw draft.refusal === 'input' ? new InputError({ message }) : new ConflictError({ message });
    }
    const { workflow, created } = await store.create({
      kind: operation,
      subject: state.arn,
      input: { operation, preview: draft.preview },
      plan: { steps: draft.steps },
      createdBy: req.principal,
      idempotencyKey: idempotencyKey ?? null,
      // One change at a time per secret, as for enabling rotation.
      exclusive: (other) => `A workflow for ${state.name} is already running (${other.kind}, ${other.id}); wait for it to finish.`,
      audit: { action: `secret.${operation}`, ...origin(req), before: beforeOf(state) },
    });
    if (created) runner.start(workflow.id);
    accepted(res, workflow);
  });

  return router;
};
