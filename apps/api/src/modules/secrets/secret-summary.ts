import { accountRegionOfArn } from '../../platform/targets/target.ts';
import { teamOf } from '../../platform/team-tag.ts';
import type { RotationStepName, SecretDetail } from '@rotation-console/contracts';
import { deriveStatus, type LastRotationEvidence, type RotationFacts } from '@rotation-console/rotation';
import { operationAvailability, secretStateOf } from '../operations/availability.ts';
import type { SecretRecord, VersionRecord } from './secrets.aws.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * What packages/rotation's deriveStatus reads, from DescribeSecret or ListSecrets; with the
 * versions' dates where ListSecretVersionIds was read, and the verdict on the last rotation where
 * its function's log was (last-rotation.ts). The one mapping for the list, the detail and the index.
 */
export const rotationFactsOf = (
  record: SecretRecord,
  { versions, lastRotation }: { versions?: VersionRecord[]; lastRotation?: LastRotationEvidence | null } = {},
): RotationFacts => ({
  owningService: record.owningService,
  rotationEnabled: record.rotationEnabled,
  automaticallyAfterDays: record.rotationRules?.automaticallyAfterDays ?? null,
  lastRotatedDate: record.lastRotatedDate,
  nextRotationDate: record.nextRotationDate,
  versionStages: versions ? Object.fromEntries(versions.map((v) => [v.versionId, v.stages])) : record.versionStages,
  ...(versions ? { versionCreated: Object.fromEntries(versions.map((v) => [v.versionId, v.createdDate])) } : {}),
  lastRotation: lastRotation ?? null,
});

/** What a secret's page says of it besides the status, from AWS's answer (a row of the Secrets list reads the same from the index: index-row.ts toSecretSummary). */
const summaryFields = (record: SecretRecord, teamTagKey: string) => ({
  name: record.name,
  arn: record.arn,
  accountId: accountRegionOfArn(record.arn)?.accountId ?? '',
  region: accountRegionOfArn(record.arn)?.region ?? '',
  description: record.description,
  tags: record.tags,
  team: teamOf(record.tags, teamTagKey),
  owningService: record.owningService,
  createdDate: iso(record.createdDate),
  lastChangedDate: iso(record.lastChangedDate),
  rotation: {
    enabled: record.rotationEnabled,
    lambdaArn: record.rotationLambdaArn,
    rules: record.rotationRules,
    lastRotatedDate: iso(record.lastRotatedDate),
    nextRotationDate: iso(record.nextRotationDate),
  },
});

export const toDetail = (
  record: SecretRecord,
  versions: VersionRecord[],
  teamTagKey: string,
  now: Date,
  lastRotation: LastRotationEvidence | null,
): SecretDetail => {
  const verdict = deriveStatus(rotationFactsOf(record, { versions, lastRotation }), now);
  return {
    ...summaryFields(record, teamTagKey),
    status: verdict.status,
    failedStep: (verdict.failedStep ?? null) as RotationStepName | null,
    statusReasons: verdict.reasons,
    versions: versions.map((v) => ({
      versionId: v.versionId,
      stages: v.stages,
      createdDate: iso(v.createdDate),
      lastAccessedDate: iso(v.lastAccessedDate),
    })),
    // What the Secret page offers beside the status: the operations this state allows, and why not the others.
    operations: operationAvailability(secretStateOf(record, versions)),
  };
};
