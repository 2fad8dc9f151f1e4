import { VpcDetail } from '@rotation-console/contracts';
import { queryOptions, skipToken, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client.ts';

/** A VPC's subnets (with whether each has a route out), security groups and Secrets Manager endpoint: those the secret's team may use. */
export const fetchVpc = (secretId: string, vpcId: string, signal?: AbortSignal): Promise<VpcDetail> =>
  apiGet(`/api/v1/vpcs/${encodeURIComponent(vpcId)}?secretId=${encodeURIComponent(secretId)}`, VpcDetail, { signal });

/** `null` while no VPC is chosen: nothing is asked. */
export const vpcQueryOptions = (secretId: string, vpcId: string | null) =>
  queryOptions({
    queryKey: ['vpcs', 'detail', vpcId, { secretId }] as const,
    queryFn: vpcId ? ({ signal }) => fetchVpc(secretId, vpcId, signal) : skipToken,
  });

export const useVpc = (secretId: string, vpcId: string | null) => useQuery(vpcQueryOptions(secretId, vpcId));
