import type { RotationOutcome, Workflow } from '@rotation-console/contracts';
import type { WorkflowWithSteps } from '../../platform/workflow/records.ts';

const WATCH_STEP = 'watch-first-rotation';

const none: Pick<RotationOutcome, 'failedStep' | 'versionId' | 'log' | 'fix'> = { failedStep: null, versionId: null, log: [], fix: null };

/**
 * The rotation's outcome, from the step that watched it. The function's log lines and its error
 * text (in the message) are left out for who may not read the function's log.
 */
const outcomeOf = (workflow: WorkflowWithSteps, mayReadLogs: boolean): RotationOutcome | null => {
  const watch = workflow.steps.find((s) => s.kind === WATCH_STEP);
  if (!watch) return null;
  const out = (watch.output ?? {}) as Partial<Omit<RotationOutcome, 'result'>> & { result?: string };
  const logHidden = !mayReadLogs;
  const shown = {
    versionId: out.versionId ?? null,
    log: logHidden ? [] : (out.log ?? []),
    logHidden,
  };
  if (watch.status === 'succeeded' && (out.result === 'rotated' || out.result === 'not-started')) {
    return { ...none, ...shown, result: out.result, message: out.message ?? '' };
  }
  if (watch.status === 'failed' && (out.result === 'failed' || out.result === 'unknown')) {
    return {
      ...shown,
      result: out.result,
      // watch.error is the verdict without the function's words; out.message quotes its (redacted) error.
      message: (logHidden ? watch.error : out.message) ?? watch.error ?? '',
      failedStep: out.failedStep ?? null,
      fix: out.fix ?? null,
    };
  }
  if (watch.status === 'failed') {
    // The watch itself broke (AWS refused a read): nothing was seen of the rotation.
    return {
      ...none,
      ...shown,
      result: 'unknown',
      message: `Rotation outcome unknown \u2014 the rotation could not be watched: ${watch.error ?? 'the watch failed'}.`,
    };
  }
  if (workflow.status === 'failed' || workflow.status === 'cancelled') {
    return { ...none, logHidden, result: 'not-started', message: 'The workflow stopped before the first rotation.' };
  }
  return null;
};

/** The watch step's output without the function's log, for who may not read it. */
const stepOutputOf = (kind: string, output: Record<string, unknown> | null, mayReadLogs: boolean) => {
  if (kind !== WATCH_STEP || mayReadLogs || !output) return output;
  const { log: _log, message: _message, ...rest } = output;
  return rest;
};

/** A stored workflow as the API shows it. */
export const toWorkflowView = (workflow: WorkflowWithSteps, { mayReadLogs }: { mayReadLogs: boolean }): Workflow => ({
  id: workflow.id,
  kind: workflow.kind,
  status: workflow.status,
  subject: workflow.subject,
  createdBy: { id: workflow.createdBy.id, name: workflow.createdBy.name },
  createdAt: workflow.createdAt,
  startedAt: workflow.startedAt,
  finishedAt: workflow.finishedAt,
  error: workflow.error,
  steps: [...workflow.steps]
    .sort((a, b) => a.position - b.position)
    .map((s) => ({
      id: s.id,
      kind: s.kind,
      title: s.title,
      status: s.status,
      dependsOn: s.dependsOn,
      attempts: s.attempts,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      awsRequestId: s.awsRequestId,
      error: s.error,
      output: stepOutputOf(s.kind, s.output, mayReadLogs),
    })),
  outcome: outcomeOf(workflow, mayReadLogs),
});
