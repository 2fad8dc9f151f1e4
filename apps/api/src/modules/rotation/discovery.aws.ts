import type { IpPermission, NetworkAclEntry, Route } from '@aws-sdk/client-ec2';
import type { DBInstance } from '@aws-sdk/client-rds';
import { DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { LambdaFunctionSummary, SecurityGroup, Subnet, Vpc } from '@rotation-console/contracts';
import {
  defaultRoute,
  routeTableOfSubnet,
  type NetworkAclFacts,
  type RouteTableFacts,
  type SecurityGroupFacts,
  type SecurityGroupRuleFacts,
  type VpcEndpointFacts,
} from '@rotation-console/rotation';
import { sdk } from '../../platform/aws-sdk.ts';
import type { AwsClientFactory } from '../../platform/aws.ts';
import { callAws } from '../../platform/aws-errors.ts';
import { currentTarget } from '../../platform/targets/target-scope.ts';
import { toSecretRecord } from '../secrets/secrets.aws.ts';

/** At most this many functions are offered; accounts with more narrow by name in the console. */
const MAX_FUNCTIONS = 1000;

const nameTag = (tags: { Key?: string; Value?: string }[] | undefined) => tags?.find((t) => t.Key === 'Name')?.Value ?? null;

const idsOf = <T>(items: T[] | undefined, id: (item: T) => string | undefined): string[] => (items ?? []).map(id).filter((v): v is string => Boolean(v));

const ruleFacts = (p: IpPermission): SecurityGroupRuleFacts => ({
  protocol: p.IpProtocol ?? '-1',
  fromPort: p.FromPort ?? null,
  toPort: p.ToPort ?? null,
  cidrs: idsOf(p.IpRanges, (i) => i.CidrIp),
  groupIds: idsOf(p.UserIdGroupPairs, (i) => i.GroupId),
  prefixListIds: idsOf(p.PrefixListIds, (i) => i.PrefixListId),
});

const aclEntryFacts = (e: NetworkAclEntry): NetworkAclFacts['entries'][number] => ({
  ruleNumber: e.RuleNumber ?? 32767,
  egress: e.Egress ?? false,
  protocol: e.Protocol ?? '-1',
  action: e.RuleAction === 'allow' ? 'allow' : 'deny',
  cidr: e.CidrBlock ?? null,
  ports: e.PortRange?.From !== undefined ? { from: e.PortRange.From, to: e.PortRange.To ?? e.PortRange.From } : null,
});

/** What a route points at; a NAT instance's route names both the instance and its interface. */
const routeTarget = (r: Route) =>
  r.NatGatewayId ??
  r.GatewayId ??
  r.TransitGatewayId ??
  r.VpcPeeringConnectionId ??
  r.InstanceId ??
  r.NetworkInterfaceId ??
  r.EgressOnlyInternetGatewayId ??
  r.CarrierGatewayId ??
  r.LocalGatewayId ??
  r.CoreNetworkArn ??
  'unknown';

/** The read-only AWS calls the wizard needs before anything changes. */
export const createDiscoveryGateway = (aws: AwsClientFactory) => {
  const c = () => aws.forRegion();
  let accountId: Promise<string> | undefined;

  /** Those of `ids` that EC2 knows (a filter, so an unknown id is left out rather than refused; 200 values a filter at most). */
  const knownVpcIds = async (ids: string[]): Promise<Set<string>> => {
    const { DescribeVpcsCommand } = sdk.ec2();
    const known = new Set<string>();
    for (let i = 0; i < ids.length; i += 200) {
      const values = ids.slice(i, i + 200);
      const out = await callAws('DescribeVpcs', () => c().ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'vpc-id', Values: values }] })));
      for (const v of out.Vpcs ?? []) if (v.VpcId) known.add(v.VpcId);
    }
    return known;
  };

  /** The VPC's route tables with their routes and subnets. */
  const routeTables = async (vpcId: string): Promise<RouteTableFacts[]> => {
    const { DescribeRouteTablesCommand } = sdk.ec2();
    const out = await callAws('DescribeRouteTables', () => c().ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] })));
    return (out.RouteTables ?? []).map((t) => ({
      id: t.RouteTableId ?? '',
      main: t.Associations?.some((a) => a.Main) ?? false,
      subnetIds: idsOf(t.Associations, (i) => i.SubnetId),
      routes: (t.Routes ?? []).map((r) => ({ destination: r.DestinationCidrBlock ?? null, target: routeTarget(r), state: r.State ?? null })),
    }));
  };

  /** Security groups with their rules; an id EC2 does not know is left out (a filter, not GroupIds, which refuses the whole call). */
  const securityGroupRules = async (groupIds: string[]): Promise<SecurityGroupFacts[]> => {
    if (!groupIds.length) return [];
    const { DescribeSecurityGroupsCommand } = sdk.ec2();
    const out = await callAws('DescribeSecurityGroups', () =>
      c().ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-id', Values: [...new Set(groupIds)] }] })),
    );
    return (out.SecurityGroups ?? []).map((g) => ({
      id: g.GroupId ?? '',
      name: g.GroupName ?? null,
      vpcId: g.VpcId ?? null,
      ingress: (g.IpPermissions ?? []).map(ruleFacts),
      egress: (g.IpPermissionsEgress ?? []).map(ruleFacts),
    }));
  };

  /** The Secrets Manager interface endpoints of the VPC, whatever their state. */
  const secretsManagerEndpoints = async (vpcId: string): Promise<VpcEndpointFacts[]> => {
    const { DescribeVpcEndpointsCommand } = sdk.ec2();
    const serviceName = `com.amazonaws.${aws.region()}.secretsmanager`;
    const out = await callAws('DescribeVpcEndpoints', () =>
      c().ec2.send(
        new DescribeVpcEndpointsCommand({
          Filters: [
            { Name: 'vpc-id', Values: [vpcId] },
            { Name: 'service-name', Values: [serviceName] },
          ],
        }),
      ),
    );
    return (out.VpcEndpoints ?? []).map((e) => ({
      id: e.VpcEndpointId ?? '',
      serviceName: e.ServiceName ?? serviceName,
      type: e.VpcEndpointType ?? null,
      state: e.State ?? null,
      privateDnsEnabled: e.PrivateDnsEnabled ?? false,
      subnetIds: e.SubnetIds ?? [],
      securityGroupIds: idsOf(e.Groups, (i) => i.GroupId),
      dnsNames: idsOf(e.DnsEntries, (i) => i.DnsName),
    }));
  };

  /** The VPC's network ACLs with their entries and subnets. */
  const networkAcls = async (vpcId: string): Promise<NetworkAclFacts[]> => {
    const { DescribeNetworkAclsCommand } = sdk.ec2();
    const out = await callAws('DescribeNetworkAcls', () => c().ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] })));
    return (out.NetworkAcls ?? []).map((a) => ({
      id: a.NetworkAclId ?? '',
      subnetIds: idsOf(a.Associations, (i) => i.SubnetId),
      entries: (a.Entries ?? []).map(aclEntryFacts),
    }));
  };

  return {
    region: () => aws.region(),
    routeTables,
    networkAcls,
    securityGroupRules,
    secretsManagerEndpoints,

    /** The current target's account; in the home target, STS's answer, asked once. */
    accountId(): Promise<string> {
      const target = currentTarget();
      if (target) return Promise.resolve(target.accountId);
      accountId ??= callAws('GetCallerIdentity', () => c().sts.send(new GetCallerIdentityCommand({}))).then((o) => o.Account ?? '000000000000');
      accountId.catch(() => (accountId = undefined));
      return accountId;
    },

    async secret(secretId: string) {
      const record = toSecretRecord(
        await callAws('DescribeSecret', () => c().secretsManager.send(new DescribeSecretCommand({ SecretId: secretId })), `Secret "${secretId}"`),
      );
      return {
        arn: record.arn,
        name: record.name,
        owningService: record.owningService,
        tags: record.tags,
        rotation: { enabled: record.rotationEnabled, lambdaArn: record.rotationLambdaArn, rules: record.rotationRules },
      };
    },

    /** The SecretString, for the server-side format check only: never logged, never returned. */
    async secretString(secretId: string): Promise<string | null> {
      const out = await callAws('GetSecretValue', () => c().secretsManager.send(new GetSecretValueCommand({ SecretId: secretId })), `Secret "${secretId}"`);
      return out.SecretString ?? null;
    },

    async listFunctions(): Promise<LambdaFunctionSummary[]> {
      const { paginateListFunctions } = sdk.lambda();
      const functions = await callAws('ListFunctions', async () => {
        const items: LambdaFunctionSummary[] = [];
        for await (const page of paginateListFunctions({ client: c().lambda }, {})) {
          for (const f of page.Functions ?? []) {
            items.push({
              name: f.FunctionName ?? '',
              arn: f.FunctionArn ?? '',
              runtime: f.Runtime ?? null,
              description: f.Description || null,
              vpcId: f.VpcConfig?.VpcId || null,
            });
          }
          if (items.length >= MAX_FUNCTIONS) break;
        }
        return items;
      });
      // A function's VpcConfig.VpcId is shown only where EC2 knows that VPC: moto 5.2.1 answers
      // vpc-123abc for every function in a VPC, which is no VPC of the account.
      const known = await knownVpcIds([...new Set(functions.map((f) => f.vpcId).filter((id): id is string => id !== null))]);
      return functions.map((f) => (f.vpcId && !known.has(f.vpcId) ? { ...f, vpcId: null } : f)).sort((a, b) => a.name.localeCompare(b.name));
    },

    async function(functionArn: string) {
      const { GetFunctionCommand } = sdk.lambda();
      const out = await callAws(
        'GetFunction',
        () => c().lambda.send(new GetFunctionCommand({ FunctionName: functionArn })),
        `Lambda function "${functionArn}"`,
      );
      return { arn: out.Configuration?.FunctionArn ?? functionArn, role: out.Configuration?.Role ?? null, vpcId: out.Configuration?.VpcConfig?.VpcId || null };
    },

    /** The DB instance or cluster whose endpoint is `host`, if RDS knows one. */
    async databaseByHost(host: string) {
      const { paginateDescribeDBInstances, paginateDescribeDBClusters } = sdk.rds();
      return callAws('DescribeDBInstances', async () => {
        const fromInstance = (db: DBInstance) => ({
          id: db.DBInstanceIdentifier ?? '',
          engine: db.Engine ?? '',
          vpcId: db.DBSubnetGroup?.VpcId ?? null,
          subnetIds: (db.DBSubnetGroup?.Subnets ?? []).map((s) => s.SubnetIdentifier ?? '').filter(Boolean),
          securityGroupIds: (db.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId ?? '').filter(Boolean),
          publiclyAccessible: db.PubliclyAccessible ?? false,
        });
        for await (const page of paginateDescribeDBInstances({ client: c().rds }, {})) {
          const match = page.DBInstances?.find((db) => db.Endpoint?.Address === host);
          if (match) return fromInstance(match);
        }
        for await (const page of paginateDescribeDBClusters({ client: c().rds }, {})) {
          const cluster = page.DBClusters?.find((db) => db.Endpoint === host || db.ReaderEndpoint === host);
          const member = cluster?.DBClusterMembers?.[0]?.DBInstanceIdentifier;
          if (!cluster || !member) continue;
          for await (const p of paginateDescribeDBInstances({ client: c().rds }, { DBInstanceIdentifier: member })) {
            if (p.DBInstances?.[0]) return { ...fromInstance(p.DBInstances[0]), id: cluster.DBClusterIdentifier ?? member };
          }
        }
        return null;
      });
    },

    async vpcs(): Promise<Vpc[]> {
      const { DescribeVpcsCommand } = sdk.ec2();
      const out = await callAws('DescribeVpcs', () => c().ec2.send(new DescribeVpcsCommand({})));
      return (out.Vpcs ?? []).map((v) => ({ id: v.VpcId ?? '', cidr: v.CidrBlock ?? null, name: nameTag(v.Tags), isDefault: v.IsDefault ?? false }));
    },

    async vpc(vpcId: string): Promise<Vpc | null> {
      const { DescribeVpcsCommand } = sdk.ec2();
      const out = await callAws('DescribeVpcs', () => c().ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] })));
      const v = out.Vpcs?.[0];
      return v ? { id: v.VpcId ?? '', cidr: v.CidrBlock ?? null, name: nameTag(v.Tags), isDefault: v.IsDefault ?? false } : null;
    },

    async subnets(vpcId: string): Promise<Subnet[]> {
      const { DescribeSubnetsCommand } = sdk.ec2();
      const [subnets, tables] = await Promise.all([
        callAws('DescribeSubnets', () => c().ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))),
        routeTables(vpcId),
      ]);
      // A subnet without its own route table uses the VPC's main one (routeTableOfSubnet).
      const routesOut = (t: RouteTableFacts | null) => {
        const route = t ? defaultRoute(t) : null;
        return route?.kind === 'nat' || route?.kind === 'igw' || Boolean(route?.target?.startsWith('tgw-'));
      };
      return (subnets.Subnets ?? []).map((s) => ({
        id: s.SubnetId ?? '',
        vpcId: s.VpcId ?? vpcId,
        cidr: s.CidrBlock ?? null,
        availabilityZone: s.AvailabilityZone ?? null,
        name: nameTag(s.Tags),
        hasRouteOut: routesOut(routeTableOfSubnet(tables, s.SubnetId ?? '')),
      }));
    },

    async securityGroups(vpcId: string): Promise<SecurityGroup[]> {
      const { DescribeSecurityGroupsCommand } = sdk.ec2();
      const out = await callAws('DescribeSecurityGroups', () =>
        c().ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] })),
      );
      return (out.SecurityGroups ?? []).map((g) => ({
        id: g.GroupId ?? '',
        vpcId: g.VpcId ?? vpcId,
        name: g.GroupName ?? '',
        description: g.Description ?? null,
      }));
    },

    /** Security groups that `groupIds` admit traffic from: a database's clients, such as its rotation functions' group. */
    async groupsAdmittedBy(groupIds: string[]): Promise<string[]> {
      const groups = await securityGroupRules(groupIds);
      return [...new Set(groups.flatMap((g) => g.ingress.flatMap((r) => r.groupIds)))];
    },

    /** An interface endpoint for Secrets Manager in the VPC, if one exists and is usable. */
    async secretsManagerEndpoint(vpcId: string): Promise<string | null> {
      const endpoints = await secretsManagerEndpoints(vpcId);
      const usable = endpoints.find((e) => !['deleted', 'deleting', 'failed', 'rejected'].includes(String(e.state ?? '').toLowerCase()));
      return usable?.id ?? null;
    },
  };
};
export type DiscoveryGateway = ReturnType<typeof createDiscoveryGateway>;
