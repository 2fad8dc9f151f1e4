import type { AwsClientFactory } from '../../platform/aws.ts';
import type { StepRegistry } from '../../platform/workflow/step-registry.ts';
import type { WorkflowStore } from '../../platform/workflow/workflow-store.ts';
import { createMasterGrants } from './master-grants.aws.ts';
import { cancelRotation, moveCurrentToPrevious, removePendingLabel, revokeMasterSecretAccess, rotateSecretNow } from './operation-steps.aws.ts';
import { OPERATION_STEP_KINDS } from '@rotation-console/rotation';

/**
 * Adds the operations' step kinds to the runner's registry. Rotate now also needs
 * `watch-first-rotation`, which the rotation module registers in the same registry.
 */
export const registerOperationSteps = (registry: StepRegistry, deps: { aws: AwsClientFactory; store: WorkflowStore }): StepRegistry =>
  registry
    .register(OPERATION_STEP_KINDS.rotateNow, rotateSecretNow(deps.aws))
    .register(OPERATION_STEP_KINDS.cancelRotation, cancelRotation(deps.aws))
    .register(OPERATION_STEP_KINDS.moveCurrentToPrevious, moveCurrentToPrevious(deps.aws))
    .register(OPERATION_STEP_KINDS.removePendingLabel, removePendingLabel(deps.aws))
    .register(OPERATION_STEP_KINDS.revokeMasterSecretAccess, revokeMasterSecretAccess(deps.aws, createMasterGrants(deps)));
