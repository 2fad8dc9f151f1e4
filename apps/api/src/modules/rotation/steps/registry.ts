import type { StepKind } from '@rotation-console/contracts';
import type { AwsClientFactory } from '../../../platform/aws.ts';
import type { ServerlessRepoClient } from '../../../platform/aws-serverlessrepo.ts';
import { StepRegistry, type StepRun } from '../../../platform/workflow/step-registry.ts';
import type { FunctionArtifactSource } from '../function-artifact.ts';
import type { Pacing } from './common.ts';
import { createSecretsManagerEndpoint } from './endpoint.aws.ts';
import { addInvokePermission, configureFunctionVpc, grantMasterSecretAccess } from './function-config.aws.ts';
import { uploadFunctionCode } from './function-code.aws.ts';
import { rotateSecret, watchFirstRotation } from './rotation.aws.ts';
import { createFunctionChangeSet, executeChangeSet, readFunctionArn } from './stack.aws.ts';

/** Every kind of step a rotation plan holds, each an idempotent ensure. */
export const createRotationSteps = (deps: {
  aws: AwsClientFactory;
  serverlessRepo: ServerlessRepoClient;
  artifact: FunctionArtifactSource;
  pacing: Pacing;
}) => {
  const { aws, serverlessRepo, artifact, pacing } = deps;
  const steps: Record<StepKind, StepRun> = {
    'upload-function-code': uploadFunctionCode(aws, artifact),
    'create-function-change-set': createFunctionChangeSet(aws, serverlessRepo),
    'execute-change-set': executeChangeSet(aws, pacing),
    'read-function-arn': readFunctionArn(aws),
    'add-invoke-permission': addInvokePermission(aws),
    'configure-function-vpc': configureFunctionVpc(aws, pacing),
    'create-secrets-manager-endpoint': createSecretsManagerEndpoint(aws),
    'grant-master-secret-access': grantMasterSecretAccess(aws),
    'rotate-secret': rotateSecret(aws),
    'watch-first-rotation': watchFirstRotation(aws, pacing),
  };
  return new StepRegistry(steps);
};
