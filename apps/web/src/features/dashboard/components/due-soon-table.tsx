import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import type { DashboardSummary } from '@rotation-console/contracts';
import { useState } from 'react';
import { EMPTY_VALUE, formatDateTime } from '../../../lib/format-date.ts';
import { useFollow } from '../../../lib/navigation.ts';
import { formatCount } from '../utils/format.ts';
import { timelinePath } from '../utils/paths.ts';

type DueSecret = DashboardSummary['dueSoon'][number];

/** Rows a page of this table shows; it holds at most 100 (the API's cap), paged here in the browser. */
const DUE_PAGE_SIZE = 10;

function TimelineLink({ secret }: { secret: DueSecret }) {
  const follow = useFollow();
  return (
    <Link href={timelinePath(secret)} onFollow={follow}>
      {secret.name}
    </Link>
  );
}

const columnDefinitions: TableProps.ColumnDefinition<DueSecret>[] = [
  { id: 'name', header: 'Secret name', cell: (secret) => <TimelineLink secret={secret} />, isRowHeader: true },
  { id: 'team', header: 'Team', cell: (secret) => secret.team ?? EMPTY_VALUE },
  { id: 'next', header: 'Next rotation', cell: (secret) => formatDateTime(secret.nextRotationDate) },
];

/** The secrets whose next rotation falls in the next 7 days, soonest first. */
export function DueSoonTable({ summary }: { summary: DashboardSummary }) {
  const shown = summary.dueSoon.length;
  const more = summary.dueSoonTotal > shown;
  const pagesCount = Math.max(1, Math.ceil(shown / DUE_PAGE_SIZE));
  const [requestedPage, setPage] = useState(1);
  const page = Math.min(requestedPage, pagesCount);
  return (
    <Table
      variant="container"
      header={
        <Header
          variant="h2"
          counter={`(${formatCount(summary.dueSoonTotal)})`}
          description={more ? `The ${formatCount(shown)} soonest of ${formatCount(summary.dueSoonTotal)}; the Calendar shows them all.` : 'Soonest first.'}
        >
          Due in the next 7 days
        </Header>
      }
      columnDefinitions={columnDefinitions}
      items={summary.dueSoon.slice((page - 1) * DUE_PAGE_SIZE, page * DUE_PAGE_SIZE)}
      pagination={
        pagesCount > 1 ? (
          <Pagination
            currentPageIndex={page}
            pagesCount={pagesCount}
            onChange={({ detail }) => setPage(detail.currentPageIndex)}
            ariaLabels={{
              nextPageLabel: 'Next page of due secrets',
              previousPageLabel: 'Previous page of due secrets',
              pageLabel: (pageNumber) => `Page ${pageNumber} of due secrets`,
              paginationLabel: 'Due secrets pages',
            }}
          />
        ) : undefined
      }
      trackBy="arn"
      wrapLines
      ariaLabels={{ tableLabel: 'Due in the next 7 days' }}
      empty={
        <Box textAlign="center" color="inherit">
          <b>No rotations due</b>
          <Box variant="p" color="inherit">
            No secret is due to rotate in the next 7 days.
          </Box>
        </Box>
      }
    />
  );
}
