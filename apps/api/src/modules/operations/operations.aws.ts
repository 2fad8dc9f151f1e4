import { DescribeSecretCommand, paginateListSecretVersionIds } from '@aws-sdk/client-secrets-manager';
import type { SecretState, VersionState } from '@rotation-console/rotation';
import type { AwsClientFactory } from '../../platform/aws.ts';
import { callAws } from '../../platform/aws-errors.ts';
import { toSecretRecord } from '../secrets/secrets.aws.ts';
import { secretStateOf } from './availability.ts';

/** The reads behind an operation preview: DescribeSecret and ListSecretVersionIds (IncludeDeprecated). */
export const createOperationsGateway = (aws: AwsClientFactory) => {
  const client = () => aws.forRegion().secretsManager;
  return {
    async readSecret(secretId: string): Promise<SecretState> {
      const subject = `Secret "${secretId}"`;
      const d = await callAws('DescribeSecret', () => client().send(new DescribeSecretCommand({ SecretId: secretId })), subject);
      const versions = await callAws(
        'ListSecretVersionIds',
        async () => {
          const found: VersionState[] = [];
          for await (const page of paginateListSecretVersionIds({ client: client() }, { SecretId: d.ARN ?? secretId, IncludeDeprecated: true })) {
            for (const v of page.Versions ?? []) {
              found.push({ versionId: v.VersionId ?? '', stages: v.VersionStages ?? [], createdDate: v.CreatedDate ?? null });
            }
          }
          return found;
        },
        subject,
      );
      const record = toSecretRecord(d);
      return secretStateOf({ ...record, name: record.name || secretId, arn: record.arn || secretId }, versions);
    },
  };
};
export type OperationsGateway = ReturnType<typeof createOperationsGateway>;
