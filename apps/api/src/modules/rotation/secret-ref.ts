import type { RotationRequest } from '@rotation-console/contracts';
import { authorizeSecret, checkSecret, type Principal, type SecretRef } from '../../platform/auth.ts';
import { runAsActor } from '../../platform/team-role.ts';
import { teamOf } from '../../platform/team-tag.ts';
import type { DiscoveryGateway } from './discovery.aws.ts';

/**
 * A secret as the policy needs it (name, ARN and owning team), read with the console's own
 * credentials: the team decides whose role the calls after it run under.
 */
export const createSecretRefReader =
  (discovery: DiscoveryGateway, teamTagKey: string) =>
  async (secretId: string): Promise<SecretRef & { arn: string }> => {
    const secret = await runAsActor(null, () => discovery.secret(secretId));
    return { name: secret.name, arn: secret.arn, team: teamOf(secret.tags, teamTagKey) };
  };
export type SecretRefReader = ReturnType<typeof createSecretRefReader>;

/**
 * The policy for a rotation request (plan or workflow): the master secret, if any, must be
 * one the principal may read; then `action` on the secret itself, whose team's role the
 * request's AWS calls then run under.
 */
export const authorizeRotationRequest = async (
  principal: Principal,
  action: 'rotation:plan' | 'workflows:start',
  request: RotationRequest,
  secretRef: SecretRefReader,
) => {
  const secret = await secretRef(request.secretId);
  const masterId = request.function.masterSecretId;
  checkSecret(principal, action, request.secretId, secret);
  if (masterId) checkSecret(principal, 'secrets:read', masterId, await secretRef(masterId));
  authorizeSecret(principal, action, request.secretId, secret);
  return secret;
};
