import Box from '@cloudscape-design/components/box';
import type { TableProps } from '@cloudscape-design/components/table';
import type { TargetRef } from '@rotation-console/contracts';
import { accountName } from '../lib/targets.ts';
import { UserText } from './user-text.tsx';

/**
 * An account as people know it, "payments-prod (111111111111)", or its id alone when it has no name.
 * The name is typed by a person (the accounts file, AWS Organizations), so it is isolated as user text.
 */
export function AccountText({ accountId, targets }: { accountId: string; targets: readonly TargetRef[] | undefined }) {
  const name = accountName(accountId, targets);
  if (!name) return <>{accountId}</>;
  return (
    <>
      <UserText text={name} /> ({accountId})
    </>
  );
}

/** "analytics-dev (222222222222) us-east-1": one account-region. */
export function TargetName({ target }: { target: TargetRef }) {
  return (
    <>
      <AccountText accountId={target.accountId} targets={[target]} /> {target.region}
    </>
  );
}

/** What a row needs for the Account and Region columns: where its secret lives. */
interface InTarget {
  accountId: string;
  region: string;
}

/**
 * The "Account and region" column of a table of secrets (the dashboard's list, the Secrets list, the
 * portal), for a console that covers several account-regions: the account named from the targets,
 * its region below. One column, not two: the lists keep fitting 1280 px beside the side navigation.
 */
export const targetColumns = <T extends InTarget>(targets: readonly TargetRef[] | undefined): TableProps.ColumnDefinition<T>[] => [
  {
    id: 'target',
    header: 'Account and region',
    cell: (row) => (
      <>
        <AccountText accountId={row.accountId} targets={targets} />
        <Box variant="small" display="block">
          {row.region}
        </Box>
      </>
    ),
  },
];
