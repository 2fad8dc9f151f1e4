import { WorkflowAccepted, type RotationRequest } from '@rotation-console/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { apiPost } from '../../../lib/api-client.ts';

// The contract exports the schema only.
export type WorkflowAccepted = z.infer<typeof WorkflowAccepted>;

export interface StartWorkflowInput {
  request: RotationRequest;
  /** Generated once per submission and sent again on a retry, so the API starts one workflow only. */
  idempotencyKey: string;
}

/** Stores the plan for the request and starts it (202 with the workflow id). */
export const startWorkflow = ({ request, idempotencyKey }: StartWorkflowInput): Promise<WorkflowAccepted> =>
  apiPost('/api/v1/workflows', request, WorkflowAccepted, { headers: { 'Idempotency-Key': idempotencyKey } });

export const useStartWorkflow = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: startWorkflow,
    // Never retried on its own: the operator retries with the same key.
    retry: false,
    onSuccess: async () => {
      // The secret's rotation status is about to change.
      await queryClient.invalidateQueries({ queryKey: ['secrets'] });
    },
  });
};
