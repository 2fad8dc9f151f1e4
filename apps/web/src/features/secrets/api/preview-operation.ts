import { OperationPreview, type Operation } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client.ts';

/** What an operation will do to the secret, as the API plans it now; changes nothing. */
export const fetchOperationPreview = (secretId: string, operation: Operation, signal?: AbortSignal): Promise<OperationPreview> =>
  apiPost(`/api/v1/secrets/${encodeURIComponent(secretId)}/operation-previews`, { operation }, OperationPreview, { signal });

export const operationPreviewQueryOptions = (secretId: string, operation: Operation) =>
  queryOptions({
    // Not under 'secrets': starting the operation invalidates those, and an open dialog must not ask again.
    queryKey: ['operations', 'preview', { secretId, operation }] as const,
    queryFn: ({ signal }) => fetchOperationPreview(secretId, operation, signal),
    // A preview is only true for the moment it is asked: every opening of the dialog asks again.
    staleTime: 0,
    gcTime: 0,
  });

export const useOperationPreview = (secretId: string, operation: Operation) => useQuery(operationPreviewQueryOptions(secretId, operation));
