import type { NetworkChoice, SecretNetwork, VpcDetail } from '@rotation-console/contracts';
import { NO_VPC, type NetworkState } from './wizard-state.ts';

export const MAX_SUBNETS = 16;
export const MAX_SECURITY_GROUPS = 5;

export interface NetworkProblems {
  vpc?: string;
  subnets?: string;
  securityGroups?: string;
}

export interface ResolvedNetwork {
  /** found: the database's VPC was found; outside: the database is not in a VPC; manual: chosen by hand. */
  mode: 'found' | 'outside' | 'manual';
  /** The VPC the function runs in; null outside a VPC or while none is chosen. */
  vpcId: string | null;
  subnetIds: string[];
  securityGroupIds: string[];
  /** "Create a Secrets Manager interface endpoint in this VPC" is offered. */
  endpointOffered: boolean;
  createEndpoint: boolean;
  /** A chosen subnet without a route out (NAT or internet gateway). */
  subnetsWithoutRouteOut: string[];
  problems: NetworkProblems;
  /** What the request sends: a choice, null for no VPC, undefined while incomplete. */
  choice: NetworkChoice | null | undefined;
}

/**
 * The function's network from what the API found and what the operator chose. When the database's
 * VPC is known, the function runs in it (the seed's first prerequisite) with the database's subnets
 * and security groups preselected. The endpoint is offered when a chosen subnet has no route out and
 * the VPC has no Secrets Manager endpoint (the seed's second prerequisite), and is checked by default.
 */
export const resolveNetwork = ({
  state,
  found,
  vpcDetail,
}: {
  state: NetworkState;
  found: SecretNetwork | undefined;
  vpcDetail: VpcDetail | undefined;
}): ResolvedNetwork => {
  const db = found?.dbInstance ?? null;
  const mode: ResolvedNetwork['mode'] = db ? (db.vpcId ? 'found' : 'outside') : 'manual';

  if (mode === 'outside' || (mode === 'manual' && state.vpcId === NO_VPC)) {
    return {
      mode,
      vpcId: null,
      subnetIds: [],
      securityGroupIds: [],
      endpointOffered: false,
      createEndpoint: false,
      subnetsWithoutRouteOut: [],
      problems: {},
      choice: null,
    };
  }

  const vpcId = mode === 'found' ? (db?.vpcId ?? null) : state.vpcId;
  const subnetIds = state.subnetIds ?? (mode === 'found' ? (db?.subnetIds ?? []) : []);
  const securityGroupIds = state.securityGroupIds ?? (mode === 'found' ? (db?.securityGroupIds ?? []) : []);

  const detail = vpcDetail && vpcDetail.vpc.id === vpcId ? vpcDetail : undefined;
  const subnetsWithoutRouteOut = detail ? subnetIds.filter((id) => detail.subnets.find((subnet) => subnet.id === id)?.hasRouteOut === false) : [];
  const endpointOffered = detail
    ? detail.secretsManagerEndpointId === null && subnetsWithoutRouteOut.length > 0
    : mode === 'found' && state.subnetIds === null && (found?.suggestEndpoint ?? false);
  const createEndpoint = endpointOffered && (state.createEndpoint ?? true);

  const problems: NetworkProblems = {};
  if (!vpcId) problems.vpc = 'Choose a VPC, or "No VPC" when the database is reachable without one.';
  if (vpcId && subnetIds.length === 0) problems.subnets = 'Choose at least one subnet.';
  if (subnetIds.length > MAX_SUBNETS) problems.subnets = `Choose at most ${MAX_SUBNETS} subnets.`;
  if (vpcId && securityGroupIds.length === 0) problems.securityGroups = 'Choose at least one security group.';
  if (securityGroupIds.length > MAX_SECURITY_GROUPS) problems.securityGroups = `Choose at most ${MAX_SECURITY_GROUPS} security groups.`;

  const complete = vpcId !== null && Object.keys(problems).length === 0;
  return {
    mode,
    vpcId,
    subnetIds,
    securityGroupIds,
    endpointOffered,
    createEndpoint,
    subnetsWithoutRouteOut,
    problems,
    choice: complete ? { vpcId, subnetIds, securityGroupIds, createSecretsManagerEndpoint: createEndpoint } : undefined,
  };
};
