/**
 * What the console's own artifact bucket (rotation-console-<account>-<region>) must look
 * like: the bundled rotation function's code lives there and receives database
 * credentials, so nobody outside the console's account may read or write it.
 * Pure: the upload step compares AWS's state with this and the plan shows it as CLI.
 */

export const MANAGED_BY_TAG = { Key: 'managed-by', Value: 'rotation-console' } as const;

export const ARTIFACT_PUBLIC_ACCESS_BLOCK = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
} as const;

export interface BucketPolicyDocument {
  Version: string;
  Statement: { Sid: string; Effect: 'Deny'; Principal: '*'; Action: 's3:*'; Resource: string[]; Condition: Record<string, Record<string, string>> }[];
}

/** Denies every principal outside the account, and any request without TLS. */
export const artifactBucketPolicy = ({
  bucket,
  accountId,
  partition = 'aws',
}: {
  bucket: string;
  accountId: string;
  partition?: string;
}): BucketPolicyDocument => {
  const Resource = [`arn:${partition}:s3:::${bucket}`, `arn:${partition}:s3:::${bucket}/*`];
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyOtherAccounts',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource,
        Condition: { StringNotEquals: { 'aws:PrincipalAccount': accountId } },
      },
      { Sid: 'DenyWithoutTls', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ],
  };
};

/** The default bucket's name: predictable, so anyone may create it first in their own account. */
export const defaultArtifactBucket = (accountId: string, region: string) => `rotation-console-${accountId}-${region}`;
