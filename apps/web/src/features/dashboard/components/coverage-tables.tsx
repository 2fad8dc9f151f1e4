import Box from '@cloudscape-design/components/box';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import type { CoverageGroup, DashboardSummary } from '@rotation-console/contracts';
import { formatCount, formatPercent } from '../utils/format.ts';

const columns = (groupHeader: string, missing: string): TableProps.ColumnDefinition<CoverageGroup>[] => [
  { id: 'key', header: groupHeader, cell: (group) => group.key ?? <i>{missing}</i>, isRowHeader: true },
  { id: 'total', header: 'Secrets', cell: (group) => formatCount(group.total) },
  { id: 'covered', header: 'Rotation on', cell: (group) => formatCount(group.covered) },
  { id: 'coverage', header: 'Coverage', cell: (group) => formatPercent(group.coveragePercent) },
];

const teamColumns = columns('Team', 'No team tag');
const engineColumns = columns('Engine', 'Unknown engine');

function CoverageTable({ title, groups, columnDefinitions }: { title: string; groups: CoverageGroup[]; columnDefinitions: TableProps.ColumnDefinition<CoverageGroup>[] }) {
  return (
    <Table
      variant="embedded"
      header={<Header variant="h3">{title}</Header>}
      columnDefinitions={columnDefinitions}
      items={groups}
      trackBy={(group) => group.key ?? ''}
      ariaLabels={{ tableLabel: title }}
      empty={
        <Box textAlign="center" color="inherit">
          No secrets
        </Box>
      }
    />
  );
}

/**
 * Rotation coverage (secrets with rotation on, or managed by another service) overall, by team and
 * by engine, in percent.
 */
export function CoverageTables({ summary }: { summary: DashboardSummary }) {
  return (
    <Container
      header={
        <Header variant="h2" description="Secrets with rotation on, or whose rotation another service manages.">
          Rotation coverage: {formatPercent(summary.coveragePercent)}
        </Header>
      }
    >
      <ColumnLayout columns={2}>
        <CoverageTable title="Coverage by team" groups={summary.byTeam} columnDefinitions={teamColumns} />
        <CoverageTable title="Coverage by engine" groups={summary.byEngine} columnDefinitions={engineColumns} />
      </ColumnLayout>
    </Container>
  );
}
