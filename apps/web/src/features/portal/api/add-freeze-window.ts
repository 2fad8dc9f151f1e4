import { FreezeWindow, type NewFreezeWindow } from '@rotation-console/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client.ts';

/** POST /api/v1/teams/{team}/freeze-windows: adds a window (201 with it). */
export const addFreezeWindow = ({ team, window }: { team: string; window: NewFreezeWindow }) =>
  apiPost(`/api/v1/teams/${encodeURIComponent(team)}/freeze-windows`, window, FreezeWindow);

export const useAddFreezeWindow = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: addFreezeWindow,
    retry: false,
    // The list, and the portal's warnings (a secret's next rotation may now fall inside).
    onSuccess: async () => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: ['freeze-windows'] }), queryClient.invalidateQueries({ queryKey: ['portal'] })]);
    },
  });
};
