import Alert from '@cloudscape-design/components/alert';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Box from '@cloudscape-design/components/box';
import Table from '@cloudscape-design/components/table';
import type { Portal, PortalTeam, TargetRef } from '@rotation-console/contracts';
import { targetColumns } from '../../../components/target-columns.tsx';
import { TargetFilters } from '../../../components/target-filters.tsx';
import { useSearchParams } from 'react-router';
import { FreshnessLine } from '../../../components/freshness-line.tsx';
import { QueryState } from '../../../components/query-state.tsx';
import { usePortal } from '../../../lib/api/get-portal.ts';
import { useFollow } from '../../../lib/navigation.ts';
import { DASHBOARD_PATH } from '../../../lib/paths.ts';
import { targetFilterOf, withSearchParams } from '../../../lib/search-params.ts';
import { isFleet, targetAccountIds, targetRegions } from '../../../lib/targets.ts';
import { FreezeWindows } from '../components/freeze-windows.tsx';
import { NeedsAttention } from '../components/needs-attention.tsx';
import { TeamSecretsTable } from '../components/team-secrets-table.tsx';
import { TeamSettings } from '../components/team-settings.tsx';
import { useIndexChanges } from '../../../lib/api/watch-index-changes.ts';
import { TeamAlerts } from '../components/team-alerts.tsx';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function NoTeams() {
  const follow = useFollow();
  return (
    <Alert type="info" header="No team portal for you">
      <SpaceBetween size="xs">
        <span>
          The portal shows the teams whose secrets you may change, and you are not an operator of any team. Ask an administrator to add you to your team’s
          group.
        </span>
        <Link href={DASHBOARD_PATH} onFollow={follow}>
          Go to the dashboard
        </Link>
      </SpaceBetween>
    </Alert>
  );
}

/** Where the team's secrets live: each account-region with its secrets and those needing attention. */
function WhereTheyLive({ team, targets }: { team: PortalTeam; targets: readonly TargetRef[] }) {
  return (
    <Table
      variant="container"
      header={<Header variant="h2">By account and region</Header>}
      ariaLabels={{ tableLabel: 'Secrets by account and region' }}
      items={team.byTarget}
      columnDefinitions={[
        ...targetColumns<PortalTeam['byTarget'][number]>(targets),
        { id: 'total', header: 'Secrets', cell: (row) => row.total },
        { id: 'attention', header: 'Needing attention', cell: (row) => row.needsAttention },
      ]}
      empty={<Box textAlign="center">No secret of this team here.</Box>}
    />
  );
}

function TeamPortal({ portal }: { portal: Portal }) {
  const [params, setParams] = useSearchParams();
  const place = targetFilterOf(params);
  const change = (update: { team?: string; account?: string; region?: string }) => setParams((previous) => withSearchParams(previous, update));
  const team = portal.teams.find((t) => t.team === params.get('team')) ?? portal.teams[0]!;
  const options = portal.teams.map((t) => ({ value: t.team, label: t.displayName, description: t.displayName === t.team ? undefined : t.team }));
  const { counts } = team;
  const { targets } = portal.freshness;

  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        description={
          <>
            {`Team portal: ${plural(counts.total, 'secret', 'secrets')}, ${counts.needsAttention} needing attention, ${plural(counts.dueSoon, 'rotation', 'rotations')} due in the next 7 days.`}
            {/* Which account-regions the figures are fresh for, and each failed one; a single account's portal shows no such line. */}
            {isFleet(targets) && (
              <>
                <br />
                <FreshnessLine freshness={portal.freshness} />
              </>
            )}
          </>
        }
        actions={
          portal.teams.length > 1 ? (
            <FormField label="Team">
              <Select
                selectedOption={options.find((o) => o.value === team.team) ?? null}
                options={options}
                onChange={({ detail }) => change({ team: detail.selectedOption.value! })}
                ariaLabel="Team"
              />
            </FormField>
          ) : undefined
        }
      >
        {team.displayName}
      </Header>
      {portal.freshness.state !== 'ready' && (
        <Alert type="info" header="Indexing the account">
          The console is still reading every secret; this page fills in by itself when it has.
        </Alert>
      )}
      {isFleet(targets) && (
        <TargetFilters accounts={targetAccountIds(targets)} regions={targetRegions(targets)} targets={targets} filter={place} onChange={change} />
      )}
      {isFleet(targets) && <WhereTheyLive team={team} targets={targets} />}
      <NeedsAttention team={team} targets={targets} />
      <TeamSecretsTable key={team.team} team={team} targets={targets} place={place} />
      <TeamSettings team={team} />
      <FreezeWindows key={`freeze-${team.team}`} team={team} />
      <TeamAlerts key={`alerts-${team.team}`} team={team.team} />
    </SpaceBetween>
  );
}

/** `/portal`: a team's landing page, its secrets, what needs attention, and rotation with the team's defaults. */
export function PortalPage() {
  // Within seconds of a rotation event, without a reload.
  useIndexChanges();
  const [params] = useSearchParams();
  const query = usePortal(undefined, targetFilterOf(params));
  return (
    <QueryState query={query} loadingText="Loading your team portal" errorHeader="Failed to load the team portal">
      {(portal) => (portal.teams.length === 0 ? <NoTeams /> : <TeamPortal portal={portal} />)}
    </QueryState>
  );
}
