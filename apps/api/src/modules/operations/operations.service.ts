import type { Operation } from '@rotation-console/contracts';
import type { OperationsGateway } from './operations.aws.ts';
import { draftOperation } from './preview.ts';

interface Deps {
  gateway: OperationsGateway;
  /** The tag whose value names the team that owns a secret. */
  teamTagKey: string;
}

/** Reads the secret fresh and works out an operation on it; changes nothing. */
export const createOperationsService = ({ gateway, teamTagKey }: Deps) => ({
  async draft(secretId: string, operation: Operation) {
    const state = await gateway.readSecret(secretId);
    const team = state.tags.find((t) => t.key === teamTagKey)?.value ?? null;
    return { state, team, draft: draftOperation(operation, state) };
  },
});
export type OperationsService = ReturnType<typeof createOperationsService>;
