import { SecretCheck, type RotationStrategy } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client.ts';

export interface SecretCheckInput {
  strategy: RotationStrategy;
  masterSecretId?: string;
}

/** Checks the secret (and the master secret) against what the rotation function expects: field names and verdicts, never values. */
export const fetchSecretCheck = (secretId: string, input: SecretCheckInput, signal?: AbortSignal): Promise<SecretCheck> =>
  apiGet(`/api/v1/secrets/${encodeURIComponent(secretId)}/check`, SecretCheck, {
    query: { strategy: input.strategy, masterSecretId: input.masterSecretId },
    signal,
  });

export const secretCheckQueryOptions = (secretId: string, input: SecretCheckInput) =>
  queryOptions({
    queryKey: ['secrets', 'check', secretId, { input }] as const,
    queryFn: ({ signal }) => fetchSecretCheck(secretId, input, signal),
    // The operator may fix the secret in another tab and come back: ask again each time the step opens.
    staleTime: 0,
  });

export const useSecretCheck = (secretId: string, input: SecretCheckInput, { enabled = true }: { enabled?: boolean } = {}) =>
  useQuery({ ...secretCheckQueryOptions(secretId, input), enabled });
