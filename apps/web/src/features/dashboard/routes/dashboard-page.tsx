import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { memo, useEffect, useState } from 'react';
import { useDashboardSecrets } from '../api/list-dashboard-secrets.ts';
import { useDashboardSummary } from '../api/get-dashboard-summary.ts';
import { CoverageTables } from '../components/coverage-tables.tsx';
import { DueSoonTable } from '../components/due-soon-table.tsx';
import { FreshnessLine } from '../../../components/freshness-line.tsx';
import { ShownAfterFrame } from '../components/shown-after-frame.tsx';
import { StatusOverview } from '../components/summary-section.tsx';
import { useListView } from '../hooks/use-list-view.ts';
import { useModule } from '../hooks/use-module.ts';
import { useStagedReveal } from '../hooks/use-staged-reveal.ts';
import { toListQuery } from '../utils/list-params.ts';
import { QueryErrorAlert } from '../../../components/query-state.tsx';
import { useIndexChanges } from '../../../lib/api/watch-index-changes.ts';

// Each stage of the reveal renders the page again: the sections already on screen are memoized, so a
// stage draws only its own section (their props, the summary, stay the same object).
const StatusSection = memo(StatusOverview);
const CoverageSection = memo(CoverageTables);
const DueSoonSection = memo(DueSoonTable);

// The list (Cloudscape's Table, the filters, paging) is below the first screen: its own chunk, asked for
// once the figures are on screen, so the first page's JavaScript is smaller and its figures paint sooner.
const loadSecretsList = () => import('../components/secrets-list.tsx');
// Figures, coverage, due soon; then, once the list's chunk is in, the list and last the chart.
const STAGES_BEFORE_LIST = 3;
const STAGES = 5;

/**
 * `/dashboard`, the landing page: the fleet summary and every secret's rotation, from the API's index.
 * The summary and the first page of the list are asked for side by side (before the first render: see
 * app/first-data.ts); once both have answered the sections appear top to bottom (the figures, coverage,
 * the due-soon table, the list, and last the chart beside the figures, which until then shows them in
 * words), each drawn in a render of its own, so nothing on screen moves and no one task draws it all.
 * Each section mounts hidden and shows at the next frame (ShownAfterFrame), so the browser styles it
 * in its rendering step rather than inside the render's task.
 */
export function DashboardPage() {
  // Within seconds of a rotation event, without a reload.
  useIndexChanges();
  const { view, update, clearFilters } = useListView();
  const summary = useDashboardSummary();
  const list = useDashboardSecrets(toListQuery(view));
  const freshness = summary.data?.freshness ?? list.data?.freshness;
  // The list's chunk is asked for once the figures are drawn, so its download never delays them.
  const [listWanted, setListWanted] = useState(false);
  const listModule = useModule(loadSecretsList, listWanted);
  const stage = useStagedReveal(!summary.isPending && !list.isPending, listModule.state === 'loaded' ? STAGES : STAGES_BEFORE_LIST);
  useEffect(() => {
    if (stage >= 2) setListWanted(true);
  }, [stage]);

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
      {stage >= 1 &&
        (summary.data ? (
          <ShownAfterFrame>
            <StatusSection summary={summary.data} withChart={stage >= STAGES} />
          </ShownAfterFrame>
        ) : (
          <QueryErrorAlert query={summary} header="Failed to load the summary" />
        ))}
      {stage >= 2 && summary.data && (
        <ShownAfterFrame>
          <CoverageSection summary={summary.data} />
        </ShownAfterFrame>
      )}
      {stage >= 3 && summary.data && (
        <ShownAfterFrame>
          <DueSoonSection summary={summary.data} />
        </ShownAfterFrame>
      )}
      {stage >= 4 && listModule.state === 'loaded' && (
        <ShownAfterFrame>
          <listModule.module.SecretsList
            view={view}
            query={list}
            onChange={update}
            onClearFilters={clearFilters}
            targets={freshness?.targets}
            summary={summary.data}
          />
        </ShownAfterFrame>
      )}
      {listModule.state === 'failed' && (
        <Alert type="error" header="Failed to load the list">
          Reload the page to try again. ({listModule.error.message})
        </Alert>
      )}
    </SpaceBetween>
  );
}
