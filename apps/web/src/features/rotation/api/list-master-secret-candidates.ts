import { MasterSecretCandidateList } from '@rotation-console/contracts';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client.ts';

/** The characters ListSecrets accepts in a name filter; anything else is filtered in the browser only. */
const FILTER_TEXT = /^[A-Za-z0-9 :_@/+=.-]+$/;

/** A name prefix the API accepts as a filter, or undefined. */
export const serverNameFilter = (text: string): string | undefined => {
  const trimmed = text.trim();
  return trimmed && FILTER_TEXT.test(trimmed) && trimmed.length <= 512 ? trimmed : undefined;
};

/**
 * The secrets the API offers as the master secret of `secretId` (those whose name starts with `name`):
 * the API keeps only the ones the caller may use for the same engine, host and port, each with its database.
 */
export const fetchMasterSecretCandidates = (secretId: string, name: string | undefined, signal?: AbortSignal): Promise<MasterSecretCandidateList> =>
  apiGet(`/api/v1/secrets/${encodeURIComponent(secretId)}/master-secret-candidates`, MasterSecretCandidateList, { query: { name }, signal });

export const masterSecretCandidatesQueryOptions = (secretId: string, name: string | undefined) =>
  queryOptions({
    queryKey: ['secrets', 'master-secret-candidates', secretId, { name }] as const,
    queryFn: ({ signal }) => fetchMasterSecretCandidates(secretId, name, signal),
  });

export const useMasterSecretCandidates = (secretId: string, name: string | undefined) =>
  useQuery({ ...masterSecretCandidatesQueryOptions(secretId, name), placeholderData: keepPreviousData });
