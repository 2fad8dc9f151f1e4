import { VpcList } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { apiGet } from '../../../lib/api-client.ts';

// The contract exports the schema only.
export type VpcList = z.infer<typeof VpcList>;

/** The VPCs the secret's team may run its function in, for choosing the network by hand. */
export const fetchVpcs = (secretId: string, signal?: AbortSignal): Promise<VpcList> =>
  apiGet(`/api/v1/vpcs?secretId=${encodeURIComponent(secretId)}`, VpcList, { signal });

export const vpcsQueryOptions = (secretId: string) =>
  queryOptions({
    queryKey: ['vpcs', 'list', { secretId }] as const,
    queryFn: ({ signal }) => fetchVpcs(secretId, signal),
  });

export const useVpcs = (secretId: string, { enabled = true }: { enabled?: boolean } = {}) => useQuery({ ...vpcsQueryOptions(secretId), enabled });
