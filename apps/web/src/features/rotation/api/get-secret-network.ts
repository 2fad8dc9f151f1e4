import { SecretNetwork } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client.ts';

/** The database behind the secret (found from its host through RDS): VPC, subnets, security groups. */
export const fetchSecretNetwork = (secretId: string, signal?: AbortSignal): Promise<SecretNetwork> =>
  apiGet(`/api/v1/secrets/${encodeURIComponent(secretId)}/network`, SecretNetwork, { signal });

export const secretNetworkQueryOptions = (secretId: string) =>
  queryOptions({
    queryKey: ['secrets', 'network', secretId] as const,
    queryFn: ({ signal }) => fetchSecretNetwork(secretId, signal),
  });

export const useSecretNetwork = (secretId: string) => useQuery(secretNetworkQueryOptions(secretId));
