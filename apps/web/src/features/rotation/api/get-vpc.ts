import { VpcDetail } from '@rotation-console/contracts';
import { queryOptions, skipToken, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client.ts';

/** A VPC's subnets (with whether each has a route out), security groups and Secrets Manager endpoint. */
export const fetchVpc = (vpcId: string, signal?: AbortSignal): Promise<VpcDetail> =>
  apiGet(`/api/v1/vpcs/${encodeURIComponent(vpcId)}`, VpcDetail, { signal });

/** `null` while no VPC is chosen: nothing is asked. */
export const vpcQueryOptions = (vpcId: string | null) =>
  queryOptions({
    queryKey: ['vpcs', 'detail', vpcId] as const,
    queryFn: vpcId ? ({ signal }) => fetchVpc(vpcId, signal) : skipToken,
  });

export const useVpc = (vpcId: string | null) => useQuery(vpcQueryOptions(vpcId));
