import type { FreezeOverride } from '@rotation-console/contracts';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { FreezeGate } from '../freeze/freeze-gate.ts';
import { origin } from '../../platform/audit-trail.ts';
import { parseInput } from '../../platform/validation.ts';
import type { WorkflowRunner } from '../../platform/workflow/runner.ts';
import type { NewWorkflow, WorkflowStore } from '../../platform/workflow/workflow-store.ts';

/** The Idempotency-Key header of every request that starts a workflow. */
const IdempotencyKey = z
  .string()
  .trim()
  .min(8, 'Idempotency-Key must be 8 to 128 characters')
  .max(128, 'Idempotency-Key must be 8 to 128 characters')
  .regex(/^[A-Za-z0-9_.:-]+$/, 'Idempotency-Key may contain letters, digits and _ . : - only')
  .optional();

export const idempotencyKeyOf = (req: Request): string | null => parseInput(IdempotencyKey, req.get('idempotency-key'), 'Idempotency-Key header') ?? null;

/**
 * The one way a request starts a workflow (enabling rotation and the four operations): stored
 * with its plan, the caller and the audit record in one transaction, then handed to the runner.
 * A retry with the same Idempotency-Key gives back the same workflow and starts nothing.
 * A workflow that would rotate a secret inside its team's open freeze window is refused here
 * (freeze-gate.ts), before anything is stored; an admin's override goes into the workflow's input,
 * so its audit record keeps the reason.
 */
export const createWorkflowStarter =
  ({ store, runner, freeze }: { store: WorkflowStore; runner: WorkflowRunner; freeze?: FreezeGate | undefined }) =>
  async (
    req: Request,
    {
      overrideFreeze,
      ...spec
    }: Omit<NewWorkflow, 'createdBy' | 'idempotencyKey' | 'audit'> & {
      audit: { action: string; before?: unknown };
      idempotencyKey: string | null;
      /** The request's `overrideFreeze` (admins only), when it has one. */
      overrideFreeze?: FreezeOverride | undefined;
    },
  ) => {
    const freezeOverride = freeze ? await freeze(req.principal, { ...spec, overrideFreeze }) : null;
    const input = freezeOverride ? { ...(spec.input as Record<string, unknown>), freezeOverride } : spec.input;
    const { workflow, created } = await store.create({ ...spec, input, createdBy: req.principal, audit: { ...spec.audit, ...origin(req) } });
    if (created) runner.start(workflow.id);
    return workflow;
  };
export type WorkflowStarter = ReturnType<typeof createWorkflowStarter>;

/** 202 with where to follow the workflow. */
export const accepted = (res: Response, workflow: { id: string; status: string }) => {
  const location = `/api/v1/workflows/${workflow.id}`;
  res.status(202).location(location).json({ id: workflow.id, status: workflow.status, location });
};
