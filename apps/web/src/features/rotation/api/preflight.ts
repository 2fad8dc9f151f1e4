import { PreflightReport, type RotationRequest } from '@rotation-console/contracts';
import { queryOptions, skipToken, useQuery } from '@tanstack/react-query';
import { isApiError } from '../../../lib/api-error.ts';
import { apiPost } from '../../../lib/api-client.ts';

/** The preflight of the wizard's choices (read-only AWS calls; changes nothing). */
export const fetchRequestPreflight = (request: RotationRequest, signal?: AbortSignal): Promise<PreflightReport> =>
  apiPost('/api/v1/rotation-plans/preflight', request, PreflightReport, { signal });

/** `null` while the request is incomplete: nothing is asked. */
export const requestPreflightQueryOptions = (request: RotationRequest | null) =>
  queryOptions({
    queryKey: ['preflight', { request }] as const,
    queryFn: request ? ({ signal }) => fetchRequestPreflight(request, signal) : skipToken,
    retry: (failureCount, error) => !(isApiError(error) && error.status < 500) && failureCount < 2,
  });

export const useRequestPreflight = (request: RotationRequest | null) => useQuery(requestPreflightQueryOptions(request));
