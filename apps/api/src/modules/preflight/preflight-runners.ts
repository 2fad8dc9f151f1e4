import type { AwsClientFactory } from '../../platform/aws.ts';
import { createDatabaseLoginCheck } from './database-login.check.aws.ts';
import { createFunctionCheck } from './function.check.aws.ts';
import { createNetworkChecks } from './network.check.ts';
import { createPermissionsCheck } from './permissions.check.ts';
import type { PreflightRunner } from './preflight-runner.ts';

/** Every preflight check, in the order the report lists them. */
export const preflightRunners = (aws: AwsClientFactory): PreflightRunner[] => [
  ...createNetworkChecks({ aws }),
  createPermissionsCheck({ aws }),
  createFunctionCheck({ aws }),
  createDatabaseLoginCheck({ aws }),
];
