import { describe, expect, it } from 'vitest';
import type { RotationStepName } from '../src/diagnosis.ts';
import { ROTATION_STEPS, type StepEvidence } from '../src/rotation-log.ts';
import { rotationVerdict } from '../src/verdict.ts';

const NEW = 'new-version';
const OLD = 'old-version';

/** The label states a rotation can leave, as DescribeSecret shows them. */
const LABELS = {
  'AWSCURRENT moved to the new version': { [NEW]: ['AWSCURRENT'], [OLD]: ['AWSPREVIOUS'] },
  'AWSCURRENT moved, AWSPENDING left on the new version': { [NEW]: ['AWSCURRENT', 'AWSPENDING'], [OLD]: ['AWSPREVIOUS'] },
  'AWSCURRENT moved, AWSPENDING left on the old version': { [NEW]: ['AWSCURRENT'], [OLD]: ['AWSPREVIOUS', 'AWSPENDING'] },
  'AWSPENDING on the new version, AWSCURRENT on the old': { [NEW]: ['AWSPENDING'], [OLD]: ['AWSCURRENT'] },
  'the new version gone': { [OLD]: ['AWSCURRENT'] },
} satisfies Record<string, Record<string, string[]>>;
type LabelState = keyof typeof LABELS;
const labelsFine = (l: LabelState) => l === 'AWSCURRENT moved to the new version' || l === 'AWSCURRENT moved, AWSPENDING left on the new version';

type Seen = 'succeeded' | 'failed' | 'missing';
const evidenceOf = (seen: Seen[]): StepEvidence =>
  Object.fromEntries(
    seen.flatMap((s, i) =>
      s === 'missing' ? [] : [[ROTATION_STEPS[i]!, s === 'failed' ? { outcome: 'failed', error: `boom at ${ROTATION_STEPS[i]}` } : { outcome: 'succeeded' }]],
    ),
  );

/** Every combination of the four steps' outcomes (succeeded, failed, no log line). */
const combos: Seen[][] = [[]];
for (let i = 0; i < 4; i++) combos.splice(0, combos.length, ...combos.flatMap((c) => (['succeeded', 'failed', 'missing'] as Seen[]).map((s) => [...c, s])));

describe('rotationVerdict over every combination of step outcomes, labels and missing logs', () => {
  for (const seen of combos) {
    for (const labels of Object.keys(LABELS) as LabelState[]) {
      for (const settled of [true, false]) {
        const name = `${ROTATION_STEPS.map((s, i) => `${s}=${seen[i]}`).join(' ')}; ${labels}; ${settled ? 'settled' : 'still watching'}`;
        it(`When ${name}, then the verdict follows the evidence`, () => {
          const verdict = rotationVerdict({ versionId: NEW, steps: evidenceOf(seen), versionStages: LABELS[labels], settled });
          const firstFailed = seen.indexOf('failed');
          if (firstFailed >= 0) {
            const step = ROTATION_STEPS[firstFailed] as RotationStepName;
            expect(verdict).toEqual({
              result: 'failed',
              failedStep: step,
              error: `boom at ${step}`,
              message: `The rotation failed at ${step}: boom at ${step}`,
            });
          } else if (seen.every((s) => s === 'succeeded') && labelsFine(labels)) {
            expect(verdict.result).toBe('rotated');
          } else if (!settled) {
            expect(verdict.result).toBe('in-progress');
          } else {
            expect(verdict.result).toBe('unknown');
            expect(verdict.message).toMatch(/^Rotation outcome unknown \u2014 /);
            if (verdict.result === 'unknown') expect(verdict.missingSteps).toEqual(ROTATION_STEPS.filter((_, i) => seen[i] !== 'succeeded'));
          }
          expect(verdict.result === 'rotated' && seen.some((s) => s !== 'succeeded')).toBe(false);
        });
      }
    }
  }

  it('When AWSCURRENT moved but the log has no line for any step, then it is unknown because the function\u2019s logs do not say, never rotated', () => {
    const verdict = rotationVerdict({ versionId: NEW, steps: {}, versionStages: LABELS['AWSCURRENT moved to the new version'], settled: true });
    expect(verdict).toMatchObject({ result: 'unknown', missingSteps: [...ROTATION_STEPS] });
    expect(verdict.message).toContain('Rotation outcome unknown \u2014 the function\u2019s logs do not say');
  });

  it('When setSecret failed but a later finishSecret moved AWSCURRENT anyway (moto without the harness), then it failed at setSecret', () => {
    const verdict = rotationVerdict({
      versionId: NEW,
      steps: evidenceOf(['succeeded', 'failed', 'failed', 'succeeded']),
      versionStages: LABELS['AWSCURRENT moved to the new version'],
      settled: true,
    });
    expect(verdict).toMatchObject({ result: 'failed', failedStep: 'setSecret' });
  });

  it('When a step failed without a message, then the message names the step alone', () => {
    const verdict = rotationVerdict({
      versionId: NEW,
      steps: { createSecret: { outcome: 'failed', error: null } },
      versionStages: LABELS['AWSPENDING on the new version, AWSCURRENT on the old'],
      settled: true,
    });
    expect(verdict).toEqual({ result: 'failed', failedStep: 'createSecret', error: null, message: 'The rotation failed at createSecret.' });
  });
});
