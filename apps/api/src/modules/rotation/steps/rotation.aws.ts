import { DescribeSecretCommand, RotateSecretCommand, type RotationRulesType } from '@aws-sdk/client-secrets-manager';
import { readRotationLog, rotationVerdict, type AwsRotationRules, type RotationLog } from '@rotation-console/rotation';
import { LOG_EVENTS_READ, LOG_LAG_MS, readFunctionLog } from '../../../platform/aws-function-logs.ts';
import type { AwsClientFactory } from '../../../platform/aws.ts';
import { callAws } from '../../../platform/aws-errors.ts';
import { StepError } from '../../../platform/workflow/step-error.ts';
import type { StepRun } from '../../../platform/workflow/step-registry.ts';
import { causeOf, logGroupsOf, publicMessageOf } from '../rotation-evidence.ts';
import { done, fromDependency, functionArnOf, input, requestIdOf, waitFor, type Pacing } from './common.ts';

const rulesMatch = (actual: RotationRulesType | undefined, wanted: AwsRotationRules) =>
  (Object.keys(wanted) as (keyof AwsRotationRules)[]).every((k) => actual?.[k] === wanted[k]);

/** Ensures rotation is on with the function and rules, and the first rotation was requested (the seed's rotate-secret). */
export const rotateSecret =
  (aws: AwsClientFactory): StepRun =>
  async (ctx) => {
    const { secretArn, rules, rotateImmediately } = input<{ secretArn: string; rules: AwsRotationRules; rotateImmediately: boolean }>(ctx);
    const functionArn = functionArnOf(ctx);
    const sm = aws.forRegion().secretsManager;
    const token = ctx.idempotencyToken;
    const requestedAt = new Date().toISOString();

    const before = await callAws('DescribeSecret', () => sm.send(new DescribeSecretCommand({ SecretId: secretArn })));
    const ourVersion = before.VersionIdsToStages?.[token];
    const configured = before.RotationEnabled === true && before.RotationLambdaARN === functionArn && rulesMatch(before.RotationRules, rules);
    if (configured && (ourVersion !== undefined || !rotateImmediately)) {
      return done({ secretArn, functionArn, versionId: ourVersion ? token : null, alreadyApplied: true, requestedAt });
    }
    const pending = Object.entries(before.VersionIdsToStages ?? {}).find(
      ([id, stages]) => id !== token && stages?.includes('AWSPENDING') && !stages.includes('AWSCURRENT'),
    );
    if (pending && rotateImmediately) {
      throw new StepError({
        message: `Version ${pending[0]} still has AWSPENDING from a rotation that did not finish, so Secrets Manager refuses a new one. Clear the stuck rotation (remove AWSPENDING from that version), then save again.`,
      });
    }
    const out = await callAws('RotateSecret', () =>
      sm.send(
        new RotateSecretCommand({
          SecretId: secretArn,
          // The stored token: after a crash the same request is the same rotation, not a second one.
          ClientRequestToken: token,
          RotationLambdaARN: functionArn,
          RotationRules: rules,
          RotateImmediately: rotateImmediately,
        }),
        // It waits its turn under RotateSecret's quota (paceRotateQuota); a workflow cancelled meanwhile sends nothing.
        { abortSignal: ctx.signal },
      ),
    );
    return done({ secretArn, functionArn, versionId: out.VersionId ?? token, alreadyApplied: false, requestedAt }, requestIdOf(out));
  };

interface Evidence {
  log: RotationLog;
  stages: Record<string, string[]>;
  lastRotatedDate: string | null;
}

/**
 * Waits for the rotation it follows (the first one, or one asked for now) to end, and says what
 * the evidence says: rotated only when the function's log shows all four steps of this rotation
 * (its token) succeeding and the labels agree; failed at the first failed step, with its
 * (redacted) error and the fix; unknown when the log does not say. Reads only this rotation's
 * invocations of the function, never other secrets' lines of a shared function.
 */
export const watchFirstRotation =
  (aws: AwsClientFactory, pacing: Pacing): StepRun =>
  async (ctx) => {
    const { secretArn, rotateImmediately } = input<{ secretArn: string; rotateImmediately: boolean }>(ctx);
    if (!rotateImmediately) {
      return done({ result: 'not-started', message: 'Rotation is on. The first rotation runs in the next rotation window.' });
    }
    const versionId = fromDependency(ctx, 'rotate-secret', 'versionId') ?? ctx.idempotencyToken;
    const requestedAt = Date.parse(fromDependency(ctx, 'rotate-secret', 'requestedAt') ?? new Date().toISOString());
    const functionName = functionArnOf(ctx).split(':').pop()!;
    const sm = aws.forRegion().secretsManager;
    // A minute of slack for clocks; readRotationLog keeps only this rotation's invocations.
    const since = new Date(requestedAt - 60_000);

    let last: Evidence | undefined;
    let labelsSettledAt: number | null = null;
    const look = async (settled: boolean) => {
      const d = await callAws('DescribeSecret', () => sm.send(new DescribeSecretCommand({ SecretId: secretArn })));
      const stages = Object.fromEntries(Object.entries(d.VersionIdsToStages ?? {}).map(([id, s]) => [id, s ?? []]));
      const events = await readFunctionLog(aws, functionName, since, LOG_EVENTS_READ);
      const log = readRotationLog(events, { versionId, secretArn: d.ARN ?? secretArn });
      last = { log, stages, lastRotatedDate: d.LastRotatedDate?.toISOString() ?? null };
      const labelsFinal = !(stages[versionId] ?? []).includes('AWSPENDING') || (stages[versionId] ?? []).includes('AWSCURRENT');
      labelsSettledAt = labelsFinal ? (labelsSettledAt ?? Date.now()) : null;
      const lagOver = labelsSettledAt !== null && Date.now() - labelsSettledAt >= Math.min(LOG_LAG_MS, pacing.waitTimeoutMs);
      return rotationVerdict({ versionId, steps: log.steps, versionStages: stages, settled: settled || lagOver });
    };

    const verdict = await waitFor(ctx, pacing, 'the rotation', async () => {
      const v = await look(false);
      return v.result === 'in-progress' ? undefined : v;
    }).catch(async (error: Error) => {
      if (!/Gave up waiting/.test(error.message)) throw error;
      return look(true);
    });
    const evidence = last!;
    const log = logGroupsOf(evidence.log);

    if (verdict.result === 'rotated') {
      return done({ result: 'rotated', message: verdict.message, versionId, lastRotatedDate: evidence.lastRotatedDate, log });
    }
    const { cause, fix } = causeOf(verdict, evidence.log);
    const failedStep = verdict.result === 'failed' ? verdict.failedStep : null;
    throw new StepError({
      // The step's error is shown to everyone who may read the workflow: no words from the function's log in it.
      message: publicMessageOf(verdict),
      output: { result: verdict.result === 'failed' ? 'failed' : 'unknown', message: verdict.message, failedStep, cause, fix, versionId, log },
    });
  };
