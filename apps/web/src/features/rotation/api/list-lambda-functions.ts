import { LambdaFunctionList } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { apiGet } from '../../../lib/api-client.ts';

// The contract exports the schema only.
export type LambdaFunctionList = z.infer<typeof LambdaFunctionList>;

/** Lambda functions that can be chosen as an existing rotation function. */
export const fetchLambdaFunctions = (signal?: AbortSignal): Promise<LambdaFunctionList> =>
  apiGet('/api/v1/lambda-functions', LambdaFunctionList, { signal });

export const lambdaFunctionsQueryOptions = () =>
  queryOptions({
    queryKey: ['lambda-functions', 'list'] as const,
    queryFn: ({ signal }) => fetchLambdaFunctions(signal),
  });

export const useLambdaFunctions = ({ enabled = true }: { enabled?: boolean } = {}) =>
  useQuery({ ...lambdaFunctionsQueryOptions(), enabled });
