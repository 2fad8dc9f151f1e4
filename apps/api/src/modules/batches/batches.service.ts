import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  inTeamScope,
  isAllowed,
  teamScope,
  type Batch,
  type BatchAccepted,
  type BatchItem,
  type BatchItemTotals,
  type BatchListQuery,
  type BatchPage,
  type BatchPreview,
  type BatchRefusal,
  type BatchRequest,
  type BatchStartRequest,
  type BatchStatus,
  type BatchSummary,
  type BatchTotals,
  type Principal,
  type RotationPlan,
  type RotationRequest,
} from '@rotation-console/contracts';
import type { Request } from 'express';
import { origin } from '../../platform/audit-trail.ts';
import { whyNot } from '../../platform/auth.ts';
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import type { WorkflowRunner } from '../../platform/workflow/runner.ts';
import type { WorkflowStore } from '../../platform/workflow/workflow-store.ts';
import { acknowledgementMissing } from '../rotation/plan.service.ts';
import { actionOf } from '../workflows/workflow-admission.ts';
import type { BatchDispatcher } from './batch-dispatcher.ts';
import { BATCH_SHARED_STEPS } from './batch-kinds.ts';
import { batchSummary, type BatchPlan, type BatchPlanner } from './batch-planner.ts';
import { BATCH_PREVIEW_TTL_MS, type BatchPreviewStore } from './batch-preview-store.ts';
import type { BatchItemRecord, BatchRecord, BatchStore, NewBatchItem, WorkflowProgress } from './batch-store.ts';

interface Deps {
  planner: BatchPlanner;
  batches: BatchStore;
  /** The previews' plans, kept for Start. */
  previews: BatchPreviewStore;
  store: WorkflowStore;
  runner: Pick<WorkflowRunner, 'start'>;
  dispatcher: BatchDispatcher;
  now?: () => Date;
}

/**
 * The request a preview's plan answers, for comparing it with Start's: as parsed (defaults filled
 * in), without the acknowledgement of a shared function's change, which the person gives after
 * reading the plan (the plan is the same with or without it; Start checks it on each item).
 */
const plannedRequest = (request: BatchRequest): unknown =>
  JSON.parse(JSON.stringify(request.action.action === 'enable' ? { ...request, action: { ...request.action, acknowledgeSharedFunction: false } } : request));

/** A 409 about the preview: Start sends the person back to preview again (the web app looks for the `previewId` detail). */
const previewConflict = (message: string) => new ConflictError({ message, details: [{ path: 'previewId', message }] });

const previewGone = (previewId: string) =>
  previewConflict(`The preview ${previewId} was not found: it was used already, or it expired and was removed; preview again.`);

/** An item of a kept plan refused at Start, as the planner would have refused it: no workflow, no schedule, no start. */
const refusedNow = (item: NewBatchItem, refusal: BatchRefusal): NewBatchItem => ({ ...item, refusal, spec: null, schedule: null, startOffsetMs: null });

/** The teams whose secrets of a batch `principal` sees: 'all' for admins and viewers (the policy's read scope). */
const readScope = (principal: Principal) => teamScope(principal, 'workflows:read');

/** Who may see a batch: who started it, viewers and admins, and operators of a team one of its secrets belongs to. */
const mayRead = (principal: Principal, batch: BatchRecord, items: readonly BatchItemRecord[]) =>
  batch.createdBy.id === principal.id || items.some((i) => inTeamScope(readScope(principal), i.team)) || readScope(principal) === 'all';

/** What `principal` sees of a batch it may read: all of it, or (someone else's) its teams' secrets and the totals of those. */
const seenBy = (principal: Principal, out: Batch): Batch => {
  const scope = readScope(principal);
  if (out.createdBy.id === principal.id || scope === 'all') return out;
  const visible = out.items.filter((i) => inTeamScope(scope, i.team));
  return { ...out, items: visible, totals: totalsOf(visible) };
};

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

/** Start's answer: where to follow the batch. */
const accepted = (id: string, status: BatchStatus, totals: BatchTotals): BatchAccepted => ({ id, status, location: `/api/v1/batches/${id}`, totals });

const totalsOf = (items: readonly BatchItem[]): BatchItemTotals => {
  const totals: BatchItemTotals = { total: items.length, pending: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0, refused: 0 };
  for (const item of items) totals[item.status] += 1;
  return totals;
};

export const createBatchesService = ({ planner, batches, previews, store, runner, dispatcher, now = () => new Date() }: Deps) => {
  /**
   * The plan a preview kept, for a Start by `principal` with `request`: the caller's own preview,
   * unexpired, for this same request (else 409, and nothing starts), with what may have changed
   * since checked again without AWS: the policy for the caller now on each included secret (its
   * team as planned), a console workflow started on it since, and the acknowledgement of a shared
   * function's change. No secret is read from AWS here: each item's workflow is admitted before it
   * starts and again before its step (workflow-admission.ts), which reads the secret's owner and
   * every resource's fresh, so nothing changes in AWS on the preview's word about who owns what.
   */
  const keptPlan = async (principal: Principal, previewId: string, request: BatchRequest): Promise<BatchPlan> => {
    const kept = await previews.get(previewId);
    // Someone else's preview is answered as a missing one: it tells nothing of it.
    if (!kept || kept.principal.id !== principal.id) {
      throw previewGone(previewId);
    }
    if (Date.parse(kept.expiresAt) <= now().getTime()) throw previewConflict(`The preview ${previewId} expired at ${kept.expiresAt}; preview again.`);
    if (!isDeepStrictEqual(plannedRequest(kept.request), plannedRequest(request))) {
      throw previewConflict(`The preview ${previewId} was made for a different request; preview again.`);
    }
    const { plan } = kept;
    const action = request.action;
    const active = await batches.activeWorkflows(plan.items.filter((i) => !i.refusal).map((i) => i.secretArn));
    const items = plan.items.map((item): NewBatchItem => {
      if (item.refusal || !item.spec) return item;
      // The permission the item's workflow needs (workflows:start, or the operation's), for the caller as they are now.
      const secret = { name: item.secretName, team: item.team };
      const needed = actionOf(item.spec.kind);
      if (!isAllowed(principal, needed, { type: 'secret', ...secret })) {
        return refusedNow(item, { reason: 'not-allowed', message: `You may no longer start a workflow on ${item.secretName}: ${whyNot(principal, secret)}.` });
      }
      const running = active.get(item.secretArn);
      if (running)
        return refusedNow(item, { reason: 'in-progress', message: `A workflow for ${item.secretName} is still running (${running.kind}, ${running.id}).` });
      if (action.action !== 'enable') return item;
      const input = item.spec.input as { request: RotationRequest; plan: RotationPlan };
      const shared = input.plan.sharedFunction;
      if (shared?.acknowledgementRequired && !action.acknowledgeSharedFunction) {
        return refusedNow(item, { reason: 'not-applicable', message: acknowledgementMissing(shared) });
      }
      return {
        ...item,
        spec: { ...item.spec, input: { ...input, request: { ...input.request, acknowledgeSharedFunction: action.acknowledgeSharedFunction } } },
      };
    });
    // Included first, as the planner orders them; the refused after.
    const ordered = [...items.filter((i) => !i.refusal), ...items.filter((i) => i.refusal)];
    const included = ordered.filter((i) => !i.refusal).length;
    const refused = ordered.length - included;
    // The shared steps were planned with one secret's request and are admitted on it: without it, they cannot run.
    // (With nothing included, Start's own rules answer, naming every secret.)
    const sharedOn = plan.shared ? ordered.find((i) => i.secretArn === plan.shared!.subject) : undefined;
    if (plan.shared && included > 0 && sharedOn?.refusal !== null) {
      throw previewConflict(
        `The preview ${previewId} no longer holds: its shared steps were planned with ${sharedOn?.secretName ?? plan.shared.subject}, which cannot be part of the batch now (${sharedOn?.refusal?.message ?? 'not in it'}); preview again.`,
      );
    }
    const sharedInput = plan.shared?.input as { request?: RotationRequest } | undefined;
    return {
      preview: {
        ...plan.preview,
        summary: batchSummary(action.action, included, refused),
        totals: { selected: ordered.length, included, refused },
      },
      items: ordered,
      shared:
        plan.shared && action.action === 'enable' && sharedInput?.request
          ? { ...plan.shared, input: { ...sharedInput, request: { ...sharedInput.request, acknowledgeSharedFunction: action.acknowledgeSharedFunction } } }
          : plan.shared,
    };
  };

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

  /**
   * The batch `principal` started under `key`, as Start answered it (its status now): the same
   * request again (as parsed, defaults filled in; `previewId` aside, since the first call used it)
   * gives it back, another request is refused. A key is its user's: another person's batch under
   * the same key is not looked at.
   */
  const startedUnder = async (principal: Principal, key: string, request: BatchRequest): Promise<BatchAccepted | null> => {
    const batch = await batches.byKey(principal.id, key);
    if (!batch) return null;
    if (!isDeepStrictEqual(batch.input, JSON.parse(JSON.stringify(request)))) {
      throw new ConflictError({ message: 'This Idempotency-Key was already used for a different request.' });
    }
    const items = await batches.items(batch.id);
    const included = items.filter((i) => !i.refusal).length;
    return accepted(batch.id, batch.status, { selected: items.length, included, refused: items.length - included });
  };

  /** A Start with no batch under its key yet: the plan (kept or made now) checked, then the batch stored and started. */
  const startNew = async (req: Request, previewId: string | undefined, request: BatchRequest, idempotencyKey: string | null): Promise<BatchAccepted> => {
    const principal = req.principal;
    const { preview, items, shared } = previewId ? await keptPlan(principal, previewId, request) : await planner.plan(principal, request, 'workflows:start');
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
    const sharedWorkflowId = shared ? randomUUID() : null;
    // Each item's audit record is written with its workflow, in the caller's name, from where the batch was asked.
    const stored = items.map((i) => (i.spec ? { ...i, spec: { ...i.spec, audit: { ...i.spec.audit, ...from } } } : i));
    // The batch, its key, the preview's use, the shared workflow and the audit record in one transaction:
    // a Start that fails (or loses its key to a concurrent one) leaves the preview for another try, no
    // workflow to run and nothing audited.
    const created = await batches.create(
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
      {
        idempotencyKey,
        within: async (trx) => {
          // Used once: of two Starts with one preview, the second finds it gone (a retry with the same previewId and no key too).
          if (previewId && !(await previews.take(previewId, principal.id, trx))) throw previewGone(previewId);
          if (shared && sharedWorkflowId) {
            await store.createWithin(trx, sharedWorkflowId, {
              kind: BATCH_SHARED_STEPS,
              subject: shared.subject,
              input: { ...(shared.input as object), batchId: id },
              plan: { steps: shared.steps },
              createdBy: principal,
              idempotencyKey: `batch:${id}:shared`,
              audit: { action: 'batch.shared-steps', ...from },
            });
          }
          // Audited with what it records: a batch stored is a batch audited.
          await store.appendAudit(
            {
              actor: { id: principal.id, name: principal.name },
              action: `batch.${request.action.action}`,
              subject: `batch:${id}`,
              ...from,
              after: { summary: preview.summary, totals: preview.totals, refused: refused.map((i) => ({ secret: i.secretName, reason: i.refusal!.reason })) },
              outcome: 'accepted',
            },
            trx,
          );
        },
      },
    );
    if (!created) {
      // A concurrent Start with this key stored its batch first: that one is the answer (or a 409 for another request).
      const other = await startedUnder(principal, idempotencyKey!, request);
      if (other) return other;
      throw new Error('A batch under this Idempotency-Key was stored and then not found.');
    }
    if (sharedWorkflowId) runner.start(sharedWorkflowId);
    void dispatcher.dispatch(id);
    return accepted(id, 'running', preview.totals);
  };

  return {
    /** The plan, kept BATCH_PREVIEW_TTL_MS for Start under the id it answers with. */
    async preview(principal: Principal, request: BatchRequest): Promise<BatchPreview> {
      const plan = await planner.plan(principal, request, 'rotation:plan');
      const createdAt = now();
      const previewId = randomUUID();
      const expiresAt = new Date(createdAt.getTime() + BATCH_PREVIEW_TTL_MS).toISOString();
      await previews.save({ id: previewId, principal, request, plan, createdAt: createdAt.toISOString(), expiresAt });
      return { ...plan.preview, previewId, expiresAt };
    },

    /**
     * Stores the batch and starts the shared workflow or the items: with `previewId`, the plan that
     * preview kept (the one the person reviewed; see keptPlan), used once; without it, every secret
     * planned again (an API client that never previews). With an Idempotency-Key the caller used
     * before, the batch that call stored and nothing new (see startedUnder).
     */
    async start(req: Request, { previewId, ...request }: BatchStartRequest, idempotencyKey: string | null): Promise<BatchAccepted> {
      const principal = req.principal;
      // A retry after a lost 202 finds its batch here, before its preview (used by then) is looked for.
      const earlier = idempotencyKey ? await startedUnder(principal, idempotencyKey, request) : null;
      if (earlier) return earlier;
      try {
        return await startNew(req, previewId, request, idempotencyKey);
      } catch (error) {
        // Two Starts with one key at once: the other stored its batch meanwhile (and used the preview,
        // or made its secrets busy), so its batch is this one's answer too.
        const other = idempotencyKey ? await startedUnder(principal, idempotencyKey, request) : null;
        if (other) return other;
        throw error;
      }
    },

    async get(principal: Principal, id: string): Promise<Batch> {
      const batch = await batches.get(id);
      const missing = new NotFoundError({ message: `Batch "${id}" was not found.` });
      if (!batch) throw missing;
      const items = await batches.items(id);
      if (!mayRead(principal, batch, items)) throw missing;
      return seenBy(principal, await view(batch, items));
    },

    async list(principal: Principal, query: BatchListQuery): Promise<BatchPage> {
      // What mayRead allows, asked of the database: admins and viewers every batch; others their own and their teams'.
      const page = await batches.list({ id: principal.id, teams: readScope(principal) }, query.offset, query.limit);
      const summaries = await Promise.all(
        page.items.map(async (batch): Promise<BatchSummary> => {
          // The totals of what the caller sees of it, as its page shows them.
          const { id, action, summary, status, createdBy, createdAt, finishedAt, totals } = seenBy(principal, await view(batch, await batches.items(batch.id)));
          return { id, action, summary, status, createdBy, createdAt, finishedAt, totals };
        }),
      );
      return { items: summaries, total: page.total, offset: query.offset, limit: query.limit };
    },
  };
};
export type BatchesService = ReturnType<typeof createBatchesService>;
