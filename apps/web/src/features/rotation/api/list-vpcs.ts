import { VpcList } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { apiGet } from '../../../lib/api-client.ts';

// The contract exports the schema only.
export type VpcList = z.infer<typeof VpcList>;

/** The account's VPCs, for choosing the function's network by hand. */
export const fetchVpcs = (signal?: AbortSignal): Promise<VpcList> => apiGet('/api/v1/vpcs', VpcList, { signal });

export const vpcsQueryOptions = () =>
  queryOptions({
    queryKey: ['vpcs', 'list'] as const,
    queryFn: ({ signal }) => fetchVpcs(signal),
  });

export const useVpcs = ({ enabled = true }: { enabled?: boolean } = {}) => useQuery({ ...vpcsQueryOptions(), enabled });
