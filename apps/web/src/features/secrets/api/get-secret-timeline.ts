import { SecretTimeline } from '@rotation-console/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client.ts';

/** A secret's versions, the events that touched it (newest first) and, for a failed rotation, what failed. */
export const fetchSecretTimeline = (secretId: string, signal?: AbortSignal): Promise<SecretTimeline> =>
  apiGet(`/api/v1/secrets/${encodeURIComponent(secretId)}/timeline`, SecretTimeline, { signal });

// Under 'secrets': whatever changes a secret (its mutations invalidate ['secrets']) refreshes its timeline too.
export const secretTimelineQueryOptions = (secretId: string) =>
  queryOptions({
    queryKey: ['secrets', 'timeline', secretId] as const,
    queryFn: ({ signal }) => fetchSecretTimeline(secretId, signal),
  });

/** `enabled: false` until it is shown: a stuck rotation's timeline reads the function's log group. */
export const useSecretTimeline = (secretId: string, { enabled }: { enabled: boolean }) => useQuery({ ...secretTimelineQueryOptions(secretId), enabled });
