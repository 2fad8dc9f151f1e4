import { SecretPage } from '@rotation-console/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client.ts';
import { listSecretsQueryOptions, secretsQueryOf, type ListSecretsFilter } from './list-secrets.ts';

/**
 * Refresh: the API reads the page in view again from AWS (its secrets one by one, and ListSecrets
 * for its filters, so secrets made outside the console join), writes the console's index, and
 * answers that page.
 */
export const refreshSecretsPage = (filter: ListSecretsFilter): Promise<SecretPage> => apiPost('/api/v1/secret-refreshes', secretsQueryOf(filter), SecretPage);

export const useRefreshSecretsPage = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: refreshSecretsPage,
    retry: false,
    onSuccess: async (page, filter) => {
      // The index changed: every other page, the dashboard's figures and the portal are stale; this page is the answer.
      await Promise.all([['secrets', 'list'], ['dashboard'], ['portal']].map((queryKey) => queryClient.invalidateQueries({ queryKey, refetchType: 'none' })));
      queryClient.setQueryData(listSecretsQueryOptions(filter).queryKey, page);
    },
  });
};
