import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import type { CoverageGroup, DashboardPage, DashboardRow, DashboardSort, DashboardSummary, TargetRef } from '@rotation-console/contracts';
import type { UseQueryResult } from '@tanstack/react-query';
import { useMemo } from 'react';
import { EMPTY_VALUE, formatDateTime } from '../../../lib/format-date.ts';
import { useFollow } from '../../../lib/navigation.ts';
import { dashboardCsvHref } from '../api/list-dashboard-secrets.ts';
import { formatCount, lambdaFunctionName } from '../utils/format.ts';
import { FILTER_KEYS, hasFilters, toExportQuery, type ListView } from '../utils/list-params.ts';
import { ListFilters } from './list-filters.tsx';
import { NextRotationCell } from './next-rotation-cell.tsx';
import { StatusBadge } from '../../../components/status-badge.tsx';
import { UserText } from '../../../components/user-text.tsx';
import { QueryErrorAlert } from '../../../components/query-state.tsx';
import { secretPath } from '../../../lib/paths.ts';
import { isFleet, targetAccountIds, targetRegions } from '../../../lib/targets.ts';
import { targetColumns } from '../../../components/target-columns.tsx';
import { BatchActionButtons, SelectionLine } from '../../../components/batch-selection-bar.tsx';
import { selectionLabels, useBatchSelection } from '../../../lib/use-batch-selection.ts';
import { mayChangeSecrets } from '../../../lib/batch-selection.ts';
import { useMe } from '../../../lib/me.ts';

function NameLink({ row }: { row: DashboardRow }) {
  const follow = useFollow();
  return (
    <Link href={secretPath(row)} onFollow={follow}>
      <UserText text={row.name} />
    </Link>
  );
}

type Column = TableProps.ColumnDefinition<DashboardRow> & { sortingField?: DashboardSort };

const columnDefinitions: Column[] = [
  // Every cell wraps between words (names after "/"), only the name keeps a width of its own, and the
  // table is compact, so the eight columns fit 1280 px beside the side navigation (e2e/specs/layout.spec.ts).
  { id: 'name', header: 'Secret name', cell: (row) => <NameLink row={row} />, sortingField: 'name', isRowHeader: true, minWidth: 150 },
  {
    id: 'status',
    header: 'Rotation status',
    cell: (row) => <StatusBadge status={row.status} owningService={row.owningService} failedStep={row.failedStep} />,
    sortingField: 'status',
  },
  { id: 'schedule', header: 'Rotation schedule', cell: (row) => row.schedule ?? EMPTY_VALUE },
  { id: 'lastRotated', header: 'Last rotated', cell: (row) => formatDateTime(row.lastRotatedDate), sortingField: 'lastRotatedDate' },
  { id: 'nextRotation', header: 'Next rotation', cell: (row) => <NextRotationCell row={row} />, sortingField: 'nextRotationDate' },
  {
    id: 'function',
    header: 'Rotation function',
    cell: (row) =>
      row.lambdaArn ? <UserText text={lambdaFunctionName(row.lambdaArn) ?? row.lambdaArn} title={row.lambdaArn} truncateAt="12ch" /> : EMPTY_VALUE,
  },
  { id: 'team', header: 'Team', cell: (row) => (row.team ? <UserText text={row.team} /> : EMPTY_VALUE), sortingField: 'team' },
  { id: 'engine', header: 'Engine', cell: (row) => row.engine ?? EMPTY_VALUE, sortingField: 'engine' },
];

/** The groups' keys (account ids, regions), without the group of secrets that have none. */
const groupKeys = (groups: CoverageGroup[]): string[] => groups.flatMap((group) => (group.key === null ? [] : [group.key]));

interface SecretsListProps {
  view: ListView;
  query: UseQueryResult<DashboardPage, Error>;
  onChange: (change: Partial<ListView>) => void;
  onClearFilters: () => void;
  /** The account-regions the console covers (the index's freshness): several add the Account and Region columns and filters. */
  targets: readonly TargetRef[] | undefined;
  /** Where the filters' accounts and regions come from (its coverage by account and region), once it has loaded. */
  summary: DashboardSummary | undefined;
}

function EmptyState({
  view,
  total,
  fleet,
  onChange,
  onClearFilters,
}: Pick<SecretsListProps, 'view' | 'onChange' | 'onClearFilters'> & { total: number; fleet: boolean }) {
  if (total > 0) {
    return (
      <Box textAlign="center" color="inherit">
        <SpaceBetween size="xxs">
          <b>No secrets on this page</b>
          <Button onClick={() => onChange({ page: 1 })}>Go to the first page</Button>
        </SpaceBetween>
      </Box>
    );
  }
  if (hasFilters(view)) {
    return (
      <Box textAlign="center" color="inherit">
        <SpaceBetween size="xxs">
          <b>No secrets match the filters</b>
          <Box variant="p" color="inherit">
            No secret matches the name, rotation status, team{fleet ? ', engine, account and region' : ' and engine'} you filtered by.
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

/**
 * Every secret of the index, one server-side page at a time (25-100 rows): sorted, filtered and paged
 * by the API, so 10,000 secrets scroll as smoothly as 25. The view lives in the URL.
 */
export function SecretsList({ view, query, onChange, onClearFilters, targets, summary }: SecretsListProps) {
  const fleet = isFleet(targets) && targets ? targets : null;
  // In a fleet, where a secret lives takes the rotation function's place (its page names the function): the list keeps fitting 1280 px.
  const selectable = mayChangeSecrets(useMe().data);
  // The checkboxes of who may change secrets take a column's room: the engine (still a filter) leaves, so the list keeps fitting 1280 px.
  const columns = useMemo(() => {
    const shown = selectable ? columnDefinitions.filter((c) => c.id !== 'engine') : columnDefinitions;
    return fleet ? [...shown.filter((c) => c.id !== 'function'), ...targetColumns<DashboardRow>(fleet)] : shown;
  }, [fleet, selectable]);
  const filterChoices = useMemo(
    () =>
      fleet
        ? {
            accounts: summary ? groupKeys(summary.byAccount) : targetAccountIds(fleet),
            regions: summary ? groupKeys(summary.byRegion) : targetRegions(fleet),
            targets: fleet,
          }
        : undefined,
    [fleet, summary],
  );
  const data = query.data;
  const total = data?.total ?? 0;
  const pagesCount = Math.max(1, Math.ceil(total / view.pageSize));
  const sortingColumn = columnDefinitions.find((column) => column.sortingField === view.sort);
  const filter = useMemo(() => Object.fromEntries(FILTER_KEYS.flatMap((key) => (view[key] ? [[key, view[key]]] : []))), [view]);
  const selection = useBatchSelection<DashboardRow>({ filterKey: JSON.stringify(filter), filter, total });

  return (
    <Table
      variant="container"
      header={
        <Header
          variant="h2"
          counter={data ? `(${formatCount(total)})` : undefined}
          description={
            selection.enabled && data ? (
              <SelectionLine
                selected={selection.selected}
                total={total}
                allMatching={selection.allMatching}
                onSelectAllMatching={selection.selectAllMatching}
                onClear={selection.clear}
                scope="this filter"
              />
            ) : undefined
          }
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              {selection.enabled && <BatchActionButtons selected={selection.selected} onAction={selection.open} />}
              <Button href={dashboardCsvHref(toExportQuery(view))} iconName="download" download>
                Download CSV
              </Button>
            </SpaceBetween>
          }
        >
          Secrets
        </Header>
      }
      columnDefinitions={columns}
      items={query.isError ? [] : (data?.items ?? [])}
      trackBy="arn"
      {...selection.tableProps}
      loading={query.isPending}
      loadingText="Loading secrets"
      sortingColumn={sortingColumn}
      sortingDescending={view.order === 'desc'}
      onSortingChange={({ detail }) => {
        const field = (detail.sortingColumn as Column).sortingField;
        if (field) onChange({ sort: field, order: detail.isDescending ? 'desc' : 'asc' });
      }}
      empty={
        query.isError ? (
          <QueryErrorAlert query={query} header="Failed to load secrets" />
        ) : (
          <EmptyState view={view} total={total} fleet={fleet !== null} onChange={onChange} onClearFilters={onClearFilters} />
        )
      }
      filter={
        <ListFilters view={view} onChange={onChange} countText={data && hasFilters(view) ? `${formatCount(total)} matches` : undefined} fleet={filterChoices} />
      }
      pagination={
        <Pagination
          currentPageIndex={view.page}
          pagesCount={pagesCount}
          disabled={!data}
          onChange={({ detail }) => onChange({ page: detail.currentPageIndex })}
          ariaLabels={{
            nextPageLabel: 'Next page',
            previousPageLabel: 'Previous page',
            pageLabel: (pageNumber) => `Page ${pageNumber}`,
            paginationLabel: 'Secrets pages',
          }}
        />
      }
      wrapLines
      contentDensity="compact"
      ariaLabels={{ tableLabel: 'Secrets', ...selectionLabels<DashboardRow>('Secrets') }}
    />
  );
}
