import { InputError } from '../../platform/errors.ts';
import { accountRegionOfArn, type Target } from '../../platform/targets/target.ts';
import type { TargetRegistry } from '../../platform/targets/target-registry.ts';
import type { SecretIndexStore } from './index-store/secret-index-store.ts';

/**
 * The account-region a secret lives in, for a request that names it: by ARN, the ARN's (a target
 * the console does not cover is refused, naming it); by name, where the index has a secret of that
 * name (a name found in several is refused: the caller must give the ARN); a name the index does
 * not hold, the home target (the console's own account in AWS_REGION), as before there were targets.
 * Null when the console covers its home target alone: nothing to choose, no scope needed.
 */
export const createSecretTargetResolver =
  ({ targets, index }: { targets: TargetRegistry; index: SecretIndexStore }) =>
  async (secretId: string): Promise<Target | null> => {
    // Nothing to choose, or an ARN that says where: the registry's answer, as for a workflow's subject.
    if (targets.homeOnly || accountRegionOfArn(secretId)) return targets.scopeFor(secretId);
    const places = await index.placesNamed(secretId);
    if (places.length <= 1) {
      const [place] = places;
      const all = await targets.list();
      return (place && all.find((t) => t.accountId === place.accountId && t.region === place.region)) ?? targets.home();
    }
    const all = await targets.list();
    const named = places.map(({ accountId, region }) => {
      const name = all.find((t) => t.accountId === accountId)?.accountName;
      return `${name && name !== accountId ? `${name} (${accountId})` : accountId} ${region}`;
    });
    throw new InputError({
      message: `Secret "${secretId}" exists in ${places.length} account-regions (${named.join(', ')}): give its ARN to say which.`,
      details: [{ path: 'secretId', message: 'names a secret in several account-regions; use its ARN' }],
    });
  };
export type SecretTargetResolver = ReturnType<typeof createSecretTargetResolver>;
