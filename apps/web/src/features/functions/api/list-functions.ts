import { FunctionsPage } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client.ts';

/** The page's account and region filter. */
export interface FunctionsPlace {
  account?: string;
  region?: string;
}

/** GET /api/v1/functions: the rotation functions of the account-regions in view (Lambda's list is kept a minute by the API). */
export const fetchFunctions = (place: FunctionsPlace, signal?: AbortSignal): Promise<FunctionsPage> =>
  apiGet('/api/v1/functions', FunctionsPage, { signal, query: { account: place.account, region: place.region } });

export const functionsQueryOptions = (place: FunctionsPlace = {}) =>
  queryOptions({
    queryKey: ['functions', 'list', { account: place.account ?? null, region: place.region ?? null }] as const,
    queryFn: ({ signal }) => fetchFunctions(place, signal),
  });

export const useFunctions = (place: FunctionsPlace = {}) => useQuery(functionsQueryOptions(place));
