import { WorkflowAccepted } from '@rotation-console/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client.ts';
import { newIdempotencyKey } from '../../../lib/idempotency-key.ts';

/** POST /api/v1/events/setups: starts the setup workflow (one Idempotency-Key per click). */
export const startEventsSetup = () => apiPost('/api/v1/events/setups', {}, WorkflowAccepted, { headers: { 'Idempotency-Key': newIdempotencyKey() } });

export const useStartEventsSetup = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: startEventsSetup,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['events'] }),
  });
};
