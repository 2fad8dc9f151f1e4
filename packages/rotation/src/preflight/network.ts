import { worstVerdict, type PreflightCheck, type PreflightFinding } from '@rotation-console/contracts';
import { shellQuote } from '../shell.ts';
import {
  aclAllows,
  aclEvidence,
  aclOfSubnet,
  defaultRoute,
  EPHEMERAL_PORTS,
  freeRuleNumber,
  groupEvidence,
  groupsAdmit,
  portsLabel,
  routeTableEvidence,
  routeTableOfSubnet,
  ruleAllowsPort,
  type NetworkAclFacts,
  type NetworkRead,
  type Peer,
  type RouteTableFacts,
  type SecurityGroupFacts,
  type SubnetFacts,
  type VpcEndpointFacts,
} from './network-rules.ts';
import { finding, preflightCheck, type RotationFunctionFacts } from './subject.ts';

/**
 * The two network checks of the preflight (issue 15): can the rotation function open a connection
 * to the database, and can it reach Secrets Manager. Pure: the facts come from EC2 and RDS reads
 * (apps/api/src/modules/preflight/network.check.ts); each finding names what it read and a fix.
 */

export const NETWORK_METHOD =
  'Security groups, network ACLs, route tables and VPC endpoints read from EC2 and evaluated by the console (no packets are sent; VPC Reachability Analyzer is not used: it creates resources and is billed per analysis).';

/** The database as RDS knows it (DescribeDBInstances, or a cluster's first member). */
export interface RdsDatabaseFacts {
  id: string;
  engine: string;
  vpcId: string | null;
  subnetIds: string[];
  securityGroupIds: string[];
  publiclyAccessible: boolean;
}

type FunctionNetwork = Pick<RotationFunctionFacts, 'name' | 'arn' | 'vpc'>;

export interface DatabaseNetworkInput {
  region: string;
  fn: FunctionNetwork;
  /** The host and port the secret names; null when it names none. */
  database: { host: string; port: number } | null;
  /** The RDS database at that host; null when RDS knows none there. */
  rds: NetworkRead<RdsDatabaseFacts | null>;
  /** The function's and the database's security groups. */
  securityGroups: NetworkRead<SecurityGroupFacts[]>;
  /** The subnets of the database's VPC. */
  subnets: NetworkRead<SubnetFacts[]>;
  /** The network ACLs of the database's VPC. */
  networkAcls: NetworkRead<NetworkAclFacts[]>;
}

export interface SecretsManagerNetworkInput {
  region: string;
  fn: FunctionNetwork & Pick<RotationFunctionFacts, 'secretsManagerEndpoint'>;
  /** Save creates a Secrets Manager endpoint (the wizard's choice) where the VPC has none: in the function's subnets and groups, with private DNS. */
  saveCreatesEndpoint: boolean;
  /** The Secrets Manager interface endpoints of the function's VPC. */
  endpoints: NetworkRead<VpcEndpointFacts[]>;
  /** The function's and the endpoints' security groups. */
  securityGroups: NetworkRead<SecurityGroupFacts[]>;
  /** The subnets of the function's VPC. */
  subnets: NetworkRead<SubnetFacts[]>;
  routeTables: NetworkRead<RouteTableFacts[]>;
  networkAcls: NetworkRead<NetworkAclFacts[]>;
}

// ---- Shared wording ----

const list = (items: readonly string[]) => (items.length ? items.join(', ') : 'none');

const couldNotRead = (what: string, read: { ok: false; error: string }) => finding('unknown', `Could not read ${what}: ${read.error}`);

/** The one-line summary: what passed (or the first finding), else the worst finding. */
const summaryOf = (findings: PreflightFinding[], passed: string) => {
  const worst = worstVerdict(findings.map((f) => f.verdict));
  return findings.find((f) => worst !== 'pass' && f.verdict === worst)?.message ?? (passed || (findings[0]?.message ?? ''));
};

const functionEvidence = (fn: FunctionNetwork) =>
  fn.vpc
    ? `Function ${fn.name}${fn.arn ? '' : ' (planned)'}: ${fn.vpc.vpcId}, subnets ${list(fn.vpc.subnetIds)}, security groups ${list(fn.vpc.securityGroupIds)}`
    : `Function ${fn.name}${fn.arn ? '' : ' (planned)'}: in no VPC`;

/** The function's VPC settings changed to `vpcId`'s subnets and `groupId`: the CLI command, or the wizard's setting for a planned function. */
const runInVpcFix = (fn: FunctionNetwork, region: string, vpcId: string, subnetIds: string[], groupId: string | null) => {
  const group = groupId ?? `<a security group of ${vpcId} that the database admits>`;
  if (!fn.arn) return `In the wizard, run the function in ${vpcId}: subnets ${list(subnetIds)}, security group ${group}.`;
  return `aws lambda update-function-configuration --function-name ${shellQuote(fn.name)} --vpc-config ${shellQuote(`SubnetIds=${subnetIds.join(',')},SecurityGroupIds=${group}`)} --region ${region}`;
};

const endpointSettingFix = (region: string, suggestion: string) =>
  `Set the function's SECRETS_MANAGER_ENDPOINT to ${suggestion}, or remove it to use https://secretsmanager.${region}.amazonaws.com (Lambda console: Configuration, Environment variables; the CLI's --environment replaces every variable).`;

// ---- A path between the function and a server in its VPC ----

interface PathEnd {
  /** "the database db-1", "vpce-0a1", "the internet". */
  label: string;
  groups: SecurityGroupFacts[];
  subnets: SubnetFacts[];
  /** The internet: no security group or network ACL of its own. */
  internet?: boolean;
  /** Groups it names that EC2 does not know (a finding of their own says so): with none known, its side is not judged. */
  unknownGroups?: string[];
}

const INTERNET: PathEnd = { label: 'the internet', groups: [], subnets: [{ id: 'the internet', cidr: '0.0.0.0/0' }], internet: true };

const peerOf = (end: PathEnd): Peer => ({
  cidrs: end.subnets.map((s) => s.cidr).filter((c): c is string => c !== null),
  // The groups it names, known or not: a rule naming one admits its members.
  groupIds: [...end.groups.map((g) => g.id), ...(end.unknownGroups ?? [])],
});

const peerLabel = (end: PathEnd) => list([...end.groups.map((g) => g.id), ...end.subnets.map((s) => s.cidr ?? s.id)]);

/** Security groups and network ACLs between the function (`client`) and `server` on tcp `port`. */
const pathFindings = ({
  client,
  server,
  port,
  region,
  acls,
  clientFix,
}: {
  client: PathEnd;
  server: PathEnd;
  port: number;
  region: string;
  acls: NetworkAclFacts[];
  /** The fix when the function is outside any VPC: run it in the server's VPC (opening a group to the internet is no fix). */
  clientFix?: string;
}): { findings: PreflightFinding[]; evidence: string[] } => {
  const findings: PreflightFinding[] = [];
  const evidence: string[] = [];
  const tcp = `tcp ${port}`;

  if (!client.internet) {
    evidence.push(...client.groups.map((g) => groupEvidence(g, 'egress')));
    const out = groupsAdmit(client.groups, 'egress', port, peerOf(server));
    const firstGroup = client.groups[0]?.id;
    const destination = server.groups[0]
      ? `UserIdGroupPairs=[{GroupId=${server.groups[0].id}}]`
      : `IpRanges=[{CidrIp=${server.subnets[0]?.cidr ?? '0.0.0.0/0'}}]`;
    // --ip-permissions rather than --source-group, which on an egress rule would name the destination.
    const fix = firstGroup
      ? `aws ec2 authorize-security-group-egress --group-id ${firstGroup} --ip-permissions ${shellQuote(`IpProtocol=tcp,FromPort=${port},ToPort=${port},${destination}`)} --region ${region}`
      : null;
    const groups = list(client.groups.map((g) => g.id));
    if (!client.groups.length && client.unknownGroups?.length) {
      // Cannot tell: already said.
    } else if (!client.groups.length) findings.push(finding('fail', `The function has no security groups: nothing lets it out to ${server.label}.`));
    else if (out.coverage === 'all')
      findings.push(finding('pass', `The security groups of the function allow ${tcp} out to ${server.label} (${out.via.join('; ')}).`));
    else if (out.coverage === 'some')
      findings.push(
        finding(
          'warning',
          `The security groups of the function (${groups}) allow ${tcp} out to only part of ${server.label}'s addresses (${peerLabel(server)}): ${out.via.join('; ')}.`,
          fix,
        ),
      );
    else if (out.coverage === 'unknown')
      findings.push(
        finding(
          'unknown',
          `The security groups of the function (${groups}) allow ${tcp} out to ${server.label} only through prefix lists, whose entries are not read: ${out.via.join('; ')}.`,
          fix,
        ),
      );
    else findings.push(finding('fail', `No security group of the function (${groups}) allows ${tcp} out to ${server.label} (${peerLabel(server)}).`, fix));
  }

  if (!server.internet) {
    evidence.push(...server.groups.map((g) => groupEvidence(g, 'ingress')));
    const into = groupsAdmit(server.groups, 'ingress', port, peerOf(client));
    const firstGroup = server.groups[0]?.id;
    const source = client.groups[0] ? `--source-group ${client.groups[0].id}` : `--cidr ${client.subnets[0]?.cidr ?? '0.0.0.0/0'}`;
    const fix =
      clientFix ??
      (firstGroup ? `aws ec2 authorize-security-group-ingress --group-id ${firstGroup} --protocol tcp --port ${port} ${source} --region ${region}` : null);
    const groups = list(server.groups.map((g) => g.id));
    const from = client.internet
      ? 'the internet (0.0.0.0/0; a function outside a VPC has AWS\u2019s changing addresses)'
      : `the function (${peerLabel(client)})`;
    if (!server.groups.length && server.unknownGroups?.length) {
      // Cannot tell: already said.
    } else if (!server.groups.length) findings.push(finding('fail', `${capital(server.label)} has no security groups: nothing admits the function.`, fix));
    else if (into.coverage === 'all')
      findings.push(finding('pass', `The security groups of ${server.label} admit ${from} on ${tcp} (${into.via.join('; ')}).`));
    else if (into.coverage === 'some')
      findings.push(
        finding('warning', `The security groups of ${server.label} (${groups}) admit only part of ${from} on ${tcp}: ${into.via.join('; ')}.`, fix),
      );
    else if (into.coverage === 'unknown')
      findings.push(
        finding(
          'unknown',
          `The security groups of ${server.label} (${groups}) admit ${tcp} only from prefix lists, whose entries are not read: ${into.via.join('; ')}.`,
          fix,
        ),
      );
    else findings.push(finding('fail', `No security group of ${server.label} (${groups}) admits ${from} on ${tcp}.`, fix));
  }

  findings.push(...aclFindings({ client, server, port, region, acls, evidence }));
  return { findings, evidence };
};

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The four stateless flows of a tcp connection between each subnet of the function and each of the server's. */
const aclFindings = ({
  client,
  server,
  port,
  region,
  acls,
  evidence,
}: {
  client: PathEnd;
  server: PathEnd;
  port: number;
  region: string;
  acls: NetworkAclFacts[];
  evidence: string[];
}): PreflightFinding[] => {
  const findings: PreflightFinding[] = [];
  const seen = new Set<string>();
  const usedAcls = new Set<NetworkAclFacts>();
  const service = { from: port, to: port };
  let pairs = 0;
  for (const c of client.subnets) {
    for (const s of server.subnets) {
      // Traffic inside one subnet never crosses a network ACL.
      if (c.id === s.id) continue;
      pairs++;
      const ends = [
        { end: client, subnet: c, peer: s },
        { end: server, subnet: s, peer: c },
      ];
      const acl = new Map<string, NetworkAclFacts | null>();
      for (const { end, subnet } of ends) {
        if (end.internet) continue;
        const found = aclOfSubnet(acls, subnet.id);
        acl.set(subnet.id, found);
        if (!found && !seen.has(`none:${subnet.id}`)) {
          seen.add(`none:${subnet.id}`);
          findings.push(finding('unknown', `No network ACL was found for subnet ${subnet.id}.`));
        }
      }
      if (!c.cidr || !s.cidr) {
        const missing = !c.cidr ? c.id : s.id;
        if (!seen.has(`cidr:${missing}`)) findings.push(finding('unknown', `The address range of subnet ${missing} is not known.`));
        seen.add(`cidr:${missing}`);
        continue;
      }
      const flows = [
        { subnet: c, direction: 'egress', peer: s.cidr, ports: service, what: `${tcp(port)} out to ${server.label}` },
        { subnet: s, direction: 'ingress', peer: c.cidr, ports: service, what: `${tcp(port)} in from the function` },
        {
          subnet: s,
          direction: 'egress',
          peer: c.cidr,
          ports: EPHEMERAL_PORTS,
          what: `the return traffic (tcp ${portsLabel(EPHEMERAL_PORTS)}) out to the function`,
        },
        {
          subnet: c,
          direction: 'ingress',
          peer: s.cidr,
          ports: EPHEMERAL_PORTS,
          what: `the return traffic (tcp ${portsLabel(EPHEMERAL_PORTS)}) in from ${server.label}`,
        },
      ] as const;
      for (const flow of flows) {
        const nacl = acl.get(flow.subnet.id);
        if (!nacl) continue;
        usedAcls.add(nacl);
        const key = `${nacl.id}|${flow.direction}|${flow.peer}|${flow.ports.from}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const decision = aclAllows(nacl, flow.direction, flow.peer, flow.ports);
        if (decision.result === 'allow' || !decision.deniedBy) continue;
        const egress = flow.direction === 'egress';
        const rule = decision.deniedBy.ruleNumber === null || decision.deniedBy.ruleNumber === 32767 ? 'the * rule' : `rule ${decision.deniedBy.ruleNumber}`;
        const ruleNumber = freeRuleNumber(nacl, egress, decision.deniedBy.ruleNumber);
        const fix = `aws ec2 create-network-acl-entry --network-acl-id ${nacl.id} ${egress ? '--egress' : '--ingress'} --rule-number ${ruleNumber} --protocol tcp --port-range From=${flow.ports.from},To=${flow.ports.to} --cidr-block ${flow.peer} --rule-action allow --region ${region}`;
        const side = `${nacl.id} (subnet ${flow.subnet.id}) ${egress ? 'outbound' : 'inbound'}`;
        findings.push(
          decision.result === 'deny'
            ? finding(
                'fail',
                `${side} denies ${flow.what}: ${rule} denies tcp ${portsLabel(decision.deniedBy.ports)} ${egress ? 'to' : 'from'} ${flow.peer}.`,
                fix,
              )
            : finding('warning', `${side} denies ${flow.what} for part of ${flow.peer}: ${rule} on tcp ${portsLabel(decision.deniedBy.ports)}.`, fix),
        );
      }
    }
  }
  for (const nacl of usedAcls) evidence.push(aclEvidence(nacl, 'egress'), aclEvidence(nacl, 'ingress'));
  if (findings.length) return findings;
  if (!pairs)
    return [finding('pass', `The function and ${server.label} share subnet ${list(client.subnets.map((s) => s.id))}: no network ACL lies between them.`)];
  return [
    finding(
      'pass',
      `The network ACLs (${list([...usedAcls].map((a) => a.id))}) allow ${tcp(port)} between the function and ${server.label}, and the return traffic on tcp ${portsLabel(EPHEMERAL_PORTS)}.`,
    ),
  ];
};

const tcp = (port: number) => `tcp ${port}`;

/** The facts of `ids` from a read, or which of them are missing. */
const pick = <T extends { id: string }>(items: readonly T[], ids: readonly string[]) => ({
  found: ids.map((id) => items.find((i) => i.id === id)).filter((i): i is T => i !== undefined),
  missing: ids.filter((id) => !items.some((i) => i.id === id)),
});

// ---- Network to the database ----

/** Network to the database: the function's egress, the database's ingress, both subnets' network ACLs, one VPC. */
export const databaseNetworkCheck = (input: DatabaseNetworkInput): PreflightCheck => {
  const { fn, region, database, rds } = input;
  const evidence = [functionEvidence(fn)];
  const done = (findings: PreflightFinding[], passed = '') =>
    preflightCheck('network-database', { summary: summaryOf(findings, passed), findings, evidence, method: NETWORK_METHOD });

  if (!database) return done([finding('unknown', 'The secret names no database host: the path to the database cannot be checked.')]);
  if (!rds.ok) return done([couldNotRead(`the database at ${database.host} from RDS`, rds)]);
  const db = rds.value;
  if (!db) {
    return done([
      finding(
        'unknown',
        `Could not find the database: no RDS DB instance or cluster in ${region} has the endpoint ${database.host}, so its network is not known.`,
        `Compare the secret's host with the endpoints RDS knows: aws rds describe-db-instances --query 'DBInstances[].Endpoint.Address' --region ${region}`,
      ),
    ]);
  }
  evidence.push(
    `Database ${db.id} (${db.engine}) at ${database.host}:${database.port}: ${db.vpcId ?? 'in no VPC'}, subnets ${list(db.subnetIds)}, security groups ${list(db.securityGroupIds)}, PubliclyAccessible ${db.publiclyAccessible}`,
  );
  const label = `the database ${db.id}`;
  if (!input.securityGroups.ok) return done([couldNotRead('the security groups', input.securityGroups)]);
  const groups = input.securityGroups.value;
  const dbGroups = pick(groups, db.securityGroupIds);
  // A group the database admits on its port: the one to give the function when it moves into the database's VPC.
  const admitted = dbGroups.found.flatMap((g) => g.ingress).find((r) => r.groupIds.length && ruleAllowsPort(r, database.port))?.groupIds[0] ?? null;
  const moveFix = db.vpcId ? runInVpcFix(fn, region, db.vpcId, db.subnetIds, admitted) : null;

  const vpcReads = (): PreflightFinding[] => [
    ...(input.subnets.ok ? [] : [couldNotRead(`the subnets of ${db.vpcId}`, input.subnets)]),
    ...(input.networkAcls.ok ? [] : [couldNotRead(`the network ACLs of ${db.vpcId}`, input.networkAcls)]),
    ...(dbGroups.missing.length ? [finding('unknown', `EC2 knows no security group ${list(dbGroups.missing)} of ${label}.`)] : []),
  ];
  const server = (): PathEnd => ({
    label,
    groups: dbGroups.found,
    unknownGroups: dbGroups.missing,
    subnets: input.subnets.ok ? pick(input.subnets.value, db.subnetIds).found : [],
  });

  if (!fn.vpc) {
    if (!db.publiclyAccessible) {
      return done([
        finding(
          'fail',
          `The function runs in no VPC, and ${label} is not publicly accessible${db.vpcId ? ` (it is in ${db.vpcId})` : ''}: only a function in its VPC reaches it.`,
          moveFix ?? 'Run the function in the database\u2019s VPC.',
        ),
      ]);
    }
    // Outside a VPC the function connects from AWS's public addresses, which change: only a rule for every address admits it for sure.
    const problems = vpcReads();
    const path = pathFindings({
      client: INTERNET,
      server: server(),
      port: database.port,
      region,
      acls: input.networkAcls.ok ? input.networkAcls.value : [],
      ...(moveFix ? { clientFix: moveFix } : {}),
    });
    evidence.push(...path.evidence);
    return done(
      [finding('pass', `${capital(label)} is publicly accessible: the function, in no VPC, reaches it over the internet.`), ...problems, ...path.findings],
      `${capital(label)} is publicly accessible and admits connections from the internet on tcp ${database.port}.`,
    );
  }

  if (db.vpcId !== fn.vpc.vpcId) {
    return done([
      finding(
        'unknown',
        db.vpcId
          ? `Cannot tell: the function runs in ${fn.vpc.vpcId} and ${label} in ${db.vpcId}. A path between VPCs (peering, a transit gateway) is not evaluated.`
          : `Cannot tell: ${label} is in no VPC; the function runs in ${fn.vpc.vpcId}.`,
        moveFix ? `If no peering or transit gateway connects the two VPCs, run the function in the database's VPC: ${moveFix}` : null,
      ),
    ]);
  }

  const fnGroups = pick(groups, fn.vpc.securityGroupIds);
  const problems = [
    ...vpcReads(),
    ...(fnGroups.missing.length ? [finding('unknown', `EC2 knows no security group ${list(fnGroups.missing)} of the function.`)] : []),
  ];
  const subnets = input.subnets.ok ? input.subnets.value : [];
  const fnSubnets = pick(subnets, fn.vpc.subnetIds);
  const dbSubnets = pick(subnets, db.subnetIds);
  const missingSubnets = [...fnSubnets.missing, ...dbSubnets.missing];
  if (input.subnets.ok && missingSubnets.length) problems.push(finding('unknown', `EC2 knows no subnet ${list(missingSubnets)} in ${db.vpcId}.`));
  evidence.push(
    ...[...fnSubnets.found, ...dbSubnets.found.filter((s) => !fnSubnets.found.includes(s))].map((s) => `Subnet ${s.id}: ${s.cidr ?? 'no IPv4 range'}`),
  );
  const path = pathFindings({
    client: { label: 'the function', groups: fnGroups.found, unknownGroups: fnGroups.missing, subnets: fnSubnets.found },
    server: { label, groups: dbGroups.found, unknownGroups: dbGroups.missing, subnets: dbSubnets.found },
    port: database.port,
    region,
    acls: input.networkAcls.ok ? input.networkAcls.value : [],
  });
  evidence.push(...path.evidence);
  return done(
    [finding('pass', `The function and ${label} share ${db.vpcId}.`), ...problems, ...path.findings],
    `The function reaches ${label} on tcp ${database.port} in ${db.vpcId}: security groups and network ACLs allow it and its return traffic.`,
  );
};

// ---- Network to Secrets Manager ----

type EndpointSetting =
  { kind: 'public' } | { kind: 'other-region'; host: string; region: string } | { kind: 'vpce'; host: string } | { kind: 'custom'; value: string };

const hostOf = (value: string) => {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`).hostname.toLowerCase();
  } catch {
    return null;
  }
};

/** What the function's SECRETS_MANAGER_ENDPOINT makes it call. */
const endpointSetting = (value: string | null, region: string, endpoints: readonly VpcEndpointFacts[]): EndpointSetting => {
  if (!value?.trim()) return { kind: 'public' };
  const host = hostOf(value.trim());
  if (!host) return { kind: 'custom', value };
  const regional = /^secretsmanager\.([a-z0-9-]+)\.amazonaws\.com$/.exec(host);
  if (regional) return regional[1] === region ? { kind: 'public' } : { kind: 'other-region', host, region: regional[1]! };
  if (host.endsWith('.vpce.amazonaws.com') || endpointNamed(endpoints, host)) return { kind: 'vpce', host };
  return { kind: 'custom', value };
};

/** The endpoint whose DNS name (or zonal name, which begins with its id) is `host`. */
const endpointNamed = (endpoints: readonly VpcEndpointFacts[], host: string) =>
  endpoints.find((e) => e.dnsNames.some((n) => n.toLowerCase() === host) || host.startsWith(`${e.id}-`));

const GONE = ['deleted', 'deleting', 'failed', 'rejected', 'expired'];

const endpointEvidence = (e: VpcEndpointFacts) =>
  `Endpoint ${e.id} ${e.serviceName} (${e.type ?? 'type unknown'}) ${e.state ?? 'state unknown'}: PrivateDnsEnabled ${e.privateDnsEnabled}, subnets ${list(e.subnetIds)}, security groups ${list(e.securityGroupIds)}, DNS ${list(e.dnsNames)}`;

/** Network to Secrets Manager: an endpoint (private DNS, or the name the function calls) that admits it on 443, or a NAT route from every subnet. */
export const secretsManagerNetworkCheck = (input: SecretsManagerNetworkInput): PreflightCheck => {
  const { fn, region } = input;
  const publicName = `secretsmanager.${region}.amazonaws.com`;
  const evidence = [functionEvidence(fn), `SECRETS_MANAGER_ENDPOINT: ${fn.secretsManagerEndpoint ?? `not set (the SDK calls https://${publicName})`}`];
  const done = (findings: PreflightFinding[], passed = '') =>
    preflightCheck('network-secrets-manager', { summary: summaryOf(findings, passed), findings, evidence, method: NETWORK_METHOD });

  const endpoints = input.endpoints.ok ? input.endpoints.value : [];
  evidence.push(...endpoints.map(endpointEvidence));
  const setting = endpointSetting(fn.secretsManagerEndpoint, region, endpoints);
  const usableName = endpoints.find((e) => !GONE.includes((e.state ?? '').toLowerCase()))?.dnsNames[0];

  if (setting.kind === 'other-region') {
    return done([
      finding(
        'fail',
        `SECRETS_MANAGER_ENDPOINT names Secrets Manager in ${setting.region} (${setting.host}); the secret is in ${region}.`,
        endpointSettingFix(region, `https://${publicName}`),
      ),
    ]);
  }
  if (setting.kind === 'custom') {
    return done([
      finding('unknown', `Cannot tell where SECRETS_MANAGER_ENDPOINT (${setting.value}) leads: it is neither ${publicName} nor a VPC endpoint's name.`),
    ]);
  }
  if (!fn.vpc) {
    if (setting.kind === 'vpce') {
      return done([
        finding(
          'fail',
          `The function runs in no VPC, but SECRETS_MANAGER_ENDPOINT names the VPC endpoint ${setting.host}, which only answers inside its VPC.`,
          endpointSettingFix(region, `https://${publicName}`),
        ),
      ]);
    }
    return done([finding('pass', `The function runs in no VPC: it reaches Secrets Manager's public endpoint (${publicName}) over the internet.`)]);
  }

  const vpc = fn.vpc;
  if (!input.endpoints.ok) return done([couldNotRead(`the Secrets Manager endpoints of ${vpc.vpcId}`, input.endpoints)]);
  const groups = input.securityGroups.ok ? input.securityGroups.value : [];
  const subnets = input.subnets.ok ? input.subnets.value : [];
  const acls = input.networkAcls.ok ? input.networkAcls.value : [];
  const fnGroups = pick(groups, vpc.securityGroupIds);
  const fnSubnets = pick(subnets, vpc.subnetIds);
  const reads = [
    ...(input.securityGroups.ok ? [] : [couldNotRead('the security groups', input.securityGroups)]),
    ...(input.subnets.ok ? [] : [couldNotRead(`the subnets of ${vpc.vpcId}`, input.subnets)]),
    ...(input.networkAcls.ok ? [] : [couldNotRead(`the network ACLs of ${vpc.vpcId}`, input.networkAcls)]),
    ...(input.securityGroups.ok && fnGroups.missing.length
      ? [finding('unknown', `EC2 knows no security group ${list(fnGroups.missing)} of the function.`)]
      : []),
    ...(input.subnets.ok && fnSubnets.missing.length ? [finding('unknown', `EC2 knows no subnet ${list(fnSubnets.missing)} in ${vpc.vpcId}.`)] : []),
  ];
  const client: PathEnd = { label: 'the function', groups: fnGroups.found, unknownGroups: fnGroups.missing, subnets: fnSubnets.found };
  evidence.push(...fnSubnets.found.map((s) => `Subnet ${s.id}: ${s.cidr ?? 'no IPv4 range'}`));

  /** The function to `endpoint` on 443: its state, then security groups and network ACLs. */
  const throughEndpoint = (endpoint: VpcEndpointFacts, how: string, planned = false): PreflightFinding[] => {
    const state = (endpoint.state ?? '').toLowerCase();
    const epGroups = pick(groups, endpoint.securityGroupIds);
    const path = pathFindings({
      client,
      server: { label: endpoint.id, groups: epGroups.found, unknownGroups: epGroups.missing, subnets: pick(subnets, endpoint.subnetIds).found },
      port: 443,
      region,
      acls,
    });
    evidence.push(...path.evidence);
    return [
      state === 'available'
        ? finding('pass', `${capital(endpoint.id)} (${endpoint.serviceName}) ${planned ? 'will be' : 'is available'} in ${vpc.vpcId}; ${how}.`)
        : state.startsWith('pending')
          ? finding('warning', `${endpoint.id} (${endpoint.serviceName}) is still ${endpoint.state}: calls reach it once it is available.`)
          : finding(
              'fail',
              `${endpoint.id} (${endpoint.serviceName}) is ${endpoint.state ?? 'in no known state'}: it serves no calls.`,
              createEndpointFix(region, vpc, fnGroups.found),
            ),
      ...(input.securityGroups.ok && epGroups.missing.length
        ? [finding('unknown', `EC2 knows no security group ${list(epGroups.missing)} of ${endpoint.id}.`)]
        : []),
      ...path.findings,
    ];
  };

  if (setting.kind === 'vpce') {
    const named = endpointNamed(endpoints, setting.host);
    if (!named || GONE.includes((named.state ?? '').toLowerCase())) {
      return done([
        finding(
          'fail',
          `SECRETS_MANAGER_ENDPOINT names ${setting.host}, which is the name of no usable Secrets Manager endpoint of ${vpc.vpcId}.`,
          endpointSettingFix(region, usableName ? `https://${usableName}` : `https://${publicName}`),
        ),
      ]);
    }
    const findings = [...reads, ...throughEndpoint(named, `SECRETS_MANAGER_ENDPOINT names it (${setting.host})`)];
    return done(findings, `The function reaches Secrets Manager through ${named.id}, the endpoint its SECRETS_MANAGER_ENDPOINT names, on tcp 443.`);
  }

  // With private DNS, the public name resolves to the endpoint inside the VPC, whatever the route tables say.
  const privateDns = endpoints.find((e) => e.privateDnsEnabled && !GONE.includes((e.state ?? '').toLowerCase()));
  if (privateDns) {
    const findings = [...reads, ...throughEndpoint(privateDns, `with private DNS, ${publicName} resolves to it inside the VPC`)];
    return done(findings, `The function reaches Secrets Manager through ${privateDns.id} (private DNS) on tcp 443.`);
  }
  // The plan's create-secrets-manager-endpoint keeps an endpoint the VPC has (without private DNS, that one is judged below).
  if (input.saveCreatesEndpoint && !endpoints.some((e) => !GONE.includes((e.state ?? '').toLowerCase()))) {
    const plannedEndpoint: VpcEndpointFacts = {
      id: 'the endpoint Save creates',
      serviceName: `com.amazonaws.${region}.secretsmanager`,
      type: 'Interface',
      state: 'available',
      privateDnsEnabled: true,
      subnetIds: vpc.subnetIds,
      securityGroupIds: vpc.securityGroupIds,
      dnsNames: [],
    };
    evidence.push(
      `Save creates a Secrets Manager endpoint in ${vpc.vpcId}: private DNS, subnets ${list(vpc.subnetIds)}, security groups ${list(vpc.securityGroupIds)}`,
    );
    const findings = [...reads, ...throughEndpoint(plannedEndpoint, `with private DNS, ${publicName} will resolve to it inside the VPC`, true)];
    return done(findings, `The function will reach Secrets Manager through the endpoint Save creates (private DNS) on tcp 443.`);
  }

  // No endpoint answers the public name: every subnet the function runs in needs a route out through NAT.
  if (!input.routeTables.ok) return done([...reads, couldNotRead(`the route tables of ${vpc.vpcId}`, input.routeTables)]);
  const tables = input.routeTables.value;
  const noRoute: string[] = [];
  const unknownRoute: string[] = [];
  const nat: string[] = [];
  const usedTables = new Set<RouteTableFacts>();
  for (const subnetId of vpc.subnetIds) {
    const table = routeTableOfSubnet(tables, subnetId);
    if (!table) {
      unknownRoute.push(`${subnetId} has no route table (and ${vpc.vpcId} no main one)`);
      continue;
    }
    usedTables.add(table);
    const uses = `${subnetId} uses ${table.id}${table.subnetIds.includes(subnetId) ? '' : ' (the main route table)'}`;
    const route = defaultRoute(table);
    if (route.kind === 'nat') nat.push(route.target!);
    else if (route.kind === 'igw')
      noRoute.push(`${uses}, which sends 0.0.0.0/0 to ${route.target}: an internet gateway serves only a public IP, and a Lambda function has none`);
    else if (route.kind === 'blackhole') noRoute.push(`${uses}, whose 0.0.0.0/0 route to ${route.target} is a blackhole`);
    else if (route.kind === 'none') noRoute.push(`${uses}, which has no route to 0.0.0.0/0`);
    else unknownRoute.push(`${uses}, which sends 0.0.0.0/0 to ${route.target}: whether that leads to a NAT is not evaluated`);
  }
  evidence.push(...[...usedTables].map(routeTableEvidence));
  const withoutDns = endpoints.filter((e) => !GONE.includes((e.state ?? '').toLowerCase()));
  const findings: PreflightFinding[] = [...reads];
  if (noRoute.length) {
    const endpointNote = withoutDns.length
      ? ` ${list(withoutDns.map((e) => e.id))} has private DNS off, so calls to ${publicName} do not reach it.`
      : ` ${vpc.vpcId} has no Secrets Manager endpoint.`;
    const fix = withoutDns[0]
      ? `aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${withoutDns[0].id} --private-dns-enabled --region ${region}`
      : createEndpointFix(region, vpc, fnGroups.found);
    findings.push(finding('fail', `The function cannot reach Secrets Manager: ${noRoute.join('; ')}.${endpointNote}`, fix));
  }
  if (unknownRoute.length) findings.push(finding('unknown', `Cannot tell whether the function reaches Secrets Manager: ${unknownRoute.join('; ')}.`));
  if (!noRoute.length && !unknownRoute.length) {
    findings.push(finding('pass', `Every subnet of the function (${list(vpc.subnetIds)}) routes 0.0.0.0/0 to a NAT gateway (${list([...new Set(nat)])}).`));
    if (withoutDns.length)
      evidence.push(`${list(withoutDns.map((e) => e.id))}: private DNS off, so calls to ${publicName} go through the NAT gateway, not the endpoint`);
    const path = pathFindings({ client, server: INTERNET, port: 443, region, acls });
    evidence.push(...path.evidence);
    findings.push(...path.findings);
  }
  return done(findings, `The function reaches Secrets Manager's public endpoint through a NAT gateway (${list([...new Set(nat)])}) on tcp 443.`);
};

/**
 * The seed's create-vpc-endpoint in the function's VPC, subnets and security groups (as the plan's
 * step makes it). The endpoint then wears the function's group, which must admit itself on 443: the
 * rule is added where none does.
 */
const createEndpointFix = (region: string, vpc: NonNullable<RotationFunctionFacts['vpc']>, fnGroups: SecurityGroupFacts[]) => {
  const create = `aws ec2 create-vpc-endpoint --vpc-id ${vpc.vpcId} --vpc-endpoint-type Interface --service-name com.amazonaws.${region}.secretsmanager --subnet-ids ${vpc.subnetIds.join(' ')} --security-group-ids ${vpc.securityGroupIds.join(' ')} --private-dns-enabled --region ${region}`;
  const group = vpc.securityGroupIds[0];
  const admitsItself = groupsAdmit(fnGroups, 'ingress', 443, { cidrs: [], groupIds: vpc.securityGroupIds }).coverage === 'all';
  return admitsItself || !group
    ? create
    : `${create} && aws ec2 authorize-security-group-ingress --group-id ${group} --protocol tcp --port 443 --source-group ${group} --region ${region}`;
};
