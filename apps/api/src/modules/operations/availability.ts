import { Operation, type OperationAvailability } from '@rotation-console/contracts';
import {
  AWSCURRENT,
  AWSPREVIOUS,
  draftOperation,
  functionNameOf,
  unfinishedPendingOf,
  versionWith,
  type SecretState,
  type VersionState,
} from '@rotation-console/rotation';
import type { SecretRecord } from '../secrets/secrets.aws.ts';

/** A secret read through DescribeSecret and ListSecretVersionIds, as the operations see it. */
export const secretStateOf = (record: SecretRecord, versions: readonly VersionState[]): SecretState => ({
  name: record.name,
  arn: record.arn,
  owningService: record.owningService,
  tags: record.tags,
  rotation: { enabled: record.rotationEnabled, lambdaArn: record.rotationLambdaArn, rules: record.rotationRules },
  nextRotationDate: record.nextRotationDate,
  versions: versions.map(({ versionId, stages, createdDate }) => ({ versionId, stages, createdDate })),
});

/** What on the secret calls for an operation the preview allows: the sentence beside its button. */
const whyItApplies = (operation: Operation, state: SecretState): string => {
  switch (operation) {
    case 'rotate-now':
      return `Rotation is on with the function ${functionNameOf(state.rotation.lambdaArn ?? '')}: Secrets Manager can rotate the secret now, outside its schedule, which stays.`;
    case 'turn-off':
      return 'Rotation is on: turning it off stops Secrets Manager rotating the secret; the rotation function stays.';
    case 'roll-back':
      return `Version ${versionWith(state, AWSPREVIOUS)} has AWSPREVIOUS: AWSCURRENT can move back to it from version ${versionWith(state, AWSCURRENT)}.`;
    case 'clear-stuck':
      return `Version ${unfinishedPendingOf(state)} has AWSPENDING but not AWSCURRENT: a rotation did not finish, and Secrets Manager refuses to start another until it is cleared.`;
  }
};

/**
 * Whether each operation applies to the secret as it is, decided by the same draft the preview and
 * the start use, so a button the Secret page enables is one the API then allows (unless the secret changed).
 */
export const operationAvailability = (state: SecretState): OperationAvailability[] =>
  Operation.options.map((operation) => {
    const { preview } = draftOperation(operation, state);
    return preview.allowed
      ? { operation, allowed: true, reason: whyItApplies(operation, state) }
      : { operation, allowed: false, reason: preview.reason ?? 'The state of this secret does not allow it.' };
  });
