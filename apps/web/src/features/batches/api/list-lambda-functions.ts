import { LambdaFunctionList } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { apiGet } from '../../../lib/api-client.ts';

type FunctionList = z.infer<typeof LambdaFunctionList>;

/**
 * GET /api/v1/lambda-functions: the functions the person may choose as the batch's existing
 * rotation function. `secretId` (one selected secret) offers its team's; without one, what the
 * person may use anywhere. The plan asks again, for every secret, whether each may use it.
 */
export const fetchBatchFunctions = (secretId: string | undefined, signal?: AbortSignal): Promise<FunctionList> =>
  apiGet('/api/v1/lambda-functions', LambdaFunctionList, { query: { secretId }, signal });

export const batchFunctionsQueryOptions = (secretId: string | undefined) =>
  queryOptions({
    queryKey: ['lambda-functions', 'list', { secretId: secretId ?? null }] as const,
    queryFn: ({ signal }) => fetchBatchFunctions(secretId, signal),
  });

export const useBatchFunctions = (secretId: string | undefined, { enabled }: { enabled: boolean }) =>
  useQuery({ ...batchFunctionsQueryOptions(secretId), enabled });
