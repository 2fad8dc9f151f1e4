import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { SecretPage, SecretSummary, TargetRef } from '@rotation-console/contracts';
import type { UseQueryResult } from '@tanstack/react-query';
import { useMemo, type ReactNode } from 'react';
import { targetColumns } from '../../../components/target-columns.tsx';
import { isFleet } from '../../../lib/targets.ts';
import { FreshnessLine, isIndexing } from '../../../components/freshness-line.tsx';
import { EMPTY_VALUE, formatDateTime } from '../../../lib/format-date.ts';
import { useFollow } from '../../../lib/navigation.ts';
import { lambdaFunctionName } from '../utils/rotation-schedule.ts';
import { StatusBadge } from '../../../components/status-badge.tsx';
import { UserText } from '../../../components/user-text.tsx';
import { QueryErrorAlert } from '../../../components/query-state.tsx';
import { secretPath } from '../../../lib/paths.ts';

interface SecretsTableProps {
  /** The page of secrets shown; when it fails, its error is shown instead of rows, with Retry. */
  query: UseQueryResult<SecretPage, Error>;
  filtered: boolean;
  onClearFilters: () => void;
  filter: ReactNode;
  pagination: ReactNode;
  /** Reads the page in view again from AWS. */
  onRefresh: () => void;
  refreshing: boolean;
  /** The account-regions the console covers (as the last page answered): several add the Account and Region columns. */
  targets: readonly TargetRef[] | undefined;
}

function SecretNameLink({ secret }: { secret: SecretSummary }) {
  const follow = useFollow();
  return (
    <Link href={secretPath(secret)} onFollow={follow}>
      <UserText text={secret.name} />
    </Link>
  );
}

// The columns before where a fleet's Account and Region go (after the team), and those after.
const firstColumns: TableProps.ColumnDefinition<SecretSummary>[] = [
  // Every cell wraps between words (names after "/"); the name keeps a width of its own (e2e/specs/layout.spec.ts).
  { id: 'name', header: 'Secret name', cell: (secret) => <SecretNameLink secret={secret} />, isRowHeader: true, minWidth: 160 },
  {
    id: 'status',
    header: 'Rotation status',
    cell: (secret) => <StatusBadge status={secret.status} owningService={secret.owningService} failedStep={secret.failedStep} />,
  },
  { id: 'team', header: 'Team', cell: (secret) => (secret.team ? <UserText text={secret.team} /> : EMPTY_VALUE) },
];

const laterColumns: TableProps.ColumnDefinition<SecretSummary>[] = [
  { id: 'lastRotated', header: 'Last rotated', cell: (secret) => formatDateTime(secret.rotation.lastRotatedDate) },
  { id: 'nextRotation', header: 'Next rotation', cell: (secret) => formatDateTime(secret.rotation.nextRotationDate) },
  {
    id: 'rotationFunction',
    header: 'Rotation function',
    cell: (secret) =>
      secret.rotation.lambdaArn ? (
        <UserText text={lambdaFunctionName(secret.rotation.lambdaArn)} title={secret.rotation.lambdaArn} truncateAt="12ch" />
      ) : (
        EMPTY_VALUE
      ),
  },
  // Last and bounded: long descriptions (RDS writes whole ARNs) must not push the status off screen.
  {
    id: 'description',
    header: 'Description',
    maxWidth: 320,
    cell: (secret) => (secret.description ? <UserText text={secret.description} truncateAt="20ch" /> : EMPTY_VALUE),
  },
];

/** In a fleet, where a secret lives takes the description's place (its page shows it): the list keeps fitting 1280 px. */
const columnsFor = (targets: readonly TargetRef[] | undefined): TableProps.ColumnDefinition<SecretSummary>[] =>
  isFleet(targets)
    ? [...firstColumns, ...targetColumns<SecretSummary>(targets), ...laterColumns.filter((c) => c.id !== 'description')]
    : [...firstColumns, ...laterColumns];

function EmptyState({
  filtered,
  onClearFilters,
  indexing,
  fleet,
}: Pick<SecretsTableProps, 'filtered' | 'onClearFilters'> & { indexing: boolean; fleet: boolean }) {
  // Until the first crawl ends, only AWS's first page is known: an empty answer says nothing of the rest.
  if (indexing) {
    return (
      <Box textAlign="center" color="inherit">
        <SpaceBetween size="xxs">
          <StatusIndicator type="loading">Indexing secrets</StatusIndicator>
          <Box variant="p" color="inherit">
            The console is still reading this account&apos;s secrets from AWS; none on the first page matches. The list fills in when it is done.
          </Box>
        </SpaceBetween>
      </Box>
    );
  }
  if (filtered) {
    return (
      <Box textAlign="center" color="inherit">
        <SpaceBetween size="xxs">
          <b>No secrets match the filters</b>
          <Box variant="p" color="inherit">
            No secret matches the name, rotation status{fleet ? ', team, account and region' : ' and team'} you filtered by.
          </Box>
          <Button onClick={onClearFilters}>Clear filters</Button>
        </SpaceBetween>
      </Box>
    );
  }
  return (
    <Box textAlign="center" color="inherit">
      <b>No secrets</b>
      <Box variant="p" color="inherit">
        There are no secrets in {fleet ? 'the accounts and Regions the console covers' : 'this account and Region'}.
      </Box>
    </Box>
  );
}

/** The Secrets table of the AWS console: one server-side page of secrets (from the console's index), how fresh it is, Refresh, its filters and paging. */
export function SecretsTable({ query, filtered, onClearFilters, filter, pagination, onRefresh, refreshing, targets }: SecretsTableProps) {
  const freshness = query.data?.freshness;
  const columnDefinitions = useMemo(() => columnsFor(targets), [targets]);
  return (
    <Table
      variant="full-page"
      header={
        <Header
          variant="awsui-h1-sticky"
          description={
            // Phrasing content only: Cloudscape draws the description inside a paragraph.
            <>
              Secrets Manager secrets and the state of their rotation.
              <br />
              <FreshnessLine freshness={freshness} at={freshness?.seenAt} />
            </>
          }
          actions={<Button iconName="refresh" ariaLabel="Refresh" onClick={onRefresh} loading={refreshing} disabled={query.isPending} />}
        >
          Secrets
        </Header>
      }
      columnDefinitions={columnDefinitions}
      items={query.isError ? [] : (query.data?.items ?? [])}
      trackBy="arn"
      loading={query.isPending}
      loadingText="Loading secrets"
      empty={
        query.isError ? (
          <QueryErrorAlert query={query} header="Failed to load secrets" />
        ) : (
          <EmptyState
            filtered={filtered}
            onClearFilters={onClearFilters}
            indexing={freshness !== undefined && isIndexing(freshness)}
            fleet={isFleet(targets)}
          />
        )
      }
      filter={filter}
      pagination={pagination}
      wrapLines
      stickyHeader
      ariaLabels={{ tableLabel: 'Secrets' }}
    />
  );
}
