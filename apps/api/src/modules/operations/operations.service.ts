import type { Operation } from '@rotation-console/contracts';
import type { MasterGrants } from './master-grants.aws.ts';
import type { OperationsGateway } from './operations.aws.ts';
import { draftOperation } from './preview.ts';

interface Deps {
  gateway: OperationsGateway;
  /** The tag whose value names the team that owns a secret. */
  teamTagKey: string;
  masterGrants: MasterGrants;
}

/** Reads the secret fresh and works out an operation on it; changes nothing. */
export const createOperationsService = ({ gateway, teamTagKey, masterGrants }: Deps) => ({
  async draft(secretId: string, operation: Operation) {
    const state = await gateway.readSecret(secretId);
    const team = state.tags.find((t) => t.key === teamTagKey)?.value ?? null;
    // Turning rotation off also takes back the master grant the console made for it, if nothing else needs it.
    const masterGrant = operation === 'turn-off' && state.rotation.enabled ? await masterGrants.planForTurnOff(state.arn) : null;
    return { state, team, draft: draftOperation(operation, state, { masterGrant }) };
  },
});
export type OperationsService = ReturnType<typeof createOperationsService>;
