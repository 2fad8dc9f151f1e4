/**
 * The EC2 rules the network checks evaluate, as plain facts (mapped from DescribeSecurityGroups,
 * DescribeNetworkAcls, DescribeRouteTables, DescribeVpcEndpoints and DescribeSubnets), and how
 * each kind decides a path. IPv4 only: a rotation function reaches its database and Secrets
 * Manager over IPv4 (IPv6 rules are left out, and a path they alone allow is not seen).
 */

/** A read of AWS: its answer, or the error it was refused with (that part is then "cannot tell", never a pass). */
export type NetworkRead<T> = { ok: true; value: T } | { ok: false; error: string };

export interface SecurityGroupRuleFacts {
  /** EC2's IpProtocol: 'tcp' or '6', 'udp', '-1' for all traffic. */
  protocol: string;
  /** Null (or -1) with protocol -1: every port. */
  fromPort: number | null;
  toPort: number | null;
  /** IPv4 ranges (IpRanges). */
  cidrs: string[];
  /** Referenced groups (UserIdGroupPairs): their members' addresses, wherever they are. */
  groupIds: string[];
  /** Managed prefix lists, whose entries are not read: a path only they allow is "cannot tell". */
  prefixListIds: string[];
}

export interface SecurityGroupFacts {
  id: string;
  name: string | null;
  vpcId: string | null;
  ingress: SecurityGroupRuleFacts[];
  egress: SecurityGroupRuleFacts[];
}

export interface SubnetFacts {
  id: string;
  cidr: string | null;
}

export interface NetworkAclEntryFacts {
  ruleNumber: number;
  egress: boolean;
  /** '6' (tcp), '-1' (all), or another protocol number. */
  protocol: string;
  action: 'allow' | 'deny';
  /** IPv4 range; null for an IPv6 entry (not evaluated). */
  cidr: string | null;
  /** Null with protocol -1: every port. */
  ports: { from: number; to: number } | null;
}

export interface NetworkAclFacts {
  id: string;
  /** The subnets associated with it (every subnet has exactly one network ACL). */
  subnetIds: string[];
  entries: NetworkAclEntryFacts[];
}

export interface RouteFacts {
  /** IPv4 destination; null for IPv6 and prefix-list routes. */
  destination: string | null;
  /** What the route points at: local, igw-…, nat-…, tgw-…, pcx-…, vgw-…, i-…, eni-…, vpce-… */
  target: string;
  /** 'active' or 'blackhole' (its target is gone). */
  state: string | null;
}

export interface RouteTableFacts {
  id: string;
  /** The VPC's main route table: the one of every subnet without an association of its own. */
  main: boolean;
  subnetIds: string[];
  routes: RouteFacts[];
}

export interface VpcEndpointFacts {
  id: string;
  serviceName: string;
  type: string | null;
  /** EC2's state: available, pending, pendingAcceptance, deleting, deleted, rejected, failed. */
  state: string | null;
  privateDnsEnabled: boolean;
  subnetIds: string[];
  securityGroupIds: string[];
  /** Its endpoint-specific DNS names (DnsEntries). */
  dnsNames: string[];
}

/** Ephemeral ports a client's connections come from; Lambda uses 1024-65535 (the return traffic network ACLs must allow). */
export const EPHEMERAL_PORTS = { from: 1024, to: 65535 } as const;

// ---- IPv4 ranges ----

type Range = readonly [number, number];

const ipNumber = (ip: string): number | null => {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const part of parts) {
    const octet = Number(part);
    if (!/^\d{1,3}$/.test(part) || octet > 255) return null;
    n = n * 256 + octet;
  }
  return n;
};

/** The first and last address of an IPv4 CIDR; null for anything else (IPv6, a typo). */
export const cidrRange = (cidr: string): Range | null => {
  const [ip, bits = '32'] = cidr.split('/');
  const start = ipNumber(ip ?? '');
  const prefix = Number(bits);
  if (start === null || !/^\d{1,2}$/.test(bits) || prefix > 32) return null;
  const size = 2 ** (32 - prefix);
  const first = start - (start % size);
  return [first, first + size - 1];
};

export type Coverage = 'all' | 'some' | 'none';

/** How much of `target` the ranges in `by` cover together. */
export const cidrCoverage = (target: string, by: readonly string[]): Coverage => {
  const t = cidrRange(target);
  if (!t) return 'none';
  const ranges = by
    .map(cidrRange)
    .filter((r): r is Range => r !== null && r[1] >= t[0] && r[0] <= t[1])
    .sort((a, b) => a[0] - b[0]);
  if (!ranges.length) return 'none';
  let reached = t[0] - 1;
  for (const [from, to] of ranges) {
    if (from > reached + 1) return 'some';
    reached = Math.max(reached, to);
    if (reached >= t[1]) return 'all';
  }
  return 'some';
};

// ---- Port intervals ----

type Ports = { from: number; to: number };

const intersect = (a: Ports[], b: Ports): Ports[] =>
  a.flatMap((p) => {
    const from = Math.max(p.from, b.from);
    const to = Math.min(p.to, b.to);
    return from <= to ? [{ from, to }] : [];
  });

const subtract = (a: Ports[], b: Ports): Ports[] =>
  a.flatMap((p) => {
    if (b.to < p.from || b.from > p.to) return [p];
    return [...(b.from > p.from ? [{ from: p.from, to: b.from - 1 }] : []), ...(b.to < p.to ? [{ from: b.to + 1, to: p.to }] : [])];
  });

export const portsLabel = ({ from, to }: Ports) => (from === to ? String(from) : `${from}-${to}`);

// ---- Security groups ----

const isTcp = (protocol: string) => protocol === 'tcp' || protocol === '6';
const isAll = (protocol: string) => protocol === '-1' || protocol === 'all';

const rulePorts = (rule: SecurityGroupRuleFacts): Ports | null => {
  if (isAll(rule.protocol)) return { from: 0, to: 65535 };
  if (!isTcp(rule.protocol)) return null;
  if (rule.fromPort === null || rule.fromPort < 0) return { from: 0, to: 65535 };
  return { from: rule.fromPort, to: rule.toPort ?? rule.fromPort };
};

/** Whether a rule lets tcp `port` through (for whichever peers it names). */
export const ruleAllowsPort = (rule: SecurityGroupRuleFacts, port: number) => {
  const ports = rulePorts(rule);
  return ports !== null && ports.from <= port && port <= ports.to;
};

const protocolLabel = (protocol: string) => (isAll(protocol) ? 'all traffic' : isTcp(protocol) ? 'tcp' : protocol === '17' ? 'udp' : protocol);

/** A rule as the evidence shows it, e.g. "tcp 5432 from sg-0fn, 10.0.1.0/24". */
export const ruleLabel = (rule: SecurityGroupRuleFacts, direction: 'ingress' | 'egress') => {
  const ports = rulePorts(rule);
  const what = isAll(rule.protocol) ? 'all traffic' : `${protocolLabel(rule.protocol)}${ports ? ` ${portsLabel(ports)}` : ''}`;
  const peers = [...rule.groupIds, ...rule.cidrs, ...rule.prefixListIds];
  return `${what} ${direction === 'ingress' ? 'from' : 'to'} ${peers.length ? peers.join(', ') : 'nothing (IPv6 only)'}`;
};

/** "sg-0a1 (lambda-sg) egress: tcp 5432 to sg-0db; all traffic to 0.0.0.0/0". */
export const groupEvidence = (group: SecurityGroupFacts, direction: 'ingress' | 'egress') => {
  const rules = direction === 'ingress' ? group.ingress : group.egress;
  return `${group.id}${group.name ? ` (${group.name})` : ''} ${direction}: ${rules.length ? rules.map((r) => ruleLabel(r, direction)).join('; ') : 'no rules'}`;
};

/** The other end of a connection, as a security group rule can name it. */
export interface Peer {
  /** Its possible addresses (its subnets' ranges; 0.0.0.0/0 for anywhere on the internet). */
  cidrs: string[];
  /** Its security groups (none for the internet). */
  groupIds: string[];
}

export interface GroupsDecision {
  /** all: every address of the peer admitted; some: part of them; none; unknown: only prefix lists might. */
  coverage: Coverage | 'unknown';
  /** The rules that admit the peer, as evidence shows them. */
  via: string[];
}

/**
 * Whether `groups` (stateful: the return traffic is allowed with the connection) let tcp `port`
 * out to `peer` (egress) or in from it (ingress). A rule naming one of the peer's groups admits it
 * wherever it is; address rules must cover every address the peer may have.
 */
export const groupsAdmit = (groups: readonly SecurityGroupFacts[], direction: 'ingress' | 'egress', port: number, peer: Peer): GroupsDecision => {
  const rules = groups.flatMap((g) =>
    (direction === 'ingress' ? g.ingress : g.egress).filter((r) => ruleAllowsPort(r, port)).map((r) => ({ group: g, rule: r })),
  );
  const label = ({ group, rule }: (typeof rules)[number]) => `${group.id}: ${ruleLabel(rule, direction)}`;
  const byGroup = rules.filter(({ rule }) => rule.groupIds.some((id) => peer.groupIds.includes(id)));
  if (byGroup.length) return { coverage: 'all', via: byGroup.map(label) };
  const cidrs = rules.flatMap(({ rule }) => rule.cidrs);
  const perPeer = peer.cidrs.map((c) => cidrCoverage(c, cidrs));
  const byCidr = rules.filter(({ rule }) => rule.cidrs.some((c) => peer.cidrs.some((p) => cidrCoverage(p, [c]) !== 'none')));
  const coverage: Coverage = !perPeer.length ? 'none' : perPeer.every((c) => c === 'all') ? 'all' : perPeer.every((c) => c === 'none') ? 'none' : 'some';
  const byPrefixList = rules.filter(({ rule }) => rule.prefixListIds.length);
  if (coverage !== 'all' && byPrefixList.length) return { coverage: 'unknown', via: [...byCidr, ...byPrefixList].map(label) };
  return { coverage, via: byCidr.map(label) };
};

// ---- Network ACLs ----

export interface AclDecision {
  /** allow: every port for every address; deny: some port denied to every address; some: denied to part of the addresses. */
  result: 'allow' | 'deny' | 'some';
  /** The entry that denies (null: the implicit "*" rule at the end), with the ports it denies. */
  deniedBy: { ruleNumber: number | null; ports: Ports } | null;
}

const entryPorts = (entry: NetworkAclEntryFacts): Ports | null => {
  if (isAll(entry.protocol)) return { from: 0, to: 65535 };
  if (!isTcp(entry.protocol)) return null;
  return entry.ports ?? { from: 0, to: 65535 };
};

/**
 * A network ACL's answer for tcp `ports` between a subnet and `peerCidr`, in one direction: its
 * entries in rule-number order, the first that matches decides (stateless: the return traffic is
 * a flow of its own). What no entry decides meets the "*" rule, which denies.
 */
export const aclAllows = (acl: NetworkAclFacts, direction: 'ingress' | 'egress', peerCidr: string, ports: Ports): AclDecision => {
  let open: Ports[] = [ports];
  let partlyAllowed: Ports[] = [];
  const entries = acl.entries.filter((e) => e.egress === (direction === 'egress') && e.cidr !== null).sort((a, b) => a.ruleNumber - b.ruleNumber);
  for (const entry of entries) {
    const range = entryPorts(entry);
    if (!range || !open.length) continue;
    const hit = intersect(open, range);
    if (!hit.length) continue;
    const coverage = cidrCoverage(peerCidr, [entry.cidr!]);
    if (coverage === 'none') continue;
    if (coverage === 'some') {
      // Part of the peer's addresses: they are decided here, the others go on to the next entries.
      if (entry.action === 'deny') return { result: 'some', deniedBy: { ruleNumber: entry.ruleNumber, ports: hit[0]! } };
      partlyAllowed = [...partlyAllowed, ...hit];
      continue;
    }
    if (entry.action === 'deny') {
      const someAllowed = partlyAllowed.some((p) => intersect(hit, p).length);
      return { result: someAllowed ? 'some' : 'deny', deniedBy: { ruleNumber: entry.ruleNumber, ports: hit[0]! } };
    }
    for (const h of hit) open = subtract(open, h);
  }
  if (!open.length) return { result: 'allow', deniedBy: null };
  const someAllowed = partlyAllowed.some((p) => intersect(open, p).length);
  return { result: someAllowed ? 'some' : 'deny', deniedBy: { ruleNumber: null, ports: open[0]! } };
};

const entryLabel = (e: NetworkAclEntryFacts) => {
  const ports = entryPorts(e);
  const what = isAll(e.protocol) ? 'all traffic' : `${protocolLabel(e.protocol)}${ports && isTcp(e.protocol) ? ` ${portsLabel(ports)}` : ''}`;
  return `${e.ruleNumber === 32767 ? '*' : e.ruleNumber} ${e.action} ${what} ${e.egress ? 'to' : 'from'} ${e.cidr ?? 'IPv6'}`;
};

/** "acl-0a1 (subnet-1, subnet-2) inbound: 100 allow tcp 5432 from 10.0.1.0/24; * deny all traffic from 0.0.0.0/0". */
export const aclEvidence = (acl: NetworkAclFacts, direction: 'ingress' | 'egress') => {
  const entries = acl.entries.filter((e) => e.egress === (direction === 'egress')).sort((a, b) => a.ruleNumber - b.ruleNumber);
  const listed = entries.some((e) => e.ruleNumber === 32767) ? entries : [...entries, null];
  return `${acl.id} ${direction === 'ingress' ? 'inbound' : 'outbound'}: ${listed.map((e) => (e ? entryLabel(e) : '* deny all traffic (implicit)')).join('; ')}`;
};

/** A free rule number that comes before `before` (AWS evaluates lower numbers first); 100, 110, … where free. */
export const freeRuleNumber = (acl: NetworkAclFacts, egress: boolean, before: number | null): number => {
  const used = new Set(acl.entries.filter((e) => e.egress === egress).map((e) => e.ruleNumber));
  const limit = before ?? 32767;
  for (let n = 100; n < limit; n += 10) if (!used.has(n)) return n;
  for (let n = limit - 1; n >= 1; n--) if (!used.has(n)) return n;
  return 1;
};

export const aclOfSubnet = (acls: readonly NetworkAclFacts[], subnetId: string) => acls.find((a) => a.subnetIds.includes(subnetId)) ?? null;

// ---- Route tables ----

/** A subnet's route table: its own association, else the VPC's main table. */
export const routeTableOfSubnet = (tables: readonly RouteTableFacts[], subnetId: string): RouteTableFacts | null =>
  tables.find((t) => t.subnetIds.includes(subnetId)) ?? tables.find((t) => t.main) ?? null;

/** "rtb-0a1 (main; subnet-1): 10.0.0.0/16 -> local; 0.0.0.0/0 -> nat-0b2". */
export const routeTableEvidence = (table: RouteTableFacts) => {
  const of = [...(table.main ? ['main'] : []), ...table.subnetIds].join('; ');
  const routes = table.routes.map((r) => `${r.destination ?? 'IPv6/prefix list'} -> ${r.target}${r.state === 'blackhole' ? ' (blackhole)' : ''}`);
  return `${table.id}${of ? ` (${of})` : ''}: ${routes.length ? routes.join('; ') : 'no routes'}`;
};

/** Where a table sends 0.0.0.0/0: a NAT gateway, an internet gateway, something the console does not follow, or nowhere. */
export const defaultRoute = (table: RouteTableFacts): { kind: 'nat' | 'igw' | 'other' | 'none' | 'blackhole'; target: string | null } => {
  const route = table.routes.find((r) => r.destination === '0.0.0.0/0');
  if (!route) return { kind: 'none', target: null };
  if (route.state === 'blackhole') return { kind: 'blackhole', target: route.target };
  if (route.target.startsWith('nat-')) return { kind: 'nat', target: route.target };
  if (route.target.startsWith('igw-')) return { kind: 'igw', target: route.target };
  return { kind: 'other', target: route.target };
};
