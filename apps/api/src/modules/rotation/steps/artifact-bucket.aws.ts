import { isDeepStrictEqual } from 'node:util';
import type { BucketLocationConstraint, S3Client, Tag } from '@aws-sdk/client-s3';
import { ARTIFACT_PUBLIC_ACCESS_BLOCK, artifactBucketPolicy, MANAGED_BY_TAG } from '@rotation-console/rotation';
import { sdk } from '../../../platform/aws-sdk.ts';
import { callAws, translateAwsError } from '../../../platform/aws-errors.ts';
import { StepError } from '../../../platform/workflow/step-error.ts';

/** The artifact bucket as the plan names it. */
export interface ArtifactBucket {
  bucket: string;
  /** The console's account: every S3 call carries it, so S3 refuses a bucket someone else owns. */
  expectedBucketOwner: string;
  /** The console's own bucket (created and locked down here); false for the operator's ARTIFACT_BUCKET. */
  managed: boolean;
  partition: string;
}

const statusOf = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/** An S3 Get* answer meaning "none set": `undefined` instead of an error. */
export const unlessNone =
  (...names: string[]) =>
  (error: unknown): undefined => {
    if (names.includes((error as Error).name)) return undefined;
    throw error;
  };

/**
 * The bucket name is predictable, so anyone may have created it first in their own account;
 * S3 then answers 403 to a request that expects the console's account (or BucketAlreadyExists to CreateBucket).
 */
const ownedByAnother = ({ bucket, expectedBucketOwner }: ArtifactBucket) =>
  new StepError({
    message: `Bucket ${bucket} belongs to another AWS account, or this console may not use it: S3 refused a request that expects owner ${expectedBucketOwner}. Nothing was deployed. Set ARTIFACT_BUCKET to a bucket of your own in account ${expectedBucketOwner} and save again.`,
  });

/**
 * Ensures the artifact bucket exists in the console's account and, when it is the
 * console's own, blocks public access, denies every other account and carries the
 * managed-by tag. Each part reads first and acts only where AWS differs, so a rerun
 * after a crash finishes what the last run began.
 */
export const ensureArtifactBucket = async (s3: S3Client, target: ArtifactBucket, region: string): Promise<{ created: boolean }> => {
  const { CreateBucketCommand, HeadBucketCommand } = sdk.s3();
  const { bucket: Bucket, expectedBucketOwner: ExpectedBucketOwner } = target;
  const exists = await s3.send(new HeadBucketCommand({ Bucket, ExpectedBucketOwner })).then(
    () => true,
    (error: unknown) => {
      // HEAD answers carry no body: the status is all S3 says.
      if (statusOf(error) === 403) throw ownedByAnother(target);
      if ((error as Error).name === 'NotFound' || statusOf(error) === 404) return false;
      throw translateAwsError(error, 'HeadBucket');
    },
  );
  if (!exists) {
    if (!target.managed) {
      throw new StepError({
        message: `Bucket ${Bucket} (ARTIFACT_BUCKET) does not exist in account ${ExpectedBucketOwner}. Nothing was deployed. Create it, or unset ARTIFACT_BUCKET to let the console create a bucket of its own, and save again.`,
      });
    }
    // CreateBucket takes no ExpectedBucketOwner; S3 answers BucketAlreadyExists when another account holds the name.
    await s3
      .send(
        new CreateBucketCommand({
          Bucket,
          ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
        }),
      )
      .catch((error: Error) => {
        if (error.name === 'BucketAlreadyOwnedByYou') return;
        if (error.name === 'BucketAlreadyExists') throw ownedByAnother(target);
        throw translateAwsError(error, 'CreateBucket');
      });
  }
  if (target.managed) {
    await ensurePublicAccessBlock(s3, target);
    await ensurePolicy(s3, target);
    await ensureManagedByTag(s3, target);
  }
  return { created: !exists };
};

const ensurePublicAccessBlock = async (s3: S3Client, { bucket: Bucket, expectedBucketOwner: ExpectedBucketOwner }: ArtifactBucket) => {
  const { GetPublicAccessBlockCommand, PutPublicAccessBlockCommand } = sdk.s3();
  const current = await callAws('GetPublicAccessBlock', () =>
    s3
      .send(new GetPublicAccessBlockCommand({ Bucket, ExpectedBucketOwner }))
      .then((out) => out.PublicAccessBlockConfiguration, unlessNone('NoSuchPublicAccessBlockConfiguration')),
  );
  if (Object.entries(ARTIFACT_PUBLIC_ACCESS_BLOCK).every(([name, value]) => current?.[name as keyof typeof ARTIFACT_PUBLIC_ACCESS_BLOCK] === value)) return;
  await callAws('PutPublicAccessBlock', () =>
    s3.send(new PutPublicAccessBlockCommand({ Bucket, ExpectedBucketOwner, PublicAccessBlockConfiguration: { ...ARTIFACT_PUBLIC_ACCESS_BLOCK } })),
  );
};

const ensurePolicy = async (s3: S3Client, target: ArtifactBucket) => {
  const { GetBucketPolicyCommand, PutBucketPolicyCommand } = sdk.s3();
  const { bucket: Bucket, expectedBucketOwner: ExpectedBucketOwner } = target;
  const wanted = artifactBucketPolicy({ bucket: Bucket, accountId: ExpectedBucketOwner, partition: target.partition });
  const current = await callAws('GetBucketPolicy', () =>
    s3.send(new GetBucketPolicyCommand({ Bucket, ExpectedBucketOwner })).then((out) => out.Policy, unlessNone('NoSuchBucketPolicy')),
  );
  if (current && isDeepStrictEqual(JSON.parse(current), wanted)) return;
  await callAws('PutBucketPolicy', () => s3.send(new PutBucketPolicyCommand({ Bucket, ExpectedBucketOwner, Policy: JSON.stringify(wanted) })));
};

const ensureManagedByTag = async (s3: S3Client, { bucket: Bucket, expectedBucketOwner: ExpectedBucketOwner }: ArtifactBucket) => {
  const { GetBucketTaggingCommand, PutBucketTaggingCommand } = sdk.s3();
  const tags: Tag[] = await callAws('GetBucketTagging', () =>
    s3.send(new GetBucketTaggingCommand({ Bucket, ExpectedBucketOwner })).then(
      (out) => out.TagSet ?? [],
      (error: unknown) => unlessNone('NoSuchTagSet')(error) ?? [],
    ),
  );
  if (tags.some((t) => t.Key === MANAGED_BY_TAG.Key && t.Value === MANAGED_BY_TAG.Value)) return;
  // PutBucketTagging replaces the whole set: keep the tags others put there.
  const TagSet = [...tags.filter((t) => t.Key !== MANAGED_BY_TAG.Key), { ...MANAGED_BY_TAG }];
  await callAws('PutBucketTagging', () => s3.send(new PutBucketTaggingCommand({ Bucket, ExpectedBucketOwner, Tagging: { TagSet } })));
};
