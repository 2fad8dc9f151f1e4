import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import Table from '@cloudscape-design/components/table';
import type { BatchSummary } from '@rotation-console/contracts';
import { useState } from 'react';
import { QueryErrorAlert } from '../../../components/query-state.tsx';
import { StatusText } from '../../../components/status-text.tsx';
import { batchPath } from '../../../lib/paths.ts';
import { formatDateTime } from '../../../lib/format-date.ts';
import { useFollow } from '../../../lib/navigation.ts';
import { BATCHES_PAGE_SIZE, useBatches } from '../api/list-batches.ts';
import { BATCH_STATUS } from '../components/batch-view.tsx';

function BatchLink({ batch }: { batch: BatchSummary }) {
  const follow = useFollow();
  return (
    <Link href={batchPath(batch.id)} onFollow={follow}>
      {batch.summary}
    </Link>
  );
}

/** `/batches`: the batches the person may see, newest first, with their totals. */
export function BatchesPage() {
  const [page, setPage] = useState(1);
  const query = useBatches(page);
  const total = query.data?.total ?? 0;
  return (
    <Table
      variant="full-page"
      header={
        <Header
          variant="h1"
          counter={query.data ? `(${total})` : undefined}
          description="Changes to many secrets at once, started from the dashboard or the team portal."
        >
          Batches
        </Header>
      }
      ariaLabels={{ tableLabel: 'Batches' }}
      items={query.data?.items ?? []}
      loading={query.isPending}
      loadingText="Loading batches"
      trackBy="id"
      wrapLines
      columnDefinitions={[
        { id: 'summary', header: 'Batch', isRowHeader: true, cell: (b) => <BatchLink batch={b} /> },
        { id: 'status', header: 'Status', cell: (b) => <StatusText type={BATCH_STATUS[b.status].type}>{BATCH_STATUS[b.status].label}</StatusText> },
        {
          id: 'secrets',
          header: 'Secrets',
          cell: (b) => `${b.totals.succeeded} succeeded, ${b.totals.failed} failed, ${b.totals.refused} refused of ${b.totals.total}`,
        },
        { id: 'by', header: 'Started by', cell: (b) => b.createdBy.name },
        { id: 'created', header: 'Started', cell: (b) => formatDateTime(b.createdAt) },
      ]}
      empty={
        query.isError ? (
          <QueryErrorAlert query={query} header="Failed to load batches" />
        ) : (
          <Box textAlign="center" color="inherit">
            <b>No batches</b>
            <Box variant="p" color="inherit">
              Select secrets on the dashboard or the team portal to change many at once.
            </Box>
          </Box>
        )
      }
      pagination={
        <Pagination
          currentPageIndex={page}
          pagesCount={Math.max(1, Math.ceil(total / BATCHES_PAGE_SIZE))}
          onChange={({ detail }) => setPage(detail.currentPageIndex)}
          ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }}
        />
      }
    />
  );
}
