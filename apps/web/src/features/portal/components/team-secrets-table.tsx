import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import Table from '@cloudscape-design/components/table';
import type { DashboardRow, PortalTeam, TargetRef } from '@rotation-console/contracts';
import { useState } from 'react';
import { StatusBadge } from '../../../components/status-badge.tsx';
import { targetColumns } from '../../../components/target-columns.tsx';
import { isFleet } from '../../../lib/targets.ts';
import { EMPTY_VALUE, formatDateTime } from '../../../lib/format-date.ts';
import { nameColumn, SecretAction } from './secret-cells.tsx';
import { BatchActionButtons, SelectionLine } from '../../../components/batch-selection-bar.tsx';
import type { BatchFilter } from '../../../lib/batch-selection.ts';
import { selectionLabels, useBatchSelection } from '../../../lib/use-batch-selection.ts';

const PAGE_SIZE = 25;

/**
 * Every secret of the team with its rotation status, most urgent first (paged in the browser); in a
 * console covering several account-regions, with each secret's account and region.
 */
export function TeamSecretsTable({ team, targets, place = {} }: { team: PortalTeam; targets: readonly TargetRef[]; place?: BatchFilter }) {
  const [requestedPage, setPage] = useState(1);
  const filter: BatchFilter = { team: team.team, ...place };
  const selection = useBatchSelection<DashboardRow>({ filterKey: JSON.stringify(filter), filter, total: team.counts.total });
  const tableLabel = `${team.displayName} secrets`;
  const pagesCount = Math.max(1, Math.ceil(team.secrets.length / PAGE_SIZE));
  const page = Math.min(requestedPage, pagesCount);
  const items = team.secrets.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);

  return (
    <Table
      variant="container"
      ariaLabels={{ tableLabel, ...selectionLabels<DashboardRow>(tableLabel) }}
      {...selection.tableProps}
      header={
        <Header
          variant="h2"
          counter={`(${team.counts.total})`}
          description={
            <>
              {team.truncated ? `The ${team.secrets.length} most urgent of ${team.counts.total}; the Dashboard lists them all.` : 'Most urgent status first.'}
              {selection.enabled && (
                <SelectionLine
                  selected={selection.selected}
                  total={team.counts.total}
                  allMatching={selection.allMatching}
                  onSelectAllMatching={selection.selectAllMatching}
                  onClear={selection.clear}
                  scope={`team ${team.team}`}
                />
              )}
            </>
          }
          actions={selection.enabled ? <BatchActionButtons selected={selection.selected} onAction={selection.open} /> : undefined}
        >
          Secrets
        </Header>
      }
      items={items}
      trackBy="arn"
      wrapLines
      pagination={
        pagesCount > 1 ? (
          <Pagination
            currentPageIndex={page}
            pagesCount={pagesCount}
            onChange={({ detail }) => setPage(detail.currentPageIndex)}
            ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }}
          />
        ) : undefined
      }
      empty={
        <Box textAlign="center" color="inherit">
          <b>No secrets</b>
          <Box variant="p" color="inherit">
            No secret is tagged with team {team.team}.
          </Box>
        </Box>
      }
      columnDefinitions={[
        nameColumn(),
        {
          id: 'status',
          header: 'Rotation status',
          cell: (item) => <StatusBadge status={item.status} owningService={item.owningService} failedStep={item.failedStep} />,
        },
        { id: 'schedule', header: 'Schedule', cell: (item) => item.schedule ?? EMPTY_VALUE },
        { id: 'next', header: 'Next rotation', cell: (item) => (item.nextRotationDate ? formatDateTime(item.nextRotationDate) : EMPTY_VALUE) },
        ...(isFleet(targets) ? targetColumns<DashboardRow>(targets) : []),
        { id: 'action', header: 'Action', cell: (item) => <SecretAction secret={item} team={team.team} /> },
      ]}
    />
  );
}
