import { BatchPage } from '@rotation-console/contracts';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client.ts';

export const BATCHES_PAGE_SIZE = 25;

/** GET /api/v1/batches: the batches the person may see, newest first, one page. */
export const fetchBatches = (page: number, signal?: AbortSignal): Promise<BatchPage> =>
  apiGet('/api/v1/batches', BatchPage, { query: { offset: (page - 1) * BATCHES_PAGE_SIZE, limit: BATCHES_PAGE_SIZE }, signal });

export const batchesQueryOptions = (page: number) =>
  queryOptions({
    queryKey: ['batches', 'list', { page }] as const,
    queryFn: ({ signal }) => fetchBatches(page, signal),
    placeholderData: keepPreviousData,
  });

export const useBatches = (page: number) => useQuery(batchesQueryOptions(page));
