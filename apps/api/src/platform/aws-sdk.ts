import type * as CloudFormation from '@aws-sdk/client-cloudformation';
import type * as CloudWatchLogs from '@aws-sdk/client-cloudwatch-logs';
import type * as Ec2 from '@aws-sdk/client-ec2';
import type * as EventBridge from '@aws-sdk/client-eventbridge';
import type * as Iam from '@aws-sdk/client-iam';
import type * as Kms from '@aws-sdk/client-kms';
import type * as Lambda from '@aws-sdk/client-lambda';
import type * as Organizations from '@aws-sdk/client-organizations';
import type * as Rds from '@aws-sdk/client-rds';
import type * as S3 from '@aws-sdk/client-s3';
import type * as Sqs from '@aws-sdk/client-sqs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The SDK's service packages that only the rotation wizard, its steps, the preflight and the timeline call, each
 * loaded on first use and kept by Node's module cache. Loaded together at start-up they held about
 * 100 MB (EC2 alone about 67 MB) in an API that, serving the dashboard, never calls them.
 * Secrets Manager and STS, used on every page, stay ordinary imports.
 *
 * `require` rather than `import()`: it is synchronous, so a client stays a plain property of
 * `forRegion()`, and it returns the same CommonJS module an `import` statement gets, so the SDK's
 * paginators (which check `client instanceof` their client class) keep working.
 */
export const sdk = {
  cloudFormation: () => require('@aws-sdk/client-cloudformation') as typeof CloudFormation,
  logs: () => require('@aws-sdk/client-cloudwatch-logs') as typeof CloudWatchLogs,
  ec2: () => require('@aws-sdk/client-ec2') as typeof Ec2,
  eventBridge: () => require('@aws-sdk/client-eventbridge') as typeof EventBridge,
  iam: () => require('@aws-sdk/client-iam') as typeof Iam,
  kms: () => require('@aws-sdk/client-kms') as typeof Kms,
  lambda: () => require('@aws-sdk/client-lambda') as typeof Lambda,
  organizations: () => require('@aws-sdk/client-organizations') as typeof Organizations,
  rds: () => require('@aws-sdk/client-rds') as typeof Rds,
  s3: () => require('@aws-sdk/client-s3') as typeof S3,
  sqs: () => require('@aws-sdk/client-sqs') as typeof Sqs,
};
