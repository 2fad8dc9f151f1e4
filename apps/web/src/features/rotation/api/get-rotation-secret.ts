import { SecretDetail } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client.ts';

/**
 * The secret the wizard edits (GET /api/v1/secrets/{id}): its name and current rotation. Features do
 * not import each other, so this is the wizard's own fetcher; the key is the same as the Secrets
 * pages' (same endpoint, same data), so opening the wizard from a secret's page shows it at once.
 */
export const fetchRotationSecret = (secretId: string, signal?: AbortSignal): Promise<SecretDetail> =>
  apiGet(`/api/v1/secrets/${encodeURIComponent(secretId)}`, SecretDetail, { signal });

export const rotationSecretQueryOptions = (secretId: string) =>
  queryOptions({
    queryKey: ['secrets', 'detail', secretId] as const,
    queryFn: ({ signal }) => fetchRotationSecret(secretId, signal),
  });

export const useRotationSecret = (secretId: string) => useQuery(rotationSecretQueryOptions(secretId));
