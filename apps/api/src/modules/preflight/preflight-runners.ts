import type { AwsClientFactory } from '../../platform/aws.ts';
import { createDatabaseLoginCheck } from './database-login.check.aws.ts';
import { createFunctionCheck } from './function.check.aws.ts';
import { createPermissionsCheck } from './permissions.check.ts';
import type { PreflightRunner } from './preflight-runner.ts';

/** Every preflight check, in the order the report lists them (the network checks join them from their branch). */
export const preflightRunners = (aws: AwsClientFactory): PreflightRunner[] => [
  createPermissionsCheck({ aws }),
  createFunctionCheck({ aws }),
  createDatabaseLoginCheck({ aws }),
];
