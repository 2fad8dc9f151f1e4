import { LambdaFunctionList } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { apiGet } from '../../../lib/api-client.ts';

// The contract exports the schema only.
export type LambdaFunctionList = z.infer<typeof LambdaFunctionList>;

/**
 * The functions the caller may choose as an existing rotation function for the secret's team,
 * each with its owner and the secrets it rotates (the API offers nothing of another team's).
 */
export const fetchLambdaFunctions = (secretId: string, signal?: AbortSignal): Promise<LambdaFunctionList> =>
  apiGet(`/api/v1/lambda-functions?secretId=${encodeURIComponent(secretId)}`, LambdaFunctionList, { signal });

export const lambdaFunctionsQueryOptions = (secretId: string) =>
  queryOptions({
    queryKey: ['lambda-functions', 'list', { secretId }] as const,
    queryFn: ({ signal }) => fetchLambdaFunctions(secretId, signal),
  });

export const useLambdaFunctions = (secretId: string, { enabled = true }: { enabled?: boolean } = {}) =>
  useQuery({ ...lambdaFunctionsQueryOptions(secretId), enabled });
