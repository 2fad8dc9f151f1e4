import { RotationPlan, type RotationRequest } from '@rotation-console/contracts';
import { queryOptions, skipToken, useQuery } from '@tanstack/react-query';
import { isApiError } from '../../../lib/api-error.ts';
import { apiPost } from '../../../lib/api-client.ts';

/** Builds the plan for a rotation request: every AWS call in order, with the CLI session. Changes nothing. */
export const fetchRotationPlan = (request: RotationRequest, signal?: AbortSignal): Promise<RotationPlan> =>
  apiPost('/api/v1/rotation-plans', request, RotationPlan, { signal });

/** `null` while the request is incomplete: nothing is asked. */
export const rotationPlanQueryOptions = (request: RotationRequest | null) =>
  queryOptions({
    queryKey: ['rotation-plans', { request }] as const,
    queryFn: request ? ({ signal }) => fetchRotationPlan(request, signal) : skipToken,
    // A refused request (400) does not get better by asking again.
    retry: (failureCount, error) => !(isApiError(error) && error.status < 500) && failureCount < 2,
  });

export const useRotationPlan = (request: RotationRequest | null) => useQuery(rotationPlanQueryOptions(request));
