import { PreflightReport } from '@rotation-console/contracts';
import { useMutation } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client.ts';

/** "Check rotation" on a secret's page: the preflight of its rotation as configured (read-only AWS calls). */
export const checkRotation = (secretId: string): Promise<PreflightReport> =>
  apiPost(`/api/v1/secrets/${encodeURIComponent(secretId)}/preflight`, {}, PreflightReport);

export const useCheckRotation = (secretId: string) => useMutation({ mutationKey: ['preflight', secretId], mutationFn: () => checkRotation(secretId) });
