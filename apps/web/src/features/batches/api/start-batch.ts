import { BatchAccepted, type BatchStartRequestInput } from '@rotation-console/contracts';
import { isApiError } from '../../../lib/api-error.ts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client.ts';

export interface StartBatchInput {
  /** The request previewed, with the `previewId` of the preview shown: Start applies that plan. */
  request: BatchStartRequestInput;
  /**
   * One per review of the plan and sent again on a retry: a retry after a lost answer gets the batch
   * the first Start stored (the API keeps the key with it), not a 409 for the preview it used.
   */
  idempotencyKey: string;
}

/**
 * Start refused the preview it was sent with (409 naming `previewId`): it expired, was used, or was
 * made for another request. The page offers to preview again.
 */
export const isStalePreview = (error: unknown): boolean => isApiError(error) && error.status === 409 && error.details.some((d) => d.path === 'previewId');

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
