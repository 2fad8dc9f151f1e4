import type { Logger } from '../logger.ts';
import { backoffDelay, sleep, type RetryPolicy } from './backoff.ts';
import type { WorkflowEvents } from './events.ts';
import type { ProgressStore } from './progress-store.ts';
import type { ResourceLocks } from './resource-locks.ts';
import type { StepOutput, StepRecord, StepStatus, WorkflowStatus, WorkflowWithSteps } from './records.ts';
import { errorAwsRequestId, errorOutput, errorText, isRetryable } from './step-error.ts';
import type { StepRegistry } from './step-registry.ts';

export interface ExecutePlanOptions {
  workflow: WorkflowWithSteps;
  progress: ProgressStore;
  registry: StepRegistry;
  events: WorkflowEvents;
  logger: Logger;
  retry: RetryPolicy;
  /** Steps of this workflow running at once. */
  concurrency: number;
  /** Aborted on lost lease or abandon at shutdown: stop at once, write nothing more. */
  signal: AbortSignal;
  /** True once a graceful stop began: start no new step, let running ones end. */
  stopping: () => boolean;
  /** The locks steps take on shared resources (StepContext.exclusive). */
  locks: ResourceLocks;
  /**
   * Asked before each step starts: may the workflow's creator still do this? A refusal starts
   * no new step (those running end) and the outcome is `refused`; a throw interrupts the run.
   */
  admitStep: () => Promise<{ allowed: true } | { allowed: false; reason: string }>;
}

export type ExecuteOutcome =
  | { result: 'finished'; status: WorkflowStatus }
  | { result: 'interrupted'; reason: string }
  /** The policy refused a step before it ran: the caller ends the workflow with the reason. */
  | { result: 'refused'; reason: string };

interface Failure {
  stepId: string;
  /** The step's title: the words people read ("Run the change set and wait for the stack"), not its id. */
  title: string;
  error: string;
}

/**
 * Runs the unfinished steps of a workflow whose lease the caller holds, respecting
 * `dependsOn`, and stores each step's end as it happens.
 *
 * - A step already `succeeded` is never run again; one left `running` by a crash runs again
 *   (steps are idempotent ensures, and get the same token).
 * - After a step fails for good, no new step starts: steps that depend on it, and the rest of
 *   a plan that changes production, are marked `skipped`; steps already running may finish.
 */
export const executePlan = async (options: ExecutePlanOptions): Promise<ExecuteOutcome> => {
  const { workflow, progress, events, logger } = options;
  // Aborted by the caller (lost lease, abandon) or here when a store write fails: either way
  // every running step hears it and nothing more is written.
  const halt = new AbortController();
  const signal = AbortSignal.any([options.signal, halt.signal]);
  const steps = new Map<string, StepRecord>(workflow.steps.map((s) => [s.id, { ...s }]));
  const inFlight = new Map<string, Promise<void>>();
  let failure: Failure | null = firstFailure(workflow.steps);
  let refusal: string | null = null;
  let fatal: unknown = null;

  const setStatus = (step: StepRecord, status: StepStatus, patch: Partial<StepRecord> = {}) => {
    Object.assign(step, patch, { status });
    emitSafely(logger, () =>
      events.emit('step', {
        workflowId: workflow.id,
        stepId: step.id,
        status,
        attempts: step.attempts,
        at: new Date().toISOString(),
        error: step.error,
        awsRequestId: step.awsRequestId,
      }),
    );
  };

  const runStep = async (step: StepRecord): Promise<void> => {
    const run = options.registry.get(step.kind);
    const dependencies: Record<string, StepOutput | null> = {};
    for (const dep of step.dependsOn) dependencies[dep] = steps.get(dep)?.output ?? null;
    const stepLogger = logger.child({ stepId: step.id, stepKind: step.kind });
    const holder = { workflowId: workflow.id, stepId: step.id };
    const exclusive = <T>(resourceKey: string, fn: () => Promise<T>) => options.locks.exclusive(resourceKey, holder, { signal, logger: stepLogger }, fn);

    // The policy may have changed since the workflow started (the secret moved to another team).
    const admission = await admitWithRetries(options.admitStep, options.retry, signal, stepLogger).catch((error: unknown) =>
      signal.aborted ? null : Promise.reject(error),
    );
    if (signal.aborted || admission === null) return;
    if (!admission.allowed) {
      refusal ??= admission.reason;
      return;
    }

    for (let attempt = 1; ; attempt++) {
      const startedAt = new Date().toISOString();
      await progress.startAttempt(step.id, startedAt, attempt === 1);
      setStatus(step, 'running', { attempts: step.attempts + 1, ...(attempt === 1 ? { startedAt, finishedAt: null, error: null } : {}) });
      try {
        if (!run) throw new Error(`No step is registered for kind "${step.kind}".`);
        const result = await run({
          workflow: { id: workflow.id, kind: workflow.kind, subject: workflow.subject, input: workflow.input },
          step: { id: step.id, kind: step.kind, title: step.title },
          input: step.input,
          idempotencyToken: step.idempotencyToken,
          dependencies,
          principal: workflow.createdBy,
          logger: stepLogger,
          signal,
          attempt,
          exclusive,
        });
        if (signal.aborted) return;
        const done = {
          status: 'succeeded' as const,
          at: new Date().toISOString(),
          output: result.output ?? null,
          awsRequestId: result.awsRequestId ?? null,
          error: null,
        };
        await progress.finishStep(step.id, done);
        setStatus(step, 'succeeded', { finishedAt: done.at, output: done.output, awsRequestId: done.awsRequestId, error: null });
        return;
      } catch (error) {
        if (signal.aborted) return;
        if (isRetryable(error) && attempt < options.retry.maxAttempts) {
          const wait = backoffDelay(attempt, options.retry);
          stepLogger.warn({ attempt, waitMs: wait, err: errorText(error) }, 'step failed; retrying');
          try {
            await sleep(wait, signal);
          } catch {
            return; // aborted while waiting
          }
          continue;
        }
        const failed = {
          status: 'failed' as const,
          at: new Date().toISOString(),
          output: errorOutput(error),
          awsRequestId: errorAwsRequestId(error),
          error: errorText(error),
        };
        stepLogger.warn({ attempt, err: failed.error }, 'step failed');
        await progress.finishStep(step.id, failed);
        setStatus(step, 'failed', { finishedAt: failed.at, output: failed.output, awsRequestId: failed.awsRequestId, error: failed.error });
        failure ??= { stepId: step.id, title: step.title, error: failed.error };
        return;
      }
    }
  };

  try {
    const startedAt = new Date().toISOString();
    await progress.markWorkflowRunning(startedAt);
    emitSafely(logger, () => events.emit('workflow', { workflowId: workflow.id, status: 'running', at: startedAt, error: null }));
    // What a crash left `running` runs again from the start of the step.
    for (const step of steps.values()) if (step.status === 'running') step.status = 'pending';

    const aborted = abortion(signal);
    while (!signal.aborted && fatal === null) {
      await skipWhatCannotRun(steps, inFlight, failure, progress, setStatus);

      if (failure === null && refusal === null && !options.stopping()) {
        for (const step of readySteps(steps, inFlight)) {
          if (inFlight.size >= options.concurrency) break;
          const running = runStep(step)
            .catch((error: unknown) => {
              fatal = error; // the store failed or the lease is gone: stop this run
              halt.abort(error);
            })
            .finally(() => inFlight.delete(step.id));
          inFlight.set(step.id, running);
        }
      }
      if (inFlight.size === 0) break;
      await Promise.race([...inFlight.values(), aborted]);
    }

    if (fatal !== null) return { result: 'interrupted', reason: errorText(fatal) };
    if (signal.aborted) return { result: 'interrupted', reason: errorText(options.signal.reason) };
    if (refusal !== null && failure === null) return { result: 'refused', reason: refusal };
    const unfinished = [...steps.values()].filter((s) => s.status === 'pending');
    if (unfinished.length > 0) return { result: 'interrupted', reason: 'stopping' };

    const status: WorkflowStatus = failure ? 'failed' : 'succeeded';
    const error = failure ? `The step \u201c${failure.title}\u201d failed: ${failure.error}` : null;
    const at = new Date().toISOString();
    await progress.finishWorkflow(status, at, error);
    emitSafely(logger, () => events.emit('workflow', { workflowId: workflow.id, status, at, error }));
    return { result: 'finished', status };
  } catch (error) {
    halt.abort(error); // a store write failed outside a step: stop the steps still running
    throw error;
  }
};

/**
 * Asks the policy, trying again with the steps' backoff when the question itself fails
 * (throttling or a 5xx while reading the secret's team or the resources' owners): a failed look
 * is no refusal. Throws once the tries are spent, which interrupts the run; it resumes later.
 * The runner asks the same way before the first step.
 */
export const admitWithRetries = async <T>(admit: () => Promise<T>, retry: RetryPolicy, signal: AbortSignal, logger: Logger): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await admit();
    } catch (error) {
      if (attempt >= retry.maxAttempts || signal.aborted) throw error;
      const wait = backoffDelay(attempt, retry);
      logger.warn({ attempt, waitMs: wait, err: errorText(error) }, 'could not check the policy before the step; trying again');
      await sleep(wait, signal);
    }
  }
};

const firstFailure = (steps: readonly StepRecord[]): Failure | null => {
  const failed = steps.find((s) => s.status === 'failed');
  return failed ? { stepId: failed.id, title: failed.title, error: failed.error ?? 'failed' } : null;
};

/** Pending steps whose dependencies all succeeded, in plan order. */
const readySteps = (steps: Map<string, StepRecord>, inFlight: Map<string, unknown>): StepRecord[] =>
  [...steps.values()]
    .filter((s) => s.status === 'pending' && !inFlight.has(s.id) && s.dependsOn.every((d) => steps.get(d)?.status === 'succeeded'))
    .sort((a, b) => a.position - b.position);

/** Marks `skipped` every pending step that can no longer run, with the reason. */
const skipWhatCannotRun = async (
  steps: Map<string, StepRecord>,
  inFlight: Map<string, unknown>,
  failure: Failure | null,
  progress: ProgressStore,
  setStatus: (step: StepRecord, status: StepStatus, patch?: Partial<StepRecord>) => void,
): Promise<void> => {
  // Repeat until nothing changes: skipping one step can make its dependents unrunnable.
  for (let changed = true; changed;) {
    changed = false;
    for (const step of [...steps.values()].sort((a, b) => a.position - b.position)) {
      if (step.status !== 'pending' || inFlight.has(step.id)) continue;
      const blocker = step.dependsOn.map((d) => steps.get(d)).find((d) => d?.status === 'failed' || d?.status === 'skipped');
      let reason: string | null = null;
      if (blocker) reason = `Skipped: \u201c${blocker.title}\u201d ${blocker.status === 'failed' ? 'failed' : 'was skipped'}.`;
      else if (failure) reason = `Skipped: the workflow stopped after \u201c${failure.title}\u201d failed.`;
      if (reason === null) continue;
      const at = new Date().toISOString();
      await progress.skipStep(step.id, at, reason);
      setStatus(step, 'skipped', { finishedAt: at, error: reason });
      changed = true;
    }
  }
};

const abortion = (signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });

/** A listener that throws must not break the run whose progress it watches. */
const emitSafely = (logger: Logger, emit: () => void) => {
  try {
    emit();
  } catch (error) {
    logger.error({ err: errorText(error) }, 'workflow event listener failed');
  }
};
