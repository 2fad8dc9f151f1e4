import { permissionRequirements, permissionsCheck, type PermissionRequirement, type PermissionsFacts, type RoleFacts } from '@rotation-console/rotation';
import type { AwsClientFactory } from '../../platform/aws.ts';
import { UpstreamError } from '../../platform/errors.ts';
import { createPermissionReads, ImplausibleSimulatorError } from './permissions.aws.ts';
import type { PreflightRunner } from './preflight-runner.ts';

export const SIMULATOR_METHOD =
  'IAM policy simulator (iam:SimulatePrincipalPolicy) for the role\u2019s policies; key, secret and function policies evaluated by the console';
export const NO_SIMULATOR_METHOD = 'statements evaluated by the console: the emulator has no policy simulator';
export const PLAN_METHOD = 'statements evaluated by the console: the plan\u2019s role policy (the role does not exist yet)';

/** Refusals that say the simulator is there but this role may not use it. */
const REFUSED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);

/**
 * The permissions preflight: may the function's role do what rotation needs on the secret, its
 * master and their customer managed keys, and may Secrets Manager invoke the function? The role's
 * own policies are decided by IAM's policy simulator where there is one; an emulator has none
 * (moto 5.2.1 answers SimulatePrincipalPolicy with HTTP 500), and then, as when the simulator is
 * refused, the console reads the role's statements and evaluates them itself (packages/rotation
 * iam-policy.ts). Key policies, grants and resource policies are always read and evaluated by the
 * console: the simulator reads none of them.
 */
export const createPermissionsCheck = ({ aws }: { aws: AwsClientFactory }): PreflightRunner => {
  const reads = createPermissionReads(aws);
  // An emulator without a simulator is asked once, not before every check.
  let emulatorHasNoSimulator = false;

  /** The role's policies by the simulator, else by their statements; and how, for `method`. */
  const roleFacts = async (roleArn: string, requirements: PermissionRequirement[]): Promise<{ role: RoleFacts; method: string }> => {
    const roleName = roleArn.split('/').pop()!;
    const statements = async (method: string): Promise<{ role: RoleFacts; method: string }> => {
      const [policies, boundary] = await Promise.all([reads.rolePolicies(roleName), reads.boundary(roleName)]);
      return { role: { by: 'statements', policies, boundary }, method };
    };
    if (emulatorHasNoSimulator) return statements(NO_SIMULATOR_METHOD);
    try {
      return { role: { by: 'simulator', decisions: await reads.simulate(roleArn, requirements) }, method: SIMULATOR_METHOD };
    } catch (error) {
      if (error instanceof ImplausibleSimulatorError) return statements(`statements evaluated by the console: ${error.message}`);
      const name = error instanceof UpstreamError ? (error.awsErrorName ?? '') : '';
      if (REFUSED.has(name)) return statements(`statements evaluated by the console: IAM refused the policy simulator (${(error as Error).message})`);
      if (aws.settings.endpoint) {
        emulatorHasNoSimulator = true;
        return statements(NO_SIMULATOR_METHOD);
      }
      return statements(`statements evaluated by the console: the policy simulator did not answer (${(error as Error).message})`);
    }
  };

  return {
    id: 'permissions',
    async run(subject) {
      const planned = subject.fn.arn === null;
      const masterArn = subject.strategy === 'alternating-users' ? (subject.database?.masterSecretArn ?? null) : null;
      const [secretKey, masterKey, secretPolicy, masterPolicy, masterRotationFunction, functionPolicy] = await Promise.all([
        subject.secret.kmsKeyId ? reads.kmsKey(subject.secret.kmsKeyId) : null,
        masterArn && subject.database?.masterKmsKeyId ? reads.kmsKey(subject.database.masterKmsKeyId) : null,
        reads.secretPolicy(subject.secret.arn),
        masterArn ? reads.secretPolicy(masterArn) : null,
        masterArn ? reads.rotationFunctionOf(masterArn) : null,
        subject.fn.arn ? reads.functionPolicy(subject.fn.arn) : null,
      ]);
      const known = { secretKey, masterKey, masterRotationFunction };
      let role: { role: RoleFacts; method: string };
      if (planned) role = { role: { by: 'plan' }, method: PLAN_METHOD };
      else if (!subject.fn.roleArn) role = { role: { by: 'plan' }, method: 'nothing evaluated: the function has no execution role' };
      else role = await roleFacts(subject.fn.roleArn, permissionRequirements(subject, known));
      const facts: PermissionsFacts = { subject, ...known, ...role, secretPolicy, masterPolicy, functionPolicy };
      return permissionsCheck(facts);
    },
  };
};
