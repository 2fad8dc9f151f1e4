import type { Request, Response } from 'express';
import { z } from 'zod';
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
 */
export const createWorkflowStarter =
  ({ store, runner }: { store: WorkflowStore; runner: WorkflowRunner }) =>
  async (
    req: Request,
    spec: Omit<NewWorkflow, 'createdBy' | 'idempotencyKey' | 'audit'> & { audit: { action: string; before?: unknown }; idempotencyKey: string | null },
  ) => {
    const { workflow, created } = await store.create({ ...spec, createdBy: req.principal, audit: { ...spec.audit, ...origin(req) } });
    if (created) runner.start(workflow.id);
    return workflow;
  };
export type WorkflowStarter = ReturnType<typeof createWorkflowStarter>;

/** 202 with where to follow the workflow. */
export const accepted = (res: Response, workflow: { id: string; status: string }) => {
  const location = `/api/v1/workflows/${workflow.id}`;
  res.status(202).location(location).json({ id: workflow.id, status: workflow.status, location });
};
