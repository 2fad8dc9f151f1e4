import {
  CancelRotateSecretCommand,
  DescribeSecretCommand,
  ListSecretVersionIdsCommand,
  RotateSecretCommand,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { AWSCURRENT, AWSPENDING, parsePolicyDocument, withoutMasterGrant, type MasterGrant } from '@rotation-console/rotation';
import type { AwsClientFactory } from '../../platform/aws.ts';
import { callAws } from '../../platform/aws-errors.ts';
import { StepError } from '../../platform/workflow/step-error.ts';
import type { StepContext, StepResult, StepRun } from '../../platform/workflow/step-registry.ts';
import { readRolePolicy, roleLock, writeRolePolicy } from '../rotation/steps/master-policy.aws.ts';
import type { MasterGrants } from './master-grants.aws.ts';

// Each step is an idempotent ensure: it reads the secret first and changes only what differs,
// because the runner runs it again after a crash. None of them ever reads a secret value.

const input = <T>(ctx: StepContext) => ctx.input as T;
const requestIdOf = (out: { $metadata?: { requestId?: string } }) => out.$metadata?.requestId ?? null;
const done = (output: Record<string, unknown>, awsRequestId: string | null = null): StepResult => ({ output, awsRequestId });

const describe = async (sm: SecretsManagerClient, secretArn: string) => {
  const d = await callAws('DescribeSecret', () => sm.send(new DescribeSecretCommand({ SecretId: secretArn })), `Secret "${secretArn}"`);
  const stages: Record<string, string[]> = Object.fromEntries(Object.entries(d.VersionIdsToStages ?? {}).map(([id, s]) => [id, s ?? []]));
  return { secret: d, stages };
};

const holderOf = (stages: Record<string, string[]>, label: string) => Object.entries(stages).find(([, s]) => s.includes(label))?.[0] ?? null;
const unfinishedPending = (stages: Record<string, string[]>, except?: string) =>
  Object.entries(stages).find(([id, s]) => id !== except && s.includes(AWSPENDING) && !s.includes(AWSCURRENT))?.[0] ?? null;

/** The version a token names, also when it no longer has a label (DescribeSecret lists only labelled versions). */
const findVersion = async (sm: SecretsManagerClient, secretArn: string, versionId: string) => {
  let nextToken: string | undefined;
  do {
    const page = await callAws('ListSecretVersionIds', () =>
      sm.send(new ListSecretVersionIdsCommand({ SecretId: secretArn, IncludeDeprecated: true, ...(nextToken ? { NextToken: nextToken } : {}) })),
    );
    const found = page.Versions?.find((v) => v.VersionId === versionId);
    if (found) return found;
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  return null;
};

/**
 * Rotate now: RotateSecret with the stored token as ClientRequestToken (the new version's id),
 * so a rerun after a crash finds its own version instead of starting a second rotation.
 * Outputs versionId, requestedAt and functionArn, which watch-first-rotation reads.
 */
export const rotateSecretNow =
  (aws: AwsClientFactory): StepRun =>
  async (ctx) => {
    const { secretArn, functionArn: previewed } = input<{ secretArn: string; functionArn: string }>(ctx);
    const sm = aws.forRegion().secretsManager;
    const token = ctx.idempotencyToken;
    const { secret, stages } = await describe(sm, secretArn);
    const functionArn = secret.RotationLambdaARN || previewed;

    // Already requested (a rerun after a crash): the version our token names exists.
    const ours = await findVersion(sm, secretArn, token);
    if (ours) {
      const requestedAt = (ours.CreatedDate ?? new Date()).toISOString();
      return done({ secretArn, functionArn, versionId: token, alreadyApplied: true, requestedAt });
    }
    if (!secret.RotationEnabled || !secret.RotationLambdaARN) {
      throw new StepError({
        message: 'Rotation was turned off or lost its rotation function since the preview; nothing was rotated. Turn rotation on, then rotate again.',
      });
    }
    const stuck = unfinishedPending(stages, token);
    if (stuck) {
      throw new StepError({
        message: `Version ${stuck} has AWSPENDING from a rotation that did not finish, so Secrets Manager refuses a new one. Clear the stuck rotation, then rotate again.`,
      });
    }
    const requestedAt = new Date().toISOString();
    const out = await callAws('RotateSecret', () =>
      sm.send(
        new RotateSecretCommand({
          SecretId: secretArn,
          ClientRequestToken: token,
          // AWS documents `rotate-secret --secret-id` alone as "rotate now with the stored
          // configuration", and also accepts the configuration parameters, which it sets before
          // rotating. We pass the function that is configured already (no rules), which on AWS
          // changes nothing and keeps the schedule. moto 5.2.1 clears the stored ARN when the
          // parameter is missing (DESIGN.md), and then marks an empty version AWSCURRENT without
          // running any function; sending the ARN is the one request both treat the same way.
          RotationLambdaARN: functionArn,
        }),
        // It waits its turn under RotateSecret's quota (paceRotateQuota); a workflow cancelled meanwhile sends nothing.
        { abortSignal: ctx.signal },
      ),
    );
    return done({ secretArn, functionArn, versionId: out.VersionId ?? token, alreadyApplied: false, requestedAt }, requestIdOf(out));
  };

/** Turn rotation off: CancelRotateSecret, unless rotation is off already. The function stays. */
export const cancelRotation =
  (aws: AwsClientFactory): StepRun =>
  async (ctx) => {
    const { secretArn } = input<{ secretArn: string }>(ctx);
    const sm = aws.forRegion().secretsManager;
    const { secret } = await describe(sm, secretArn);
    const functionArn = secret.RotationLambdaARN || null;
    if (!secret.RotationEnabled) {
      return done({ secretArn, alreadyApplied: true, rotationEnabled: false, functionArn, message: 'Rotation was already off; nothing was changed.' });
    }
    const out = await callAws('CancelRotateSecret', () => sm.send(new CancelRotateSecretCommand({ SecretId: secretArn }), { abortSignal: ctx.signal }));
    const after = await describe(sm, secretArn);
    if (after.secret.RotationEnabled) {
      throw new StepError({
        message: 'Secrets Manager still reports rotation on after CancelRotateSecret.',
        retryable: true,
        awsRequestId: requestIdOf(out) ?? undefined,
      });
    }
    const pending = unfinishedPending(after.stages);
    const message = pending
      ? `Rotation is off. Version ${pending} still has AWSPENDING from an unfinished rotation: clear the stuck rotation to remove it.`
      : 'Rotation is off. The rotation function was not deleted.';
    return done(
      { secretArn, alreadyApplied: false, rotationEnabled: false, functionArn, cancelledVersionId: out.VersionId ?? null, pendingVersionId: pending, message },
      requestIdOf(out),
    );
  };

/** Roll back: move AWSCURRENT from the version that had it at preview time to the AWSPREVIOUS one. */
export const moveCurrentToPrevious =
  (aws: AwsClientFactory): StepRun =>
  async (ctx) => {
    const { secretArn, fromVersionId, toVersionId } = input<{ secretArn: string; fromVersionId: string; toVersionId: string }>(ctx);
    const sm = aws.forRegion().secretsManager;
    const { stages } = await describe(sm, secretArn);
    const current = holderOf(stages, AWSCURRENT);
    if (current === toVersionId) {
      return done({ secretArn, fromVersionId, toVersionId, alreadyApplied: true, versionStages: stages });
    }
    if (current !== fromVersionId) {
      throw new StepError({
        message: `AWSCURRENT is on version ${current ?? '(none)'} now, not on ${fromVersionId} as when the roll back was previewed; nothing was changed. Preview the roll back again.`,
      });
    }
    const out = await callAws('UpdateSecretVersionStage', () =>
      sm.send(
        new UpdateSecretVersionStageCommand({
          SecretId: secretArn,
          VersionStage: AWSCURRENT,
          MoveToVersionId: toVersionId,
          RemoveFromVersionId: fromVersionId,
        }),
      ),
    );
    const after = await describe(sm, secretArn);
    return done({ secretArn, fromVersionId, toVersionId, alreadyApplied: false, versionStages: after.stages }, requestIdOf(out));
  };

/**
 * Removes AWSPENDING from one version: a stuck rotation's version (clear stuck), or the AWSCURRENT
 * version before a roll back moves AWSCURRENT away from it. With keepIfCurrent, a version that became
 * AWSCURRENT meanwhile (its rotation finished after all) is left alone.
 */
export const removePendingLabel =
  (aws: AwsClientFactory): StepRun =>
  async (ctx) => {
    const { secretArn, versionId, keepIfCurrent } = input<{ secretArn: string; versionId: string; keepIfCurrent: boolean }>(ctx);
    const sm = aws.forRegion().secretsManager;
    const { stages } = await describe(sm, secretArn);
    const labels = stages[versionId] ?? [];
    if (!labels.includes(AWSPENDING)) {
      return done({ secretArn, versionId, alreadyApplied: true, message: `Version ${versionId} has no AWSPENDING; nothing to remove.`, versionStages: stages });
    }
    if (keepIfCurrent && labels.includes(AWSCURRENT)) {
      return done({
        secretArn,
        versionId,
        alreadyApplied: true,
        message: `Version ${versionId} became AWSCURRENT: its rotation finished, so nothing is stuck.`,
        versionStages: stages,
      });
    }
    const out = await callAws('UpdateSecretVersionStage', () =>
      sm.send(new UpdateSecretVersionStageCommand({ SecretId: secretArn, VersionStage: AWSPENDING, RemoveFromVersionId: versionId })),
    );
    const after = await describe(sm, secretArn);
    return done(
      { secretArn, versionId, alreadyApplied: false, message: `Removed AWSPENDING from version ${versionId}.`, versionStages: after.stages },
      requestIdOf(out),
    );
  };

/**
 * Turn off, for a multi-user secret: removes its master secret's statement from the function
 * role's policy (deleting the policy with its last statement), unless another secret still
 * needs it, checked again now under the role's lock so a grant made meanwhile is seen. Rerun:
 * the statement is gone, nothing changes.
 */
export const revokeMasterSecretAccess =
  (aws: AwsClientFactory, grants: MasterGrants): StepRun =>
  async (ctx) => {
    const grant = input<MasterGrant>(ctx);
    const { roleName, policyName, masterSecretArn } = grant;
    return ctx.exclusive(roleLock(roleName), async () => {
      const neededBy = await grants.neededBy(grant);
      if (neededBy.length > 0) {
        return done({
          ...grant,
          removed: false,
          neededBy,
          message: `Kept: ${neededBy.join(', ')} still rotate${neededBy.length === 1 ? 's' : ''} with this master secret on role ${roleName}.`,
        });
      }
      const clients = aws.forRegion();
      const current = (await readRolePolicy(clients, roleName, policyName)) ?? parsePolicyDocument(null);
      const { document, changed } = withoutMasterGrant(current, masterSecretArn);
      if (!changed)
        return done({
          ...grant,
          removed: false,
          alreadyApplied: true,
          message: `Role ${roleName} had no statement for the master secret; nothing was changed.`,
        });
      const out = await writeRolePolicy(clients, roleName, policyName, document);
      const message = document
        ? `Removed the master secret's statement from ${policyName}; the others stay.`
        : `Removed the master secret's statement, the last of ${policyName}: the policy was deleted.`;
      return done({ ...grant, removed: true, policyDeleted: document === null, neededBy: [], message }, requestIdOf(out));
    });
  };
