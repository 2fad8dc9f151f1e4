import { DescribeSecretCommand, RotateSecretCommand, type RotationRulesType } from '@aws-sdk/client-secrets-manager';
import { diagnoseRotationFailure, type AwsRotationRules } from '@rotation-console/rotation';
import { sdk } from '../../../platform/aws-sdk.ts';
import type { AwsClientFactory } from '../../../platform/aws.ts';
import { callAws } from '../../../platform/aws-errors.ts';
import { StepError } from '../../../platform/workflow/step-error.ts';
import type { StepRun } from '../../../platform/workflow/step-registry.ts';
import { done, fromDependency, functionArnOf, input, requestIdOf, waitFor, type Pacing } from './common.ts';

const LOG_LINES_SHOWN = 20;

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
    const pending = Object.entries(before.VersionIdsToStages ?? {}).find(([id, stages]) => id !== token && stages?.includes('AWSPENDING') && !stages.includes('AWSCURRENT'));
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
      ),
    );
    return done({ secretArn, functionArn, versionId: out.VersionId ?? token, alreadyApplied: false, requestedAt }, requestIdOf(out));
  };

/** The last lines of the function's log group since the rotation was requested. */
const recentLogLines = async (aws: AwsClientFactory, functionName: string, since: number): Promise<string[]> => {
  const { FilterLogEventsCommand } = sdk.logs();
  try {
    const out = await aws.forRegion().logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${functionName}`, startTime: since, limit: 200 }));
    return (out.events ?? []).map((e) => (e.message ?? '').trimEnd()).filter(Boolean);
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return [];
    throw error;
  }
};

/** Waits for the rotation it follows (the first one, or one asked for now) to finish, and on failure says which step failed, why, and the fix. */
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
    const since = requestedAt - 60_000;

    const verdict = await waitFor(ctx, pacing, 'the first rotation', async () => {
      const d = await callAws('DescribeSecret', () => sm.send(new DescribeSecretCommand({ SecretId: secretArn })));
      const stages = d.VersionIdsToStages?.[versionId] ?? [];
      if (stages.includes('AWSCURRENT')) return { rotated: true as const, lastRotatedDate: d.LastRotatedDate?.toISOString() ?? null };
      const lines = await recentLogLines(aws, functionName, since);
      const diagnosis = diagnoseRotationFailure(lines);
      if (diagnosis.summary) return { rotated: false as const, lines, diagnosis };
      return undefined;
    }).catch((error: Error) => {
      if (!/Gave up waiting/.test(error.message)) throw error;
      return { rotated: false as const, lines: [] as string[], diagnosis: diagnoseRotationFailure([]), timedOut: true };
    });

    if (verdict.rotated) {
      return done({ result: 'rotated', message: `The rotation finished: version ${versionId} is AWSCURRENT.`, versionId, lastRotatedDate: verdict.lastRotatedDate });
    }
    const { diagnosis } = verdict;
    const failedAt = diagnosis.failedStep ? ` at ${diagnosis.failedStep}` : '';
    const message =
      'timedOut' in verdict
        ? `The rotation did not finish within ${Math.round(pacing.waitTimeoutMs / 1000)} s; version ${versionId} still has AWSPENDING.`
        : `The rotation failed${failedAt}: ${diagnosis.summary}`;
    throw new StepError({
      message,
      output: { result: 'failed', message, failedStep: diagnosis.failedStep, cause: diagnosis.cause, logLines: verdict.lines.slice(-LOG_LINES_SHOWN), fix: diagnosis.fix, versionId },
    });
  };
