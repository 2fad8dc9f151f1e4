import { randomUUID } from 'node:crypto';
import {
  isAllowed,
  type Batch,
  type BatchAccepted,
  type BatchItem,
  type BatchItemTotals,
  type BatchListQuery,
  type BatchPage,
  type BatchPreview,
  type BatchRequest,
  type BatchSummary,
  type Principal,
} from '@rotation-console/contracts';
import type { Request } from 'express';
import { origin } from '../../platform/audit-trail.ts';
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import type { WorkflowRunner } from '../../platform/workflow/runner.ts';
import type { WorkflowStore } from '../../platform/workflow/workflow-store.ts';
import type { BatchDispatcher } from './batch-dispatcher.ts';
import { BATCH_SHARED_STEPS } from './batch-kinds.ts';
import type { BatchPlanner } from './batch-planner.ts';
import type { BatchItemRecord, BatchRecord, BatchStore, WorkflowProgress } from './batch-store.ts';

interface Deps {
  planner: BatchPlanner;
  batches: BatchStore;
  store: WorkflowStore;
  runner: Pick<WorkflowRunner, 'start'>;
  dispatcher: BatchDispatcher;
}

/** Who may see a batch: who started it, viewers and admins, and operators of a team one of its secrets belongs to. */
const mayRead = (principal: Principal, batch: BatchRecord, items: readonly BatchItemRecord[]) =>
  batch.createdBy.id === principal.id ||
  (isAllowed(principal, 'workflows:read', { type: 'secrets' }) &&
    (principal.roles.includes('admin') || principal.roles.includes('viewer') || items.some((i) => i.team !== null && principal.teams.includes(i.team))));

/** What the item shows: its workflow's status and progress, and its result in a sentence. */
const itemView = (item: BatchItemRecord, progress: WorkflowProgress | undefined): BatchItem => {
  const base = {
    secretArn: item.secretArn,
    secretName: item.secretName,
    team: item.team,
    workflowId: item.workflowId,
    refusal: item.refusal,
    schedule: item.schedule,
    startOffsetSeconds: item.startOffsetMs === null ? null : item.startOffsetMs / 1000,
  };
  if (item.refusal)
    return { ...base, status: 'refused', stepsDone: 0, stepsTotal: 0, currentStep: null, result: item.refusal.message, startedAt: null, finishedAt: null };
  // Only an item not started reads its planned steps (its spec); a started one counts its workflow's.
  const planned = () => item.spec?.steps.length ?? 0;
  if (item.error)
    return { ...base, status: 'cancelled', stepsDone: 0, stepsTotal: planned(), currentStep: null, result: item.error, startedAt: null, finishedAt: null };
  if (!progress) return { ...base, status: 'pending', stepsDone: 0, stepsTotal: planned(), currentStep: null, result: null, startedAt: null, finishedAt: null };
  const stepsDone = progress.steps.filter((s) => s.status === 'succeeded' || s.status === 'skipped').length;
  const current = progress.steps.find((s) => s.status === 'running') ?? progress.steps.find((s) => s.status === 'failed') ?? null;
  const lastMessage = [...progress.steps].reverse().find((s) => typeof s.output?.message === 'string')?.output?.message as string | undefined;
  const result =
    progress.status === 'succeeded'
      ? item.schedule
        ? `Rotation on: ${item.schedule.description}.${lastMessage ? ` ${lastMessage}` : ''}`
        : (lastMessage ?? 'Done.')
      : progress.status === 'failed' || progress.status === 'cancelled'
        ? progress.error
        : null;
  return {
    ...base,
    status: progress.status,
    stepsDone,
    stepsTotal: progress.steps.length,
    currentStep: current?.title ?? null,
    result,
    startedAt: progress.startedAt,
    finishedAt: progress.finishedAt,
  };
};

const totalsOf = (items: readonly BatchItem[]): BatchItemTotals => {
  const totals: BatchItemTotals = { total: items.length, pending: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0, refused: 0 };
  for (const item of items) totals[item.status] += 1;
  return totals;
};

export const createBatchesService = ({ planner, batches, store, runner, dispatcher }: Deps) => {
  const view = async (batch: BatchRecord, items: BatchItemRecord[]): Promise<Batch> => {
    const ids = items.map((i) => i.workflowId).filter((id): id is string => id !== null);
    if (batch.sharedWorkflowId) ids.push(batch.sharedWorkflowId);
    const progress = await batches.workflowProgress(ids);
    const views = items.map((item) => itemView(item, item.workflowId ? progress.get(item.workflowId) : undefined));
    const shared = batch.sharedWorkflowId ? progress.get(batch.sharedWorkflowId) : undefined;
    return {
      id: batch.id,
      action: batch.action as Batch['action'],
      summary: batch.summary,
      status: batch.status,
      createdBy: { id: batch.createdBy.id, name: batch.createdBy.name },
      createdAt: batch.createdAt,
      finishedAt: batch.finishedAt,
      totals: totalsOf(views),
      sharedWorkflowId: batch.sharedWorkflowId,
      sharedStatus: shared?.status ?? null,
      staggering: batch.staggering,
      pacing: batch.pacing,
      items: views,
    };
  };

  return {
    preview: async (principal: Principal, request: BatchRequest): Promise<BatchPreview> => (await planner.plan(principal, request, 'rotation:plan')).preview,

    /** Plans again (the secrets may have changed since the preview), stores the batch, starts the shared workflow or the items. */
    async start(req: Request, request: BatchRequest): Promise<BatchAccepted> {
      const principal = req.principal;
      const { preview, items, shared } = await planner.plan(principal, request, 'workflows:start');
      const refused = items.filter((i) => i.refusal);
      if (preview.totals.included === 0) {
        // Only secrets the caller cannot see: answered as a missing secret is, so it tells nothing of them.
        if (refused.every((i) => i.refusal!.reason === 'not-found')) {
          throw new NotFoundError({ message: `No secret of the selection was found: ${refused.map((i) => i.secretName).join(', ')}.` });
        }
        throw new ConflictError({
          message: `No secret of the selection can be part of the batch: ${refused.map((i) => `${i.secretName} (${i.refusal!.message})`).join('; ')}`,
          details: refused.map((i) => ({ path: i.secretName, message: i.refusal!.message })),
        });
      }
      if (request.allOrNothing && refused.length > 0) {
        throw new ConflictError({
          message: `${refused.length} of the selected secrets cannot be part of the batch, so nothing was started: ${refused.map((i) => `${i.secretName} (${i.refusal!.message})`).join('; ')}`,
          details: refused.map((i) => ({ path: i.secretName, message: i.refusal!.message })),
        });
      }
      const id = randomUUID();
      const at = new Date().toISOString();
      const from = origin(req);
      let sharedWorkflowId: string | null = null;
      if (shared) {
        const { workflow } = await store.create({
          kind: BATCH_SHARED_STEPS,
          subject: shared.subject,
          input: { ...(shared.input as object), batchId: id },
          plan: { steps: shared.steps },
          createdBy: principal,
          idempotencyKey: `batch:${id}:shared`,
          audit: { action: 'batch.shared-steps', ...from },
        });
        sharedWorkflowId = workflow.id;
      }
      // Each item's audit record is written with its workflow, in the caller's name, from where the batch was asked.
      const stored = items.map((i) => (i.spec ? { ...i, spec: { ...i.spec, audit: { ...i.spec.audit, ...from } } } : i));
      await batches.create(
        {
          id,
          action: request.action.action,
          summary: preview.summary,
          input: request,
          createdBy: principal,
          createdAt: at,
          status: 'running',
          sharedWorkflowId,
          staggering: preview.staggering,
          pacing: preview.pacing,
        },
        stored,
      );
      await store.appendAudit({
        actor: { id: principal.id, name: principal.name },
        action: `batch.${request.action.action}`,
        subject: `batch:${id}`,
        ...from,
        after: { summary: preview.summary, totals: preview.totals, refused: refused.map((i) => ({ secret: i.secretName, reason: i.refusal!.reason })) },
        outcome: 'accepted',
      });
      if (sharedWorkflowId) runner.start(sharedWorkflowId);
      void dispatcher.dispatch(id);
      return { id, status: 'running', location: `/api/v1/batches/${id}`, totals: preview.totals };
    },

    async get(principal: Principal, id: string): Promise<Batch> {
      const batch = await batches.get(id);
      const missing = new NotFoundError({ message: `Batch "${id}" was not found.` });
      if (!batch) throw missing;
      const items = await batches.items(id);
      if (!mayRead(principal, batch, items)) throw missing;
      const out = await view(batch, items);
      // Operators see their own teams' secrets of a batch someone else started; the totals are of what they see.
      if (batch.createdBy.id === principal.id || principal.roles.includes('admin') || principal.roles.includes('viewer')) return out;
      const visible = out.items.filter((i) => i.team !== null && principal.teams.includes(i.team));
      return { ...out, items: visible, totals: totalsOf(visible) };
    },

    async list(principal: Principal, query: BatchListQuery): Promise<BatchPage> {
      // Few batches: read them all and keep what the caller may see, newest first.
      const all = await batches.all();
      const readable: BatchRecord[] = [];
      for (const batch of all) if (mayRead(principal, batch, await batches.items(batch.id))) readable.push(batch);
      const summaries = await Promise.all(
        readable.slice(query.offset, query.offset + query.limit).map(async (batch): Promise<BatchSummary> => {
          const { id, action, summary, status, createdBy, createdAt, finishedAt, totals } = await view(batch, await batches.items(batch.id));
          return { id, action, summary, status, createdBy, createdAt, finishedAt, totals };
        }),
      );
      return { items: summaries, total: readable.length, offset: query.offset, limit: query.limit };
    },
  };
};
export type BatchesService = ReturnType<typeof createBatchesService>;
