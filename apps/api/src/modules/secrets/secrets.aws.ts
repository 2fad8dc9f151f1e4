import { DescribeSecretCommand, paginateListSecretVersionIds, type DescribeSecretCommandOutput, type SecretListEntry } from '@aws-sdk/client-secrets-manager';
import type { Tag } from '@rotation-console/contracts';
import type { AwsClientFactory } from '../../platform/aws.ts';
import { callAws } from '../../platform/aws-errors.ts';
import { reportedVersionDates } from './version-dates.ts';

/** A secret as the console needs it, independent of the SDK's shapes. Never holds a value. */
export interface SecretRecord {
  name: string;
  arn: string;
  description: string | null;
  tags: Tag[];
  owningService: string | null;
  createdDate: Date | null;
  lastChangedDate: Date | null;
  rotationEnabled: boolean;
  rotationLambdaArn: string | null;
  rotationRules: { automaticallyAfterDays: number | null; scheduleExpression: string | null; duration: string | null } | null;
  lastRotatedDate: Date | null;
  nextRotationDate: Date | null;
  versionStages: Record<string, string[]>;
}

export interface VersionRecord {
  versionId: string;
  stages: string[];
  createdDate: Date | null;
  lastAccessedDate: Date | null;
}

type Entry = SecretListEntry | DescribeSecretCommandOutput;

/**
 * The one mapping of a ListSecrets entry or a DescribeSecret answer: the index (and so the
 * Secrets list and the dashboard), a secret's page, the wizard and the operations all read a
 * secret through it.
 */
export const toSecretRecord = (entry: Entry): SecretRecord => {
  const rules = entry.RotationRules;
  const versionStages = 'SecretVersionsToStages' in entry ? entry.SecretVersionsToStages : (entry as DescribeSecretCommandOutput).VersionIdsToStages;
  return {
    name: entry.Name ?? '',
    arn: entry.ARN ?? '',
    description: entry.Description || null,
    tags: (entry.Tags ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' })),
    owningService: entry.OwningService || null,
    createdDate: entry.CreatedDate ?? null,
    lastChangedDate: entry.LastChangedDate ?? null,
    rotationEnabled: entry.RotationEnabled ?? false,
    rotationLambdaArn: entry.RotationLambdaARN || null,
    rotationRules: rules
      ? {
          automaticallyAfterDays: rules.AutomaticallyAfterDays || null,
          scheduleExpression: rules.ScheduleExpression || null,
          duration: rules.Duration || null,
        }
      : null,
    lastRotatedDate: entry.LastRotatedDate ?? null,
    nextRotationDate: entry.NextRotationDate ?? null,
    versionStages: Object.fromEntries(Object.entries(versionStages ?? {}).map(([id, stages]) => [id, stages ?? []])),
  };
};

/** The Secrets Manager calls of a secret's page (the list reads the index: dashboard/crawl.aws.ts fills it). */
export const createSecretsGateway = (aws: AwsClientFactory) => {
  const client = () => aws.forRegion().secretsManager;
  return {
    async describe(secretId: string): Promise<SecretRecord> {
      const out = await callAws('DescribeSecret', () => client().send(new DescribeSecretCommand({ SecretId: secretId })), `Secret "${secretId}"`);
      return toSecretRecord(out);
    },

    /** The secret's versions (deprecated ones too), with their dates where they can be AWS's (version-dates.ts). */
    async listVersions(secret: Pick<SecretRecord, 'arn' | 'lastChangedDate'>): Promise<VersionRecord[]> {
      const secretId = secret.arn;
      const versions = await callAws(
        'ListSecretVersionIds',
        async () => {
          const versions: VersionRecord[] = [];
          // IncludeDeprecated: versions without labels are part of the secret's history too.
          for await (const page of paginateListSecretVersionIds({ client: client() }, { SecretId: secretId, IncludeDeprecated: true })) {
            for (const v of page.Versions ?? []) {
              versions.push({
                versionId: v.VersionId ?? '',
                stages: v.VersionStages ?? [],
                createdDate: v.CreatedDate ?? null,
                lastAccessedDate: v.LastAccessedDate ?? null,
              });
            }
          }
          return versions;
        },
        `Secret "${secretId}"`,
      );
      return reportedVersionDates(versions, secret.lastChangedDate);
    },
  };
};
export type SecretsGateway = ReturnType<typeof createSecretsGateway>;
