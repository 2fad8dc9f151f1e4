// The two network checks of the preflight (issue 15) against moto: each broken network is built in
// EC2 and RDS, the check names what is wrong and the command that mends it; the mended network passes.
import {
  AllocateAddressCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  AssociateRouteTableCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DeleteVpcEndpointsCommand,
  DescribeNetworkAclsCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcEndpointsCommand,
  DisassociateRouteTableCommand,
  ReplaceNetworkAclAssociationCommand,
  ReplaceRouteCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type IpPermission,
  type NetworkAclEntry,
} from '@aws-sdk/client-ec2';
import { CreateDBInstanceCommand, CreateDBSubnetGroupCommand } from '@aws-sdk/client-rds';
import type { PreflightCheck } from '@rotation-console/contracts';
import type { PreflightSubject, RotationFunctionFacts } from '@rotation-console/rotation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetworkChecks } from '../../src/modules/preflight/network.check.ts';
import type { PreflightRunner } from '../../src/modules/preflight/preflight-runner.ts';
import { runInTarget } from '../../src/platform/targets/target-scope.ts';
import { runFix } from '../support/run-fix.ts';
import { aws, buildApi, reset } from '../support/support.ts';

const REGION = 'us-east-1';
const api = await buildApi();
const ec2 = aws().ec2;
const [databaseRunner, secretsManagerRunner] = createNetworkChecks({ aws: api.aws }) as [PreflightRunner, PreflightRunner];

/** What the tests build: one VPC with the function's subnet, two database subnets and a public one. */
const net = {
  vpcId: '',
  fnSubnet: '',
  dbSubnets: [] as string[],
  publicSubnet: '',
  sgFn: '',
  sgDb: '',
  sgEndpoint: '',
  host: '',
  publicHost: '',
  sgPublicDb: '',
};

const createSubnet = async (vpcId: string, cidr: string, zone: string) =>
  (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: `${REGION}${zone}` }))).Subnet!.SubnetId!;
const createGroup = async (vpcId: string, name: string) =>
  (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: name, Description: `preflight ${name}` }))).GroupId!;
const tcp = (port: number, peer: { group?: string; cidr?: string }): IpPermission => ({
  IpProtocol: 'tcp',
  FromPort: port,
  ToPort: port,
  ...(peer.group ? { UserIdGroupPairs: [{ GroupId: peer.group }] } : {}),
  ...(peer.cidr ? { IpRanges: [{ CidrIp: peer.cidr }] } : {}),
});
const createDatabase = async (id: string, subnetGroup: string, groupId: string, publiclyAccessible: boolean) =>
  (
    await aws().rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: id,
        DBInstanceClass: 'db.t3.micro',
        Engine: 'postgres',
        MasterUsername: 'postgres',
        MasterUserPassword: 'not-a-secret-1',
        AllocatedStorage: 20,
        DBSubnetGroupName: subnetGroup,
        VpcSecurityGroupIds: [groupId],
        PubliclyAccessible: publiclyAccessible,
      }),
    )
  ).DBInstance!.Endpoint!.Address!;

const fnFacts = (over: Partial<RotationFunctionFacts> = {}): RotationFunctionFacts => ({
  arn: null,
  name: 'pf-rotate-orders',
  runtime: 'nodejs24.x',
  timeoutSeconds: 30,
  roleArn: null,
  secretsManagerEndpoint: null,
  vpc: { vpcId: net.vpcId, subnetIds: [net.fnSubnet], securityGroupIds: [net.sgFn] },
  consoles: true,
  codeSha256: null,
  plannedRolePolicy: null,
  ...over,
});
const subject = ({
  fn = fnFacts(),
  host = net.host,
  saveAdds = null,
}: { fn?: RotationFunctionFacts; host?: string; saveAdds?: PreflightSubject['saveAdds'] } = {}): PreflightSubject => ({
  secret: {
    arn: `arn:aws:secretsmanager:${REGION}:123456789012:secret:pf/orders-AbCdEf`,
    name: 'pf/orders',
    accountId: '123456789012',
    region: REGION,
    kmsKeyId: null,
  },
  strategy: 'single-user',
  database: { engine: 'postgres', host, port: 5432, masterSecretArn: null, masterKmsKeyId: null },
  fn,
  saveAdds,
});

/** A check run as the service runs it: in the secret's target (here the console's home target). */
const run = async (runner: PreflightRunner, s: PreflightSubject = subject()): Promise<PreflightCheck> =>
  runInTarget(await api.targets.home(), () => runner.run(s));
const failures = (check: PreflightCheck) => check.findings.filter((f) => f.verdict !== 'pass');

/** Puts `subnetIds` on `aclId` (ReplaceNetworkAclAssociation of each subnet's current association). */
const useAcl = async (aclId: string, subnetIds: string[]) => {
  const acls = (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [net.vpcId] }] }))).NetworkAcls ?? [];
  for (const subnetId of subnetIds) {
    const association = acls.flatMap((a) => a.Associations ?? []).find((a) => a.SubnetId === subnetId)!;
    await ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: association.NetworkAclAssociationId!, NetworkAclId: aclId }));
  }
};
const defaultAcl = async () =>
  (
    await ec2.send(
      new DescribeNetworkAclsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [net.vpcId] },
          { Name: 'default', Values: ['true'] },
        ],
      }),
    )
  ).NetworkAcls![0]!.NetworkAclId!;
/** Adds an entry to a network ACL (for every address unless it names a range). */
const addEntry = (aclId: string, e: Pick<NetworkAclEntry, 'RuleNumber' | 'Egress' | 'Protocol' | 'RuleAction' | 'PortRange' | 'CidrBlock'>) =>
  ec2.send(
    new CreateNetworkAclEntryCommand({
      NetworkAclId: aclId,
      RuleNumber: e.RuleNumber!,
      Egress: e.Egress!,
      Protocol: e.Protocol!,
      RuleAction: e.RuleAction!,
      CidrBlock: e.CidrBlock ?? '0.0.0.0/0',
      ...(e.PortRange ? { PortRange: e.PortRange } : {}),
    }),
  );
const customAcl = async (entries: Parameters<typeof addEntry>[1][]) => {
  const aclId = (await ec2.send(new CreateNetworkAclCommand({ VpcId: net.vpcId }))).NetworkAcl!.NetworkAclId!;
  for (const e of entries) await addEntry(aclId, e);
  return aclId;
};

beforeAll(async () => {
  await reset();
  net.vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.50.0.0/16' }))).Vpc!.VpcId!;
  net.fnSubnet = await createSubnet(net.vpcId, '10.50.1.0/24', 'a');
  net.dbSubnets = [await createSubnet(net.vpcId, '10.50.2.0/24', 'a'), await createSubnet(net.vpcId, '10.50.3.0/24', 'b')];
  net.publicSubnet = await createSubnet(net.vpcId, '10.50.9.0/24', 'a');
  net.sgFn = await createGroup(net.vpcId, 'pf-fn');
  net.sgDb = await createGroup(net.vpcId, 'pf-db');
  net.sgEndpoint = await createGroup(net.vpcId, 'pf-endpoint');
  net.sgPublicDb = await createGroup(net.vpcId, 'pf-public-db');
  await aws().rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: 'pf-db', DBSubnetGroupDescription: 'preflight', SubnetIds: net.dbSubnets }));
  net.host = await createDatabase('pf-orders', 'pf-db', net.sgDb, false);
  net.publicHost = await createDatabase('pf-public', 'pf-db', net.sgPublicDb, true);
});
afterAll(() => api.close());

describe('Preflight: network to the database', () => {
  it('When the database is an RDS instance in moto, then its endpoint address is what the secret names', () => {
    // moto 5.2.1 answers <id>.aaaaaaaaaa.<region>.rds.amazonaws.com for every instance.
    expect(net.host).toBe(`pf-orders.aaaaaaaaaa.${REGION}.rds.amazonaws.com`);
  });

  it('When the database\u2019s group admits nothing from the function, then it fails with the ingress rule to add; with it (by group) it passes', async () => {
    const broken = await run(databaseRunner);
    expect(broken.verdict).toBe('fail');
    expect(failures(broken)).toEqual([
      {
        verdict: 'fail',
        message: `No security group of the database pf-orders (${net.sgDb}) admits the function (${net.sgFn}, 10.50.1.0/24) on tcp 5432.`,
        fix: `aws ec2 authorize-security-group-ingress --group-id ${net.sgDb} --protocol tcp --port 5432 --source-group ${net.sgFn} --region ${REGION}`,
      },
    ]);
    expect(broken.evidence).toContain(`${net.sgDb} (pf-db) ingress: no rules`);

    runFix(failures(broken)[0]!.fix);
    const fixed = await run(databaseRunner);
    expect(fixed.verdict).toBe('pass');
    expect(fixed.summary).toBe(
      `The function reaches the database pf-orders on tcp 5432 in ${net.vpcId}: security groups and network ACLs allow it and its return traffic.`,
    );
    expect(fixed.evidence).toEqual(
      expect.arrayContaining([
        `${net.sgDb} (pf-db) ingress: tcp 5432 from ${net.sgFn}`,
        // moto gives a new group AWS's default egress rule.
        `${net.sgFn} (pf-fn) egress: all traffic to 0.0.0.0/0`,
        expect.stringMatching(
          new RegExp(`^Database pf-orders \\(postgres\\) at ${net.host.replace(/\./g, '\\.')}:5432: ${net.vpcId}, subnets .*PubliclyAccessible false$`),
        ),
      ]),
    );
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: net.sgDb, IpPermissions: [tcp(5432, { group: net.sgFn })] }));
  });

  it('When the database\u2019s group admits the function by CIDR, then only a range covering the function\u2019s subnet passes', async () => {
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: net.sgDb, IpPermissions: [tcp(5432, { cidr: '10.50.1.0/28' })] }));
    const part = await run(databaseRunner);
    expect(part.verdict).toBe('warning');
    expect(failures(part)[0]?.message).toBe(
      `The security groups of the database pf-orders (${net.sgDb}) admit only part of the function (${net.sgFn}, 10.50.1.0/24) on tcp 5432: ${net.sgDb}: tcp 5432 from 10.50.1.0/28.`,
    );

    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: net.sgDb, IpPermissions: [tcp(5432, { cidr: '10.50.0.0/16' })] }));
    expect((await run(databaseRunner)).verdict).toBe('pass');
    await ec2.send(
      new RevokeSecurityGroupIngressCommand({ GroupId: net.sgDb, IpPermissions: [tcp(5432, { cidr: '10.50.1.0/28' }), tcp(5432, { cidr: '10.50.0.0/16' })] }),
    );
  });

  describe('with the database admitting the function', () => {
    beforeAll(() => ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: net.sgDb, IpPermissions: [tcp(5432, { group: net.sgFn })] })));
    afterAll(() => ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: net.sgDb, IpPermissions: [tcp(5432, { group: net.sgFn })] })));

    it('When the function\u2019s group lets nothing out on the port, then it fails with the egress rule to add; with it, it passes', async () => {
      const allOut: IpPermission = { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
      await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: net.sgFn, IpPermissions: [allOut] }));
      const broken = await run(databaseRunner);
      expect(failures(broken)).toEqual([
        {
          verdict: 'fail',
          message: `No security group of the function (${net.sgFn}) allows tcp 5432 out to the database pf-orders (${net.sgDb}, 10.50.2.0/24, 10.50.3.0/24).`,
          fix: `aws ec2 authorize-security-group-egress --group-id ${net.sgFn} --ip-permissions 'IpProtocol=tcp,FromPort=5432,ToPort=5432,UserIdGroupPairs=[{GroupId=${net.sgDb}}]' --region ${REGION}`,
        },
      ]);

      runFix(failures(broken)[0]!.fix);
      expect((await run(databaseRunner)).verdict).toBe('pass');
      await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: net.sgFn, IpPermissions: [tcp(5432, { group: net.sgDb })] }));
      await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: net.sgFn, IpPermissions: [allOut] }));
    });

    it('When the database subnets\u2019 network ACL denies the port, then it fails with an allow numbered before the deny; with it, it passes', async () => {
      // moto gives a new network ACL no entries (AWS shows its * rules): the check adds the implicit deny itself.
      const aclId = await customAcl([
        { RuleNumber: 90, Egress: false, Protocol: '6', RuleAction: 'deny', PortRange: { From: 5432, To: 5432 } },
        { RuleNumber: 100, Egress: false, Protocol: '-1', RuleAction: 'allow' },
        { RuleNumber: 100, Egress: true, Protocol: '-1', RuleAction: 'allow' },
      ]);
      await useAcl(aclId, net.dbSubnets);
      const broken = await run(databaseRunner);
      expect(failures(broken)).toEqual([
        {
          verdict: 'fail',
          message: `${aclId} (subnet ${net.dbSubnets[0]}) inbound denies tcp 5432 in from the function: rule 90 denies tcp 5432 from 10.50.1.0/24.`,
          fix: `aws ec2 create-network-acl-entry --network-acl-id ${aclId} --ingress --rule-number 89 --protocol tcp --port-range From=5432,To=5432 --cidr-block 10.50.1.0/24 --rule-action allow --region ${REGION}`,
        },
      ]);
      expect(broken.evidence).toContain(
        `${aclId} inbound: 90 deny tcp 5432 from 0.0.0.0/0; 100 allow all traffic from 0.0.0.0/0; * deny all traffic (implicit)`,
      );

      runFix(failures(broken)[0]!.fix);
      expect((await run(databaseRunner)).verdict).toBe('pass');
      await useAcl(await defaultAcl(), net.dbSubnets);
    });

    it('When the network ACL lets the port in but not the return traffic out, then it fails on the ephemeral ports; with them, it passes', async () => {
      const aclId = await customAcl([
        { RuleNumber: 100, Egress: false, Protocol: '6', RuleAction: 'allow', PortRange: { From: 5432, To: 5432 } },
        { RuleNumber: 100, Egress: true, Protocol: '6', RuleAction: 'allow', PortRange: { From: 5432, To: 5432 } },
      ]);
      await useAcl(aclId, net.dbSubnets);
      const broken = await run(databaseRunner);
      expect(failures(broken)).toEqual([
        {
          verdict: 'fail',
          message: `${aclId} (subnet ${net.dbSubnets[0]}) outbound denies the return traffic (tcp 1024-65535) out to the function: the * rule denies tcp 1024-5431 to 10.50.1.0/24.`,
          fix: `aws ec2 create-network-acl-entry --network-acl-id ${aclId} --egress --rule-number 110 --protocol tcp --port-range From=1024,To=65535 --cidr-block 10.50.1.0/24 --rule-action allow --region ${REGION}`,
        },
      ]);

      runFix(failures(broken)[0]!.fix);
      expect((await run(databaseRunner)).verdict).toBe('pass');
      await useAcl(await defaultAcl(), net.dbSubnets);
    });
  });

  it('When the function runs in another VPC, then it cannot tell and names the two VPCs', async () => {
    const otherVpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.60.0.0/16' }))).Vpc!.VpcId!;
    const otherSubnet = await createSubnet(otherVpc, '10.60.1.0/24', 'a');
    const otherGroup = await createGroup(otherVpc, 'pf-other-fn');
    const check = await run(databaseRunner, subject({ fn: fnFacts({ vpc: { vpcId: otherVpc, subnetIds: [otherSubnet], securityGroupIds: [otherGroup] } }) }));

    expect(check.verdict).toBe('unknown');
    expect(check.summary).toBe(
      `Cannot tell: the function runs in ${otherVpc} and the database pf-orders in ${net.vpcId}. A path between VPCs (peering, a transit gateway) is not evaluated.`,
    );
  });

  it('When the function runs in no VPC, then a database in a VPC fails with the move into it, and a publicly accessible one open to the internet passes', async () => {
    const fn = fnFacts({ arn: `arn:aws:lambda:${REGION}:123456789012:function:pf-rotate-orders`, vpc: null });
    // The fix gives the function the group the database admits.
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: net.sgDb, IpPermissions: [tcp(5432, { group: net.sgFn })] }));
    const inVpc = await run(databaseRunner, subject({ fn }));
    expect(inVpc.findings).toEqual([
      {
        verdict: 'fail',
        message: `The function runs in no VPC, and the database pf-orders is not publicly accessible (it is in ${net.vpcId}): only a function in its VPC reaches it.`,
        fix: `aws lambda update-function-configuration --function-name pf-rotate-orders --vpc-config SubnetIds=${net.dbSubnets.join(',')},SecurityGroupIds=${net.sgFn} --region ${REGION}`,
      },
    ]);
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: net.sgDb, IpPermissions: [tcp(5432, { group: net.sgFn })] }));

    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: net.sgPublicDb, IpPermissions: [tcp(5432, { cidr: '0.0.0.0/0' })] }));
    const open = await run(databaseRunner, subject({ fn, host: net.publicHost }));
    expect(open.verdict).toBe('pass');
    expect(open.findings[0]?.message).toBe('The database pf-public is publicly accessible: the function, in no VPC, reaches it over the internet.');
  });

  it('When RDS knows no database at the secret\u2019s host, then it cannot tell and says it could not find it', async () => {
    const check = await run(databaseRunner, subject({ host: 'orders.db.internal.example' }));
    expect(check.verdict).toBe('unknown');
    expect(check.summary).toBe(
      `Could not find the database: no RDS DB instance or cluster in ${REGION} has the endpoint orders.db.internal.example, so its network is not known.`,
    );
  });
});

describe('Preflight: network to Secrets Manager', () => {
  /** A Secrets Manager endpoint in the first database subnet, with the endpoint's group. */
  const createEndpoint = async (privateDns: boolean) =>
    (
      await ec2.send(
        new CreateVpcEndpointCommand({
          VpcId: net.vpcId,
          VpcEndpointType: 'Interface',
          ServiceName: `com.amazonaws.${REGION}.secretsmanager`,
          SubnetIds: [net.dbSubnets[0]!],
          SecurityGroupIds: [net.sgEndpoint],
          PrivateDnsEnabled: privateDns,
        }),
      )
    ).VpcEndpoint!;
  /** The endpoint to create: in the function's subnet and group, which must then admit itself on 443. */
  const endpointFix = () =>
    `aws ec2 create-vpc-endpoint --vpc-id ${net.vpcId} --vpc-endpoint-type Interface --service-name com.amazonaws.${REGION}.secretsmanager --subnet-ids ${net.fnSubnet} --security-group-ids ${net.sgFn} --private-dns-enabled --region ${REGION}` +
    ` && aws ec2 authorize-security-group-ingress --group-id ${net.sgFn} --protocol tcp --port 443 --source-group ${net.sgFn} --region ${REGION}`;

  it('When the function\u2019s subnet uses the main route table (local only) and there is no endpoint, then it fails with the endpoint to create', async () => {
    const check = await run(secretsManagerRunner);
    expect(check.findings).toEqual([
      {
        verdict: 'fail',
        message: `The function cannot reach Secrets Manager: ${net.fnSubnet} uses ${check.evidence.find((e) => e.startsWith('rtb-'))?.split(' ')[0]} (the main route table), which has no route to 0.0.0.0/0. ${net.vpcId} has no Secrets Manager endpoint.`,
        fix: endpointFix(),
      },
    ]);
    expect(check.evidence).toContain(`SECRETS_MANAGER_ENDPOINT: not set (the SDK calls https://secretsmanager.${REGION}.amazonaws.com)`);
  });

  it('When the wizard has Save create the endpoint, then the endpoint the plan makes (in the function\u2019s group) must admit the function on 443', async () => {
    const wizard = subject({ saveAdds: { invokePermission: true, masterGrant: false, secretsManagerEndpoint: true } });
    const broken = await run(secretsManagerRunner, wizard);
    expect(failures(broken)).toEqual([
      {
        verdict: 'fail',
        message: `No security group of the endpoint Save creates (${net.sgFn}) admits the function (${net.sgFn}, 10.50.1.0/24) on tcp 443.`,
        fix: `aws ec2 authorize-security-group-ingress --group-id ${net.sgFn} --protocol tcp --port 443 --source-group ${net.sgFn} --region ${REGION}`,
      },
    ]);

    runFix(failures(broken)[0]!.fix);
    const fixed = await run(secretsManagerRunner, wizard);
    expect(fixed.verdict).toBe('pass');
    expect(fixed.evidence).toContain(
      `Save creates a Secrets Manager endpoint in ${net.vpcId}: private DNS, subnets ${net.fnSubnet}, security groups ${net.sgFn}`,
    );
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: net.sgFn, IpPermissions: [tcp(443, { group: net.sgFn })] }));
  });

  it('When the subnet routes 0.0.0.0/0 to a NAT gateway, then it passes; to an internet gateway alone, it fails', async () => {
    const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: net.vpcId }));
    const allocation = (await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }))).AllocationId!;
    const nat = (await ec2.send(new CreateNatGatewayCommand({ SubnetId: net.publicSubnet, AllocationId: allocation }))).NatGateway!.NatGatewayId!;
    const table = (await ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }))).RouteTable!.RouteTableId!;
    const association = (await ec2.send(new AssociateRouteTableCommand({ RouteTableId: table, SubnetId: net.fnSubnet }))).AssociationId!;
    await ec2.send(new CreateRouteCommand({ RouteTableId: table, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: nat }));

    const throughNat = await run(secretsManagerRunner);
    expect(throughNat.verdict).toBe('pass');
    expect(throughNat.summary).toBe(`The function reaches Secrets Manager's public endpoint through a NAT gateway (${nat}) on tcp 443.`);
    expect(throughNat.evidence).toContain(`${table} (${net.fnSubnet}): 10.50.0.0/16 -> local; 0.0.0.0/0 -> ${nat}`);

    await ec2.send(new ReplaceRouteCommand({ RouteTableId: table, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
    const throughIgw = await run(secretsManagerRunner);
    expect(throughIgw.findings).toEqual([
      {
        verdict: 'fail',
        message: `The function cannot reach Secrets Manager: ${net.fnSubnet} uses ${table}, which sends 0.0.0.0/0 to ${igw}: an internet gateway serves only a public IP, and a Lambda function has none. ${net.vpcId} has no Secrets Manager endpoint.`,
        fix: endpointFix(),
      },
    ]);

    runFix(endpointFix());
    const mended = await run(secretsManagerRunner);
    expect(mended.verdict).toBe('pass');
    expect(mended.summary).toMatch(/^The function reaches Secrets Manager through vpce-\w+ \(private DNS\) on tcp 443\.$/);

    const created = (await ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [net.vpcId] }] }))).VpcEndpoints ?? [];
    await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: created.map((e) => e.VpcEndpointId!) }));
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: net.sgFn, IpPermissions: [tcp(443, { group: net.sgFn })] }));
    await ec2.send(new DisassociateRouteTableCommand({ AssociationId: association }));
  });

  it('When the only endpoint has private DNS off, then it fails with the command turning it on; an endpoint with private DNS passes', async () => {
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: net.sgEndpoint, IpPermissions: [tcp(443, { group: net.sgFn })] }));
    const withoutDns = await createEndpoint(false);
    const broken = await run(secretsManagerRunner);
    expect(broken.findings).toEqual([
      {
        verdict: 'fail',
        message: expect.stringMatching(
          new RegExp(`${withoutDns.VpcEndpointId} has private DNS off, so calls to secretsmanager\\.${REGION}\\.amazonaws\\.com do not reach it\\.$`),
        ),
        fix: `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${withoutDns.VpcEndpointId} --private-dns-enabled --region ${REGION}`,
      },
    ]);
    expect(broken.evidence).toContain(
      `Endpoint ${withoutDns.VpcEndpointId} com.amazonaws.${REGION}.secretsmanager (Interface) available: PrivateDnsEnabled false, subnets ${net.dbSubnets[0]}, security groups ${net.sgEndpoint}, DNS ${withoutDns.DnsEntries![0]!.DnsName}`,
    );

    // The function may still call that endpoint by its own name (SECRETS_MANAGER_ENDPOINT): no private DNS needed then.
    const byName = await run(secretsManagerRunner, subject({ fn: fnFacts({ secretsManagerEndpoint: `https://${withoutDns.DnsEntries![0]!.DnsName}` }) }));
    expect(byName.verdict).toBe('pass');

    // moto 5.2.1 ignores PrivateDnsEnabled on ModifyVpcEndpoint (the fix above, run as written): the mended VPC gets a new endpoint with private DNS.
    runFix(broken.findings[0]!.fix);
    const modified = (await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [withoutDns.VpcEndpointId!] }))).VpcEndpoints![0]!;
    expect(modified.PrivateDnsEnabled).toBe(false);
    await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [withoutDns.VpcEndpointId!] }));
    const withDns = (await createEndpoint(true)).VpcEndpointId!;
    const fixed = await run(secretsManagerRunner);
    expect(fixed.verdict).toBe('pass');
    expect(fixed.summary).toBe(`The function reaches Secrets Manager through ${withDns} (private DNS) on tcp 443.`);
    expect(fixed.evidence).toContain(`${net.sgEndpoint} (pf-endpoint) ingress: tcp 443 from ${net.sgFn}`);
  });

  it('When the endpoint\u2019s group does not admit the function on 443, then it fails with the ingress rule to add; with it, it passes', async () => {
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: net.sgEndpoint, IpPermissions: [tcp(443, { group: net.sgFn })] }));
    const endpointId = (await ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-endpoint-state', Values: ['available'] }] }))).VpcEndpoints![0]!
      .VpcEndpointId!;
    const broken = await run(secretsManagerRunner);
    expect(failures(broken)).toEqual([
      {
        verdict: 'fail',
        message: `No security group of ${endpointId} (${net.sgEndpoint}) admits the function (${net.sgFn}, 10.50.1.0/24) on tcp 443.`,
        fix: `aws ec2 authorize-security-group-ingress --group-id ${net.sgEndpoint} --protocol tcp --port 443 --source-group ${net.sgFn} --region ${REGION}`,
      },
    ]);

    runFix(failures(broken)[0]!.fix);
    expect((await run(secretsManagerRunner)).verdict).toBe('pass');
  });

  it('When the function runs in no VPC, then it reaches Secrets Manager over the internet', async () => {
    const check = await run(secretsManagerRunner, subject({ fn: fnFacts({ vpc: null }) }));
    expect(check.verdict).toBe('pass');
    expect(check.summary).toBe(
      `The function runs in no VPC: it reaches Secrets Manager's public endpoint (secretsmanager.${REGION}.amazonaws.com) over the internet.`,
    );
  });

  it('When the function\u2019s group names exist nowhere, then that part cannot be told, never a pass', async () => {
    const check = await run(
      secretsManagerRunner,
      subject({ fn: fnFacts({ vpc: { vpcId: net.vpcId, subnetIds: [net.fnSubnet], securityGroupIds: ['sg-0000000000000dead'] } }) }),
    );
    expect(check.verdict).not.toBe('pass');
    expect(check.findings).toContainEqual({ verdict: 'unknown', message: 'EC2 knows no security group sg-0000000000000dead of the function.', fix: null });
    expect(check.findings.map((f) => f.message)).not.toContain(expect.stringMatching(/has no security groups/));
    // Read back: the group is unknown to EC2 too.
    expect((await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-id', Values: ['sg-0000000000000dead'] }] }))).SecurityGroups).toEqual(
      [],
    );
  });
});
