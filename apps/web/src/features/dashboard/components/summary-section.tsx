import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { DashboardSummary } from '@rotation-console/contracts';
import type { UseQueryResult } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { CoverageTables } from './coverage-tables.tsx';
import { DueSoonTable } from './due-soon-table.tsx';
import { StatusCounts } from './status-counts.tsx';
import { STATUS_CHART_HEIGHT, statusChartDescription } from './status-chart-text.ts';

// Charts are the heaviest part of the page: their own chunk, fetched after the figures are on screen.
const StatusChart = lazy(() => import('./status-chart.tsx'));

function ChartPlaceholder({ text }: { text: string }) {
  return (
    <div style={{ height: STATUS_CHART_HEIGHT, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
      <Box color="text-body-secondary">{text}</Box>
    </div>
  );
}

/** The fleet summary: figures by status, the status chart, coverage by team and engine, the secrets due soon. */
export function SummarySection({ query }: { query: UseQueryResult<DashboardSummary, Error> }) {
  if (query.isError) {
    return (
      <Alert
        type="error"
        header="Failed to load the summary"
        action={
          <Button onClick={() => void query.refetch()} loading={query.isFetching}>
            Retry
          </Button>
        }
      >
        {query.error.message}
      </Alert>
    );
  }
  if (!query.data) return null;
  const summary = query.data;
  return (
    <SpaceBetween size="l">
      <ColumnLayout columns={2}>
        <StatusCounts summary={summary} />
        <Container header={<Header variant="h2">Secrets by rotation status</Header>}>
          <div style={{ minHeight: STATUS_CHART_HEIGHT }}>
            <Suspense fallback={<ChartPlaceholder text={statusChartDescription(summary.byStatus, summary.total)} />}>
              <StatusChart counts={summary.byStatus} total={summary.total} />
            </Suspense>
          </div>
        </Container>
      </ColumnLayout>
      <CoverageTables summary={summary} />
      <DueSoonTable summary={summary} />
    </SpaceBetween>
  );
}
