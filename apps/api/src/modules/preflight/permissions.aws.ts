import { DescribeSecretCommand, GetResourcePolicyCommand } from '@aws-sdk/client-secrets-manager';
import {
  contextEntries,
  customerManagedKeyArn,
  fromSimulator,
  parsePolicyDocument,
  requestKey,
  type KmsGrant,
  type KmsKeyFacts,
  type NamedPolicy,
  type PermissionRequirement,
  type PolicyDecision,
  type PolicySource,
  type Read,
} from '@rotation-console/rotation';
import { sdk } from '../../platform/aws-sdk.ts';
import type { AwsClientFactory } from '../../platform/aws.ts';
import { callAws } from '../../platform/aws-errors.ts';

// The permissions preflight's reads, all read-only, in the current target (the secret's account and
// region). Each answers a Read: its value, or the refusal's message (AWS's error name and text, as
// callAws words it), which makes the part it decides "cannot tell".

const read = async <T>(operation: string, call: () => Promise<T>, subject?: string): Promise<Read<T>> => {
  try {
    return { value: await callAws(operation, call, subject) };
  } catch (error) {
    return { error: (error as Error).message };
  }
};

/** The error of `e`, by the SDK's name (before callAws translates it). */
const named = (e: unknown, ...names: string[]) => names.includes((e as Error).name);

const asPolicy = (name: string, source: PolicySource, document: string | undefined): NamedPolicy => ({
  name,
  source,
  statements: parsePolicyDocument(document).Statement,
});

export const createPermissionReads = (aws: AwsClientFactory) => {
  const c = () => aws.forRegion();

  /** A managed policy's default version. */
  const managedPolicy = async (policyArn: string, source: PolicySource, name: string): Promise<NamedPolicy> => {
    const { GetPolicyCommand, GetPolicyVersionCommand } = sdk.iam();
    const policy = await c().iam.send(new GetPolicyCommand({ PolicyArn: policyArn }));
    const version = await c().iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: policy.Policy?.DefaultVersionId }));
    return asPolicy(name, source, version.PolicyVersion?.Document);
  };

  return {
    /** The role's inline policies and the managed policies attached to it. */
    rolePolicies: (roleName: string): Promise<Read<NamedPolicy[]>> =>
      read(
        'ListRolePolicies',
        async () => {
          const { paginateListRolePolicies, paginateListAttachedRolePolicies, GetRolePolicyCommand } = sdk.iam();
          const policies: NamedPolicy[] = [];
          for await (const page of paginateListRolePolicies({ client: c().iam }, { RoleName: roleName })) {
            for (const policyName of page.PolicyNames ?? []) {
              const out = await c().iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }));
              policies.push(asPolicy(`inline policy "${policyName}" of role ${roleName}`, { kind: 'inline', roleName, policyName }, out.PolicyDocument));
            }
          }
          for await (const page of paginateListAttachedRolePolicies({ client: c().iam }, { RoleName: roleName })) {
            for (const attached of page.AttachedPolicies ?? []) {
              const arn = attached.PolicyArn!;
              policies.push(await managedPolicy(arn, { kind: 'managed', policyArn: arn }, `managed policy ${arn}`));
            }
          }
          return policies;
        },
        `Role "${roleName}"`,
      ),

    /** The role's permissions boundary, null when it has none. */
    boundary: (roleName: string): Promise<Read<NamedPolicy | null>> =>
      read(
        'GetRole',
        async () => {
          const { GetRoleCommand } = sdk.iam();
          const role = await c().iam.send(new GetRoleCommand({ RoleName: roleName }));
          const arn = role.Role?.PermissionsBoundary?.PermissionsBoundaryArn;
          return arn ? managedPolicy(arn, { kind: 'boundary', policyArn: arn }, `permissions boundary ${arn}`) : null;
        },
        `Role "${roleName}"`,
      ),

    /** A secret's KMS key: its manager, and for a customer managed key its policy and grants. */
    async kmsKey(given: string): Promise<KmsKeyFacts> {
      const { DescribeKeyCommand, GetKeyPolicyCommand, paginateListGrants } = sdk.kms();
      const key = await read(
        'DescribeKey',
        async () => {
          const out = await c().kms.send(new DescribeKeyCommand({ KeyId: given }));
          return { arn: out.KeyMetadata?.Arn ?? given, manager: out.KeyMetadata?.KeyManager ?? 'CUSTOMER' };
        },
        `KMS key "${given}"`,
      );
      // Only a customer managed key's policy and grants decide anything (aws/secretsmanager lets the account use it).
      const arn = customerManagedKeyArn({ given, key, policy: null, grants: null });
      if (!arn) return { given, key, policy: null, grants: null };
      const [policy, grants] = await Promise.all([
        read('GetKeyPolicy', async () => {
          const out = await c().kms.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: 'default' }));
          return asPolicy(`key policy of ${arn}`, { kind: 'key', keyArn: arn }, out.Policy);
        }),
        read('ListGrants', async () => {
          const out: KmsGrant[] = [];
          for await (const page of paginateListGrants({ client: c().kms }, { KeyId: arn })) {
            for (const g of page.Grants ?? []) {
              const k = g.Constraints;
              out.push({
                grantId: g.GrantId ?? '',
                granteePrincipal: g.GranteePrincipal ?? '',
                operations: g.Operations ?? [],
                constraints:
                  k && (k.EncryptionContextEquals || k.EncryptionContextSubset)
                    ? {
                        ...(k.EncryptionContextEquals ? { encryptionContextEquals: k.EncryptionContextEquals } : {}),
                        ...(k.EncryptionContextSubset ? { encryptionContextSubset: k.EncryptionContextSubset } : {}),
                      }
                    : null,
              });
            }
          }
          return out;
        }),
      ]);
      return { given, key, policy, grants };
    },

    /** A secret's resource policy, null when it has none. */
    secretPolicy: (secretArn: string): Promise<Read<NamedPolicy | null>> =>
      read(
        'GetResourcePolicy',
        async () => {
          const out = await c().secretsManager.send(new GetResourcePolicyCommand({ SecretId: secretArn }));
          return out.ResourcePolicy ? asPolicy(`resource policy of secret ${out.Name ?? secretArn}`, { kind: 'secret', secretArn }, out.ResourcePolicy) : null;
        },
        `Secret "${secretArn}"`,
      ),

    /** The function a secret's rotation calls (its RotationLambdaARN), null when none. */
    rotationFunctionOf: (secretArn: string): Promise<Read<string | null>> =>
      read(
        'DescribeSecret',
        async () => {
          return (await c().secretsManager.send(new DescribeSecretCommand({ SecretId: secretArn }))).RotationLambdaARN ?? null;
        },
        `Secret "${secretArn}"`,
      ),

    /** The function's resource policy, null when it has none. */
    functionPolicy: (functionArn: string): Promise<Read<NamedPolicy | null>> =>
      read('GetPolicy', async () => {
        const { GetPolicyCommand } = sdk.lambda();
        try {
          const out = await c().lambda.send(new GetPolicyCommand({ FunctionName: functionArn }));
          return asPolicy(`resource policy of ${functionArn}`, { kind: 'function', functionArn }, out.Policy);
        } catch (error) {
          // Lambda answers "not found" for a function without a policy.
          if (named(error, 'ResourceNotFoundException')) return null;
          throw error;
        }
      }),

    /**
     * IAM's policy simulator on the role, one call per resource: its decision for each action, from
     * the role's own policies and boundary (the simulator reads no key or resource policy). Throws
     * when the simulator cannot be used (refused, or an emulator without one).
     */
    async simulate(roleArn: string, requirements: PermissionRequirement[]): Promise<Map<string, Read<PolicyDecision>>> {
      const { paginateSimulatePrincipalPolicy } = sdk.iam();
      const decisions = new Map<string, Read<PolicyDecision>>();
      let implausible = false;
      for (const requirement of requirements) {
        await callAws('SimulatePrincipalPolicy', async () => {
          const pages = paginateSimulatePrincipalPolicy(
            { client: c().iam },
            {
              PolicySourceArn: roleArn,
              ActionNames: requirement.actions,
              ResourceArns: [requirement.resource],
              ContextEntries: contextEntries(requirement.context).map((e) => ({ ContextKeyName: e.key, ContextKeyValues: e.values, ContextKeyType: e.type })),
            },
          );
          for await (const page of pages) {
            for (const result of page.EvaluationResults ?? []) {
              // IAM names the statement behind every explicit Deny; one that names none is no evidence
              // (LocalStack's open-source simulator denies whatever it does not match): its answers are not used.
              if (result.EvalDecision === 'explicitDeny' && !result.MatchedStatements?.length) implausible = true;
              decisions.set(requestKey(result.EvalActionName ?? '', requirement.resource), { value: fromSimulator(result, roleArn) });
            }
          }
        });
      }
      if (implausible) throw new ImplausibleSimulatorError();
      return decisions;
    },
  };
};
export type PermissionReads = ReturnType<typeof createPermissionReads>;

/** The simulator answered, but not as IAM does (an explicit Deny that names no statement). */
export class ImplausibleSimulatorError extends Error {
  constructor() {
    super('the policy simulator answered an explicit Deny that names no statement, which IAM never does');
  }
}
