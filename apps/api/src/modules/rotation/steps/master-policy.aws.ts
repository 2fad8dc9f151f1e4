import { parsePolicyDocument, type PolicyDocument } from '@rotation-console/rotation';
import { sdk } from '../../../platform/aws-sdk.ts';
import type { AwsClients } from '../../../platform/aws.ts';
import { callAws, translateAwsError } from '../../../platform/aws-errors.ts';
import { StepError } from '../../../platform/workflow/step-error.ts';

// The reads and writes behind the master secret grants (packages/rotation master-grants.ts
// decides what the document holds). Callers hold the role's lock (`iam-role:<roleName>`)
// from the read to the write, so two workflows on one role never overwrite each other.

/** The lock two workflows take before changing one role's policies (StepContext.exclusive). */
export const roleLock = (roleName: string) => `iam-role:${roleName}`;

/** The name of the function's execution role. */
export const functionRoleName = async (clients: AwsClients, functionArn: string): Promise<string> => {
  const { GetFunctionConfigurationCommand } = sdk.lambda();
  const config = await callAws('GetFunctionConfiguration', () => clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionArn })));
  const roleName = config.Role?.split('/').pop();
  if (!roleName) throw new StepError({ message: `Function ${functionArn} has no execution role.` });
  return roleName;
};

const isMissing = (error: unknown) => ['NoSuchEntityException', 'NoSuchEntity'].includes((error as Error).name);

/** The role's inline policy of that name; null when the role has none. */
export const readRolePolicy = async (clients: AwsClients, roleName: string, policyName: string): Promise<PolicyDocument | null> => {
  const { GetRolePolicyCommand } = sdk.iam();
  try {
    const out = await clients.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }));
    return parsePolicyDocument(out.PolicyDocument);
  } catch (error) {
    if (isMissing(error)) return null;
    throw translateAwsError(error, 'GetRolePolicy');
  }
};

/** Writes the document, or deletes the policy when `document` is null (nothing left to allow). */
export const writeRolePolicy = async (clients: AwsClients, roleName: string, policyName: string, document: PolicyDocument | null) => {
  const { DeleteRolePolicyCommand, PutRolePolicyCommand } = sdk.iam();
  if (document) {
    return callAws('PutRolePolicy', () =>
      clients.iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument: JSON.stringify(document) })),
    );
  }
  try {
    return await clients.iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }));
  } catch (error) {
    if (isMissing(error)) return { $metadata: {} }; // already gone
    throw translateAwsError(error, 'DeleteRolePolicy');
  }
};
