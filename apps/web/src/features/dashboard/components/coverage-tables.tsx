import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import type { CoverageGroup, DashboardSummary } from '@rotation-console/contracts';
import type { ReactNode } from 'react';
import { AccountText } from '../../../components/target-columns.tsx';
import { isFleet } from '../../../lib/targets.ts';
import { formatCount, formatPercent } from '../utils/format.ts';
import { sideBySide } from './section-grid.ts';
import { headerCell, numberCell, numberHeaderCell, rowHeaderCell, tableStyle } from './plain-table.ts';

/** A small read-only table of coverage figures (a plain semantic table, see plain-table.ts). */
interface CoverageTableProps {
  title: string;
  keyHeader: string;
  missing: string;
  groups: CoverageGroup[];
  /** How a group's key reads (an account's name beside its id); the key itself by default. */
  keyText?: (key: string) => ReactNode;
}

function CoverageTable({ title, keyHeader, missing, groups, keyText = (key) => key }: CoverageTableProps) {
  return (
    <div>
      <Box variant="h3" padding={{ bottom: 'xs' }}>
        {title}
      </Box>
      {groups.length === 0 ? (
        <Box color="text-body-secondary">No secrets</Box>
      ) : (
        <table aria-label={title} style={tableStyle}>
          <thead>
            <tr>
              <th scope="col" style={headerCell}>
                {keyHeader}
              </th>
              <th scope="col" style={numberHeaderCell}>
                Secrets
              </th>
              <th scope="col" style={numberHeaderCell}>
                Rotation on
              </th>
              <th scope="col" style={numberHeaderCell}>
                Coverage
              </th>
            </tr>
          </thead>
          <tbody>
            {groups.map((group) => (
              <tr key={group.key ?? ''}>
                <th scope="row" style={rowHeaderCell}>
                  {group.key === null ? <i>{missing}</i> : keyText(group.key)}
                </th>
                <td style={numberCell}>{formatCount(group.total)}</td>
                <td style={numberCell}>{formatCount(group.covered)}</td>
                <td style={numberCell}>{formatPercent(group.coveragePercent)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * Rotation coverage (secrets with rotation on, or managed by another service) by team and by engine,
 * and in a console covering several account-regions by account and by region, in percent; the
 * overall figure is the status counts' own, not repeated here.
 */
export function CoverageTables({ summary }: { summary: DashboardSummary }) {
  const targets = summary.freshness.targets;
  return (
    <Container
      header={
        <Header variant="h2" description="Secrets with rotation on, or whose rotation another service manages.">
          Rotation coverage
        </Header>
      }
    >
      <div style={sideBySide}>
        <CoverageTable title="Coverage by team" keyHeader="Team" missing="No team tag" groups={summary.byTeam} />
        <CoverageTable title="Coverage by engine" keyHeader="Engine" missing="Unknown engine" groups={summary.byEngine} />
        {isFleet(targets) && (
          <>
            <CoverageTable
              title="Coverage by account"
              keyHeader="Account"
              missing="Unknown account"
              groups={summary.byAccount}
              keyText={(accountId) => <AccountText accountId={accountId} targets={targets} />}
            />
            <CoverageTable title="Coverage by region" keyHeader="Region" missing="Unknown region" groups={summary.byRegion} />
          </>
        )}
      </div>
    </Container>
  );
}
