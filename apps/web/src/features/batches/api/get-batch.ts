import { Batch, type BatchStatus } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client.ts';

/** How often an unfinished batch is asked for again (as a workflow's page does). */
export const BATCH_POLL_MS = 1000;

const UNFINISHED: readonly BatchStatus[] = ['pending', 'running'];

export const isBatchRunning = (status: BatchStatus | undefined): boolean => status !== undefined && UNFINISHED.includes(status);

/** GET /api/v1/batches/{id}: the batch, each secret's workflow status, progress and result. */
export const fetchBatch = (batchId: string, signal?: AbortSignal): Promise<Batch> =>
  apiGet(`/api/v1/batches/${encodeURIComponent(batchId)}`, Batch, { signal });

export const batchQueryOptions = (batchId: string) =>
  queryOptions({
    queryKey: ['batches', 'detail', batchId] as const,
    queryFn: ({ signal }) => fetchBatch(batchId, signal),
    staleTime: 0,
    // Poll while it runs; stop once it has finished (or when the last poll failed: Retry asks again).
    refetchInterval: (query) => (query.state.status === 'success' && isBatchRunning(query.state.data?.status) ? BATCH_POLL_MS : false),
  });

export const useBatch = (batchId: string) => useQuery(batchQueryOptions(batchId));
