import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useDashboardSecrets } from '../api/list-dashboard-secrets.ts';
import { useDashboardSummary } from '../api/get-dashboard-summary.ts';
import { FreshnessLine } from '../components/freshness-line.tsx';
import { SecretsList } from '../components/secrets-list.tsx';
import { SummarySection } from '../components/summary-section.tsx';
import { useListView } from '../hooks/use-list-view.ts';
import { toListQuery } from '../utils/list-params.ts';

/**
 * `/dashboard`, the landing page: the fleet summary and every secret's rotation, from the API's index.
 * The summary and the first page of the list are asked for side by side and shown together, so
 * nothing on the page moves when the second answer lands.
 */
export function DashboardPage() {
  const { view, update, clearFilters } = useListView();
  const summary = useDashboardSummary();
  const list = useDashboardSecrets(toListQuery(view));
  const freshness = summary.data?.freshness ?? list.data?.freshness;

  return (
    <SpaceBetween size="l">
      <Header variant="h1" description={freshness ? <FreshnessLine freshness={freshness} /> : 'Rotation status of every secret in this account and Region.'}>
        Dashboard
      </Header>
      {summary.isPending || list.isPending ? (
        <Box padding={{ vertical: 'l' }}>
          <StatusIndicator type="loading">Loading the dashboard</StatusIndicator>
        </Box>
      ) : (
        <>
          <SummarySection query={summary} />
          <SecretsList view={view} query={list} onChange={update} onClearFilters={clearFilters} />
        </>
      )}
    </SpaceBetween>
  );
}
