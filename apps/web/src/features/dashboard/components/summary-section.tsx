import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import type { DashboardSummary } from '@rotation-console/contracts';
import { lazy, Suspense } from 'react';
import { sideBySide } from './section-grid.ts';
import { STATUS_CHART_HEIGHT, statusChartDescription } from './status-chart-text.ts';
import { StatusCounts } from './status-counts.tsx';

// Charts are the heaviest part of the page: their own chunk, fetched once the page asks for it (the
// dashboard does so last, after every other section is on screen).
const StatusChart = lazy(() => import('./status-chart.tsx'));

/** Until the chart is drawn, its figures in words, in the chart's place. */
function ChartPlaceholder({ description }: { description: string }) {
  return (
    <Box color="text-body-secondary" padding={{ top: 'xxl' }} textAlign="center">
      {description}
    </Box>
  );
}

/**
 * The figures by status and, beside them, the same figures as a chart; with `withChart` false, the
 * chart's place shows its figures in words and its chunk is not asked for yet.
 */
export function StatusOverview({ summary, withChart }: { summary: DashboardSummary; withChart: boolean }) {
  const description = statusChartDescription(summary.byStatus, summary.total);
  return (
    <div style={sideBySide}>
      <StatusCounts summary={summary} />
      <Container header={<Header variant="h2">Secrets by rotation status</Header>}>
        {/* As tall as the chart, before and after its chunk arrives: nothing below moves. */}
        <div style={{ height: STATUS_CHART_HEIGHT }}>
          {withChart ? (
            <Suspense fallback={<ChartPlaceholder description={description} />}>
              <StatusChart counts={summary.byStatus} total={summary.total} />
            </Suspense>
          ) : (
            <ChartPlaceholder description={description} />
          )}
        </div>
      </Container>
    </div>
  );
}
