import type { BucketLocationConstraint } from '@aws-sdk/client-s3';
import { sdk } from '../../../platform/aws-sdk.ts';
import type { AwsClientFactory } from '../../../platform/aws.ts';
import { callAws } from '../../../platform/aws-errors.ts';
import type { StepRun } from '../../../platform/workflow/step-registry.ts';
import type { FunctionArtifactSource } from '../function-artifact.ts';
import { done, input, requestIdOf } from './common.ts';

const missing = (error: unknown) => ['NotFound', 'NoSuchBucket', 'NoSuchKey', 'NotFoundError'].includes((error as Error).name);

/** Ensures the bundled function's zip is in the artifact bucket (the bucket too). */
export const uploadFunctionCode =
  (aws: AwsClientFactory, artifact: FunctionArtifactSource): StepRun =>
  async (ctx) => {
    const { bucket, key } = input<{ bucket: string; key: string }>(ctx);
    const { CreateBucketCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand } = sdk.s3();
    const s3 = aws.forRegion().s3;
    const region = aws.settings.region;
    const bucketExists = await s3.send(new HeadBucketCommand({ Bucket: bucket })).then(
      () => true,
      (error: unknown) => (missing(error) || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404 ? false : Promise.reject(error)),
    );
    if (!bucketExists) {
      await callAws('CreateBucket', () =>
        s3.send(
          new CreateBucketCommand({
            Bucket: bucket,
            ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
          }),
        ),
      );
    }
    const objectExists = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
      () => true,
      (error: unknown) => (missing(error) || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404 ? false : Promise.reject(error)),
    );
    if (objectExists) return done({ bucket, key, uploaded: false, bucketCreated: !bucketExists });
    const { zip, sha256 } = await artifact();
    const out = await callAws('PutObject', () => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: zip, ContentType: 'application/zip' })));
    return done({ bucket, key, uploaded: true, bucketCreated: !bucketExists, codeSha256: sha256 }, requestIdOf(out));
  };
