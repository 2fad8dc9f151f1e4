import type { RotationOutcome, Workflow } from '@rotation-console/contracts';
import type { WorkflowWithSteps } from '../../platform/workflow/records.ts';
import { withholdFunctionLog } from '../rotation/function-log.ts';

const WATCH_STEP = 'watch-first-rotation';

/** The first rotation's outcome, from the step that watched it. */
const outcomeOf = (workflow: WorkflowWithSteps): RotationOutcome | null => {
  const watch = workflow.steps.find((s) => s.kind === WATCH_STEP);
  if (!watch) return null;
  const out = (watch.output ?? {}) as Partial<RotationOutcome> & { result?: string };
  if (watch.status === 'succeeded' && (out.result === 'rotated' || out.result === 'not-started')) {
    return { result: out.result, message: out.message ?? '', failedStep: null, logLines: [], fix: null };
  }
  if (watch.status === 'failed') {
    return {
      result: 'failed',
      message: out.message ?? watch.error ?? 'The rotation failed.',
      failedStep: out.failedStep ?? null,
      logLines: out.logLines ?? [],
      fix: out.fix ?? null,
    };
  }
  if (workflow.status === 'failed' || workflow.status === 'cancelled') {
    return { result: 'not-started', message: 'The workflow stopped before the first rotation.', failedStep: null, logLines: [], fix: null };
  }
  return null;
};

/** The view without the rotation function's log and the text quoted from it (rotation/function-log.ts). */
const withoutFunctionLog = (view: Workflow): Workflow => ({
  ...view,
  error: withholdFunctionLog(view.error),
  steps: view.steps.map((s) => {
    if (s.kind !== WATCH_STEP) return s;
    const { logLines: _lines, ...output } = s.output ?? {};
    return { ...s, error: withholdFunctionLog(s.error), output: s.output && { ...output, ...(typeof output.message === 'string' ? { message: withholdFunctionLog(output.message) } : {}) } };
  }),
  outcome: view.outcome && { ...view.outcome, message: withholdFunctionLog(view.outcome.message)!, logLines: [] },
});

/** A stored workflow as the API shows it; `functionLog: false` for callers who may not read the secret's value. */
export const toWorkflowView = (workflow: WorkflowWithSteps, { functionLog }: { functionLog: boolean }): Workflow => {
  const view = fullView(workflow);
  return functionLog ? view : withoutFunctionLog(view);
};

const fullView = (workflow: WorkflowWithSteps): Workflow => ({
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
      output: s.output,
    })),
  outcome: outcomeOf(workflow),
});
