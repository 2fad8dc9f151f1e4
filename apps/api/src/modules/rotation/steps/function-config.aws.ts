import { masterGrantSid, parsePolicyDocument, SECRETS_MANAGER_PRINCIPAL, withMasterGrant } from '@rotation-console/rotation';
import { sdk } from '../../../platform/aws-sdk.ts';
import type { AwsClientFactory } from '../../../platform/aws.ts';
import { callAws, translateAwsError } from '../../../platform/aws-errors.ts';
import { StepError } from '../../../platform/workflow/step-error.ts';
import type { StepRun } from '../../../platform/workflow/step-registry.ts';
import { done, functionArnOf, input, requestIdOf, waitFor, type Pacing } from './common.ts';
import { functionRoleName, readRolePolicy, roleLock, writeRolePolicy } from './master-policy.aws.ts';

/** The lock two workflows take before changing one function (StepContext.exclusive). */
export const functionLock = (functionArn: string) => `lambda-function:${functionArn}`;

interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Principal?: { Service?: string | string[] } | string;
  Action?: string | string[];
}

const list = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);

/** Does the function's resource policy already let Secrets Manager invoke it? */
export const allowsSecretsManager = (policy: string | undefined): PolicyStatement | null => {
  if (!policy) return null;
  const statements = (JSON.parse(policy) as { Statement?: PolicyStatement[] }).Statement ?? [];
  return (
    statements.find(
      (s) =>
        s.Effect === 'Allow' &&
        typeof s.Principal === 'object' &&
        list(s.Principal.Service).includes(SECRETS_MANAGER_PRINCIPAL) &&
        list(s.Action).some((a) => a === 'lambda:InvokeFunction' || a === 'lambda:*'),
    ) ?? null
  );
};

/** Ensures Secrets Manager may invoke the function (the seed's add-permission). */
export const addInvokePermission =
  (aws: AwsClientFactory): StepRun =>
  async (ctx) => {
    const { statementId, sourceAccount } = input<{ statementId: string; sourceAccount: string }>(ctx);
    const functionArn = functionArnOf(ctx);
    const { AddPermissionCommand, GetPolicyCommand } = sdk.lambda();
    const lambda = aws.forRegion().lambda;
    return ctx.exclusive(functionLock(functionArn), async () => {
      const policy = await lambda
        .send(new GetPolicyCommand({ FunctionName: functionArn }))
        .then((o) => o.Policy)
        .catch((error: Error) => (error.name === 'ResourceNotFoundException' ? undefined : Promise.reject(error)));
      const present = allowsSecretsManager(policy);
      if (present) return done({ functionArn, statementId: present.Sid ?? null, alreadyPresent: true });
      try {
        const out = await lambda.send(
          new AddPermissionCommand({
            FunctionName: functionArn,
            StatementId: statementId,
            Action: 'lambda:InvokeFunction',
            Principal: SECRETS_MANAGER_PRINCIPAL,
            SourceAccount: sourceAccount,
          }),
        );
        return done({ functionArn, statementId, alreadyPresent: false }, requestIdOf(out));
      } catch (error) {
        // The fixed StatementId makes a repeat harmless: the statement is already there.
        if ((error as Error).name === 'ResourceConflictException') return done({ functionArn, statementId, alreadyPresent: true });
        throw translateAwsError(error, 'AddPermission');
      }
    });
  };

const sameSet = (a: readonly string[] = [], b: readonly string[] = []) => a.length === b.length && a.every((x) => b.includes(x));

/** Ensures the function runs in the chosen subnets and security groups (the seed's update-function-configuration). */
export const configureFunctionVpc =
  (aws: AwsClientFactory, pacing: Pacing): StepRun =>
  async (ctx) => {
    const { subnetIds, securityGroupIds } = input<{ subnetIds: string[]; securityGroupIds: string[] }>(ctx);
    const functionArn = functionArnOf(ctx);
    const { GetFunctionConfigurationCommand, UpdateFunctionConfigurationCommand } = sdk.lambda();
    const lambda = aws.forRegion().lambda;
    // Two secrets sharing the function must not each see the old configuration and both update it.
    return ctx.exclusive(functionLock(functionArn), async () => {
      const current = await callAws('GetFunctionConfiguration', () => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionArn })));
      if (sameSet(current.VpcConfig?.SubnetIds, subnetIds) && sameSet(current.VpcConfig?.SecurityGroupIds, securityGroupIds)) {
        return done({ functionArn, vpcId: current.VpcConfig?.VpcId ?? null, changed: false });
      }
      const out = await callAws('UpdateFunctionConfiguration', () =>
        lambda.send(
          new UpdateFunctionConfigurationCommand({ FunctionName: functionArn, VpcConfig: { SubnetIds: subnetIds, SecurityGroupIds: securityGroupIds } }),
        ),
      );
      // Lambda applies a VPC change asynchronously; rotation must wait until it is live.
      await waitFor(ctx, pacing, `the VPC configuration of ${functionArn}`, async () => {
        const c = await callAws('GetFunctionConfiguration', () => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionArn })));
        if (c.LastUpdateStatus === 'Failed')
          throw new StepError({ message: `Lambda could not apply the VPC configuration: ${c.LastUpdateStatusReason ?? 'no reason given'}` });
        return c.LastUpdateStatus === 'InProgress' ? undefined : true;
      });
      return done({ functionArn, vpcId: out.VpcConfig?.VpcId ?? null, changed: true }, requestIdOf(out));
    });
  };

/**
 * Ensures the function's role may read the master secret (multi-user rotation): this master's
 * statement is added to the role's policy, every other statement kept, so secrets whose
 * functions share the role keep each other's grants. Rerun: no change.
 */
export const grantMasterSecretAccess =
  (aws: AwsClientFactory): StepRun =>
  async (ctx) => {
    const { masterSecretArn, policyName } = input<{ masterSecretArn: string; policyName: string }>(ctx);
    const functionArn = functionArnOf(ctx);
    const clients = aws.forRegion();
    const roleName = await functionRoleName(clients, functionArn);
    // Read-modify-write of one document: held so a grant made meanwhile by another workflow is not lost.
    return ctx.exclusive(roleLock(roleName), async () => {
      const current = (await readRolePolicy(clients, roleName, policyName)) ?? parsePolicyDocument(null);
      const { document, changed } = withMasterGrant(current, masterSecretArn);
      const sid = masterGrantSid(masterSecretArn);
      if (!changed) return done({ functionArn, roleName, policyName, masterSecretArn, sid, changed: false });
      const out = await writeRolePolicy(clients, roleName, policyName, document);
      return done({ functionArn, roleName, policyName, masterSecretArn, sid, changed: true }, requestIdOf(out));
    });
  };
