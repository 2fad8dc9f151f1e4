import type { AwsClientFactory } from '../../platform/aws.ts';
import type { PreflightRunner } from './preflight-runner.ts';

/** Every preflight check, in the order the report lists them. */
export const preflightRunners = (_aws: AwsClientFactory): PreflightRunner[] => [];
