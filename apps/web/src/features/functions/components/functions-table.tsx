import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import type { StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import type { FunctionRotation, RotationFunctionRow, TargetRef } from '@rotation-console/contracts';
import { useState, type ReactNode } from 'react';
import { StatusText } from '../../../components/status-text.tsx';
import { targetColumns } from '../../../components/target-columns.tsx';
import { UserText } from '../../../components/user-text.tsx';
import { EMPTY_VALUE, formatDateTime } from '../../../lib/format-date.ts';
import { useCan } from '../../../lib/me.ts';
import { useFollow } from '../../../lib/navigation.ts';
import { secretPath } from '../../../lib/paths.ts';
import { isFleet } from '../../../lib/targets.ts';

/** Secrets named in a row; the rest are counted. */
const SECRETS_NAMED = 3;

/** The runtime's end of life in words, with its indicator. */
export const endOfLife = (row: RotationFunctionRow): { type: StatusIndicatorProps.Type; text: string } => {
  const eol = row.runtimeEndOfLife;
  if (!row.runtime || !eol) return { type: 'stopped', text: 'No managed runtime (a container image): end of life cannot be told' };
  switch (eol.verdict) {
    case 'supported':
      return { type: 'success', text: `Supported until ${eol.deprecatedOn}` };
    case 'ending':
      return { type: 'warning', text: `Deprecated on ${eol.deprecatedOn}, in ${eol.daysLeft} days: move to ${eol.successor}` };
    case 'deprecated':
      return { type: 'error', text: `Deprecated since ${eol.deprecatedOn}; updates blocked from ${eol.blockUpdateOn}: move to ${eol.successor}` };
    case 'unlisted':
      return { type: 'info', text: 'Not in the console\u2019s table of runtimes: end of life cannot be told' };
  }
};

const outcomeType: Record<FunctionRotation['outcome'], StatusIndicatorProps.Type> = { succeeded: 'success', failed: 'error', unknown: 'warning' };

function Rotation({ rotation, fleet }: { rotation: FunctionRotation; fleet: boolean }) {
  const follow = useFollow();
  return (
    <SpaceBetween size="xxxs">
      <StatusText type={outcomeType[rotation.outcome]}>
        {rotation.outcome === 'succeeded' ? 'Succeeded' : rotation.outcome === 'failed' ? `Failed: ${rotation.message}` : 'Unknown: the log does not say'}
      </StatusText>
      <Box variant="small" display="block">
        <Link href={secretPath({ name: fleet ? rotation.secretArn : rotation.secretName })} onFollow={follow}>
          <UserText text={rotation.secretName} />
        </Link>
        {rotation.at ? `, ${formatDateTime(rotation.at)}` : ''}
      </Box>
    </SpaceBetween>
  );
}

/** The latest rotation among the function's secrets, and how many of them failed, with the latest failure when it is another secret's. */
function LastRotation({ row, fleet }: { row: RotationFunctionRow; fleet: boolean }) {
  const failure = row.lastFailure;
  const failedLast = failure !== null && failure.secretArn === row.lastRotation?.secretArn;
  return (
    <SpaceBetween size="xs">
      {row.lastRotation ? <Rotation rotation={row.lastRotation} fleet={fleet} /> : <span>No rotation yet</span>}
      {failure && !failedLast && (
        <SpaceBetween size="xxxs">
          <StatusText type="error">{`${row.failing} failing, last: ${failure.message}`}</StatusText>
          <Box variant="small">
            <UserText text={failure.secretName} />
          </Box>
        </SpaceBetween>
      )}
      {failedLast && row.failing > 1 && <StatusText type="error">{`${row.failing} failing`}</StatusText>}
    </SpaceBetween>
  );
}

function Secrets({ row, fleet }: { row: RotationFunctionRow; fleet: boolean }) {
  const follow = useFollow();
  if (row.secretCount === 0) return <>{EMPTY_VALUE}</>;
  const more = row.secretCount - Math.min(SECRETS_NAMED, row.secrets.length);
  return (
    <SpaceBetween size="xxxs">
      {row.secrets.slice(0, SECRETS_NAMED).map((secret) => (
        // In a fleet a name may be another secret's in another account: the ARN says which.
        <Link key={secret.arn} href={secretPath({ name: fleet ? secret.arn : secret.name })} onFollow={follow}>
          <UserText text={secret.name} />
        </Link>
      ))}
      {more > 0 && <Box variant="small">{`and ${more} more`}</Box>}
    </SpaceBetween>
  );
}

function Version({ row, onUpdate }: { row: RotationFunctionRow; onUpdate: (row: RotationFunctionRow) => void }) {
  const can = useCan();
  if (!row.consoleFunction) return <Box color="text-body-secondary">Not the console&rsquo;s</Box>;
  if (row.atCurrentVersion) return <StatusText type="success">Console function: current</StatusText>;
  const allowed = can('functions:update', { type: 'function', name: row.name, owners: row.owners });
  return (
    <SpaceBetween size="xxs">
      <StatusText type="warning">Console function: update available</StatusText>
      <Button
        ariaLabel={`Update ${row.name}`}
        disabled={!allowed}
        disabledReason={allowed ? undefined : `Only operators of its team (${row.owner}) and admins update this function.`}
        onClick={() => onUpdate(row)}
      >
        Update
      </Button>
    </SpaceBetween>
  );
}

interface FunctionsTableProps {
  items: readonly RotationFunctionRow[];
  targets: readonly TargetRef[];
  filter: ReactNode;
  loading: boolean;
  onUpdate: (row: RotationFunctionRow) => void;
}

/** The rotation functions, one row each, found by name with the text filter. */
export function FunctionsTable({ items, targets, filter, loading, onUpdate }: FunctionsTableProps) {
  const [text, setText] = useState('');
  const fleet = isFleet(targets);
  const shown = text ? items.filter((row) => row.name.toLowerCase().includes(text.toLowerCase())) : items;
  const columns: TableProps.ColumnDefinition<RotationFunctionRow>[] = [
    {
      id: 'name',
      header: 'Function name',
      isRowHeader: true,
      minWidth: 180,
      cell: (row) => (
        <SpaceBetween size="xxxs">
          <UserText text={row.name} title={row.arn} />
          {row.description && (
            <Box variant="small" display="block">
              <UserText text={row.description} />
            </Box>
          )}
        </SpaceBetween>
      ),
    },
    ...(fleet ? targetColumns<RotationFunctionRow>(targets) : []),
    {
      id: 'runtime',
      header: 'Runtime',
      cell: (row) => {
        const { type, text: words } = endOfLife(row);
        return (
          <SpaceBetween size="xxxs">
            <span>{row.runtime ?? EMPTY_VALUE}</span>
            <StatusText type={type}>{words}</StatusText>
          </SpaceBetween>
        );
      },
    },
    { id: 'owner', header: 'Owner', cell: (row) => row.owner },
    { id: 'secrets', header: 'Secrets it rotates', cell: (row) => <Secrets row={row} fleet={fleet} /> },
    { id: 'last', header: 'Last rotation and failures', cell: (row) => <LastRotation row={row} fleet={fleet} /> },
    { id: 'version', header: 'Version', cell: (row) => <Version row={row} onUpdate={onUpdate} /> },
  ];

  return (
    <Table
      variant="container"
      header={
        <Header variant="h2" counter={`(${items.length})`}>
          Rotation functions
        </Header>
      }
      ariaLabels={{ tableLabel: 'Rotation functions' }}
      columnDefinitions={columns}
      items={shown}
      trackBy="arn"
      loading={loading}
      loadingText="Loading functions"
      wrapLines
      filter={
        <SpaceBetween direction="horizontal" size="xs" alignItems="center">
          <TextFilter
            filteringText={text}
            filteringPlaceholder="Find functions by name"
            filteringAriaLabel="Find functions by name"
            onChange={({ detail }) => setText(detail.filteringText)}
          />
          {filter}
        </SpaceBetween>
      }
      empty={
        <Box textAlign="center" color="inherit" padding="m">
          {text ? 'No function matches the name.' : 'No rotation function here that you may see.'}
        </Box>
      }
    />
  );
}
