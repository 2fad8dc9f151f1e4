import type { BatchStatus } from '@rotation-console/contracts';
import { ConflictError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { WorkflowEvents } from '../../platform/workflow/events.ts';
import { FINISHED_WORKFLOW } from '../../platform/workflow/records.ts';
import type { WorkflowRunner } from '../../platform/workflow/runner.ts';
import { errorText } from '../../platform/workflow/step-error.ts';
import type { WorkflowStore } from '../../platform/workflow/workflow-store.ts';
import type { FreezeGate } from '../freeze/freeze-gate.ts';
import type { BatchItemRecord, BatchRecord, BatchStore } from './batch-store.ts';

/** How long after a change a batch's end is looked for again (many of its workflows end close together). */
const SETTLE_DELAY_MS = 200;
/** A dispatch that failed for a reason of the console's own (the database busy) is tried again after this. */
const RETRY_MS = 5000;

/** The idempotency key of an item's workflow: two dispatches (two processes, or a restart) create it once. */
export const itemKey = (batchId: string, position: number) => `batch:${batchId}:${position}`;

/**
 * Turns a batch's items into workflows when their turn comes: after the shared workflow (the one
 * function for all) succeeded, and for rotate-now batches at each secret's start offset. Everything
 * it needs is in the database (the items, their workflow specs, the shared workflow's status), so
 * after a crash `resume()` carries on where it stopped; an item's workflow is created under an
 * idempotency key made of the batch and the item, so it is never created twice. The workflows
 * themselves are the runner's: admitted, paced and resumed like every other workflow.
 */
export const createBatchDispatcher = ({
  batches,
  store,
  runner,
  logger,
  freeze,
  now = () => Date.now(),
}: {
  batches: BatchStore;
  store: WorkflowStore;
  runner: Pick<WorkflowRunner, 'start'>;
  logger: Logger;
  /** The freeze check every workflow start goes through: an item whose turn comes inside its team's open window is not started. */
  freeze?: FreezeGate | undefined;
  now?: () => number;
}) => {
  const log = logger.child({ component: 'batch-dispatcher' });
  const timers = new Map<string, NodeJS.Timeout>();
  const settleTimers = new Map<string, NodeJS.Timeout>();
  /** Workflows of batches this process dispatched: their end moves the batch on. */
  const batchOf = new Map<string, string>();
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  let stopped = false;

  const later = (batchId: string, atMs: number) => {
    if (stopped) return;
    const existing = timers.get(batchId);
    if (existing) clearTimeout(existing);
    const timer = setTimeout(
      () => {
        timers.delete(batchId);
        void dispatch(batchId);
      },
      Math.max(0, atMs - now()),
    );
    timer.unref();
    timers.set(batchId, timer);
  };

  /** A batch ended when every item was refused, never started, or its workflow ended. */
  const settle = async (batch: BatchRecord, items: BatchItemRecord[]): Promise<void> => {
    const ids = items.map((i) => i.workflowId).filter((id): id is string => id !== null);
    const progress = await batches.workflowProgress(ids);
    let failed = false;
    for (const item of items) {
      if (item.refusal) continue;
      if (item.error) {
        failed = true;
        continue;
      }
      const status = item.workflowId ? progress.get(item.workflowId)?.status : undefined;
      if (!status || !FINISHED_WORKFLOW.has(status)) return;
      if (status !== 'succeeded') failed = true;
    }
    const status: BatchStatus = failed ? 'failed' : 'succeeded';
    await batches.finish(batch.id, status, new Date(now()).toISOString());
    log.info({ batchId: batch.id, status }, 'batch finished');
  };

  const dispatchOnce = async (batchId: string): Promise<void> => {
    const batch = await batches.get(batchId);
    if (!batch || (batch.status !== 'pending' && batch.status !== 'running')) return;
    const items = await batches.items(batchId);

    if (batch.sharedWorkflowId) {
      batchOf.set(batch.sharedWorkflowId, batch.id);
      const shared = await store.get(batch.sharedWorkflowId);
      if (shared && !FINISHED_WORKFLOW.has(shared.status)) {
        // Its own run (or the runner's resume) takes it to its end; then the items start.
        runner.start(shared.id);
        return;
      }
      if (!shared || shared.status !== 'succeeded') {
        const why = `Not started: the shared steps failed${shared?.error ? ` (${shared.error})` : ''}.`;
        for (const item of items) if (!item.refusal && !item.workflowId && !item.error) await batches.setItemError(batch.id, item.position, why);
        await settle(batch, await batches.items(batchId));
        return;
      }
    }

    const base = Date.parse(batch.createdAt);
    let nextDue = Number.POSITIVE_INFINITY;
    for (const item of items) {
      if (item.refusal || item.error) continue;
      if (item.workflowId) {
        batchOf.set(item.workflowId, batch.id);
        continue;
      }
      if (!item.spec) continue;
      const due = base + (item.startOffsetMs ?? 0);
      if (due > now()) {
        nextDue = Math.min(nextDue, due);
        continue;
      }
      const { spec } = item;
      try {
        // A staggered item's turn may come after its team's freeze window opened: as any start, it is refused then.
        if (freeze) await freeze(batch.createdBy, { kind: spec.kind, subject: item.secretArn, input: spec.input });
        const { workflow } = await store.create({
          kind: spec.kind,
          subject: item.secretArn,
          input: { ...(spec.input as object), batchId: batch.id },
          plan: { steps: spec.steps },
          createdBy: batch.createdBy,
          idempotencyKey: itemKey(batch.id, item.position),
          audit: { sourceIp: null, ...spec.audit },
          exclusive: () => spec.busy,
        });
        await batches.setWorkflow(batch.id, item.position, workflow.id);
        batchOf.set(workflow.id, batch.id);
        if (!FINISHED_WORKFLOW.has(workflow.status)) runner.start(workflow.id);
      } catch (error) {
        if (error instanceof ConflictError) {
          // Another workflow on the secret started since the preview, or its team's freeze window is open: not started, and says why.
          await batches.setItemError(batch.id, item.position, `Not started: ${error.message}`);
          continue;
        }
        log.warn({ batchId, position: item.position, err: errorText(error) }, 'could not start a batch item; trying again');
        nextDue = Math.min(nextDue, now() + RETRY_MS);
      }
    }
    if (Number.isFinite(nextDue)) later(batchId, nextDue);
    await settle(batch, await batches.items(batchId));
  };

  /** One dispatch of a batch at a time in this process; a call during one runs it again after. */
  const dispatch = (batchId: string): Promise<void> => {
    if (stopped) return Promise.resolve();
    const current = running.get(batchId);
    if (current) {
      again.add(batchId);
      return current;
    }
    const run = dispatchOnce(batchId)
      .catch((error: unknown) => {
        log.error({ batchId, err: errorText(error) }, 'batch dispatch failed; trying again');
        later(batchId, now() + RETRY_MS);
      })
      .finally(() => {
        running.delete(batchId);
        if (again.delete(batchId)) void dispatch(batchId);
      });
    running.set(batchId, run);
    return run;
  };

  const settleSoon = (batchId: string) => {
    if (stopped || settleTimers.has(batchId)) return;
    const timer = setTimeout(() => {
      settleTimers.delete(batchId);
      void dispatch(batchId);
    }, SETTLE_DELAY_MS);
    timer.unref();
    settleTimers.set(batchId, timer);
  };

  return {
    dispatch,

    /** Follows the runner: a shared workflow's end starts the items; an item's end may end the batch. */
    subscribe(events: WorkflowEvents): void {
      events.on('workflow', ({ workflowId, status }) => {
        if (!FINISHED_WORKFLOW.has(status)) return;
        const batchId = batchOf.get(workflowId);
        if (!batchId) return;
        batchOf.delete(workflowId);
        settleSoon(batchId);
      });
    },

    /** Every unfinished batch dispatched again: at boot, and now and then for batches another process left. */
    async resume(): Promise<void> {
      for (const batch of await batches.unfinished()) await dispatch(batch.id);
    },

    /** Waits until no dispatch is under way (tests). */
    async idle(): Promise<void> {
      while (running.size > 0 || settleTimers.size > 0) {
        await Promise.all(running.values());
        if (settleTimers.size > 0) await new Promise((r) => setTimeout(r, SETTLE_DELAY_MS));
      }
    },

    stop(): void {
      stopped = true;
      for (const t of [...timers.values(), ...settleTimers.values()]) clearTimeout(t);
      timers.clear();
      settleTimers.clear();
    },
  };
};
export type BatchDispatcher = ReturnType<typeof createBatchDispatcher>;
