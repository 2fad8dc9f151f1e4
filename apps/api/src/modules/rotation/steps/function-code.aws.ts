import { createHash } from 'node:crypto';
import { sdk } from '../../../platform/aws-sdk.ts';
import type { AwsClientFactory } from '../../../platform/aws.ts';
import { callAws } from '../../../platform/aws-errors.ts';
import { StepError } from '../../../platform/workflow/step-error.ts';
import type { StepRun } from '../../../platform/workflow/step-registry.ts';
import type { FunctionArtifactSource } from '../function-artifact.ts';
import { ensureArtifactBucket, unlessNone, type ArtifactBucket } from './artifact-bucket.aws.ts';
import { done, input, requestIdOf } from './common.ts';

interface UploadInput extends ArtifactBucket {
  key: string;
  /** The bundled zip's SHA-256 when the plan was made (base64, as S3 and Lambda show it). */
  sha256: string;
}

const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');

/**
 * Ensures the bundled function's zip is in the artifact bucket (the bucket too), byte for
 * byte: the function it becomes receives database credentials, so an object already at the
 * key is used only when its SHA-256 is the console's.
 */
export const uploadFunctionCode =
  (aws: AwsClientFactory, artifact: FunctionArtifactSource): StepRun =>
  async (ctx) => {
    const target = input<UploadInput>(ctx);
    const { bucket: Bucket, key: Key, sha256, expectedBucketOwner: ExpectedBucketOwner } = target;
    const { GetObjectCommand, PutObjectCommand } = sdk.s3();
    const s3 = aws.forRegion().s3;
    const { created } = await ensureArtifactBucket(s3, target, aws.region());

    const found = await callAws('GetObject', () =>
      s3
        .send(new GetObjectCommand({ Bucket, Key, ExpectedBucketOwner }))
        .then(async (out) => sha256Of(await out.Body!.transformToByteArray()), unlessNone('NoSuchKey')),
    );
    if (found !== undefined) {
      if (found !== sha256) {
        throw new StepError({
          message: `Object s3://${Bucket}/${Key} is not the console's rotation function: its SHA-256 is ${found}, the console's code is ${sha256}. Nothing was deployed. Someone replaced or changed it: find out who (CloudTrail, S3 server access logs), delete it (aws s3api delete-object --bucket ${Bucket} --key ${Key} --expected-bucket-owner ${ExpectedBucketOwner}) and save again, so the console uploads its own code.`,
          output: { bucket: Bucket, key: Key, expectedSha256: sha256, foundSha256: found },
        });
      }
      return done({ bucket: Bucket, key: Key, uploaded: false, bucketCreated: created, codeSha256: sha256 });
    }

    const { zip, sha256: built } = await artifact();
    if (built !== sha256) {
      throw new StepError({
        message: `The console's bundled rotation function changed since this plan was made (SHA-256 ${sha256} planned, ${built} now). Nothing was deployed; save again to plan with the current code.`,
      });
    }
    // With the checksum, S3 refuses the upload unless the bytes it received hash to it.
    const out = await callAws('PutObject', () =>
      s3.send(new PutObjectCommand({ Bucket, Key, Body: zip, ContentType: 'application/zip', ChecksumSHA256: sha256, ExpectedBucketOwner })),
    );
    return done({ bucket: Bucket, key: Key, uploaded: true, bucketCreated: created, codeSha256: sha256 }, requestIdOf(out));
  };
