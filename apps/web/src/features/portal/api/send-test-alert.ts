import { AlertTestAccepted } from '@rotation-console/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client.ts';

/** Queues a test alert for the channel; the delivery log shows how it went. */
export const sendTestAlert = ({ team, channelId }: { team: string; channelId: string }): Promise<AlertTestAccepted> =>
  apiPost(`/api/v1/teams/${encodeURIComponent(team)}/alert-channels/${encodeURIComponent(channelId)}/tests`, {}, AlertTestAccepted);

export const useSendTestAlert = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: sendTestAlert,
    retry: false,
    onSuccess: (_accepted, { team }) => queryClient.invalidateQueries({ queryKey: ['alerts', 'deliveries', { team }] }),
  });
};
