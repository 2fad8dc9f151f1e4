import { WorkflowAccepted, type FreezeOverride, type Operation } from '@rotation-console/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { apiPost } from '../../../lib/api-client.ts';

// The contract exports the schema only.
export type WorkflowAccepted = z.infer<typeof WorkflowAccepted>;

export interface StartOperationInput {
  secretId: string;
  operation: Operation;
  /** One per opening of the dialog and sent again on a retry, so the API starts one workflow only. */
  idempotencyKey: string;
  /** An admin's override of the team's open freeze window, with the reason the audit log keeps. */
  overrideFreeze?: FreezeOverride | undefined;
}

/** Starts the operation as a workflow (202 with the workflow id). */
export const startOperation = ({ secretId, operation, idempotencyKey, overrideFreeze }: StartOperationInput): Promise<WorkflowAccepted> =>
  apiPost(`/api/v1/secrets/${encodeURIComponent(secretId)}/operations`, { operation, ...(overrideFreeze ? { overrideFreeze } : {}) }, WorkflowAccepted, {
    headers: { 'Idempotency-Key': idempotencyKey },
  });

export const useStartOperation = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: startOperation,
    // Never retried on its own: the operator retries, with the same key.
    retry: false,
    onSuccess: async () => {
      // The secret's rotation and the fleet's figures are about to change.
      await Promise.all([queryClient.invalidateQueries({ queryKey: ['secrets'] }), queryClient.invalidateQueries({ queryKey: ['dashboard'] })]);
    },
  });
};
