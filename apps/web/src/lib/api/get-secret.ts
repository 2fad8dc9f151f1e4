import { SecretDetail } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../api-client.ts';

/**
 * One secret (GET /api/v1/secrets/{id}): its details and current rotation, never its value. Read by
 * the Secret page and the rotation wizard, so it lives here rather than in either feature; one key
 * for both, so opening the wizard from a secret's page shows the secret at once.
 * The secret id (a name or an ARN) is one path segment: `/`, `+`, `=`, `@` are percent-encoded.
 */
export const fetchSecret = (secretId: string, signal?: AbortSignal): Promise<SecretDetail> =>
  apiGet(`/api/v1/secrets/${encodeURIComponent(secretId)}`, SecretDetail, { signal });

export const getSecretQueryOptions = (secretId: string) =>
  queryOptions({
    queryKey: ['secrets', 'detail', secretId] as const,
    queryFn: ({ signal }) => fetchSecret(secretId, signal),
  });

export const useGetSecret = (secretId: string) => useQuery(getSecretQueryOptions(secretId));
