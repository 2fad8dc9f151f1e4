import Button from '@cloudscape-design/components/button';
import Link from '@cloudscape-design/components/link';
import type { DashboardRow } from '@rotation-console/contracts';
import { useCan } from '../../../lib/me.ts';
import { useFollow } from '../../../lib/navigation.ts';
import { UserText } from '../../../components/user-text.tsx';
import { secretPath, secretRotationPath } from '../../../lib/paths.ts';

/**
 * What a person can do about a secret from the portal: "Enable rotation" (the wizard with the
 * team's defaults) where rotation is off and the policy lets them start it; else open the secret.
 */
export function SecretAction({ secret, team }: { secret: DashboardRow; team: string }) {
  const follow = useFollow();
  const can = useCan();
  const mayStart = can('workflows:start', { type: 'secret', name: secret.name, team });
  if (secret.status === 'not_enabled' && mayStart) {
    const href = secretRotationPath(secret, team);
    return (
      <Button href={href} onFollow={follow} ariaLabel={`Enable rotation for ${secret.name}`} wrapText={false}>
        Enable rotation
      </Button>
    );
  }
  return (
    <Button variant="inline-link" href={secretPath(secret)} onFollow={follow} ariaLabel={`Open ${secret.name}`}>
      Open
    </Button>
  );
}

/** The secret's name, linking to its page: the row header of the portal's tables. */
export function SecretNameLink({ secret }: { secret: DashboardRow }) {
  const follow = useFollow();
  return (
    <Link href={secretPath(secret)} onFollow={follow}>
      <UserText text={secret.name} />
    </Link>
  );
}

/** The "Secret name" column of a Cloudscape Table of secrets (typed for the table's own rows). */
export const nameColumn = <T extends DashboardRow>() => ({
  id: 'name',
  header: 'Secret name',
  isRowHeader: true,
  cell: (item: T) => <SecretNameLink secret={item} />,
});
