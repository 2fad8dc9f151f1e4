import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { memo } from 'react';
import { useDashboardSecrets } from '../api/list-dashboard-secrets.ts';
import { useDashboardSummary } from '../api/get-dashboard-summary.ts';
import { CoverageTables } from '../components/coverage-tables.tsx';
import { DueSoonTable } from '../components/due-soon-table.tsx';
import { FreshnessLine } from '../components/freshness-line.tsx';
import { SecretsList } from '../components/secrets-list.tsx';
import { StatusOverview, SummaryError } from '../components/summary-section.tsx';
import { useListView } from '../hooks/use-list-view.ts';
import { useStagedReveal } from '../hooks/use-staged-reveal.ts';
import { toListQuery } from '../utils/list-params.ts';

// Each stage of the reveal renders the page again: the sections already on screen are memoized, so a
// stage draws only its own section (their props, the summary, stay the same object).
const StatusSection = memo(StatusOverview);
const CoverageSection = memo(CoverageTables);
const DueSoonSection = memo(DueSoonTable);

/**
 * `/dashboard`, the landing page: the fleet summary and every secret's rotation, from the API's index.
 * The summary and the first page of the list are asked for side by side; once both have answered the
 * sections appear top to bottom (figures and chart, coverage, then the due-soon table and the list),
 * each drawn in a render of its own, so nothing on screen moves and no one task draws it all.
 */
export function DashboardPage() {
  const { view, update, clearFilters } = useListView();
  const summary = useDashboardSummary();
  const list = useDashboardSecrets(toListQuery(view));
  const freshness = summary.data?.freshness ?? list.data?.freshness;
  const stage = useStagedReveal(!summary.isPending && !list.isPending, 4);

  return (
    <SpaceBetween size="l">
      <Header variant="h1" description={<FreshnessLine freshness={freshness} />}>
        Dashboard
      </Header>
      {stage === 0 && (
        <Box padding={{ vertical: 'l' }}>
          <StatusIndicator type="loading">Loading the dashboard</StatusIndicator>
        </Box>
      )}
      {stage >= 1 && (summary.data ? <StatusSection summary={summary.data} /> : <SummaryError query={summary} />)}
      {stage >= 2 && summary.data && <CoverageSection summary={summary.data} />}
      {stage >= 3 && summary.data && <DueSoonSection summary={summary.data} />}
      {stage >= 4 && <SecretsList view={view} query={list} onChange={update} onClearFilters={clearFilters} />}
    </SpaceBetween>
  );
}
