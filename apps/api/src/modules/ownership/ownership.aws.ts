import { paginateListSecrets } from '@aws-sdk/client-secrets-manager';
import { functionNameOf } from '@rotation-console/rotation';
import { sdk } from '../../platform/aws-sdk.ts';
import type { AwsClientFactory } from '../../platform/aws.ts';
import { callAws } from '../../platform/aws-errors.ts';
import { eachBounded } from '../../platform/each-bounded.ts';
import { teamOf } from '../../platform/team-tag.ts';
import { allowsSecretsManager } from '../rotation/steps/function-config.aws.ts';

/** A secret whose rotation runs a function, as ListSecrets tells it. */
export interface FunctionUser {
  name: string;
  arn: string;
  team: string | null;
  functionName: string;
}

/** A Lambda function as ownership needs it: its tags, role and network. */
export interface FunctionRecord {
  arn: string;
  name: string;
  roleArn: string | null;
  tags: Record<string, string>;
  vpcId: string | null;
  subnetIds: string[];
  securityGroupIds: string[];
}

const isMissing = (error: unknown) => ['ResourceNotFoundException', 'NoSuchEntityException', 'NoSuchEntity'].includes((error as Error).name);

/**
 * The read-only AWS calls that tell who owns what. Always with the console's own credentials:
 * a team's role might not see the other teams' secrets, and ownership must count them.
 */
export const createOwnershipGateway = (aws: AwsClientFactory, teamTagKey: string) => {
  const c = () => aws.forRegionAsConsole();
  const tagsOf = (tags: { Key?: string; Value?: string }[] | undefined) =>
    Object.fromEntries((tags ?? []).filter((t) => t.Key).map((t) => [t.Key!, t.Value ?? '']));

  return {
    /** The region the console works in: a function elsewhere is not one it rotates with. */
    region: () => aws.region(),

    /**
     * Every secret whose rotation is on with one of `functionNames`, from one pass over
     * ListSecrets (it returns each secret's function and tags, so no DescribeSecret per secret).
     */
    async functionUsers(functionNames?: ReadonlySet<string>): Promise<FunctionUser[]> {
      return callAws('ListSecrets', async () => {
        const users: FunctionUser[] = [];
        for await (const page of paginateListSecrets({ client: c().secretsManager, pageSize: 100 }, {})) {
          for (const s of page.SecretList ?? []) {
            if (!s.RotationEnabled || !s.RotationLambdaARN || !s.Name || !s.ARN) continue;
            const functionName = functionNameOf(s.RotationLambdaARN);
            if (functionNames && !functionNames.has(functionName)) continue;
            users.push({ name: s.Name, arn: s.ARN, team: teamOf(s.Tags, teamTagKey), functionName });
          }
        }
        return users.sort((a, b) => a.name.localeCompare(b.name));
      });
    },

    /** The function, or null when Lambda has none of that name. */
    async function(arnOrName: string): Promise<FunctionRecord | null> {
      const { GetFunctionCommand } = sdk.lambda();
      try {
        const out = await c().lambda.send(new GetFunctionCommand({ FunctionName: arnOrName }));
        const config = out.Configuration ?? {};
        return {
          arn: config.FunctionArn ?? arnOrName,
          name: config.FunctionName ?? functionNameOf(arnOrName),
          roleArn: config.Role ?? null,
          tags: out.Tags ?? {},
          vpcId: config.VpcConfig?.VpcId || null,
          subnetIds: config.VpcConfig?.SubnetIds ?? [],
          securityGroupIds: config.VpcConfig?.SecurityGroupIds ?? [],
        };
      } catch (error) {
        if (isMissing(error)) return null;
        return callAws('GetFunction', () => Promise.reject(error));
      }
    },

    /** Each function's tags, read a few at a time (ListFunctions does not return them). */
    async functionTags(arns: string[]): Promise<Map<string, Record<string, string>>> {
      const { ListTagsCommand } = sdk.lambda();
      const tags = new Map<string, Record<string, string>>();
      await eachBounded(arns, 8, async (arn) => {
        const out = await callAws('ListTags', () => c().lambda.send(new ListTagsCommand({ Resource: arn })));
        tags.set(arn, out.Tags ?? {});
      });
      return tags;
    },

    /** The team tag of an IAM role, or null (also when the role is gone). */
    async roleTeam(roleName: string): Promise<string | null> {
      const { ListRoleTagsCommand } = sdk.iam();
      try {
        const out = await c().iam.send(new ListRoleTagsCommand({ RoleName: roleName }));
        return teamOf(out.Tags, teamTagKey);
      } catch (error) {
        if (isMissing(error)) return null;
        return callAws('ListRoleTags', () => Promise.reject(error));
      }
    },

    /**
     * The stack's team tag, or `exists: false` when CloudFormation has no such stack. A stack that a
     * change set has created but not yet run (REVIEW_IN_PROGRESS) may carry its tags only on that
     * change set until it runs (LocalStack does so; the console's own create step is that case): its
     * team is the one its change sets agree on.
     */
    async stackTeam(stackName: string): Promise<{ exists: boolean; team: string | null }> {
      const { DescribeStacksCommand, ListChangeSetsCommand, DescribeChangeSetCommand } = sdk.cloudFormation();
      const cfn = c().cloudFormation;
      try {
        const out = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
        const stack = out.Stacks?.[0];
        if (!stack) return { exists: false, team: null };
        const team = teamOf(stack.Tags, teamTagKey);
        if (team !== null || stack.StackStatus !== 'REVIEW_IN_PROGRESS') return { exists: true, team };
        const sets = await callAws('ListChangeSets', () => cfn.send(new ListChangeSetsCommand({ StackName: stackName })));
        const teams = new Set<string | null>();
        for (const summary of sets.Summaries ?? []) {
          const set = await callAws('DescribeChangeSet', () =>
            cfn.send(new DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: summary.ChangeSetId ?? summary.ChangeSetName })),
          );
          teams.add(teamOf(set.Tags, teamTagKey));
        }
        return { exists: true, team: teams.size === 1 ? [...teams][0]! : null };
      } catch (error) {
        if ((error as Error).name === 'ValidationError' && /does not exist/.test((error as Error).message)) return { exists: false, team: null };
        return callAws('DescribeStacks', () => Promise.reject(error));
      }
    },

    /** The team tags of VPCs, subnets and security groups, by id (ids EC2 does not know are absent). */
    async networkTeams(ids: { vpcIds: string[]; subnetIds: string[]; securityGroupIds: string[] }): Promise<Map<string, string | null>> {
      const { DescribeVpcsCommand, DescribeSubnetsCommand, DescribeSecurityGroupsCommand } = sdk.ec2();
      const ec2 = c().ec2;
      const teams = new Map<string, string | null>();
      const [vpcs, subnets, groups] = await Promise.all([
        ids.vpcIds.length ? callAws('DescribeVpcs', () => ec2.send(new DescribeVpcsCommand({ VpcIds: ids.vpcIds }))) : null,
        ids.subnetIds.length ? callAws('DescribeSubnets', () => ec2.send(new DescribeSubnetsCommand({ SubnetIds: ids.subnetIds }))) : null,
        ids.securityGroupIds.length
          ? callAws('DescribeSecurityGroups', () => ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ids.securityGroupIds })))
          : null,
      ]);
      for (const v of vpcs?.Vpcs ?? []) teams.set(v.VpcId!, teamOf(v.Tags, teamTagKey));
      for (const s of subnets?.Subnets ?? []) teams.set(s.SubnetId!, teamOf(s.Tags, teamTagKey));
      for (const g of groups?.SecurityGroups ?? []) teams.set(g.GroupId!, teamOf(g.Tags, teamTagKey));
      return teams;
    },

    /** Whether the function's resource policy already lets Secrets Manager invoke it. */
    async secretsManagerMayInvoke(functionArn: string): Promise<boolean> {
      const { GetPolicyCommand } = sdk.lambda();
      const policy = await c()
        .lambda.send(new GetPolicyCommand({ FunctionName: functionArn }))
        .then((o) => o.Policy)
        .catch((error: Error) => (error.name === 'ResourceNotFoundException' ? undefined : callAws('GetPolicy', () => Promise.reject(error))));
      return allowsSecretsManager(policy) !== null;
    },

    /** Whether one of the role's inline policies already grants reading `masterSecretArn`. */
    async roleGrants(roleArn: string, masterSecretArn: string): Promise<boolean> {
      const { paginateListRolePolicies, GetRolePolicyCommand } = sdk.iam();
      const roleName = roleArn.split('/').pop()!;
      return callAws('GetRolePolicy', async () => {
        for await (const page of paginateListRolePolicies({ client: c().iam }, { RoleName: roleName })) {
          for (const PolicyName of page.PolicyNames ?? []) {
            const out = await c().iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName }));
            if (decodeURIComponent(out.PolicyDocument ?? '').includes(masterSecretArn)) return true;
          }
        }
        return false;
      }).catch((error: Error) => (error.name === 'NotFoundError' ? false : Promise.reject(error)));
    },

    /** Tags a function with its team: an admin's adoption of an untagged function. */
    async tagFunction(arn: string, tags: Record<string, string>): Promise<void> {
      const { TagResourceCommand } = sdk.lambda();
      await callAws('TagResource', () => c().lambda.send(new TagResourceCommand({ Resource: arn, Tags: tags })));
    },

    tagsOf,
  };
};
export type OwnershipGateway = ReturnType<typeof createOwnershipGateway>;
