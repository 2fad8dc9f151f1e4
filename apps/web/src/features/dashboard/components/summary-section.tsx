import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import type { DashboardSummary } from '@rotation-console/contracts';
import type { UseQueryResult } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { STATUS_CHART_HEIGHT, statusChartDescription } from './status-chart-text.ts';
import { StatusCounts } from './status-counts.tsx';

// Charts are the heaviest part of the page: their own chunk, fetched after the figures are on screen.
const StatusChart = lazy(() => import('./status-chart.tsx'));

/** The figures by status and, beside them, the same figures as a chart. */
export function StatusOverview({ summary }: { summary: DashboardSummary }) {
  const description = statusChartDescription(summary.byStatus, summary.total);
  return (
    <ColumnLayout columns={2}>
      <StatusCounts summary={summary} />
      <Container header={<Header variant="h2">Secrets by rotation status</Header>}>
        {/* As tall as the chart, before and after its chunk arrives: nothing below moves. */}
        <div style={{ height: STATUS_CHART_HEIGHT }}>
          <Suspense
            fallback={
              <Box color="text-body-secondary" padding={{ top: 'xxl' }} textAlign="center">
                {description}
              </Box>
            }
          >
            <StatusChart counts={summary.byStatus} total={summary.total} />
          </Suspense>
        </div>
      </Container>
    </ColumnLayout>
  );
}

/** The summary's failure, with Retry. */
export function SummaryError({ query }: { query: UseQueryResult<DashboardSummary, Error> }) {
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
      {query.error?.message}
    </Alert>
  );
}
