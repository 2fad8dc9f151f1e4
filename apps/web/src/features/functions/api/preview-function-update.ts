import { FunctionUpdatePreview } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client.ts';

/** What updating the console's function to the current code will do, as the API plans it now; changes nothing. */
export const fetchFunctionUpdatePreview = (functionArn: string, signal?: AbortSignal): Promise<FunctionUpdatePreview> =>
  apiPost('/api/v1/function-update-previews', { functionArn }, FunctionUpdatePreview, { signal });

export const functionUpdatePreviewQueryOptions = (functionArn: string) =>
  queryOptions({
    // Not under 'functions': starting the update invalidates those, and an open dialog must not ask again.
    queryKey: ['function-updates', 'preview', { functionArn }] as const,
    queryFn: ({ signal }) => fetchFunctionUpdatePreview(functionArn, signal),
    // A preview is only true for the moment it is asked: every opening of the dialog asks again.
    staleTime: 0,
    gcTime: 0,
  });

export const useFunctionUpdatePreview = (functionArn: string) => useQuery(functionUpdatePreviewQueryOptions(functionArn));
