import { WorkflowAccepted } from '@rotation-console/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { apiPost } from '../../../lib/api-client.ts';

export interface StartFunctionUpdateInput {
  functionArn: string;
  /** The person read the list of secrets the function rotates and agrees their rotations run the new code. */
  acknowledgeSharedFunction: boolean;
  /** One per opening of the dialog and sent again on a retry, so the API starts one workflow only. */
  idempotencyKey: string;
}

/** Starts the update as a workflow (202 with the workflow id). */
export const startFunctionUpdate = ({
  functionArn,
  acknowledgeSharedFunction,
  idempotencyKey,
}: StartFunctionUpdateInput): Promise<z.infer<typeof WorkflowAccepted>> =>
  apiPost('/api/v1/function-updates', { functionArn, acknowledgeSharedFunction }, WorkflowAccepted, { headers: { 'Idempotency-Key': idempotencyKey } });

export const useStartFunctionUpdate = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: startFunctionUpdate,
    // Never retried on its own: the person retries, with the same key.
    retry: false,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['functions'] });
    },
  });
};
