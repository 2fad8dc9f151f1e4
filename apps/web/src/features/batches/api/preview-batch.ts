import { BatchPreview, type BatchRequestInput } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client.ts';

/** POST /api/v1/batches/preview: the plan of a batch (shared steps once, each secret, the refused ones), as the API plans it now; changes nothing in AWS (the API keeps the plan 15 minutes for Start, under its previewId). */
export const fetchBatchPreview = (request: BatchRequestInput, signal?: AbortSignal): Promise<BatchPreview> =>
  apiPost('/api/v1/batches/preview', request, BatchPreview, { signal });

export const batchPreviewQueryOptions = (request: BatchRequestInput) =>
  queryOptions({
    queryKey: ['batches', 'preview', request] as const,
    queryFn: ({ signal }) => fetchBatchPreview(request, signal),
    // A plan is only true for the moment it is asked (the preflight, who else rotates): each review asks again.
    staleTime: 0,
    gcTime: 0,
  });

export const useBatchPreview = (request: BatchRequestInput | null) =>
  useQuery({ ...batchPreviewQueryOptions(request ?? ({} as BatchRequestInput)), enabled: request !== null });
