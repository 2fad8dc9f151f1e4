/**
 * The one rule for a rotation's outcome: a verdict follows the evidence. "rotated" only when
 * the function's own log shows all four steps of THIS rotation succeeding and the labels
 * agree; "failed" at the first step the log shows failing; "unknown" when the evidence is
 * missing. Never a success nobody saw. Feeds the wizard's outcome, rotate now and the timeline.
 */
import type { RotationStepName } from './diagnosis.ts';
import { ROTATION_STEPS, type StepEvidence } from './rotation-log.ts';

export interface RotationEvidence {
  /** The rotation's ClientRequestToken: the new version's id. */
  versionId: string;
  /** What the function's log says of each step of this rotation (readRotationLog). */
  steps: StepEvidence;
  /** Version id -> staging labels, as DescribeSecret gives them now. */
  versionStages: Record<string, readonly string[]>;
  /** True when no more evidence will come (the watch gave up waiting, or the rotation is long over). */
  settled: boolean;
}

export type RotationVerdict =
  | { result: 'rotated'; message: string }
  | { result: 'failed'; failedStep: RotationStepName; error: string | null; message: string }
  | { result: 'unknown'; message: string; missingSteps: RotationStepName[] }
  /** Not over yet: the version still has AWSPENDING and no step failed. Only while not settled. */
  | { result: 'in-progress'; message: string };

export const UNKNOWN_HEADLINE = 'the function\u2019s logs do not say';

const holders = (stages: RotationEvidence['versionStages'], label: string) =>
  Object.entries(stages)
    .filter(([, s]) => s.includes(label))
    .map(([id]) => id);

export const rotationVerdict = ({ versionId, steps, versionStages, settled }: RotationEvidence): RotationVerdict => {
  // AWS stops at the first failing step; the first failure the log shows is the one that counts.
  for (const step of ROTATION_STEPS) {
    const seen = steps[step];
    if (seen?.outcome === 'failed') {
      return {
        result: 'failed',
        failedStep: step,
        error: seen.error,
        message: `The rotation failed at ${step}${seen.error ? `: ${seen.error}` : '.'}`,
      };
    }
  }
  const missingSteps = ROTATION_STEPS.filter((s) => steps[s]?.outcome !== 'succeeded');
  const newIsCurrent = (versionStages[versionId] ?? []).includes('AWSCURRENT');
  // AWS may leave AWSPENDING on the new (current) version; on any other version it means an unfinished rotation.
  const pendingElsewhere = holders(versionStages, 'AWSPENDING').filter((id) => id !== versionId);
  const newIsPending = (versionStages[versionId] ?? []).includes('AWSPENDING');

  if (missingSteps.length === 0 && newIsCurrent && pendingElsewhere.length === 0) {
    return { result: 'rotated', message: `The rotation finished: all four steps succeeded in the function\u2019s log and version ${versionId} is AWSCURRENT.` };
  }
  if (!settled && newIsPending && !newIsCurrent) {
    return { result: 'in-progress', message: `Version ${versionId} has AWSPENDING; the rotation is still running.` };
  }
  if (!settled) {
    // Labels moved (or the version is gone) but the log has not caught up: CloudWatch Logs lags behind.
    return { result: 'in-progress', message: `Waiting for the function\u2019s log to show ${missingSteps.join(', ') || 'the labels settle'}.` };
  }
  const labels = newIsCurrent
    ? `version ${versionId} is AWSCURRENT${pendingElsewhere.length ? ` but AWSPENDING is still on ${pendingElsewhere.join(', ')}` : ''}`
    : newIsPending
      ? `version ${versionId} still has AWSPENDING`
      : `version ${versionId} is ${versionStages[versionId] ? 'not AWSCURRENT' : 'gone'}`;
  const said = missingSteps.length
    ? `the log shows no outcome for ${missingSteps.join(', ')}`
    : 'the log shows all four steps succeeding, but the labels disagree';
  return {
    result: 'unknown',
    missingSteps,
    message: `Rotation outcome unknown \u2014 ${missingSteps.length ? UNKNOWN_HEADLINE : 'the labels do not match the log'}: ${said}; ${labels}.`,
  };
};
