import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import type { DashboardSummary } from '@rotation-console/contracts';
import { useState } from 'react';
import { EMPTY_VALUE, formatDateTime } from '../../../lib/format-date.ts';
import { useFollow } from '../../../lib/navigation.ts';
import { formatCount } from '../utils/format.ts';
import { cell, headerCell, rowHeaderCell, tableStyle } from './plain-table.ts';
import { UserText } from '../../../components/user-text.tsx';
import { secretPath } from '../../../lib/paths.ts';

type DueSecret = DashboardSummary['dueSoon'][number];

/** Rows a page of this table shows; it holds at most 100 (the API's cap), paged here in the browser. */
const DUE_PAGE_SIZE = 10;

function NameLink({ secret }: { secret: DueSecret }) {
  const follow = useFollow();
  return (
    <Link href={secretPath(secret)} onFollow={follow}>
      <UserText text={secret.name} />
    </Link>
  );
}

/** The secrets whose next rotation falls in the next 7 days, soonest first (a plain semantic table, see plain-table.ts). */
export function DueSoonTable({ summary }: { summary: DashboardSummary }) {
  const shown = summary.dueSoon.length;
  const more = summary.dueSoonTotal > shown;
  const pagesCount = Math.max(1, Math.ceil(shown / DUE_PAGE_SIZE));
  const [requestedPage, setPage] = useState(1);
  const page = Math.min(requestedPage, pagesCount);
  const rows = summary.dueSoon.slice((page - 1) * DUE_PAGE_SIZE, page * DUE_PAGE_SIZE);

  return (
    <Container
      header={
        <Header
          variant="h2"
          counter={`(${formatCount(summary.dueSoonTotal)})`}
          description={more ? `The ${formatCount(shown)} soonest of ${formatCount(summary.dueSoonTotal)}; the Calendar shows them all.` : 'Soonest first.'}
          actions={
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
        >
          Due in the next 7 days
        </Header>
      }
    >
      {rows.length === 0 ? (
        <Box textAlign="center" color="inherit">
          <b>No rotations due</b>
          <Box variant="p" color="inherit">
            No secret is due to rotate in the next 7 days.
          </Box>
        </Box>
      ) : (
        <table aria-label="Due in the next 7 days" style={tableStyle}>
          <thead>
            <tr>
              <th scope="col" style={headerCell}>
                Secret name
              </th>
              <th scope="col" style={headerCell}>
                Team
              </th>
              <th scope="col" style={headerCell}>
                Next rotation
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((secret) => (
              <tr key={secret.arn}>
                <th scope="row" style={rowHeaderCell}>
                  <NameLink secret={secret} />
                </th>
                <td style={cell}>{secret.team ?? EMPTY_VALUE}</td>
                <td style={cell}>{formatDateTime(secret.nextRotationDate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Container>
  );
}
