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

/** How often a secret whose last rotation may still be running is asked again. */
export const UNSETTLED_SECRET_POLL_MS = 5000;

/**
 * A rotation that has not finished and whose log names no failed step yet: it may still be
 * running, or its function's log has not caught up. The page asks again until it settles, so the
 * person watching sees it finish or fail (with the step) without reloading.
 */
export const rotationUnsettled = (secret: SecretDetail) => secret.status === 'pending_or_failed' && secret.failedStep === null;

export const getSecretQueryOptions = (secretId: string) =>
  queryOptions({
    queryKey: ['secrets', 'detail', secretId] as const,
    queryFn: ({ signal }) => fetchSecret(secretId, signal),
    // Not after an error: the page shows it with Retry.
    refetchInterval: (query) =>
      query.state.status === 'success' && query.state.data && rotationUnsettled(query.state.data) ? UNSETTLED_SECRET_POLL_MS : false,
  });

export const useGetSecret = (secretId: string) => useQuery(getSecretQueryOptions(secretId));
