import type { RotationLogGroup } from '@rotation-console/contracts';
import { diagnoseRotationFailure, FIXES, type FailureCause, type RotationLog, type RotationVerdict, type StepInvocation } from '@rotation-console/rotation';

/** At most this many invocations, and lines of each, are kept and shown (retries can add many). */
export const LOG_GROUPS_KEPT = 12;
export const LINES_PER_GROUP = 20;

const headlineOf = (inv: StepInvocation) => {
  const who = inv.step ?? 'An invocation that named no step';
  if (inv.outcome === 'succeeded') return `${who} succeeded`;
  if (inv.outcome === 'failed') return `${who} failed${inv.error ? `: ${inv.error}` : ''}`;
  return `${who}: the log shows no outcome`;
};

/** One rotation's invocations (already redacted lines) as the API shows them: a headline in words and the lines, per step. */
export const logGroupsOf = (log: RotationLog): RotationLogGroup[] =>
  log.invocations.slice(-LOG_GROUPS_KEPT).map((inv) => ({
    step: inv.step,
    requestId: inv.requestId,
    outcome: inv.outcome,
    headline: headlineOf(inv),
    lines: inv.lines.slice(-LINES_PER_GROUP),
  }));

/** The usual cause and its fix for a failed verdict, read from the failed step's own lines only. */
export const causeOf = (verdict: RotationVerdict, log: RotationLog): { cause: FailureCause; fix: string } => {
  if (verdict.result !== 'failed') return { cause: 'unknown', fix: FIXES.unknown };
  const failed = log.invocations.filter((i) => i.step === verdict.failedStep && i.outcome === 'failed').at(-1);
  const diagnosis = diagnoseRotationFailure(failed?.lines ?? [JSON.stringify({ outcome: 'failed', step: verdict.failedStep, error: verdict.error ?? '' })]);
  return { cause: diagnosis.cause, fix: diagnosis.fix };
};

/** The verdict in a sentence without the function's own words, for who may not read its log. */
export const publicMessageOf = (verdict: RotationVerdict) => (verdict.result === 'failed' ? `The rotation failed at ${verdict.failedStep}.` : verdict.message);
