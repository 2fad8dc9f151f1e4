import { MAX_PAGE_SIZE, SecretPage } from '@rotation-console/contracts';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client.ts';

/** The characters ListSecrets accepts in a name filter; anything else is filtered in the browser only. */
const FILTER_TEXT = /^[A-Za-z0-9 :_@/+=.-]+$/;

/** A name prefix the API accepts as a filter, or undefined. */
export const serverNameFilter = (text: string): string | undefined => {
  const trimmed = text.trim();
  return trimmed && FILTER_TEXT.test(trimmed) && trimmed.length <= 512 ? trimmed : undefined;
};

/** One page (the largest) of secrets whose name starts with `name`: the candidates for the master secret. */
export const fetchMasterSecretCandidates = (name: string | undefined, signal?: AbortSignal): Promise<SecretPage> =>
  apiGet('/api/v1/secrets', SecretPage, { query: { limit: MAX_PAGE_SIZE, name }, signal });

export const masterSecretCandidatesQueryOptions = (name: string | undefined) => {
  const filter = { name, limit: MAX_PAGE_SIZE };
  return queryOptions({
    // Same endpoint and key shape as the Secrets list, so both pages share what they fetched.
    queryKey: ['secrets', 'list', { filter }] as const,
    queryFn: ({ signal }) => fetchMasterSecretCandidates(name, signal),
  });
};

export const useMasterSecretCandidates = (name: string | undefined, { enabled = true }: { enabled?: boolean } = {}) =>
  useQuery({ ...masterSecretCandidatesQueryOptions(name), enabled, placeholderData: keepPreviousData });
