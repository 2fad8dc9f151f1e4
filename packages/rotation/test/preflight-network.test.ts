import { describe, expect, it } from 'vitest';
import {
  aclAllows,
  cidrCoverage,
  type NetworkAclEntryFacts,
  type NetworkAclFacts,
  type RouteTableFacts,
  type SecurityGroupFacts,
  type SecurityGroupRuleFacts,
  type VpcEndpointFacts,
} from '../src/preflight/network-rules.ts';
import { databaseNetworkCheck, secretsManagerNetworkCheck, type DatabaseNetworkInput, type SecretsManagerNetworkInput } from '../src/preflight/network.ts';

const ok = <T>(value: T) => ({ ok: true as const, value });
const refused = (error: string) => ({ ok: false as const, error });

const rule = (over: Partial<SecurityGroupRuleFacts>): SecurityGroupRuleFacts => ({
  protocol: 'tcp',
  fromPort: 5432,
  toPort: 5432,
  cidrs: [],
  groupIds: [],
  prefixListIds: [],
  ...over,
});
const ALL_OUT = rule({ protocol: '-1', fromPort: null, toPort: null, cidrs: ['0.0.0.0/0'] });
const group = (
  id: string,
  { ingress = [], egress = [ALL_OUT] }: { ingress?: SecurityGroupRuleFacts[]; egress?: SecurityGroupRuleFacts[] } = {},
): SecurityGroupFacts => ({
  id,
  name: `${id}-name`,
  vpcId: 'vpc-1',
  ingress,
  egress,
});
const entry = (over: Partial<NetworkAclEntryFacts>): NetworkAclEntryFacts => ({
  ruleNumber: 100,
  egress: false,
  protocol: '-1',
  action: 'allow',
  cidr: '0.0.0.0/0',
  ports: null,
  ...over,
});
/** A network ACL as AWS's default one: everything allowed both ways, then the * rule. */
const openAcl = (id: string, subnetIds: string[], extra: NetworkAclEntryFacts[] = []): NetworkAclFacts => ({
  id,
  subnetIds,
  entries: [
    ...extra,
    entry({ egress: false }),
    entry({ egress: true }),
    entry({ ruleNumber: 32767, egress: false, action: 'deny' }),
    entry({ ruleNumber: 32767, egress: true, action: 'deny' }),
  ],
});

const FN_VPC = { vpcId: 'vpc-1', subnetIds: ['subnet-fn'], securityGroupIds: ['sg-fn'] };
const SUBNETS = [
  { id: 'subnet-fn', cidr: '10.0.1.0/24' },
  { id: 'subnet-db', cidr: '10.0.2.0/24' },
];
const DB = { id: 'orders', engine: 'postgres', vpcId: 'vpc-1', subnetIds: ['subnet-db'], securityGroupIds: ['sg-db'], publiclyAccessible: false };

const dbInput = (over: Partial<DatabaseNetworkInput> = {}): DatabaseNetworkInput => ({
  region: 'us-east-1',
  fn: { name: 'rotate-orders', arn: 'arn:aws:lambda:us-east-1:123456789012:function:rotate-orders', vpc: FN_VPC },
  database: { host: 'orders.abc.us-east-1.rds.amazonaws.com', port: 5432 },
  rds: ok(DB),
  securityGroups: ok([group('sg-fn'), group('sg-db', { ingress: [rule({ groupIds: ['sg-fn'] })] })]),
  subnets: ok(SUBNETS),
  networkAcls: ok([openAcl('acl-fn', ['subnet-fn']), openAcl('acl-db', ['subnet-db'])]),
  ...over,
});

describe('IPv4 ranges and network ACL entries', () => {
  it('When ranges cover a subnet together, whole, in part or not at all, then the coverage says so', () => {
    expect(cidrCoverage('10.0.1.0/24', ['10.0.0.0/16'])).toBe('all');
    expect(cidrCoverage('10.0.1.0/24', ['10.0.1.0/25', '10.0.1.128/25'])).toBe('all');
    expect(cidrCoverage('10.0.1.0/24', ['10.0.1.0/25'])).toBe('some');
    expect(cidrCoverage('10.0.1.0/24', ['10.0.2.0/24'])).toBe('none');
    expect(cidrCoverage('0.0.0.0/0', ['0.0.0.0/0'])).toBe('all');
  });

  it('When a deny comes before an allow, then the lower rule number wins; what no rule decides meets the * rule', () => {
    const acl: NetworkAclFacts = {
      id: 'acl-1',
      subnetIds: [],
      entries: [
        entry({ ruleNumber: 200, protocol: '6', ports: { from: 5432, to: 5432 } }),
        entry({ ruleNumber: 100, protocol: '6', action: 'deny', cidr: '10.0.1.0/24', ports: { from: 5000, to: 6000 } }),
      ],
    };
    expect(aclAllows(acl, 'ingress', '10.0.1.0/24', { from: 5432, to: 5432 })).toEqual({
      result: 'deny',
      deniedBy: { ruleNumber: 100, ports: { from: 5432, to: 5432 } },
    });
    expect(aclAllows(acl, 'ingress', '10.0.3.0/24', { from: 5432, to: 5432 }).result).toBe('allow');
    expect(aclAllows(acl, 'ingress', '10.0.3.0/24', { from: 1024, to: 65535 })).toEqual({
      result: 'deny',
      deniedBy: { ruleNumber: null, ports: { from: 1024, to: 5431 } },
    });
  });

  it('When an entry allows only part of the peer\u2019s addresses before the * rule, then the answer is "some"', () => {
    const acl: NetworkAclFacts = { id: 'acl-1', subnetIds: [], entries: [entry({ cidr: '10.0.1.0/25' })] };
    expect(aclAllows(acl, 'ingress', '10.0.1.0/24', { from: 5432, to: 5432 }).result).toBe('some');
  });
});

describe('Network to the database', () => {
  it('When the database\u2019s group admits the function\u2019s group and the ACLs are open, then it passes with what was read', () => {
    const check = databaseNetworkCheck(dbInput());

    expect(check.verdict).toBe('pass');
    expect(check.summary).toMatch(/reaches the database orders on tcp 5432 in vpc-1/);
    expect(check.evidence).toEqual(
      expect.arrayContaining([
        'sg-db (sg-db-name) ingress: tcp 5432 from sg-fn',
        'sg-fn (sg-fn-name) egress: all traffic to 0.0.0.0/0',
        expect.stringMatching(/^acl-db inbound: 100 allow all traffic from 0\.0\.0\.0\/0; \* deny/),
        expect.stringMatching(/PubliclyAccessible false/),
      ]),
    );
    expect(check.findings.every((f) => f.fix === null)).toBe(true);
  });

  it('When the database\u2019s group admits nothing from the function, then it fails with the ingress command', () => {
    const check = databaseNetworkCheck(
      dbInput({ securityGroups: ok([group('sg-fn'), group('sg-db', { ingress: [rule({ fromPort: 22, toPort: 22, cidrs: ['10.0.0.0/8'] })] })]) }),
    );

    expect(check.verdict).toBe('fail');
    expect(check.summary).toBe('No security group of the database orders (sg-db) admits the function (sg-fn, 10.0.1.0/24) on tcp 5432.');
    expect(check.findings.find((f) => f.verdict === 'fail')?.fix).toBe(
      'aws ec2 authorize-security-group-ingress --group-id sg-db --protocol tcp --port 5432 --source-group sg-fn --region us-east-1',
    );
  });

  it('When the database admits the function by CIDR, then the whole of the function\u2019s subnets must be covered', () => {
    const by = (cidr: string) =>
      databaseNetworkCheck(dbInput({ securityGroups: ok([group('sg-fn'), group('sg-db', { ingress: [rule({ cidrs: [cidr] })] })]) })).verdict;
    expect(by('10.0.0.0/16')).toBe('pass');
    expect(by('10.0.1.0/28')).toBe('warning');
    expect(by('192.168.0.0/16')).toBe('fail');
  });

  it('When the function\u2019s group lets nothing out on the port, then it fails with the egress command', () => {
    const check = databaseNetworkCheck(
      dbInput({
        securityGroups: ok([
          group('sg-fn', { egress: [rule({ fromPort: 443, toPort: 443, cidrs: ['0.0.0.0/0'] })] }),
          group('sg-db', { ingress: [rule({ groupIds: ['sg-fn'] })] }),
        ]),
      }),
    );

    const failed = check.findings.find((f) => f.verdict === 'fail');
    expect(failed?.message).toMatch(/No security group of the function \(sg-fn\) allows tcp 5432 out to the database orders/);
    expect(failed?.fix).toBe(
      "aws ec2 authorize-security-group-egress --group-id sg-fn --ip-permissions 'IpProtocol=tcp,FromPort=5432,ToPort=5432,UserIdGroupPairs=[{GroupId=sg-db}]' --region us-east-1",
    );
  });

  it('When a network ACL denies the port, or the return traffic, then it fails with an entry numbered before the deny', () => {
    const denyPort = databaseNetworkCheck(
      dbInput({
        networkAcls: ok([
          openAcl('acl-fn', ['subnet-fn']),
          openAcl('acl-db', ['subnet-db'], [entry({ ruleNumber: 90, protocol: '6', action: 'deny', ports: { from: 5432, to: 5432 } })]),
        ]),
      }),
    );
    expect(denyPort.verdict).toBe('fail');
    expect(denyPort.findings.find((f) => f.verdict === 'fail')).toEqual({
      verdict: 'fail',
      message: 'acl-db (subnet subnet-db) inbound denies tcp 5432 in from the function: rule 90 denies tcp 5432 from 10.0.1.0/24.',
      fix: 'aws ec2 create-network-acl-entry --network-acl-id acl-db --ingress --rule-number 89 --protocol tcp --port-range From=5432,To=5432 --cidr-block 10.0.1.0/24 --rule-action allow --region us-east-1',
    });

    // A custom ACL that allows 5432 both ways but nothing back: the return traffic meets the * rule.
    const onlyPort: NetworkAclFacts = {
      id: 'acl-db',
      subnetIds: ['subnet-db'],
      entries: [entry({ protocol: '6', ports: { from: 5432, to: 5432 } }), entry({ protocol: '6', egress: true, ports: { from: 5432, to: 5432 } })],
    };
    const noReturn = databaseNetworkCheck(dbInput({ networkAcls: ok([openAcl('acl-fn', ['subnet-fn']), onlyPort]) }));
    expect(noReturn.findings.filter((f) => f.verdict === 'fail')).toEqual([
      {
        verdict: 'fail',
        message:
          'acl-db (subnet subnet-db) outbound denies the return traffic (tcp 1024-65535) out to the function: the * rule denies tcp 1024-5431 to 10.0.1.0/24.',
        fix: 'aws ec2 create-network-acl-entry --network-acl-id acl-db --egress --rule-number 110 --protocol tcp --port-range From=1024,To=65535 --cidr-block 10.0.1.0/24 --rule-action allow --region us-east-1',
      },
    ]);
  });

  it('When the function and the database share a subnet, then no network ACL is evaluated between them', () => {
    const check = databaseNetworkCheck(dbInput({ fn: { ...dbInput().fn, vpc: { ...FN_VPC, subnetIds: ['subnet-db'] } }, networkAcls: ok([]) }));
    expect(check.verdict).toBe('pass');
    expect(check.findings.map((f) => f.message)).toContain('The function and the database orders share subnet subnet-db: no network ACL lies between them.');
  });

  it('When the function and the database are in different VPCs, then it cannot tell and says so', () => {
    const check = databaseNetworkCheck(dbInput({ rds: ok({ ...DB, vpcId: 'vpc-2' }) }));

    expect(check.verdict).toBe('unknown');
    expect(check.summary).toMatch(
      /^Cannot tell: the function runs in vpc-1 and the database orders in vpc-2\. A path between VPCs \(peering, a transit gateway\) is not evaluated/,
    );
    expect(check.findings[0]?.fix).toBe(
      "If no peering or transit gateway connects the two VPCs, run the function in the database's VPC: aws lambda update-function-configuration --function-name rotate-orders --vpc-config SubnetIds=subnet-db,SecurityGroupIds=sg-fn --region us-east-1",
    );
  });

  it('When the function runs in no VPC, then it reaches a publicly accessible database only, else it fails with the move into the VPC', () => {
    const outside = { ...dbInput().fn, vpc: null };
    const privateDb = databaseNetworkCheck(dbInput({ fn: outside }));
    expect(privateDb.verdict).toBe('fail');
    expect(privateDb.findings[0]).toEqual({
      verdict: 'fail',
      message: 'The function runs in no VPC, and the database orders is not publicly accessible (it is in vpc-1): only a function in its VPC reaches it.',
      fix: 'aws lambda update-function-configuration --function-name rotate-orders --vpc-config SubnetIds=subnet-db,SecurityGroupIds=sg-fn --region us-east-1',
    });

    const publicDb = (ingress: SecurityGroupRuleFacts[]) =>
      databaseNetworkCheck(dbInput({ fn: outside, rds: ok({ ...DB, publiclyAccessible: true }), securityGroups: ok([group('sg-db', { ingress })]) }));
    expect(publicDb([rule({ cidrs: ['0.0.0.0/0'] })]).verdict).toBe('pass');
    expect(publicDb([rule({ groupIds: ['sg-fn'] })]).verdict).toBe('fail');
  });

  it('When RDS knows no database at the host, or refuses the read, then it cannot tell and names why', () => {
    const missing = databaseNetworkCheck(dbInput({ rds: ok(null) }));
    expect(missing.verdict).toBe('unknown');
    expect(missing.summary).toMatch(/^Could not find the database: no RDS DB instance or cluster in us-east-1 has the endpoint orders\.abc/);

    const denied = databaseNetworkCheck(dbInput({ rds: refused('AWS refused DescribeDBInstances: AccessDenied') }));
    expect(denied.verdict).toBe('unknown');
    expect(denied.summary).toMatch(/AccessDenied/);
  });

  it('When the function names a group EC2 does not know, then that group is "cannot tell", not "no security groups"', () => {
    const check = databaseNetworkCheck(
      dbInput({
        fn: { ...dbInput().fn, vpc: { ...FN_VPC, securityGroupIds: ['sg-gone'] } },
        securityGroups: ok([group('sg-db', { ingress: [rule({ groupIds: ['sg-gone'] })] })]),
      }),
    );
    expect(check.verdict).toBe('unknown');
    expect(check.findings).toContainEqual({ verdict: 'unknown', message: 'EC2 knows no security group sg-gone of the function.', fix: null });
    expect(check.findings.map((f) => f.message).join(' ')).not.toMatch(/has no security groups/);
  });

  it('When the security groups or network ACLs cannot be read, then that part is "cannot tell", never a pass', () => {
    expect(databaseNetworkCheck(dbInput({ securityGroups: refused('AccessDenied') })).verdict).toBe('unknown');
    const noAcls = databaseNetworkCheck(dbInput({ networkAcls: refused('AWS refused DescribeNetworkAcls: UnauthorizedOperation') }));
    expect(noAcls.verdict).toBe('unknown');
    expect(noAcls.summary).toBe('Could not read the network ACLs of vpc-1: AWS refused DescribeNetworkAcls: UnauthorizedOperation');
  });
});

const ENDPOINT: VpcEndpointFacts = {
  id: 'vpce-1',
  serviceName: 'com.amazonaws.us-east-1.secretsmanager',
  type: 'Interface',
  state: 'available',
  privateDnsEnabled: true,
  subnetIds: ['subnet-ep'],
  securityGroupIds: ['sg-ep'],
  dnsNames: ['vpce-1-abcd.secretsmanager.us-east-1.vpce.amazonaws.com'],
};
const table = (id: string, target: string | null, over: Partial<RouteTableFacts> = {}): RouteTableFacts => ({
  id,
  main: false,
  subnetIds: [],
  routes: [{ destination: '10.0.0.0/16', target: 'local', state: 'active' }, ...(target ? [{ destination: '0.0.0.0/0', target, state: 'active' }] : [])],
  ...over,
});
const smInput = (over: Partial<SecretsManagerNetworkInput> = {}): SecretsManagerNetworkInput => ({
  region: 'us-east-1',
  fn: { ...dbInput().fn, secretsManagerEndpoint: null },
  saveCreatesEndpoint: false,
  endpoints: ok([ENDPOINT]),
  securityGroups: ok([group('sg-fn'), group('sg-ep', { ingress: [rule({ fromPort: 443, toPort: 443, groupIds: ['sg-fn'] })] })]),
  subnets: ok([...SUBNETS, { id: 'subnet-ep', cidr: '10.0.3.0/24' }]),
  routeTables: ok([table('rtb-main', null, { main: true })]),
  networkAcls: ok([openAcl('acl-main', ['subnet-fn', 'subnet-db', 'subnet-ep'])]),
  ...over,
});

describe('Network to Secrets Manager', () => {
  it('When the function runs in no VPC, then it reaches the public endpoint over the internet', () => {
    const check = secretsManagerNetworkCheck(smInput({ fn: { ...smInput().fn, vpc: null } }));
    expect(check.verdict).toBe('pass');
    expect(check.summary).toMatch(/runs in no VPC: it reaches Secrets Manager's public endpoint \(secretsmanager\.us-east-1\.amazonaws\.com\)/);
  });

  it('When an endpoint with private DNS admits the function on 443, then it passes whatever the route tables say', () => {
    const check = secretsManagerNetworkCheck(smInput());
    expect(check.verdict).toBe('pass');
    expect(check.summary).toBe('The function reaches Secrets Manager through vpce-1 (private DNS) on tcp 443.');
    expect(check.evidence).toContain(
      'Endpoint vpce-1 com.amazonaws.us-east-1.secretsmanager (Interface) available: PrivateDnsEnabled true, subnets subnet-ep, security groups sg-ep, DNS vpce-1-abcd.secretsmanager.us-east-1.vpce.amazonaws.com',
    );
  });

  it('When the endpoint\u2019s group does not admit the function on 443, then it fails with the ingress command', () => {
    const check = secretsManagerNetworkCheck(
      smInput({ securityGroups: ok([group('sg-fn'), group('sg-ep', { ingress: [rule({ fromPort: 443, toPort: 443, cidrs: ['10.9.0.0/16'] })] })]) }),
    );
    expect(check.verdict).toBe('fail');
    expect(check.findings.find((f) => f.verdict === 'fail')?.fix).toBe(
      'aws ec2 authorize-security-group-ingress --group-id sg-ep --protocol tcp --port 443 --source-group sg-fn --region us-east-1',
    );
  });

  it('When the only endpoint has private DNS off and no subnet routes to a NAT, then it fails with the command turning private DNS on', () => {
    const check = secretsManagerNetworkCheck(smInput({ endpoints: ok([{ ...ENDPOINT, privateDnsEnabled: false }]) }));
    expect(check.verdict).toBe('fail');
    expect(check.findings).toEqual([
      {
        verdict: 'fail',
        message:
          'The function cannot reach Secrets Manager: subnet-fn uses rtb-main (the main route table), which has no route to 0.0.0.0/0. vpce-1 has private DNS off, so calls to secretsmanager.us-east-1.amazonaws.com do not reach it.',
        fix: 'aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-1 --private-dns-enabled --region us-east-1',
      },
    ]);
  });

  it('When there is no endpoint, then a NAT route passes and an internet gateway alone fails with the endpoint to create', () => {
    const routes = (target: string) =>
      secretsManagerNetworkCheck(
        smInput({ endpoints: ok([]), routeTables: ok([table('rtb-main', null, { main: true }), table('rtb-fn', target, { subnetIds: ['subnet-fn'] })]) }),
      );
    const nat = routes('nat-1');
    expect(nat.verdict).toBe('pass');
    expect(nat.evidence).toContain('rtb-fn (subnet-fn): 10.0.0.0/16 -> local; 0.0.0.0/0 -> nat-1');

    const igw = routes('igw-1');
    expect(igw.verdict).toBe('fail');
    expect(igw.findings[0]?.message).toMatch(
      /subnet-fn uses rtb-fn, which sends 0\.0\.0\.0\/0 to igw-1: an internet gateway serves only a public IP, and a Lambda function has none/,
    );
    // The endpoint wears the function's group, which admits nothing yet: the fix adds its rule for itself on 443.
    expect(igw.findings[0]?.fix).toBe(
      'aws ec2 create-vpc-endpoint --vpc-id vpc-1 --vpc-endpoint-type Interface --service-name com.amazonaws.us-east-1.secretsmanager --subnet-ids subnet-fn --security-group-ids sg-fn --private-dns-enabled --region us-east-1' +
        ' && aws ec2 authorize-security-group-ingress --group-id sg-fn --protocol tcp --port 443 --source-group sg-fn --region us-east-1',
    );

    expect(routes('tgw-1').verdict).toBe('unknown');
  });

  it('When Save creates the endpoint (the wizard\u2019s choice), then that endpoint is judged: the function\u2019s group must admit itself on 443', () => {
    const planned = (fnGroup: SecurityGroupFacts) =>
      secretsManagerNetworkCheck(smInput({ saveCreatesEndpoint: true, endpoints: ok([]), securityGroups: ok([fnGroup]) }));

    const closed = planned(group('sg-fn'));
    expect(closed.verdict).toBe('fail');
    expect(closed.findings[0]?.message).toBe(
      'The endpoint Save creates (com.amazonaws.us-east-1.secretsmanager) will be in vpc-1; with private DNS, secretsmanager.us-east-1.amazonaws.com will resolve to it inside the VPC.',
    );
    expect(closed.findings.find((f) => f.verdict === 'fail')).toEqual({
      verdict: 'fail',
      message: 'No security group of the endpoint Save creates (sg-fn) admits the function (sg-fn, 10.0.1.0/24) on tcp 443.',
      fix: 'aws ec2 authorize-security-group-ingress --group-id sg-fn --protocol tcp --port 443 --source-group sg-fn --region us-east-1',
    });

    const open = planned(group('sg-fn', { ingress: [rule({ fromPort: 443, toPort: 443, groupIds: ['sg-fn'] })] }));
    expect(open.verdict).toBe('pass');
    expect(open.summary).toBe('The function will reach Secrets Manager through the endpoint Save creates (private DNS) on tcp 443.');
  });

  it('When SECRETS_MANAGER_ENDPOINT names an endpoint, then that endpoint must exist; another region fails; an unknown name cannot be told', () => {
    const named = (value: string, endpoints = [ENDPOINT]) =>
      secretsManagerNetworkCheck(
        smInput({ fn: { ...smInput().fn, secretsManagerEndpoint: value }, endpoints: ok(endpoints.map((e) => ({ ...e, privateDnsEnabled: false }))) }),
      );

    expect(named('https://vpce-1-abcd.secretsmanager.us-east-1.vpce.amazonaws.com').verdict).toBe('pass');
    const gone = named('https://vpce-9-zzzz.secretsmanager.us-east-1.vpce.amazonaws.com');
    expect(gone.verdict).toBe('fail');
    expect(gone.summary).toMatch(
      /names vpce-9-zzzz\.secretsmanager\.us-east-1\.vpce\.amazonaws\.com, which is the name of no usable Secrets Manager endpoint of vpc-1/,
    );
    expect(gone.findings[0]?.fix).toMatch(/^Set the function's SECRETS_MANAGER_ENDPOINT to https:\/\/vpce-1-abcd\.secretsmanager/);

    expect(named('https://secretsmanager.eu-west-1.amazonaws.com').verdict).toBe('fail');
    expect(named('https://secrets.internal.example').verdict).toBe('unknown');
    // The public name needs private DNS or a NAT: here the endpoint has private DNS off and there is no NAT.
    expect(named('https://secretsmanager.us-east-1.amazonaws.com').verdict).toBe('fail');
  });

  it('When the endpoints cannot be read, then it cannot tell (a NAT alone would not prove a path: private DNS would override it)', () => {
    const check = secretsManagerNetworkCheck(smInput({ endpoints: refused('AWS refused DescribeVpcEndpoints: UnauthorizedOperation') }));
    expect(check.verdict).toBe('unknown');
    expect(check.summary).toBe('Could not read the Secrets Manager endpoints of vpc-1: AWS refused DescribeVpcEndpoints: UnauthorizedOperation');
  });
});
