import { LambdaFunctionList as LambdaFunctionListSchema } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { apiGet } from '../api-client.ts';

// The contract exports the schema only.
export type LambdaFunctionList = z.infer<typeof LambdaFunctionListSchema>;

/**
 * GET /api/v1/lambda-functions: the functions the person may choose as an existing rotation
 * function, each with its owner and the secrets it rotates. With `secretId`, those of the secret's
 * team (the API offers nothing of another team's); without one (a batch chosen by a filter), what
 * the person may use anywhere. The plan asks again, for every secret, whether it may use the one chosen.
 */
export const fetchLambdaFunctions = (secretId: string | undefined, signal?: AbortSignal): Promise<LambdaFunctionList> =>
  apiGet('/api/v1/lambda-functions', LambdaFunctionListSchema, { query: { secretId }, signal });

export const lambdaFunctionsQueryOptions = (secretId: string | undefined) =>
  queryOptions({
    queryKey: ['lambda-functions', 'list', { secretId: secretId ?? null }] as const,
    queryFn: ({ signal }) => fetchLambdaFunctions(secretId, signal),
  });

export const useLambdaFunctions = (secretId: string | undefined, { enabled = true }: { enabled?: boolean } = {}) =>
  useQuery({ ...lambdaFunctionsQueryOptions(secretId), enabled });
