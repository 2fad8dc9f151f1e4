import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiDelete } from '../../../lib/api-client.ts';

/** DELETE /api/v1/teams/{team}/freeze-windows/{id}: removes a window added on the portal (204). */
export const removeFreezeWindow = ({ team, windowId }: { team: string; windowId: string }) =>
  apiDelete(`/api/v1/teams/${encodeURIComponent(team)}/freeze-windows/${encodeURIComponent(windowId)}`);

export const useRemoveFreezeWindow = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: removeFreezeWindow,
    retry: false,
    onSuccess: async () => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: ['freeze-windows'] }), queryClient.invalidateQueries({ queryKey: ['portal'] })]);
    },
  });
};
