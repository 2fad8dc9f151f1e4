import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';

/** The harness's own SDK clients, for seeding and for checking AWS's state after a test. */
export const harnessClients = (endpoint: string | undefined, region = process.env.AWS_REGION ?? 'us-east-1') => {
  const common = { region, ...(endpoint ? { endpoint } : {}) };
  return {
    secretsManager: new SecretsManagerClient(common),
    rds: new RDSClient(common),
    ec2: new EC2Client(common),
    iam: new IAMClient(common),
    lambda: new LambdaClient(common),
    sts: new STSClient(common),
    cloudFormation: new CloudFormationClient(common),
    logs: new CloudWatchLogsClient(common),
    // Path-style: the emulator serves buckets under its one host name.
    s3: new S3Client({ ...common, forcePathStyle: Boolean(endpoint) }),
  };
};
export type HarnessClients = ReturnType<typeof harnessClients>;

/**
 * The console's per-attempt AWS timeout (AWS_TIMEOUT_MS) against an emulator. moto runs a whole
 * rotation inside RotateSecret (the function's four steps, each a Lambda invocation that talks to the
 * database) where AWS starts it and answers at once. On a busy machine that outlasts the console's
 * default of 4 s per attempt, and the SDK sends the same RotateSecret again (a flaky count of calls, or
 * a workflow slowed past its test's time). A test that is about timeouts sets its own.
 */
export const EMULATOR_AWS_TIMEOUT_MS = '30000';

/** Emulators accept any credentials; give the SDK some when none are configured. */
export const ensureEmulatorCredentials = () => {
  process.env.AWS_ACCESS_KEY_ID ??= 'testing';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'testing';
  process.env.AWS_REGION ??= 'us-east-1';
};

/**
 * Makes an SDK client act in another moto account. moto 5.2.1 picks the account from the
 * x-moto-account-id header, or from an access key IAM issued in that account; a 12-digit
 * access key id alone does not select it.
 */
export const inMotoAccount = <C extends { middlewareStack: object }>(client: C, accountId: string): C => {
  // Every client's stack takes the same build-step middleware; S3's type stands for them all.
  (client.middlewareStack as S3Client['middlewareStack']).add(
    (next) => (args) => {
      (args.request as { headers: Record<string, string> }).headers['x-moto-account-id'] = accountId;
      return next(args);
    },
    { step: 'build', name: 'motoAccount' },
  );
  return client;
};
