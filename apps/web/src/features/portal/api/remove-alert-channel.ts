import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiDelete } from '../../../lib/api-client.ts';

/** Removes a channel made on the portal. */
export const removeAlertChannel = ({ team, channelId }: { team: string; channelId: string }): Promise<void> =>
  apiDelete(`/api/v1/teams/${encodeURIComponent(team)}/alert-channels/${encodeURIComponent(channelId)}`);

export const useRemoveAlertChannel = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: removeAlertChannel,
    retry: false,
    onSuccess: (_none, { team }) => queryClient.invalidateQueries({ queryKey: ['alerts', 'channels', { team }] }),
  });
};
