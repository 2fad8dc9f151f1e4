import { SecretDetail } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client.ts';

/** The secret id (a name or an ARN) is one path segment: `/`, `+`, `=`, `@` are percent-encoded. */
export const fetchSecret = (secretId: string, signal?: AbortSignal): Promise<SecretDetail> =>
  apiGet(`/api/v1/secrets/${encodeURIComponent(secretId)}`, SecretDetail, { signal });

export const getSecretQueryOptions = (secretId: string) =>
  queryOptions({
    queryKey: ['secrets', 'detail', secretId] as const,
    queryFn: ({ signal }) => fetchSecret(secretId, signal),
  });

export const useGetSecret = (secretId: string) => useQuery(getSecretQueryOptions(secretId));
