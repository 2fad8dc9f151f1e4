import { AlertChannelCreated, type NewAlertChannel } from '@rotation-console/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client.ts';

/** Adds a channel to the team; a webhook's signing secret is in this answer only. */
export const createAlertChannel = ({ team, channel }: { team: string; channel: NewAlertChannel }): Promise<AlertChannelCreated> =>
  apiPost(`/api/v1/teams/${encodeURIComponent(team)}/alert-channels`, channel, AlertChannelCreated);

export const useCreateAlertChannel = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createAlertChannel,
    retry: false,
    onSuccess: (_created, { team }) => queryClient.invalidateQueries({ queryKey: ['alerts', 'channels', { team }] }),
  });
};
