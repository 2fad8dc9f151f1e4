import { createHash, randomUUID } from 'node:crypto';
import { CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetFunctionCommand, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { RotationRequestInput, Workflow } from '@rotation-console/contracts';
import { inMotoAccount } from '@rotation-console/harness/aws.ts';
import { startAwsProxy, type AwsProxy } from '@rotation-console/harness/aws-proxy.ts';
import { artifactBucketPolicy } from '@rotation-console/rotation';
import { readRotationTemplate } from '@rotation-console/rotation-functions';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFunctionArtifact, type FunctionArtifact } from '../../src/modules/rotation/function-artifact.ts';
import { createDatabaseUserSecret, dropDatabaseUsers, waitForWorkflow } from '../support/rotation-fixtures.ts';
import { aws, buildApi, motoEndpoint, reset } from '../support/support.ts';

/**
 * The artifact bucket: the bundled rotation function's code lives in
 * rotation-console-<account>-<region>, a name anyone can create first in their own
 * account. The console must use only a bucket of its own account and only its own bytes.
 */

const ACCOUNT = '123456789012'; // moto's default account: the console's
const OTHER_ACCOUNT = '111122223333';
const BUCKET = `rotation-console-${ACCOUNT}-us-east-1`;
const FUNCTION_NAME = 'artifact-rotation';
const STACK_NAME = `SecretsManagerRotation-${FUNCTION_NAME}`;

const users: string[] = [];
let proxy: AwsProxy;
let api: Awaited<ReturnType<typeof buildApi>>;
let artifact: FunctionArtifact;
const otherAccountS3 = () => inMotoAccount(new S3Client({ region: 'us-east-1', endpoint: motoEndpoint(), forcePathStyle: true }), OTHER_ACCOUNT);

const enable = async (): Promise<{ workflow: Workflow; secretName: string }> => {
  const secret = await createDatabaseUserSecret(`test/artifact/${randomUUID().slice(0, 8)}`);
  users.push(secret.username);
  const body: RotationRequestInput = {
    secretId: secret.name,
    schedule: { kind: 'days', days: 30 },
    rotateImmediately: false,
    function: { mode: 'create', functionName: FUNCTION_NAME, strategy: 'single-user' },
    network: null,
  };
  const started = await request(api.app).post('/api/v1/workflows').set('Idempotency-Key', randomUUID()).send(body).expect(202);
  return { workflow: await waitForWorkflow(api.app, started.body.id), secretName: secret.name };
};

const stepOf = (workflow: Workflow, id: string) => workflow.steps.find((s) => s.id === id)!;

/** Nothing deployed and rotation still off: what a refused artifact must leave. */
const expectNothingDeployed = async (secretName: string) => {
  const stacks = await aws()
    .cloudFormation.send(new DescribeStacksCommand({ StackName: STACK_NAME }))
    .catch((error: Error) => error);
  expect(stacks).toBeInstanceOf(Error);
  expect((stacks as Error).message).toMatch(/does not exist/);
  const functions = (await aws().lambda.send(new ListFunctionsCommand({}))).Functions ?? [];
  expect(functions.map((f) => f.FunctionName)).not.toContain(FUNCTION_NAME);
  const secret = await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: secretName }));
  expect(secret.RotationEnabled ?? false).toBe(false);
  expect(secret.RotationLambdaARN).toBeUndefined();
};

describe('The artifact bucket', () => {
  beforeAll(async () => {
    proxy = await startAwsProxy({ target: motoEndpoint() });
    api = await buildApi({ AWS_ENDPOINT_URL: proxy.url, FUNCTION_SOURCE: 'bundled-template' });
    artifact = await createFunctionArtifact()();
  });
  beforeEach(async () => {
    await reset();
    proxy.calls.length = 0;
  });
  afterAll(async () => {
    await api.close();
    await proxy.close();
    await dropDatabaseUsers(users);
  });

  it('When a new function is saved, then every S3 call expects the console’s account and the bucket blocks public access, denies other accounts and is tagged', async () => {
    const { workflow } = await enable();

    expect(workflow.status, JSON.stringify(workflow.steps.filter((s) => s.error))).toBe('succeeded');
    const s3Calls = proxy.calls.filter((c) => c.service === 's3');
    expect(s3Calls.map((c) => c.operation)).toEqual(
      expect.arrayContaining(['HeadBucket', 'CreateBucket', 'PutPublicAccessBlock', 'PutBucketPolicy', 'PutBucketTagging', 'GetObject', 'PutObject']),
    );
    // CreateBucket is the one S3 call without ExpectedBucketOwner: S3 does not take it there.
    for (const call of s3Calls.filter((c) => c.operation !== 'CreateBucket')) expect(call, call.operation).toMatchObject({ expectedBucketOwner: ACCOUNT });

    const s3 = aws().s3;
    const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket: BUCKET }));
    expect(block.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).Policy!) as {
      Statement: { Effect: string; Condition: unknown }[];
    };
    expect(policy.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Principal: '*', Condition: { StringNotEquals: { 'aws:PrincipalAccount': ACCOUNT } } }),
        expect.objectContaining({ Effect: 'Deny', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    );
    const tags = await s3.send(new GetBucketTaggingCommand({ Bucket: BUCKET }));
    expect(tags.TagSet).toContainEqual({ Key: 'managed-by', Value: 'rotation-console' });
    // The policy at work: another account may not read the code.
    await expect(otherAccountS3().send(new GetObjectCommand({ Bucket: BUCKET, Key: artifact.key }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
    const fn = await aws().lambda.send(new GetFunctionCommand({ FunctionName: FUNCTION_NAME }));
    expect(fn.Configuration?.CodeSha256).toBe(artifact.sha256);
  });

  it('When another account already owns the bucket name, then the upload fails saying so and nothing is deployed', async () => {
    await otherAccountS3().send(new CreateBucketCommand({ Bucket: BUCKET }));

    const { workflow, secretName } = await enable();

    expect(workflow.status).toBe('failed');
    const upload = stepOf(workflow, 'upload-function-code');
    expect(upload.status).toBe('failed');
    expect(upload.error).toMatch(new RegExp(`Bucket ${BUCKET} belongs to another AWS account.*Set ARTIFACT_BUCKET to a bucket of your own`));
    expect(stepOf(workflow, 'create-function-change-set').status).toBe('skipped');
    await expectNothingDeployed(secretName);
    expect((await otherAccountS3().send(new ListObjectsV2Command({ Bucket: BUCKET }))).KeyCount ?? 0).toBe(0);
  });

  it('When the object at the key holds other bytes, then the upload fails naming both hashes and nothing is deployed', async () => {
    const s3 = aws().s3;
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const planted = Buffer.from('not the console’s rotation function');
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: artifact.key, Body: planted }));
    const plantedSha = createHash('sha256').update(planted).digest('base64');

    const { workflow, secretName } = await enable();

    expect(workflow.status).toBe('failed');
    const upload = stepOf(workflow, 'upload-function-code');
    expect(upload.status).toBe('failed');
    expect(upload.error).toContain(`Object s3://${BUCKET}/${artifact.key} is not the console's rotation function`);
    expect(upload.error).toContain(`its SHA-256 is ${plantedSha}, the console's code is ${artifact.sha256}`);
    expect(upload.error).toMatch(/delete-object/);
    await expectNothingDeployed(secretName);
    const kept = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: artifact.key }));
    expect(Buffer.from(await kept.Body!.transformToByteArray())).toEqual(planted);
  });

  it('When the function the stack deploys runs other code, then reading its ARN fails naming both hashes and rotation stays off', async () => {
    // A stack of the console's name, deployed earlier from other code.
    const s3 = aws().s3;
    await s3.send(new CreateBucketCommand({ Bucket: 'someone-elses-code' }));
    await s3.send(new PutObjectCommand({ Bucket: 'someone-elses-code', Key: 'fn.zip', Body: Buffer.from('other code') }));
    const parameters = {
      functionName: FUNCTION_NAME,
      codeS3Bucket: 'someone-elses-code',
      codeS3Key: 'fn.zip',
      engine: 'postgres',
      rotationStrategy: 'single-user',
      endpoint: 'https://secretsmanager.us-east-1.amazonaws.com',
    };
    await aws().cloudFormation.send(
      new CreateStackCommand({
        StackName: STACK_NAME,
        TemplateBody: await readRotationTemplate(),
        Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
        Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
      }),
    );
    const deployed = await aws().lambda.send(new GetFunctionCommand({ FunctionName: FUNCTION_NAME }));

    const { workflow, secretName } = await enable();

    expect(workflow.status).toBe('failed');
    const read = stepOf(workflow, 'read-function-arn');
    expect(read.status).toBe('failed');
    expect(read.error).toContain(
      `does not run the console's rotation function: its CodeSha256 is ${deployed.Configuration!.CodeSha256}, the console's code is ${artifact.sha256}`,
    );
    expect(read.error).toContain(`aws cloudformation delete-stack --stack-name ${STACK_NAME}`);
    expect(['add-invoke-permission', 'rotate-secret'].map((id) => stepOf(workflow, id).status)).toEqual(['skipped', 'skipped']);
    const secret = await aws().secretsManager.send(new DescribeSecretCommand({ SecretId: secretName }));
    expect(secret.RotationEnabled ?? false).toBe(false);
    expect(secret.RotationLambdaARN).toBeUndefined();
  });
});

describe('The harness against moto 5.2.1 (moto differs from AWS here)', () => {
  beforeEach(() => reset());

  it('When a request expects another owner than the bucket’s, then S3 refuses it with 403 (moto ignores ExpectedBucketOwner; the harness refuses as AWS does)', async () => {
    await otherAccountS3().send(new CreateBucketCommand({ Bucket: BUCKET }));

    await expect(aws().s3.send(new HeadBucketCommand({ Bucket: BUCKET, ExpectedBucketOwner: ACCOUNT }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
    await expect(aws().s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'x', ExpectedBucketOwner: ACCOUNT }))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    await expect(otherAccountS3().send(new HeadBucketCommand({ Bucket: BUCKET, ExpectedBucketOwner: OTHER_ACCOUNT }))).resolves.toBeDefined();
    // Bucket names are global across accounts, in moto as in AWS.
    await expect(aws().s3.send(new CreateBucketCommand({ Bucket: BUCKET }))).rejects.toMatchObject({ name: 'BucketAlreadyExists' });
  });

  it('When a bucket policy denies only other accounts, then its own account may still use the objects (moto ignores StringNotEquals and Bool and denies everyone; the harness evaluates them)', async () => {
    const s3 = aws().s3;
    await s3.send(new CreateBucketCommand({ Bucket: 'policy-check' }));
    await s3.send(
      new PutBucketPolicyCommand({ Bucket: 'policy-check', Policy: JSON.stringify(artifactBucketPolicy({ bucket: 'policy-check', accountId: ACCOUNT })) }),
    );

    await expect(s3.send(new PutObjectCommand({ Bucket: 'policy-check', Key: 'k', Body: 'x' }))).resolves.toBeDefined();
    await expect(otherAccountS3().send(new PutObjectCommand({ Bucket: 'policy-check', Key: 'k', Body: 'y' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
  });
});
