import { BatchAccepted, type BatchRequestInput } from '@rotation-console/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client.ts';

export interface StartBatchInput {
  request: BatchRequestInput;
  /** One per review of the plan and sent again on a retry, so the API starts one batch only. */
  idempotencyKey: string;
}

/** POST /api/v1/batches: starts the batch (202 with its id); each included secret becomes its own workflow. */
export const startBatch = ({ request, idempotencyKey }: StartBatchInput): Promise<BatchAccepted> =>
  apiPost('/api/v1/batches', request, BatchAccepted, { headers: { 'Idempotency-Key': idempotencyKey } });

export const useStartBatch = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: startBatch,
    // Never retried on its own: the person retries, with the same key.
    retry: false,
    onSuccess: async () => {
      // The list of batches has a new one; the secrets' rotation is about to change.
      await Promise.all([['batches', 'list'], ['secrets'], ['dashboard'], ['portal']].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
    },
  });
};
